// Long use as a benchmark: the run of tests/longuse.spec.ts (10 000 random interactions in one
// page session), its duration and the JS heap and wasm memory after the first 100 and after
// all, written to target/bench/longuse.json for `cargo xtask bench`. It asserts only that the
// run was clean, so the figures describe a working page; the 2× bound is the test's.
import { expect, test } from '@playwright/test';
import config from '../playwright.config';
import { describeFigures, longUse, MEMORY_ARGS, renderFromEnvironment, seedFromEnvironment } from '../longuse';
import { writeFigures } from './figures';

test.use({
  launchOptions: {
    ...config.use?.launchOptions,
    args: [...(config.use?.launchOptions?.args ?? []), ...MEMORY_ARGS],
  },
  permissions: ['clipboard-read', 'clipboard-write'],
});

test('long use: 10 000 random interactions, memory after 100 and after all', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('data-live', '');
  await expect(page.getByTestId('app')).toBeVisible();

  const figures = await longUse(page, {
    seed: seedFromEnvironment(),
    render: renderFromEnvironment(),
    check: (from, result) => {
      expect(result.panicked, `panic after interaction ${from + result.done}`).toBe(false);
      expect(errors, `errors by interaction ${from + result.done}`).toEqual([]);
    },
  });
  console.log(describeFigures(figures));
  writeFigures('longuse.json', figures);
});
