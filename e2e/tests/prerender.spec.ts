// The prerendered pages (src/pages.rs, `cargo xtask dist`): a link never shows another
// scenario's answer, not even for a frame, on a slow network; with scripts off the page
// still reads; the browser hydrates the HTML it got instead of building the page anew.
import type { Browser, Page } from '@playwright/test';
import { expect, screenshot, test } from './support';

const presets: [string, string][] = [
  ['no-token', '401'],
  ['invalid-token', '401'],
  ['expired-token', '401'],
  ['user-on-admin', '403'],
  ['admin-deletes-user', '204'],
  ['public-page', '200'],
  ['insufficient-scope', '403'],
  ['other-users-notes', '403'],
  // API keys and sessions (#23).
  ['csrf-missing', '403'],
  ['unknown-api-key', '401'],
  ['api-key-in-url', '401'],
  ['expired-session', '401'],
  // The attacks, each refused with 401 invalid_token.
  ['attack-alg-none', '401'],
  ['attack-alg-confusion', '401'],
  ['attack-unknown-kid', '401'],
  ['attack-jku', '401'],
  ['attack-embedded-jwk', '401'],
  ['attack-expired-31s', '401'],
  // The rest of the attack catalogue (#26); the weak secret is guessed and lets the forged admin in.
  ['attack-alg-none-capitalised', '401'],
  ['attack-alg-none-upper-case', '401'],
  ['attack-alg-none-mixed-case', '401'],
  ['attack-empty-signature', '401'],
  ['attack-weak-secret', '200'],
  ['attack-psychic-signature', '401'],
  ['attack-kid-traversal', '401'],
  ['attack-kid-injection', '401'],
  ['attack-x5u', '401'],
  ['attack-x5c', '401'],
];

/** The throttled network of the time goals: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency. */
async function throttle(page: Page): Promise<void> {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  await session.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
}

declare global {
  interface Window {
    /** Every status the page showed a reader, in order, from the first byte on. */
    shownStatuses: string[];
  }
}

/**
 * Records, from before the first byte is parsed, every answer a reader could see: the status
 * code's text whenever it changes while the page is not hidden (assets/early.js's `pending`).
 */
async function recordShownAnswers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.shownStatuses = [];
    const record = () => {
      const status = document.querySelector('[data-testid="status-code"]');
      const hidden = document.documentElement.classList.contains('pending');
      const text = status?.textContent ?? '';
      if (status === null || hidden || text === '') return;
      if (window.shownStatuses[window.shownStatuses.length - 1] !== text) window.shownStatuses.push(text);
    };
    new MutationObserver(record).observe(document, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['class'],
    });
  });
}

/** Opens `path` (throttled unless told) in a fresh context and returns every answer it showed. */
async function answersShown(
  browser: Browser,
  path: string,
  baseURL: string,
  throttled = true,
): Promise<string[]> {
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  const page = await context.newPage();
  if (throttled) await throttle(page);
  await recordShownAnswers(page);
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-live', '', { timeout: 30_000 });
  // A scenario with public keys is shown by the full build, which the landing page loads first
  // (src/parts.rs): wait for its answer too.
  await expect(page.getByTestId('status-code')).toBeVisible({ timeout: 30_000 });
  const shown = await page.evaluate(() => window.shownStatuses);
  await context.close();
  return shown;
}

for (const [preset, status] of presets) {
  test(`every link to ${preset}, old and new, full and embedded, shows only its answer`, async ({ browser, baseURL }) => {
    test.setTimeout(120_000);
    const fragment = `#v=1&preset=${preset}`;
    // The old link under the throttled network (the widest window for a wrong first frame:
    // index.html holds another scenario until the wasm has run); the other forms on the plain
    // network, which keeps the run's time in bounds with the same early.js at work.
    for (const [path, throttled] of [
      [`./${fragment}`, true],
      [`./?embed${fragment}`, false],
      [`./preset-${preset}.html${fragment}`, false],
      [`./embed-${preset}.html?embed${fragment}`, false],
      // A link that says more than its page: shown once the app has applied the step.
      [`./preset-${preset}.html${fragment}&step=1`, false],
    ] as const) {
      expect(await answersShown(browser, path, baseURL ?? '', throttled), path).toEqual([status]);
    }
  });
}

test('a page opened without a fragment shows its own scenario at once', async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  expect(await answersShown(browser, './', baseURL ?? '')).toEqual(['200']);
  expect(await answersShown(browser, './preset-expired-token.html', baseURL ?? '')).toEqual(['401']);
});

test('the browser hydrates the prerendered page instead of building it anew', async ({ page }) => {
  // A throttled load on two busy cores can take more than the default 30 s.
  test.setTimeout(60_000);
  await throttle(page);
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      // Parsed, and the wasm (hundreds of kilobytes at 1.6 Mbit/s) not there yet.
      const app = document.querySelector('[data-testid="app"]');
      if (document.readyState === 'interactive' && app !== null) app.setAttribute('data-parsed', '');
    });
  });
  await page.goto('./preset-user-on-admin.html');
  await expect(page.locator('html')).toHaveAttribute('data-live', '', { timeout: 30_000 });
  // The element the HTML brought is the one the app now drives.
  await expect(page.locator('[data-testid="app"][data-parsed]')).toHaveCount(1);
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await page.getByTestId('preset-no-token').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.locator('[data-testid="app"][data-parsed]')).toHaveCount(1);
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`without JavaScript the page shows the scenario, ${colorScheme} at ${width} px`, async ({ browser, baseURL }) => {
      const context = await browser.newContext({ baseURL, javaScriptEnabled: false, colorScheme });
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto('./preset-expired-token.html#v=1&preset=expired-token');
      await expect(page.getByTestId('status-code')).toHaveText('401');
      await expect(page.getByTestId('status-code')).toBeVisible();
      await expect(page.getByTestId('raw-request')).toHaveValue(/^GET \/profile HTTP\/1\.1\n[\s\S]*Authorization: Bearer /);
      await expect(page.getByTestId('raw-response')).toContainText('invalid_token');
      await expect(page.getByTestId('decision-path')).toBeVisible();
      await expect(page.getByTestId('execution-table')).toContainText('expired');
      await expect(page.locator('.noscript-note')).toBeVisible();
      await expect(page.locator('.noscript-note')).toContainText('need JavaScript');
      await screenshot(page, `prerendered-nojs-${colorScheme}-${width}`);
      await context.close();
    });

    test(`the hydrated page, ${colorScheme} at ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 900 });
      await page.goto('./preset-expired-token.html#v=1&preset=expired-token');
      await expect(page.locator('html')).toHaveAttribute('data-live', '');
      await expect(page.locator('.noscript-note')).toBeHidden();
      await expect(page.getByTestId('status-code')).toHaveText('401');
      await screenshot(page, `prerendered-hydrated-${colorScheme}-${width}`);
    });
  }
}

test('an embed reads without JavaScript too', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto('./embed-user-on-admin.html?embed#v=1&preset=user-on-admin');
  await expect(page.getByTestId('app')).toHaveAttribute('data-embed', 'true');
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await expect(page.locator('.masthead, .presets, .footer, .tabs')).toHaveCount(0);
  await screenshot(page, 'prerendered-nojs-embed-700');
  await context.close();
});
