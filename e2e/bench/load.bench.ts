// Time to interactive: cold loads of the page, each in a fresh browser context (no cache,
// no service worker), from navigation start to the first evaluated response in the DOM;
// beside the same figure for a static page whose one inline script writes one line, the
// floor this machine and browser allow. Writes target/bench/load.json.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { serveStatic } from '../static-server';
import { summary, writeFigures } from './figures';

const LOADS = 20;

const FLOOR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>floor</title></head>
<body><p id="out"></p><script>document.getElementById('out').textContent = 'ready';</script></body></html>
`;

/**
 * Loads `url` in a fresh context and returns the time, in milliseconds since navigation
 * start, at which an element matching `selector` first had text.
 */
async function coldLoad(browser: Browser, url: string, selector: string): Promise<number> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript((wanted) => {
    const record = () => {
      const element = document.querySelector(wanted);
      if (element !== null && (element.textContent ?? '').length > 0) {
        (window as unknown as { firstResponse: number }).firstResponse = performance.now();
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => {
      if (record()) observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  }, selector);
  await page.goto(url);
  const handle = await page.waitForFunction(
    () => (window as unknown as { firstResponse?: number }).firstResponse,
  );
  const time = (await handle.jsonValue()) as number;
  await context.close();
  return time;
}

test('time to interactive, cold loads, beside a one-line static page', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  expect(baseURL).toBeTruthy();
  const folder = mkdtempSync(join(tmpdir(), 'authpath-floor-'));
  writeFileSync(join(folder, 'index.html'), FLOOR_PAGE);
  const floorServer = await serveStatic(folder);
  try {
    // One load of each first, unmeasured: the browser process itself warms up.
    await coldLoad(browser, baseURL ?? '', '[data-testid="raw-response"]');
    await coldLoad(browser, floorServer.url, '#out');
    const app: number[] = [];
    const floor: number[] = [];
    // Interleaved, so a burst of load on the machine falls on both alike.
    for (let i = 0; i < LOADS; i += 1) {
      app.push(await coldLoad(browser, baseURL ?? '', '[data-testid="raw-response"]'));
      floor.push(await coldLoad(browser, floorServer.url, '#out'));
    }
    const figures = { app: summary(app), floor: summary(floor) };
    writeFigures('load.json', figures);
    console.log(`time to interactive: ${JSON.stringify(figures)}`);
  } finally {
    await floorServer.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
