// Interaction timings in the real page: a benchmark, not a test. It writes its figures to
// target/bench/interaction.json; `npx playwright test --config bench.config.ts` runs it
// (`cargo xtask bench` runs it and writes BENCHMARKS.md).
import { expect, test } from '@playwright/test';
import { summary, writeFigures } from './figures';

const CLICKS = 200;
const KEYSTROKES = 200;
const MATRIX_RUNS = 30;

const figures: Record<string, unknown> = {};

// Serial, and generous timeouts: the machine may be busy with other builds.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.afterAll(() => writeFigures('interaction.json', figures));

test('toggle click to updated response', async ({ page }) => {
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('data-live', '');
  await expect(page.getByTestId('raw-response')).not.toBeEmpty();
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
  figures.toggle_click = summary(samples);
  console.log(`toggle click: ${JSON.stringify(figures.toggle_click)}`);
});

test('keystroke in the raw request to updated response', async ({ page }) => {
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('data-live', '');
  await expect(page.getByTestId('raw-response')).not.toBeEmpty();
  // Each keystroke is an `input` event as typing makes it: one character added to the path
  // (404), then removed again (back to the first answer), so every keystroke changes the
  // response. Timed inside the page, from the event to the mutation of the raw response.
  const samples = await page.evaluate(async (keystrokes) => {
    const area = document.querySelector('[data-testid="raw-request"]') as HTMLTextAreaElement;
    const response = () => document.querySelector('[data-testid="raw-response"]') as HTMLElement;
    const original = area.value;
    const firstLineEnd = original.indexOf(' HTTP/');
    const edited = `${original.slice(0, firstLineEnd)}x${original.slice(firstLineEnd)}`;
    const times: number[] = [];
    for (let i = 0; i < keystrokes; i += 1) {
      const adding = i % 2 === 0;
      const target = response();
      const changed = new Promise<void>((done) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          done();
        });
        observer.observe(target.parentElement ?? target, {
          childList: true,
          subtree: true,
          characterData: true,
        });
      });
      const start = performance.now();
      area.value = adding ? edited : original;
      area.setSelectionRange(firstLineEnd + (adding ? 1 : 0), firstLineEnd + (adding ? 1 : 0));
      area.dispatchEvent(
        new InputEvent('input', {
          bubbles: true,
          inputType: adding ? 'insertText' : 'deleteContentBackward',
          data: adding ? 'x' : null,
        }),
      );
      await changed;
      times.push(performance.now() - start);
      await new Promise((next) => requestAnimationFrame(() => setTimeout(next, 0)));
    }
    return times;
  }, KEYSTROKES);
  expect(samples).toHaveLength(KEYSTROKES);
  figures.keystroke = summary(samples);
  console.log(`keystroke: ${JSON.stringify(figures.keystroke)}`);
});

test('whole matrix evaluation', async ({ page }) => {
  await page.goto('./');
  await expect(page.locator('html')).toHaveAttribute('data-live', '');
  await page.getByTestId('view-matrix').click();
  await expect(page.getByTestId('matrix-timing')).toContainText('Evaluated');
  // Switching the profile rebuilds the whole matrix; the page times `build_matrix` itself
  // (its `matrix-timing` line) and here the change is also timed to the updated DOM.
  const runs = await page.evaluate(async (count) => {
    const view = document.querySelector('[data-testid="matrix-view"]') as HTMLElement;
    const select = document.querySelector('[data-testid="matrix-profile"]') as HTMLSelectElement;
    const timing = document.querySelector('[data-testid="matrix-timing"]') as HTMLElement;
    const options = Array.from(select.options).map((option) => option.value);
    const engine: number[] = [];
    const page: number[] = [];
    let requests = 0;
    for (let i = 0; i < count; i += 1) {
      // Any change in the view: the timing line may read the same as before, but the
      // profile options' `selected` always changes with the new render.
      const changed = new Promise<boolean>((done) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          done(true);
        });
        observer.observe(view, { childList: true, subtree: true, characterData: true, attributes: true });
        setTimeout(() => {
          observer.disconnect();
          done(false);
        }, 2000);
      });
      const start = performance.now();
      select.value = options[(options.indexOf(select.value) + 1) % options.length];
      select.dispatchEvent(new Event('change', { bubbles: true }));
      if (!(await changed)) continue;
      page.push(performance.now() - start);
      const match = /Evaluated (\d+) requests in ([\d.]+) ms/.exec(timing.textContent ?? '');
      if (match !== null) {
        requests = Number(match[1]);
        engine.push(Number(match[2]));
      }
      await new Promise((next) => requestAnimationFrame(() => setTimeout(next, 0)));
    }
    return { engine, page, requests };
  }, MATRIX_RUNS);
  expect(runs.engine.length).toBeGreaterThan(MATRIX_RUNS / 2);
  figures.matrix = { requests: runs.requests, ...summary(runs.engine) };
  figures.matrix_to_dom = summary(runs.page);
  console.log(`matrix: ${JSON.stringify(figures.matrix)}; to the DOM: ${JSON.stringify(figures.matrix_to_dom)}`);
});
