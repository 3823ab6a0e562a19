// The first load, against the time goals of issue 17: cold loads, each in a fresh browser
// context (no cache, no service worker), served compressed (gzip -9 and brotli 11) by the
// harness's static server, unthrottled and throttled (1.6 Mbit/s down, 150 ms latency),
// beside a floor page whose one inline script writes one line, in the same run. Measured:
//
// - first answer: the status line of the response readable (in the DOM, not hidden, and
//   painted: no earlier than the first contentful paint);
// - interactive: a toggle changes the answer (the token checkbox is clicked as soon as the app
//   has taken the page over, and the time is taken when the answer changes);
//
// beside the same prerendered page as plain HTML (its scripts, preloads and icon taken out),
// which tells what showing that answer costs a browser at all; and the first answer of each
// view's first load. Writes target/bench/load.json.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type Browser } from '@playwright/test';
import { serveStatic, type Compression } from '../static-server';
import { summary, writeFigures } from './figures';

const FLOOR_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>floor</title></head>
<body><p id="out"></p><script>document.getElementById('out').textContent = 'ready';</script></body></html>
`;

/**
 * The built page as plain HTML: without its module script and the preloads of the glue and
 * the wasm (nothing then runs but the inline early.js, which only sets classes), without the
 * name of the full build it would load on demand, and without the icon, which the floor's
 * folder does not hold.
 */
function plainHtml(page: string): string {
  const stripped = page
    .replace(/<script[^>]*type="?module"?[^>]*><\/script>/g, '')
    .replace(/<link[^>]*rel="?(modulepreload|preload|icon)"?[^>]*>/g, '')
    .replace(/<meta name="?authpath-full"?[^>]*>/g, '');
  if (stripped.includes('_bg.wasm') || /<script[^>]*\bsrc=/.test(stripped)) {
    throw new Error('the plain page still loads the app: the built index.html changed shape');
  }
  return stripped;
}

/** The networks of the goals; `null` leaves loopback as it is. */
const networks = [
  { name: 'unthrottled', conditions: null },
  {
    name: 'throttled',
    conditions: {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1000 * 1000) / 8,
      uploadThroughput: (750 * 1000) / 8,
    },
  },
] as const;
type Network = (typeof networks)[number];

/**
 * A part of the run, for trying a change quickly: `AUTHPATH_BENCH_ONLY=throttled,gzip` runs
 * only those networks and encodings, without the views. `cargo xtask bench` runs it all.
 */
const only = (process.env.AUTHPATH_BENCH_ONLY ?? '').split(',').filter((part) => part !== '');
const wanted = (name: string) => only.length === 0 || only.includes(name);

/** Loads per figure: fewer throttled, where one load takes seconds. */
const LOADS = { unthrottled: 9, throttled: 5 } as const;
const VIEW_LOADS = 3;

/** The views; each is opened at its prerendered page where the build has one (the quiz has none). */
const views = ['simulator', 'policy', 'matrix', 'compare', 'learn', 'quiz'];

function viewPath(dist: string, view: string): string {
  if (view === 'simulator') return './';
  return existsSync(join(dist, `view-${view}.html`)) ? `./view-${view}.html` : `./#v=1&view=${view}`;
}

interface Times {
  first_answer: number;
  interactive: number | null;
}

/**
 * What a load clicks once the answer is on screen: nothing; `toggle`, a control clicked as soon
 * as the app has taken the page over; or `preset`, a preset clicked as soon as the answer is
 * shown, app or not (a link to its prerendered page until then), timed across the navigation
 * it may cause.
 */
type Click = { toggle: string } | { preset: string } | null;

interface PageTimes {
  shown: number;
  paint: number;
  clicked: string;
  changed: number;
}

/**
 * Loads `url` in a fresh context and returns, in milliseconds since navigation start, when the
 * element `selector` first showed text a reader can see, and (with `toggle`) when clicking it,
 * once the app is live, changed the answer.
 */
