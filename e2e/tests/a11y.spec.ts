// Accessibility: axe finds no serious or critical violation on any view in either theme; the
// simulator can be driven with the keyboard alone; a status is never told by colour alone.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './support';

// Each test visits many pages (and axe is slow) on a machine that may be busy.
test.describe.configure({ timeout: 90_000 });

const views = ['simulator', 'policy', 'matrix', 'compare', 'check', 'learn', 'quiz'];

/** axe's serious and critical violations on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}

for (const theme of ['light', 'dark']) {
  for (const view of views) {
    test(`axe: the ${view} view in the ${theme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme as 'light' | 'dark' });
      await openApp(page, `./?theme=${theme}#v=1&view=${view}`);
      if (view !== 'simulator') await expect(page.getByTestId(`${view}-view`)).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      if (view === 'quiz') {
        // Answered: the right option, the dimmed others and, once the first option is wrong,
        // the wrong one are all shown (the answer is only in the DOM after answering).
        for (let question = 0; question < 10; question += 1) {
          await page.getByTestId('quiz-option').first().click();
          await expect(page.getByTestId('quiz-explanation')).toBeVisible();
          if ((await page.locator('.quiz-option.wrong').count()) > 0) break;
          await page.getByTestId('quiz-next').click();
        }
        await expect(page.locator('.quiz-option.wrong')).toHaveCount(1);
        await expect(page.locator('.quiz-option.other').first()).toBeVisible();
        expect(await seriousViolations(page), 'answered question').toEqual([]);
      }
    });
  }

  test(`axe: a parse error, the lint findings and the embed in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: theme as 'light' | 'dark' });
    await openApp(page, `./?theme=${theme}`);
    await page.getByTestId('raw-request').fill('this is not http');
    await expect(page.getByTestId('parse-error')).toBeVisible();
    expect(await seriousViolations(page), 'parse error').toEqual([]);
    await openApp(page, `./?theme=${theme}#v=1&preset=no-token&profile=naive`);
    expect(await seriousViolations(page), 'naive profile with findings').toEqual([]);
    await openApp(page, `./?embed&theme=${theme}#v=1&preset=expired-token`);
    expect(await seriousViolations(page), 'embed').toEqual([]);
    // Before the deciding step the response is dimmed: still readable.
    await openApp(page, `./?theme=${theme}#v=1&preset=expired-token&step=1`);
    await expect(page.getByTestId('step-count')).toContainText('step 1 of');
    expect(await seriousViolations(page), 'dimmed response').toEqual([]);
  });
}

/** Presses Tab until the element with `testId` has the focus (at most `limit` times). */
async function tabTo(page: Page, testId: string, limit = 80): Promise<void> {
  for (let press = 0; press < limit; press += 1) {
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    if (focused === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${testId} is not reachable with Tab`);
}

test('keyboard only: play a preset, step through the path, copy the response', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL ?? '').origin });
  await openApp(page);
  await tabTo(page, 'preset-expired-token');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('preset-expired-token')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('status-code')).toHaveText('401');

  // The stepper: Home goes to the first step, the arrows move one, End to the decision.
  await tabTo(page, 'step-play');
  await page.keyboard.press('Home');
  await expect(page.getByTestId('step-count')).toHaveText(/^step 1 of (\d+)$/);
  const steps = Number(/of (\d+)/.exec((await page.getByTestId('step-count').textContent()) ?? '')?.[1]);
  expect(steps).toBeGreaterThan(2);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('step-count')).toHaveText(`step 2 of ${steps}`);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('step-count')).toHaveText(`step 1 of ${steps}`);
  // Play runs the path by itself to the deciding step; Space pauses it too, but let it run.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('step-count')).toHaveText(`step ${steps} of ${steps}`, { timeout: 15_000 });
  await page.keyboard.press('End');
  await expect(page.getByTestId('step-count')).toHaveText(`step ${steps} of ${steps}`);

  await tabTo(page, 'copy-response', 200);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('copy-response')).toHaveText('✓ Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const shown = (await page.getByTestId('raw-response').textContent()) ?? '';
  expect(copied.replace(/\r\n/g, '\n')).toBe(shown.replace(/\r\n/g, '\n'));
  expect(copied).toMatch(/^HTTP\/1\.1 401 Unauthorized/);
});

test('every view is reached by keyboard, and the focus is visible', async ({ page }) => {
  await openApp(page);
  for (const view of views) {
    await tabTo(page, `view-${view}`, 200);
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline, `focus ring on view-${view}`).not.toMatch(/^none|0px$/);
    await page.keyboard.press('Enter');
    if (view !== 'simulator') await expect(page.getByTestId(`${view}-view`)).toBeVisible();
    await expect(page.getByTestId(`view-${view}`)).toHaveAttribute('aria-current', 'page');
  }
});

test('a status is never told by colour alone: numbers and words are on screen', async ({ page }) => {
  await openApp(page);
  const expected: Array<[string, string, string]> = [
    ['no-token', '401', 'Unauthorized'],
    ['user-on-admin', '403', 'Forbidden'],
    ['public-page', '200', 'OK'],
    ['admin-deletes-user', '204', 'No Content'],
  ];
  for (const [preset, code, words] of expected) {
    await page.getByTestId(`preset-${preset}`).click();
    await expect(page.getByTestId('status-code')).toHaveText(code);
    await expect(page.locator('.status-banner .status-text')).toContainText(words);
  }
  // Lint findings name their severity in words, not only in colour.
  await openApp(page, './#v=1&preset=no-token&profile=naive');
  const severities = page.locator('[data-testid="lint"] .severity');
  expect(await severities.count()).toBeGreaterThan(0);
  for (const text of await severities.allTextContents()) expect(text).toMatch(/^(error|warning|note)$/);
  // Every matrix cell shows its status number as text.
  await page.getByTestId('view-matrix').click();
  const cells = page.getByTestId('matrix-cell');
  await expect(cells).toHaveCount(8 * 7);
  for (const cell of await cells.all()) {
    const status = await cell.getAttribute('data-status');
    await expect(cell).toContainText(status ?? 'missing');
  }
  // Each step of the execution table says in a word how it went.
  await page.getByTestId('view-simulator').click();
  await page.getByTestId('preset-expired-token').click();
  const rows = page.locator('[data-testid="execution-table"] tbody tr');
  expect(await rows.count()).toBeGreaterThan(2);
  for (const row of await rows.all()) await expect(row).toContainText(/passed|skipped|failed|answered/);
});
