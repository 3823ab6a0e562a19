// The Check view: a pasted exchange is judged rule by rule; a curl -v transcript and a HAR
// file recorded by the browser in this very run are read; garbage gets a clear error; nothing
// pasted reaches the link. Photographed at both widths in both themes for review.
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, screenshot, test } from './support';

const fixtures = resolve(__dirname, '..', '..', 'crates', 'engine', 'tests', 'fixtures');

async function openCheck(page: Page): Promise<void> {
  await openApp(page);
  await page.getByTestId('view-check').click();
  await expect(page.getByTestId('check-view')).toBeVisible();
}

/** The rule ids of the findings shown, in order. */
async function rules(page: Page): Promise<string[]> {
  return page
    .getByTestId('check-findings')
    .locator(':scope > [data-rule]')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-rule') ?? ''));
}

const secret = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2VjcmV0LXNpZ25hdHVyZQ';

test('a pasted exchange gets its findings, and never goes into the link', async ({ page }) => {
  await openCheck(page);
  // A 403 to a request without credentials, with a bare Bearer challenge: R3 and R15.
  await page.getByTestId('check-request').fill('GET /profile HTTP/1.1\nHost: api.example.com\n\n');
  await page
    .getByTestId('check-response')
    .fill('HTTP/1.1 403 Forbidden\nWWW-Authenticate: Bearer\nContent-Type: application/problem+json\n\n{"title":"Forbidden","status":403}');
  await expect(page.getByTestId('check-status')).toHaveText('403');
  expect(await rules(page)).toEqual(['R3', 'R15']);
  await expect(page.getByTestId('check-findings').locator('[data-rule="R3"] a')).toHaveAttribute(
    'href',
    'https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2',
  );
  // The RFC-correct answer beside it is a 401, and the status line is marked as differing.
  await expect(page.getByTestId('check-correct')).toContainText('HTTP/1.1 401 Unauthorized');
  await expect(page.getByTestId('check-pasted').locator('[data-differs="true"]').first()).toHaveText('HTTP/1.1 403 Forbidden');
  await expect(page.getByTestId('check-differences').locator('[data-what="Status"]')).toBeVisible();
  await expect(page.getByTestId('check-explain')).toContainText('403 Forbidden');
  await expect(page.locator('.check-view .decision-path')).toBeVisible();

  // A token of someone's own server: validity is unknown, so R2 says what it needs.
  await page.getByTestId('check-request').fill(`GET /profile HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer ${secret}\n\n`);
  await page
    .getByTestId('check-response')
    .fill('HTTP/1.1 403 Forbidden\nWWW-Authenticate: Bearer realm="api", error="invalid_token"\nContent-Type: application/problem+json\n\n{"title":"Forbidden","status":403}');
  expect(await rules(page)).toEqual(['R5']);
  await expect(page.getByTestId('check-unjudged').locator('[data-rule="R2"]')).toContainText('validity unknown: give the keys');
  // With the page's scenario the demo key judges it: the token does not verify, so R2 is a finding.
  await page.getByTestId('check-with-scenario').check();
  await expect.poll(() => rules(page)).toEqual(['R2', 'R5']);

  await page.waitForTimeout(300);
  const address = decodeURIComponent(page.url());
  expect(address).toContain('view=check');
  expect(address).not.toContain(secret);
  expect(address).not.toContain('invalid_token');
});

test('a real curl -v transcript pasted alone is read', async ({ page }) => {
  await openCheck(page);
  const transcript = readFileSync(join(fixtures, 'curl-v-naive-no-credentials.txt'), 'utf8');
  await page.getByTestId('check-request').fill(transcript);
  await expect(page.getByTestId('check-status')).toHaveText('401');
  expect(await rules(page)).toEqual(['R1', 'R11']);
  // Two requests in one transcript: both listed, the second can be picked.
  const two = readFileSync(join(fixtures, 'curl-v-rfc-two-requests.txt'), 'utf8');
  await page.getByTestId('check-request').fill(two);
  await expect(page.getByTestId('check-entry')).toHaveCount(2);
  await page.getByTestId('check-entry').nth(1).click();
  await expect(page.getByTestId('check-entry').nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('check-findings')).toHaveAttribute('data-count', '0');
});

test('a HAR recorded by the browser in this run is listed, 4xx first, and checked', async ({ browser, page }, testInfo) => {
  const harPath = testInfo.outputPath('recorded.har');
  // The service worker would answer a missing page from its cache: keep it out, so the
  // static server's own 404 is what the browser records.
  const recording = await browser.newContext({
    recordHar: { path: harPath, content: 'embed' },
    serviceWorkers: 'block',
  });
  const recorder = await recording.newPage();
  const base = process.env.AUTHPATH_BASE_URL ?? '';
  await recorder.goto(base);
  await expect(recorder.getByTestId('app')).toBeVisible();
  const missing = await recorder.goto(`${base}no-such-page`);
  expect(missing?.status()).toBe(404);
  await recording.close();

  await openCheck(page);
  await page.getByTestId('check-file').setInputFiles(harPath);
  // The recording holds the landing build's wasm (a megabyte in the HAR), and may hold the full
  // build's prefetch, cancelled by the navigation (status -1, src/parts.rs): both must read,
  // which on two busy cores can take more than a few seconds.
  await expect(page.getByTestId('check-list-summary')).toContainText('recorded.har', { timeout: 20_000 });
  const first = page.getByTestId('check-entry').first();
  await expect(first).toHaveAttribute('data-status', '404');
  await expect(first).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('check-status')).toHaveText('404');
  // No policy for this site: whether the resource exists is unknown (R10 says so).
  await expect(page.getByTestId('check-unjudged').locator('[data-rule="R10"]')).toBeVisible();
  expect(await rules(page)).toContain('R11');
});

