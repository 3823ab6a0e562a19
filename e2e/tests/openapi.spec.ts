// The Policy view's OpenAPI import (#24): a spec file opened becomes the policy in force, the
// builder's routes, the Matrix and Compare use its operations, its problems are listed with
// their line, and the link carries its policy. Screenshots for review.
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, openApp, screenshot } from './support';
import type { Page } from '@playwright/test';

// axe is slow, and the machine may be busy.
test.describe.configure({ timeout: 90_000 });

/** axe's serious and critical violations, by rule id and first place. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes[0]?.target.join(' ')}`);
}

/** Four operations, schemes bearer and oauth (scope reports:read), and a mutualTLS scheme
 *  the page cannot send (one problem, line 16). The native test reads the same file. */
const shop = resolve(__dirname, '..', 'fixtures', 'shop.openapi.json');

async function importShop(page: Page): Promise<void> {
  await openApp(page);
  await page.getByTestId('view-policy').click();
  await page.getByTestId('openapi-file').setInputFiles(shop);
  await expect(page.getByTestId('openapi-state')).toHaveAttribute('data-in-force', 'true');
}

test('an opened spec is the policy: its routes in the builder, the status follows', async ({ page }) => {
  await importShop(page);
  await expect(page.getByTestId('openapi-state')).toContainText('shop.openapi.json');
  await expect(page.getByTestId('openapi-state')).toContainText('4 operations → 4 routes, 2 schemes');
  const problem = page.getByTestId('openapi-problem');
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveAttribute('data-line', '16');
  await expect(problem).toHaveAttribute('data-pointer', '/components/securitySchemes/clientCert');
  await expect(problem).toContainText('mutualTLS');
  // The editor follows: the spec's operations are the rows.
  await expect(page.getByTestId('policy-row')).toHaveCount(4);
  await expect(page.getByTestId('policy-path').nth(0)).toHaveValue('/health');
  await screenshot(page, 'openapi-policy-1280');

  await page.getByTestId('view-simulator').click();
  const routes = page.getByTestId('select-route').locator('option');
  await expect(routes).toHaveText([/^GET \/health/, /^GET \/orders\/\{id\}/, /^DELETE \/orders\/\{id\}/, /^GET \/reports/, /other path/]);
  // The demo's /profile is no route of the spec.
  await expect(page.getByTestId('status-code')).toHaveText('404');
  await page.getByTestId('select-route').selectOption({ label: (await routes.nth(0).textContent()) ?? '' });
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await page.getByTestId('select-route').selectOption({ label: (await routes.nth(3).textContent()) ?? '' });
  await expect(page.getByTestId('status-code')).toHaveText('403');
  await page.getByTestId('toggle-scope-reports:read').check();
  await expect(page.getByTestId('status-code')).toHaveText('200');
  await page.getByTestId('toggle-token').uncheck();
  await expect(page.getByTestId('status-code')).toHaveText('401');

  // The Matrix has the spec's four routes, and Compare answers under its policy.
  await page.getByTestId('view-matrix').click();
  const cells = page.getByTestId('matrix-cell');
  await expect(cells.first()).toBeVisible();
  const routesInMatrix = await cells.evaluateAll((all) => [...new Set(all.map((cell) => cell.getAttribute('data-route')))]);
  expect(routesInMatrix.sort()).toEqual(['DELETE /orders/{id}', 'GET /health', 'GET /orders/{id}', 'GET /reports']);
  await expect(page.locator('[data-testid="matrix-cell"][data-route="GET /health"]').first()).toHaveAttribute('data-status', '200');
  await page.getByTestId('view-compare').click();
  await expect(page.getByTestId('compare-view')).toContainText('GET /reports');

  // The link carries the mapped policy: opened afresh, the routes are the spec's.
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('policy=');
  const hash = await page.evaluate(() => location.hash);
  expect(hash).not.toContain('openapi');
  const other = await page.context().newPage();
  await openApp(other, `./${hash}`);
  await other.getByTestId('view-simulator').click();
  await expect(other.getByTestId('select-route').locator('option')).toHaveCount(5);
  await expect(other.getByTestId('select-route').locator('option').nth(3)).toContainText('GET /reports');
  await other.close();
});

test('a pasted spec that does not read is said with its place, and nothing is lost', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('view-policy').click();
  await expect(page.getByTestId('openapi-yaml')).toContainText('JSON only');
  const broken = '{"openapi": "3.1.0",\n "paths": {\n';
  await page.getByTestId('openapi-text').fill(broken);
  await page.getByTestId('openapi-import').click();
  await expect(page.getByTestId('openapi-state')).toHaveAttribute('data-in-force', 'false');
  await expect(page.getByTestId('openapi-problem')).toHaveCount(1);
  await expect(page.getByTestId('openapi-problem')).toHaveAttribute('data-line', /\d+/);
  await expect(page.getByTestId('openapi-text')).toHaveValue(broken);
  // The demo policy stays in force.
  await expect(page.getByTestId('policy-row')).toHaveCount(8);
  // YAML: the page says it reads JSON only, at the problem too.
  await page.getByTestId('openapi-text').fill('openapi: 3.1.0\npaths: {}\n');
  await page.getByTestId('openapi-import').click();
  await expect(page.getByTestId('openapi-problem')).toContainText('JSON only');
  await expect(page.getByTestId('policy-row')).toHaveCount(8);
  expect(await seriousViolations(page), 'not imported').toEqual([]);
});

for (const theme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    test(`screenshot: an imported spec in the Policy view, ${theme}, ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: theme as 'light' | 'dark' });
      await importShop(page);
      await screenshot(page, `openapi-policy-${theme}-${width}`);
      expect(await seriousViolations(page), 'imported').toEqual([]);
      await page.getByTestId('view-matrix').click();
      await expect(page.getByTestId('matrix-cell').first()).toBeVisible();
      await screenshot(page, `openapi-matrix-${theme}-${width}`);
    });
  }
}
