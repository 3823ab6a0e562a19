// Interaction timings in the real page: a benchmark, not a test. It writes its figures to
// target/bench/interaction.json; `npx playwright test --config bench.config.ts` runs it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const CLICKS = 100;

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, median_ms: at(0.5), p95_ms: at(0.95), max_ms: sorted[sorted.length - 1] };
}

test('toggle click to updated response', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('app')).toBeVisible();
  // Timed inside the page: from the click to the mutation of the raw response.
  const samples = await page.evaluate(async (clicks) => {
    const toggle = document.querySelector('[data-testid="toggle-token"]') as HTMLInputElement;
    const response = document.querySelector('[data-testid="raw-response"]') as HTMLElement;
    const times: number[] = [];
    for (let i = 0; i < clicks; i += 1) {
      const changed = new Promise<void>((done) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          done();
        });
        observer.observe(response, { childList: true, subtree: true, characterData: true });
      });
      const start = performance.now();
      toggle.click();
      await changed;
      times.push(performance.now() - start);
      // Let the frame finish so each click starts from rest.
      await new Promise((next) => requestAnimationFrame(() => setTimeout(next, 0)));
    }
    return times;
  }, CLICKS);
  expect(samples).toHaveLength(CLICKS);
  const figures = { toggle_click_to_response: summary(samples) };
  const out = resolve(__dirname, '..', '..', 'target', 'bench');
  mkdirSync(out, { recursive: true });
  writeFileSync(resolve(out, 'interaction.json'), JSON.stringify(figures, null, 2));
  console.log(JSON.stringify(figures));
});
