// Offline: the service worker serves the site with the network cut off; the one-file build
// works from disk.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, openApp, test } from './support';

test('after the first visit the site works with the network off', async ({ page, context }) => {
  await openApp(page);
  // Wait until the service worker has installed the build and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done));
    }
  });
  await context.setOffline(true);
  await page.goto('./?embed#v=1&preset=expired-token');
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await page.reload();
  await expect(page.getByTestId('app')).toBeVisible();
  await page.goto('./#v=1&preset=public-page');
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await page.getByTestId('preset-user-on-admin').click();
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await context.setOffline(false);
});

test('the manifest and icons make the site installable', async ({ page, request }) => {
  await openApp(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = await (await request.get(new URL(href!, page.url()).toString())).json();
  expect(manifest.start_url).toBe('./');
  for (const icon of manifest.icons) {
    const response = await request.get(new URL(icon.src, page.url()).toString());
    expect(response.status(), icon.src).toBe(200);
  }
});

const singleFile = resolve(__dirname, '..', '..', 'dist', 'authpath.html');

test('the one-file build works from file://', async ({ page }) => {
  // `cargo xtask test` builds it; a missing file is a missing build step, not a skip.
  expect(existsSync(singleFile), `${singleFile} is missing: run cargo xtask dist --single-file`).toBe(true);
  await page.goto(pathToFileURL(singleFile).toString() + '#v=1&preset=no-token');
  await expect(page.getByTestId('app')).toBeVisible();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  // It carries the stylesheets and the description (both were once lost to the minified page).
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--radius').trim())).toBe('10px');
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /why an HTTP API answers 401/);
  await page.getByTestId('preset-admin-deletes-user').click();
  await expect(page.getByTestId('status-code')).toHaveText('204');
});
