// The simulator page: presets, hand-edited requests, parse errors, stepping, screenshots.
// The page's answer is checked against the engine's own command line for the same raw text.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, screenshot, test } from './support';

const cli = resolve(__dirname, '..', '..', 'target', 'debug', 'authpath');

/** What `authpath eval` answers for this raw request: the engine, outside the browser. */
function engineResponse(raw: string): string {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run cargo build -p authpath-cli first`);
  return execFileSync(cli, ['eval'], { input: raw, encoding: 'utf8' });
}

async function rawResponse(page: Page): Promise<string> {
  return (await page.getByTestId('raw-response').textContent()) ?? '';
}

// The statuses DESIGN.md gives for the eight presets.
const presets: Array<[string, number]> = [
  ['no-token', 401],
  ['invalid-token', 401],
  ['expired-token', 401],
  ['user-on-admin', 403],
  ['admin-deletes-user', 204],
  ['public-page', 200],
  ['insufficient-scope', 403],
  ['other-users-notes', 403],
];

test('every preset answers what the engine answers for the same raw request', async ({ page }) => {
  await openApp(page);
  for (const [preset, status] of presets) {
    await page.getByTestId(`preset-${preset}`).click();
    await expect(page.getByTestId(`preset-${preset}`)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('status-code')).toHaveText(String(status));
    const raw = await page.getByTestId('raw-request').inputValue();
    expect(await rawResponse(page), preset).toBe(engineResponse(raw));
  }
});

test('the downloaded fixture holds the request and the exact response shown', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-insufficient-scope').click();
  await expect(page.getByTestId('status-code')).toHaveText('403');
  const downloading = page.waitForEvent('download');
  await page.getByTestId('download-fixture').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('authpath-fixture.json');
  const path = await download.path();
  const fixture = JSON.parse(readFileSync(path, 'utf8'));
  const raw = await page.getByTestId('raw-request').inputValue();
  const shown = await rawResponse(page);
  expect(fixture.generator).toBe('authpath');
  expect(`${fixture.request.method} ${fixture.request.target}`).toBe(raw.split(/\r?\n/)[0].replace(/ HTTP\/1\.1$/, ''));
  expect(fixture.request.headers.map((h: { name: string }) => h.name)).toContain('Authorization');
  expect(fixture.expected.status).toBe(403);
  expect(fixture.raw_response).toBe(shown);
  // Each header and the body, as the raw response has them.
  for (const header of fixture.expected.headers) expect(shown).toContain(`${header.name}: ${header.value}\r\n`);
  expect(shown.endsWith(`\r\n\r\n${fixture.expected.body}`)).toBe(true);
  expect(JSON.parse(fixture.expected.body).status).toBe(403);
});

test('a request typed by hand is evaluated on every keystroke', async ({ page }) => {
  await openApp(page);
  const request = page.getByTestId('raw-request');
  await request.fill('GET /public HTTP/1.1\nHost: api.authpath.example\n\n');
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await expect(page.getByTestId('rebuild')).toBeVisible();
  // Keystrokes change the method: the answer follows without any button.
  await request.press('Control+Home');
  for (let i = 0; i < 3; i += 1) await request.press('Delete');
  await request.pressSequentially('DELETE');
  await expect(request).toHaveValue(/^DELETE \/public HTTP/);
  await expect(page.getByTestId('status-code')).toHaveText('405');
  await expect(page.getByTestId('raw-response')).toContainText('Allow: GET');
  await page.getByTestId('rebuild').click();
  await expect(page.getByTestId('rebuild')).toBeHidden();
});

test('a garbage request shows an inline error and the page stays alive', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('raw-request').fill('this is not http');
  await expect(page.getByTestId('parse-error')).toBeVisible();
  await expect(page.getByTestId('parse-error')).toContainText('line 1');
  await expect(page.getByTestId('status-code')).toHaveText('400');
  await expect(page.getByTestId('raw-request')).toHaveAttribute('aria-invalid', 'true');
  // Markup typed into the request is shown as text, never run or rendered.
  await page.getByTestId('raw-request').fill('<img src=x onerror="document.title=\'pwned\'">');
  await expect(page.getByTestId('parse-error')).toBeVisible();
  expect(await page.title()).not.toBe('pwned');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await page.getByTestId('preset-public-page').click();
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await expect(page.getByTestId('parse-error')).toHaveCount(0);
});

test('stepping moves the highlight, by mouse and by keyboard', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-expired-token').click();
  const taken = page.locator('[data-testid="decision-path"] .node[data-taken="true"]');
  const total = await taken.count();
  expect(total).toBeGreaterThan(3);
  await page.getByTestId('step-first').click();
  await expect(taken).toHaveCount(1);
  await expect(page.locator('[data-node="parse"]')).toHaveAttribute('data-taken', 'true');
  await expect(page.getByTestId('var-response_code')).toHaveText('not decided');
  await page.getByTestId('step-next').click();
  await expect(taken).toHaveCount(2);
  // Arrow keys step while the control has focus.
  await page.getByTestId('step-next').press('ArrowRight');
  await expect(taken).toHaveCount(3);
  await page.getByTestId('step-next').press('ArrowLeft');
  await expect(taken).toHaveCount(2);
  await page.getByTestId('step-next').press('End');
  await expect(taken).toHaveCount(total);
  await expect(page.getByTestId('var-response_code')).toHaveText('401 Unauthorized');
  const current = page.locator('[data-testid="execution-table"] tr[aria-current="step"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText('exp');
});

test('changing a toggle mints a new request and a new answer', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-user-on-admin').click();
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await page.getByTestId('select-role').selectOption('admin');
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await page.getByTestId('toggle-token').uncheck();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.getByTestId('raw-request')).not.toHaveValue(/Authorization/);
  await expect(page.getByTestId('raw-response')).toContainText('WWW-Authenticate: Bearer realm="authpath-demo"');
  // naive checks the role before the user: 403 without credentials, which R3 flags.
  await page.getByTestId('select-profile').selectOption('naive');
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await expect(page.getByTestId('lint').locator('[data-rule="R3"]')).toHaveCount(1);
});

test('HEAD gets the answer GET would get, without its content', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-public-page').click();
  await expect(page.getByTestId('raw-response')).toContainText('"route":"GET /public"');
  const length = /Content-Length: \d+/.exec((await page.getByTestId('raw-response').textContent()) ?? '')?.[0];
  expect(length).toBeTruthy();
  await page.getByTestId('select-method').selectOption('HEAD');
  await expect(page.getByTestId('raw-request')).toHaveValue(/^HEAD \/public HTTP\/1.1/);
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await expect(page.getByTestId('raw-response')).toContainText(length ?? '');
  await expect(page.getByTestId('raw-response')).not.toContainText('"route"');
  await expect(page.getByTestId('lint')).not.toContainText('R11');
});

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`screenshots of every preset, ${scheme}, ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await openApp(page);
      for (const [preset] of presets) {
        await page.getByTestId(`preset-${preset}`).click();
        await expect(page.getByTestId(`preset-${preset}`)).toHaveAttribute('aria-current', 'true');
        await screenshot(page, `preset-${preset}-${scheme}-${width}`);
      }
    });
  }
}
