// The JWT attack catalogue as presets (#26): each one clicked is answered by the engine at its
// own check, and the page cites the RFC 8725 section or CVE that says why; the weak secret is
// the one that passes. Screenshots of two of them, light and dark, wide and narrow.
import type { Page } from '@playwright/test';
import { expect, openApp, screenshot, test } from './support';

/** [preset, status, the check that refused it (none: passed), the source cited (none: not one of the catalogue)] */
const attacks: [string, string, string | null, string | null][] = [
  ['attack-alg-none', '401', 'alg', 'RFC 8725 §3.1'],
  ['attack-alg-confusion', '401', 'key type', null],
  ['attack-unknown-kid', '401', 'key', null],
  ['attack-jku', '401', 'signature', null],
  ['attack-embedded-jwk', '401', 'signature', null],
  ['attack-expired-31s', '401', 'exp', null],
  ['attack-alg-none-capitalised', '401', 'alg', 'RFC 8725 §3.1'],
  ['attack-alg-none-upper-case', '401', 'alg', 'RFC 8725 §3.1'],
  ['attack-alg-none-mixed-case', '401', 'alg', 'RFC 8725 §3.1'],
  ['attack-empty-signature', '401', 'signature', 'RFC 8725 §3.1'],
  ['attack-weak-secret', '200', null, 'RFC 8725 §3.5'],
  ['attack-psychic-signature', '401', 'signature', 'CVE-2022-21449'],
  ['attack-kid-traversal', '401', 'key', 'RFC 8725 §3.10'],
  ['attack-kid-injection', '401', 'key', 'RFC 8725 §3.10'],
  ['attack-x5u', '401', 'signature', 'RFC 8725 §3.10'],
  ['attack-x5c', '401', 'signature', 'RFC 8725 §3.10'],
];

async function failedChecks(page: Page): Promise<string[]> {
  return page.locator('[data-testid="execution-table"] tr.failed .check-name').allTextContents();
}

test('the preset bar offers every attack of the catalogue', async ({ page }) => {
  await openApp(page);
  const shown = await page.locator('[data-testid^="preset-attack-"]').evaluateAll((buttons) =>
    buttons.map((button) => button.getAttribute('data-testid')),
  );
  expect(shown).toEqual(attacks.map(([id]) => `preset-${id}`));
});

for (const [id, status, check, source] of attacks) {
  test(`${id}: ${status}${check ? ` at ${check}` : ''}`, async ({ page }) => {
    await openApp(page);
    await page.getByTestId(`preset-${id}`).click();
    await expect(page.getByTestId(`preset-${id}`)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('status-code')).toHaveText(status);
    if (check === null) {
      expect(await failedChecks(page)).toEqual([]);
    } else {
      await expect.poll(async () => (await failedChecks(page)).at(-1)).toBe(check);
    }
    if (source === null) {
      await expect(page.getByTestId('preset-source')).toHaveCount(0);
    } else {
      await expect(page.getByTestId('preset-source')).toContainText(source);
    }
    // The link opens the same answer.
    await expect.poll(() => page.url()).toContain(`preset=${id}`);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-live', '');
    await expect(page.getByTestId('status-code')).toHaveText(status);
  });
}

test('the weak secret forges an admin the server lets in; a strong key refuses the same forgery', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-attack-weak-secret').click();
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await expect(page.getByTestId('raw-request')).toHaveValue(/^GET \/admin HTTP\/1\.1\n/);
  // Another secret for the server: the guess from the list no longer matches.
  await page.getByTestId('view-policy').click();
  await page.getByTestId('policy-secret').fill('a-long-random-server-key-nobody-guesses');
  await page.getByTestId('view-simulator').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  expect((await failedChecks(page)).at(-1)).toBe('signature');
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`attack presets, ${colorScheme} at ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await openApp(page);
      for (const id of ['attack-psychic-signature', 'attack-weak-secret']) {
        await page.getByTestId(`preset-${id}`).click();
        await expect(page.getByTestId('preset-source')).toBeVisible();
        // At 390 px the whole page is a long column: the first screen holds what is new.
        await screenshot(page, `${id}-${colorScheme}-${width}`, { fullPage: width > 400 });
      }
    });
  }
}