async function coldLoad(browser: Browser, network: Network, url: string, selector: string, click: Click): Promise<Times> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  if (network.conditions !== null) {
    const session = await context.newCDPSession(page);
    await session.send('Network.enable');
    await session.send('Network.emulateNetworkConditions', network.conditions);
  }
  await page.addInitScript(
    ({ wanted, toggle, preset }) => {
      const times = { shown: 0, paint: 0, clicked: '', changed: 0 };
      (window as unknown as { loadTimes: typeof times }).loadTimes = times;
      // A preset clicked on the page before this one: its answer, timed from that page's start.
      const before = sessionStorage.getItem('authpath-bench-preset');
      let clicked = before === null ? null : (JSON.parse(before) as { origin: number; text: string });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.name === 'first-contentful-paint') times.paint = entry.startTime;
        }
      }).observe({ type: 'paint', buffered: true });
      const check = () => {
        // Not read earlier: an init script runs before <html> exists.
        const root = document.documentElement;
        const element = document.querySelector(wanted);
        const text = element?.textContent ?? '';
        if (times.shown === 0 && text !== '' && !root.classList.contains('pending')) times.shown = performance.now();
        if (preset !== null) {
          if (times.shown === 0 || times.changed !== 0) return;
          if (clicked !== null && text !== clicked.text) {
            times.clicked = clicked.text;
            times.changed = performance.timeOrigin + performance.now() - clicked.origin;
          } else if (clicked === null) {
            const link = document.querySelector(preset) as HTMLElement | null;
            if (link === null) return;
            // Kept here for a change in place (the app applied it), and for the next page.
            clicked = { origin: performance.timeOrigin, text };
            sessionStorage.setItem('authpath-bench-preset', JSON.stringify(clicked));
            setTimeout(() => link.click(), 0);
          }
          return;
        }
        if (toggle === null || times.shown === 0) return;
        if (times.clicked === '') {
          // Live: the prerendered page once the app marks it, a page the app built at once.
          const live = root.hasAttribute('data-live') || !root.hasAttribute('data-fragment');
          const input = document.querySelector(toggle) as HTMLElement | null;
          if (!live || input === null) return;
          times.clicked = text;
          // After the app's current task: a click inside its render would be lost.
          setTimeout(() => input.click(), 0);
        } else if (times.changed === 0 && text !== times.clicked) {
          times.changed = performance.now();
        }
      };
      new MutationObserver(check).observe(document, {
        childList: true,
        subtree: true,
        characterData: true,
        attributes: true,
      });
    },
    {
      wanted: selector,
      toggle: click !== null && 'toggle' in click ? click.toggle : null,
      preset: click !== null && 'preset' in click ? click.preset : null,
    },
  );
  await page.goto(url);
  const done = (times: PageTimes) => times.shown > 0 && times.paint > 0 && (click === null || times.changed > 0);
  let times: PageTimes = { shown: 0, paint: 0, clicked: '', changed: 0 };
  const deadline = Date.now() + 60_000;
  while (!done(times)) {
    if (Date.now() > deadline) throw new Error(`${url} did not finish loading: ${JSON.stringify(times)}`);
    await page.waitForTimeout(20);
    // A navigation in between (a preset's link) leaves no context to read for a moment.
    times = (await page.evaluate(() => (window as unknown as { loadTimes: PageTimes }).loadTimes).catch(() => null)) ?? times;
  }
  await context.close();
  return {
    first_answer: Math.max(times.shown, times.paint),
    interactive: click === null ? null : times.changed,
  };
}

const APP_ANSWER = '[data-testid="status-code"]';
const APP_TOGGLE = { toggle: '[data-testid="toggle-token"]' };
/** A preset whose answer differs from the default page's. */
const APP_PRESET = { preset: '[data-testid="preset-no-token"]' };

test('first answer and interactive, cold loads, beside a one-line static page', async ({ browser }) => {
  test.setTimeout(900_000);
  const folder = mkdtempSync(join(tmpdir(), 'authpath-floor-'));
  writeFileSync(join(folder, 'index.html'), FLOOR_PAGE);
  const dist = process.env.AUTHPATH_DIST ?? join(__dirname, '..', '..', 'dist');
  writeFileSync(join(folder, 'plain.html'), plainHtml(readFileSync(join(dist, 'index.html'), 'utf8')));
  const runs: unknown[] = [];
  const viewRuns: unknown[] = [];
  try {
    for (const encoding of (['gzip', 'br'] as Compression[]).filter(wanted)) {
      const app = await serveStatic(dist, encoding);
      const floor = await serveStatic(folder, encoding);
      try {
        for (const network of networks.filter((network) => wanted(network.name))) {
          // One load of each first, unmeasured: the browser process itself warms up.
          await coldLoad(browser, network, app.url, APP_ANSWER, APP_TOGGLE);
          await coldLoad(browser, network, floor.url, '#out', null);
          const first: number[] = [];
          const interactive: number[] = [];
          const preset: number[] = [];
          const floorFirst: number[] = [];
          const plainFirst: number[] = [];
          const plainUrl = new URL('plain.html', floor.url).toString();
          await coldLoad(browser, network, plainUrl, APP_ANSWER, null);
          // Interleaved, so a burst of load on the machine falls on both alike.
          for (let i = 0; i < LOADS[network.name]; i += 1) {
            const times = await coldLoad(browser, network, app.url, APP_ANSWER, APP_TOGGLE);
            first.push(times.first_answer);
            interactive.push(times.interactive ?? 0);
            preset.push((await coldLoad(browser, network, app.url, APP_ANSWER, APP_PRESET)).interactive ?? 0);
            floorFirst.push((await coldLoad(browser, network, floor.url, '#out', null)).first_answer);
            plainFirst.push((await coldLoad(browser, network, plainUrl, APP_ANSWER, null)).first_answer);
          }
          runs.push({
            network: network.name,
            encoding,
            first_answer: summary(first),
            interactive: summary(interactive),
            preset: summary(preset),
            floor: summary(floorFirst),
            plain: summary(plainFirst),
          });
          console.log(JSON.stringify(runs[runs.length - 1]));
        }
        if (encoding === 'gzip' && only.length === 0) {
          for (const network of networks) {
            for (const view of views) {
              const selector = `[data-testid="${view === 'simulator' ? 'status-code' : `${view}-view`}"]`;
              const url = new URL(viewPath(dist, view), app.url).toString();
              const first: number[] = [];
              for (let i = 0; i < VIEW_LOADS; i += 1) {
                first.push((await coldLoad(browser, network, url, selector, null)).first_answer);
              }
              viewRuns.push({ view, network: network.name, encoding, first_answer: summary(first) });
            }
          }
        }
      } finally {
        await app.close();
        await floor.close();
      }
    }
    writeFigures('load.json', { runs, views: viewRuns });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
