// The views beside the simulator: policy editor, matrix, compare, learn, quiz. Each renders,
// does what it is for, and is photographed at both widths in both themes for review.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, screenshot, test } from './support';

const cli = resolve(__dirname, '..', '..', 'target', 'debug', 'authpath');

/** What `authpath eval` answers for this raw request under a profile: the engine itself. */
function engineStatus(raw: string, profile: string): number {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run cargo build -p authpath-cli first`);
  const response = execFileSync(cli, ['eval', '--profile', profile], { input: raw, encoding: 'utf8' });
  return Number(response.split(' ')[1]);
}

async function openView(page: Page, view: string): Promise<void> {
  await openApp(page);
  await page.getByTestId(`view-${view}`).click();
  await expect(page.getByTestId(`${view}-view`)).toBeVisible();
}

test('the matrix shows every credential on every route, timed, with a legend', async ({ page }) => {
  await openView(page, 'matrix');
  const cells = page.getByTestId('matrix-cell');
  // The demo API's eight routes (GET /metrics and POST /users/{id}/notes since #23).
  await expect(cells).toHaveCount(8 * 7);
  const cell = (route: string, credential: string) =>
    page.locator(`[data-testid="matrix-cell"][data-route="${route}"][data-credential="${credential}"]`);
  await expect(cell('GET /admin', 'none')).toHaveAttribute('data-status', '401');
  await expect(cell('GET /admin', 'valid-user')).toHaveAttribute('data-status', '403');
  await expect(cell('GET /admin', 'valid-admin')).toHaveAttribute('data-status', '200');
  await expect(cell('GET /reports', 'valid-user-with-scope')).toHaveAttribute('data-status', '200');
  await expect(page.getByTestId('matrix-legend')).toContainText('401 × 31');
  const timing = (await page.getByTestId('matrix-timing').textContent()) ?? '';
  const match = /Evaluated 56 requests in ([\d.]+) ms/.exec(timing);
  expect(match, timing).not.toBeNull();
  console.log(`matrix: ${timing}`);
  // Focus shows the reason, from the deciding step.
  await cell('GET /reports', 'expired').focus();
  await expect(page.getByTestId('matrix-reason')).toContainText('expired 3600 s ago');
});

test('a matrix cell opens that request in the simulator, with the same answer', async ({ page }) => {
  await openView(page, 'matrix');
  const cell = page.locator('[data-testid="matrix-cell"][data-route="GET /admin"][data-credential="valid-user"]');
  await cell.click();
  await expect(page.getByTestId('raw-request')).toBeVisible();
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await expect(page.getByTestId('raw-request')).toHaveValue(/^GET \/admin HTTP\/1.1/);
  const raw = await page.getByTestId('raw-request').inputValue();
  expect(engineStatus(raw, 'rfc')).toBe(403);
});

test('two profiles in the matrix mark the cells that differ', async ({ page }) => {
  await openView(page, 'matrix');
  await page.getByTestId('matrix-compare').check();
  await expect(page.getByTestId('matrix-differences')).toContainText('25 of 56 cells differ between rfc and naive');
  const differing = page.locator('[data-testid="matrix-cell"][data-differs="true"]');
  await expect(differing).toHaveCount(25);
  const expired = page.locator('[data-testid="matrix-cell"][data-route="GET /profile"][data-credential="expired"]');
  await expect(expired).toHaveAttribute('data-other-status', '403');
  await expect(page.getByTestId('matrix-timing')).toContainText('Evaluated 112 requests');
  await expect(page.getByTestId('matrix-diff-count')).toHaveText('25');
  // Any pair: a framework against the reference, the count is the cells marked.
  await page.getByTestId('matrix-second-profile').selectOption('fastapi-0.121');
  await expect(page.getByTestId('matrix-differences')).toContainText('between rfc and fastapi-0.121');
  const count = Number(await page.getByTestId('matrix-diff-count').textContent());
  expect(count).toBeGreaterThan(0);
  await expect(differing).toHaveCount(count);
  // The exports are offered as downloads.
  const download = page.waitForEvent('download');
  await page.getByTestId('matrix-export-markdown').click();
  expect((await download).suggestedFilename()).toBe('authpath-matrix-rfc.md');
});

test('compare shows what differs for a naive server', async ({ page }) => {
  await openView(page, 'compare');
  await page.getByTestId('preset-expired-token').click();
  await expect(page.getByTestId('compare-left').getByTestId('compare-status')).toHaveText('401');
  await expect(page.getByTestId('compare-right').getByTestId('compare-status')).toHaveText('403');
  const differences = page.getByTestId('compare-difference');
  await expect(differences.and(page.locator('[data-what="Status"]'))).toContainText('401 Unauthorized');
  await expect(page.locator('[data-testid="compare-difference"][data-what="WWW-Authenticate"]')).toContainText('(absent)');
  await expect(page.getByTestId('compare-right').locator('.line[data-differs="true"]').first()).toBeVisible();
  // The lint explains why the naive answer is wrong.
  await expect(page.getByTestId('compare-right').locator('[data-rule="R2"]')).toHaveCount(1);
  await expect(page.getByTestId('compare-left').getByTestId('compare-lint')).toContainText('No findings');
  const raw = (await page.getByTestId('compare-request').textContent()) ?? '';
  expect(engineStatus(raw, 'naive')).toBe(403);
});

test('compare opens with rfc against the simulator\'s framework: 401 against 403 without a token', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('preset-no-token').click();
  await page.getByTestId('select-profile').selectOption('fastapi-0.121');
  await page.getByTestId('view-compare').click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('compare-profile-left')).toHaveValue('rfc');
  await expect(page.getByTestId('compare-profile-right')).toHaveValue('fastapi-0.121');
  const raw = (await page.getByTestId('compare-request').textContent()) ?? '';
  const left = engineStatus(raw, 'rfc');
  const right = engineStatus(raw, 'fastapi-0.121');
  expect([left, right]).toEqual([401, 403]);
  await expect(page.getByTestId('compare-left').getByTestId('compare-status')).toHaveText(String(left));
  await expect(page.getByTestId('compare-right').getByTestId('compare-status')).toHaveText(String(right));
  await expect(page.locator('[data-testid="compare-difference"][data-what="Status"]')).toContainText('403 Forbidden');
  // Any pair: both selects group the reference servers and the frameworks.
  for (const side of ['left', 'right']) {
    const labels = await page.getByTestId(`compare-profile-${side}`).locator('optgroup').evaluateAll(
      (groups) => groups.map((group) => group.getAttribute('label')),
    );
    expect(labels).toEqual(['Reference servers', 'Frameworks']);
  }
  await page.getByTestId('compare-profile-left').selectOption('naive');
  await expect(page.getByTestId('compare-left').getByTestId('compare-status')).toHaveText(String(engineStatus(raw, 'naive')));
});

test('a finding under a framework says how to fix it there, with a link to its docs', async ({ page }) => {
  await openApp(page, './#v=1&preset=no-token&profile=fastapi-0.121');
  await expect(page.getByTestId('status-code')).toHaveText('403');
  const fix = page.getByTestId('lint').locator('[data-rule="R3"]').getByTestId('finding-fix');
  await expect(fix).toBeVisible();
  await expect(fix).toContainText('FastAPI');
  const link = fix.locator('a');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(link).toHaveAttribute('href', /^https:\/\//);
  // The reference servers have no framework to fix.
  await openApp(page, './#v=1&preset=no-token&profile=naive');
  await expect(page.getByTestId('lint').locator('.finding').first()).toBeVisible();
  await expect(page.getByTestId('finding-fix')).toHaveCount(0);
  // The profile panel says what the framework profile models, its version and its sources.
  await openApp(page, './#v=1&preset=no-token&profile=fastapi-0.121');
  await expect(page.getByTestId('profile-version')).toContainText('0.121');
  expect(await page.getByTestId('profile-sources').locator('li').count()).toBeGreaterThan(0);
});

test('learn: why does my framework say 403? Each row opens the simulator under that profile', async ({ page }) => {
  await openView(page, 'learn');
  const row = page.locator('[data-testid="learn-framework"][data-profile="fastapi-0.121"]');
  await expect(row).toContainText('403 Forbidden');
  await row.click();
  await expect(page.getByTestId('raw-request')).toBeVisible();
  await expect(page.getByTestId('select-profile')).toHaveValue('fastapi-0.121');
  await expect(page.getByTestId('status-code')).toHaveText('403');
  const raw = await page.getByTestId('raw-request').inputValue();
  expect(engineStatus(raw, 'fastapi-0.121')).toBe(403);
  await expect(page).toHaveURL(/profile=fastapi-0\.121/);
  // Every framework row says what the engine answers for it: one row per framework, the
  // ones read from source (Spring, ASP.NET Core, API Gateway) too.
  await page.getByTestId('view-learn').click();
  await expect(page.getByTestId('learn-framework')).toHaveCount(13);
  await expect(page.locator('[data-testid="learn-framework"][data-profile="spring-security-default"]')).toHaveAttribute('data-status', '403');
  await expect(page.locator('[data-testid="learn-framework"][data-profile="aspnetcore-jwtbearer"]')).toHaveAttribute('data-status', '401');
  for (const each of await page.getByTestId('learn-framework').all()) {
    const profile = (await each.getAttribute('data-profile')) ?? '';
    await expect(each).toHaveAttribute('data-status', String(engineStatus(raw, profile)));
  }
});

test('the policy editor keeps form and text in sync, and the last valid policy in force', async ({ page }) => {
  await openView(page, 'policy');
  await expect(page.getByTestId('policy-row')).toHaveCount(8);
  // Text → form.
  const text = page.getByTestId('policy-text');
  const original = await text.inputValue();
  await text.fill(original.replace('path = "/admin"', 'path = "/admin/panel"'));
  await expect(page.getByTestId('policy-path').nth(2)).toHaveValue('/admin/panel');
  // Invalid text: the error where it is; the policy stays.
  await text.fill(original.replace('access = "public"', 'access = "publik"'));
  // The first route's access, after the demo API's four schemes.
  await expect(page.getByTestId('policy-error')).toContainText('line 21, column 10');
  await expect(page.getByTestId('policy-state')).toContainText('stays in force');
  await expect(page.getByTestId('policy-path').nth(2)).toHaveValue('/admin/panel');
  // Form → text: a row error, then a fix.
  await page.getByTestId('policy-path').nth(0).fill('public');
  await expect(page.getByTestId('policy-row-error')).toContainText('must start with /');
  await page.getByTestId('policy-path').nth(0).fill('/open');
  await expect(page.getByTestId('policy-row-error')).toHaveCount(0);
  await expect(text).toHaveValue(/path = "\/open"/);
  await page.getByTestId('policy-remove').nth(5).click();
  await expect(page.getByTestId('policy-row')).toHaveCount(7);
  await page.getByTestId('policy-add').click();
  await page.getByTestId('policy-down').nth(0).click();
  await expect(page.getByTestId('policy-path').nth(1)).toHaveValue('/open');
  // Every view uses the edited policy.
  await page.getByTestId('view-matrix').click();
  await expect(page.getByTestId('matrix-cell')).toHaveCount(8 * 7);
  await expect(page.locator('[data-testid="matrix-cell"][data-route="GET /open"]')).toHaveCount(7);
  await page.getByTestId('view-policy').click();
  await page.getByTestId('policy-realm').fill('shop');
  await page.getByTestId('policy-reset').click();
  await expect(page.getByTestId('policy-row')).toHaveCount(8);
  await expect(page.getByTestId('policy-realm')).toHaveValue('authpath-demo');
  await expect(text).toHaveValue(original);
});

test('learn: every row has scenarios to try, and a mistake opens under naive', async ({ page }) => {
  await openView(page, 'learn');
  await expect(page.getByTestId('learn-row')).toHaveCount(7);
  await expect(page.getByTestId('learn-mistake')).toHaveCount(4);
  await page.getByTestId('learn-row').first().locator('[data-testid="learn-try"][data-status="403"]').click();
  await expect(page.getByTestId('status-code')).toHaveText('403');
  // Each mistake opens under naive, shows itself, and the lint names the rule it breaks.
  const mistakes: Array<[number, string, string]> = [
    [0, '403', 'R3'],
    [1, '401', 'R2'],
    [2, '401', 'R1'],
    [3, '403', 'R2'],
  ];
  for (const [index, status, rule] of mistakes) {
    await page.getByTestId('view-learn').click();
    await page.getByTestId('learn-mistake').nth(index).getByTestId('learn-try').click();
    await expect(page.getByTestId('status-code')).toHaveText(status);
    await expect(page.getByTestId('select-profile')).toHaveValue('naive');
    await expect(page.getByTestId('lint').locator(`[data-rule="${rule}"]`).first()).toBeVisible();
  }
});

test('a quiz played to the end with the keyboard alone', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('view-quiz').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quiz-view')).toBeVisible();
  // A fixed seed: typed, like everything else.
  await page.getByTestId('quiz-seed').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('42');
  const seen: string[] = [];
  for (let question = 0; question < 10; question += 1) {
    await expect(page.getByTestId('quiz-question')).toHaveAttribute('data-index', String(question));
    // Tab forward to the first option (focus lands there by itself after the first question).
    for (let tries = 0; tries < 12; tries += 1) {
      const id = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      if (id === 'quiz-option') break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('quiz-option');
    const options = page.getByTestId('quiz-option');
    const labels = await options.allTextContents();
    expect(new Set(labels).size, 'no duplicate options').toBe(labels.length);
    seen.push(await page.getByTestId('quiz-question').locator('.quiz-prompt').innerText());
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('quiz-explanation')).toBeVisible();
    await expect(page.locator('[data-testid="quiz-option"][data-correct="true"]')).toHaveCount(1);
    await expect(page.getByTestId('quiz-question').getByTestId('decision-path')).toBeVisible();
    // Focus has moved to "Next".
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('quiz-next');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('quiz-result')).toContainText(/You scored \d+ of 10/);
  expect(new Set(seen).size).toBeGreaterThan(1);
});

test('the same seed gives the same quiz', async ({ page }) => {
  await openView(page, 'quiz');
  await page.getByTestId('quiz-seed').fill('7');
  const first = await page.getByTestId('quiz-question').innerText();
  await page.getByTestId('quiz-new').click();
  await page.getByTestId('quiz-seed').fill('7');
  await expect.poll(() => page.getByTestId('quiz-question').innerText()).toBe(first);
});

const views: Array<[string, (page: Page) => Promise<void>]> = [
  ['policy', async () => {}],
  ['matrix', async (page) => {
    await page.getByTestId('matrix-compare').check();
    await page.locator('[data-testid="matrix-cell"][data-route="GET /admin"][data-credential="valid-user"]').hover();
  }],
  ['compare', async (page) => {
    await page.getByTestId('preset-expired-token').click();
  }],
  ['compare-fastapi', async (page) => {
    await page.getByTestId('preset-no-token').click();
    await page.getByTestId('compare-profile-right').selectOption('fastapi-0.121');
  }],
  ['learn', async () => {}],
  ['quiz', async (page) => {
    await page.getByTestId('quiz-seed').fill('3');
    await page.getByTestId('quiz-option').first().click();
  }],
];

for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`screenshots of every view, ${scheme}, ${width} px`, async ({ page }) => {
      // Many pages, each photographed whole, on a machine other work shares.
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      for (const [view, prepare] of views) {
        await openView(page, view.split('-')[0]);
        await prepare(page);
        await screenshot(page, `view-${view}-${scheme}-${width}`);
      }
      // Learn's framework rows, the viewport only.
      await openView(page, 'learn');
      await page.getByTestId('learn-frameworks').scrollIntoViewIfNeeded();
      await screenshot(page, `view-learn-frameworks-${scheme}-${width}`, { fullPage: false });
      // A finding with its framework's fix, and the profile panel.
      await openApp(page, './#v=1&preset=no-token&profile=fastapi-0.121');
      await page.getByTestId('lint').scrollIntoViewIfNeeded();
      await screenshot(page, `finding-fix-${scheme}-${width}`, { fullPage: false });
      await page.getByTestId('profile-info').locator('summary').click();
      await page.getByTestId('profile-info').scrollIntoViewIfNeeded();
      await screenshot(page, `profile-info-${scheme}-${width}`, { fullPage: false });
      // A native select's open list is drawn by the system, outside the page: shown as a list
      // box instead, the same options and groups.
      await page.getByTestId('select-profile').evaluate((select) => {
        (select as HTMLSelectElement).size = select.querySelectorAll('option, optgroup').length;
      });
      await page.getByTestId('select-profile').scrollIntoViewIfNeeded();
      await screenshot(page, `profile-select-${scheme}-${width}`, { fullPage: false });
    });
  }
}