test('garbage and truncated input get a clear error, never a blank view', async ({ page }) => {
  await openCheck(page);
  await page.getByTestId('check-request').fill('hello world');
  await expect(page.getByTestId('check-error')).toContainText('line 1, column 1');
  await expect(page.getByTestId('check-error')).toContainText('neither a request line');
  await page.getByTestId('check-request').fill('{"log":{"entries":[');
  await expect(page.getByTestId('check-error')).toContainText('not a HAR file');
  await page.getByTestId('check-request').fill('GET / HTTP/1.1\nHost: x\n\n');
  await page.getByTestId('check-response').fill('HTTP/1.1 4o1 Oops\n');
  await expect(page.getByTestId('check-error')).toContainText('The response does not parse: line 1');
  // Text is text: markup typed in is shown, not rendered.
  await page.getByTestId('check-response').fill('HTTP/1.1 500 Internal Server Error\n\n<img src=x onerror=alert(1)>');
  await expect(page.getByTestId('check-pasted')).toContainText('<img src=x onerror=alert(1)>');
  await expect(page.locator('.check-view img')).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: the Check view with a judged exchange, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, `./?theme=${scheme}#v=1&view=check`);
    await page.getByTestId('check-example').click();
    await expect(page.getByTestId('check-status')).toHaveText('403');
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });

  for (const width of [1280, 390]) {
    test(`screenshot of the Check view, ${scheme}, ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await openCheck(page);
      await page.getByTestId('check-example').click();
      await expect(page.getByTestId('check-status')).toHaveText('403');
      await screenshot(page, `check-${scheme}-${width}`);
    });
  }
}

// A probe report of several identities (`authpath probe --identities --format json` of the
// conformance step's Flask app with the notes hole), opened by file: the matrix, the breaches
// marked, a cell opening its exchange with the RFC answer and decision path; nothing in the link.
const probeReport = join(fixtures, 'probe-identities-report.json');

async function openProbeReport(page: Page): Promise<void> {
  await openCheck(page);
  await page.getByTestId('check-file').setInputFiles(probeReport);
  await expect(page.getByTestId('probe-matrix')).toBeVisible();
}

test('a probe report opens as its access matrix, each cell as its exchange', async ({ page }) => {
  await openProbeReport(page);
  await expect(page.getByTestId('probe-summary')).toContainText('4 identities, 24 requests, 2 errors');
  await expect(page.getByTestId('probe-identity')).toHaveText([/^anonymous/, /^alice/, /^bob/, /^carol/]);
  await expect(page.getByTestId('probe-cell')).toHaveCount(24);
  const breaches = page.locator('[data-testid="probe-cell"][data-mark="BOLA"]');
  await expect(breaches).toHaveCount(2);
  // The first cell with an error is open: bob reading alice's notes.
  await expect(page.getByTestId('probe-cell-detail').locator('h3')).toHaveText('bob · GET /users/alice/notes');
  await expect(page.getByTestId('probe-findings').locator('[data-rule="BOLA"]')).toBeVisible();
  await expect(page.getByTestId('probe-rfc-answer')).toContainText('HTTP/1.1 403 Forbidden');
  await expect(page.getByTestId('probe-cell-detail').locator('.decision-path, svg').first()).toBeVisible();
  // Another cell: anonymous on /profile, refused as it should be.
  await page.locator('[data-testid="probe-cell"][data-identity="anonymous"][data-endpoint="GET /profile"]').click();
  await expect(page.getByTestId('probe-cell-detail').locator('h3')).toHaveText('anonymous · GET /profile');
  await expect(page.getByTestId('probe-rfc-answer')).toContainText('HTTP/1.1 401 Unauthorized');
  await expect(page.getByTestId('probe-request')).toContainText('GET /notes/profile HTTP/1.1');
  // The masked credentials stay masked, as text; nothing of the report reaches the link.
  await page.locator('[data-testid="probe-cell"][data-identity="bob"][data-endpoint="GET /profile"]').click();
  await expect(page.getByTestId('probe-request')).toContainText('authorization: Basic ‹redacted›');
  expect(decodeURIComponent(page.url())).not.toContain('notes');
});

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`screenshot of a probe report in Check, ${scheme}, ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await openProbeReport(page);
      await expect(page.getByTestId('probe-cell-detail')).toBeVisible();
      await screenshot(page, `probe-report-${scheme}-${width}`);
    });
  }
  test(`axe: a probe report in Check, ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openApp(page, `./?theme=${scheme}#v=1&view=check`);
    await page.getByTestId('check-file').setInputFiles(probeReport);
    await expect(page.getByTestId('probe-matrix')).toBeVisible();
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} — ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });
}
