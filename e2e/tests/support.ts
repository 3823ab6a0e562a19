// Shared pieces for every spec: a `test` that fails on any console error or failed request,
// and a screenshot helper that writes to target/screenshots/.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export { expect };

/** Where screenshots are written for review (outside the e2e package, beside the build). */
export const screenshotDirectory = resolve(__dirname, '..', '..', 'target', 'screenshots');

/**
 * The `test` to use in every spec. Its `problems` fixture records console errors, uncaught
 * exceptions, failed requests and HTTP error responses, and the test fails at its end if any
 * were recorded. A spec that provokes an error on purpose removes the expected entry.
 */
export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
      page.on('requestfailed', (request) => {
        const why = request.failure()?.errorText;
        // Chromium cancels a page's favicon fetch when the test navigates on before it ends:
        // the browser's own housekeeping, not a failure of the site.
        if (why === 'net::ERR_ABORTED' && /\/favicon[^/]*$/.test(new URL(request.url()).pathname)) return;
        // Nor is a prefetch (the full build, fetched in idle time: src/parts.rs) that a
        // navigation cancels; the fetch that needs it is checked on its own.
        if (why === 'net::ERR_ABORTED' && request.headers()['sec-purpose']?.startsWith('prefetch')) return;
        problems.push(`request failed: ${request.url()} (${why})`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
      });
      await use(problems);
      expect(problems, 'console errors and failed requests').toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * Writes a screenshot to target/screenshots/<name>.png and returns its path: the full page
 * unless `fullPage` is false (then only the viewport).
 */
export async function screenshot(
  page: Page,
  name: string,
  { fullPage = true }: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(screenshotDirectory, { recursive: true });
  const path = join(screenshotDirectory, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Loads the site and waits until the app has taken over the prerendered page (hydrated it and
 * applied the link: `<html data-live>`, dom::mark_live), so a click or a keystroke reaches it.
 */
export async function openApp(page: Page, path = './'): Promise<void> {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-live', '');
  await expect(page.getByTestId('app')).toBeVisible();
}

/**
 * Loads the site as openApp does, then hands it over to the full build (src/parts.rs) by asking
 * for what would change the answer, for a spec about a part the landing build does not hold.
 */
export async function openFullApp(page: Page, path = './'): Promise<void> {
  await openApp(page, path);
  await page.getByTestId('ask-alternatives').click();
  await expect(page.getByTestId('alternatives')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-live', '');
}

