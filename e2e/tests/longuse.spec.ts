// Long use: 10 000 random interactions with the real controls in one page session, without an
// error or a panic, the page still answering correctly after them, and the JS heap and the
// wasm memory after them within 2× of after the first 100. A failure names the seed
// (AUTHPATH_LONGUSE_SEED=… makes the same choices again) and the last interactions before it.
import config from '../playwright.config';
import { describeFigures, longUse, MEMORY_ARGS, renderFromEnvironment, seedFromEnvironment } from '../longuse';
import { expect, openApp, test } from './support';

const INTERACTIONS = 10_000;
const FIRST = 100;
/** The requirement: memory after all the interactions within this factor of after the first. */
const MAX_RATIO = 2;

// The config's launch options, plus precise `performance.memory`; clipboard permission so the
// copy buttons are used as a reader's browser allows them, not refused.
test.use({
  launchOptions: {
    ...config.use?.launchOptions,
    args: [...(config.use?.launchOptions?.args ?? []), ...MEMORY_ARGS],
  },
  permissions: ['clipboard-read', 'clipboard-write'],
});

test('10 000 random interactions: no error, still correct, memory within 2×', async ({ page, problems }) => {
  // Nearly all of it is the app's own work for each interaction (≈ 5–12 ms, more on a busy
  // machine): 10 000 of them take one to two minutes on two cores.
  test.setTimeout(300_000);
  const seed = seedFromEnvironment();
  console.log(`long use: seed ${seed} (AUTHPATH_LONGUSE_SEED=${seed} replays this run)`);
  await openApp(page);

  const figures = await longUse(page, {
    seed,
    total: INTERACTIONS,
    firstCount: FIRST,
    render: renderFromEnvironment(),
    check: (from, result) => {
      // Stop at the first batch with a problem, with what led to it.
      const context = `seed ${seed}, interactions ${from}–${from + result.done}; last:\n${result.recent.join('\n')}`;
      expect(result.panicked, `the panic panel appeared (${context})`).toBe(false);
      expect(problems, `console errors or exceptions (${context})`).toEqual([]);
    },
  });
  console.log(describeFigures(figures));
  console.log(`interactions by kind: ${JSON.stringify(figures.kinds)}`);
  expect(figures.interactions).toBe(INTERACTIONS);
  await expect(page.getByTestId('panic-panel')).toHaveCount(0);

  // Every kind of control was used, on every view.
  const kinds = Object.keys(figures.kinds);
  for (const kind of [
    'toggle-token',
    'select-validity',
    'select-role',
    'toggle-scope',
    'select-method',
    'select-route',
    'input-path',
    'select-profile',
    'preset-expired-token',
    'raw-request',
    'step-play',
    'step-next',
    'step-prev',
    'select-theme',
    'policy-text',
    'matrix-cell',
    'compare-profile-left',
    'learn-try',
    'quiz-option',
  ]) {
    expect(kinds, `interactions with ${kind}`).toContain(kind);
  }
  for (const view of ['simulator', 'policy', 'matrix', 'compare', 'learn', 'quiz']) {
    expect(figures.kinds[`view-${view}`] ?? 0, `switches to the ${view} view`).toBeGreaterThan(10);
  }

  // Still answering correctly: the demo policy back, the RFC profile, a known preset.
  await page.getByTestId('view-policy').click();
  await page.getByTestId('policy-reset').click();
  await page.getByTestId('view-simulator').click();
  await page.getByTestId('select-profile').selectOption('rfc');
  await page.getByTestId('preset-expired-token').click();
  await expect(page.getByTestId('status-code')).toHaveText('401');
  await expect(page.getByTestId('raw-response')).toContainText('HTTP/1.1 401 Unauthorized');
  await expect(page.getByTestId('raw-response')).toContainText('error="invalid_token"');
  await page.getByTestId('preset-admin-deletes-user').click();
  await expect(page.getByTestId('status-code')).toHaveText('204');

  // Memory after all the interactions within 2× of after the first 100. The wasm memory
  // never shrinks: its figure is the high-water mark.
  const { memory_after_first: first, memory_after_all: all } = figures;
  // Soft, so a failure reports both figures.
  expect.soft(all.js_heap_bytes, 'JS heap after all vs after the first 100').toBeLessThan(
    MAX_RATIO * first.js_heap_bytes,
  );
  expect.soft(all.wasm_memory_bytes, 'wasm memory after all vs after the first 100').toBeLessThan(
    MAX_RATIO * first.wasm_memory_bytes,
  );
});
