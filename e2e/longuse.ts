// Long use: thousands of random interactions with the real controls in one page session, and
// the JS heap and wasm memory after them. Shared by tests/longuse.spec.ts (which asserts) and
// bench/longuse.bench.ts (which writes the figures for BENCHMARKS.md).
import type { CDPSession, Page } from '@playwright/test';

/** The seed used unless AUTHPATH_LONGUSE_SEED gives another (e.g. to replay a failure). */
export const DEFAULT_SEED = 20_240_601;

/** The seed of this run: fixed, so a run is repeatable, unless the environment names one. */
export function seedFromEnvironment(): number {
  const given = process.env.AUTHPATH_LONGUSE_SEED;
  return given === undefined || given === '' ? DEFAULT_SEED : Number(given) >>> 0;
}

/**
 * AUTHPATH_LONGUSE_RENDER=1 draws the page after every interaction instead of once a batch
 * (see `interact`): the same run, several times slower.
 */
export function renderFromEnvironment(): boolean {
  return process.env.AUTHPATH_LONGUSE_RENDER === '1';
}

/**
 * Chromium arguments the memory figures need: without this flag `performance.memory` is
 * rounded and refreshed only every few minutes.
 */
export const MEMORY_ARGS = ['--enable-precise-memory-info'];

/** What one batch of interactions did, as the page reports it. */
export interface BatchResult {
  /** The PRNG state to start the next batch from. */
  state: number;
  /** Interactions done in this batch (fewer than asked only if the panic panel appeared). */
  done: number;
  /** How many interactions of each kind (the control's test id, or a description). */
  kinds: Record<string, number>;
  /** The last few interactions, for the message of a failure. */
  recent: string[];
  /** True if the panic panel is in the page. */
  panicked: boolean;
}

/**
 * Does `count` random interactions inside the page, starting from PRNG state `state`, and
 * returns the next state. Each picks a control among the visible, enabled ones and
 * dispatches what a person's use would: a click, a changed `<select>` with its `change`
 * event, or an edit of a text field with its `input` event. The pick is by kind of control
 * first, then one of that kind, so the 42 matrix cells do not drown the rest; and the page's
 * chrome (view tabs, theme, share) is picked one time in eight, so views with few controls
 * are used, not just left again at once.
 *
 * Unless `render` is set, the page is not drawn during the batch (`<body>` is hidden, then
 * shown again and drawn once at its end): drawing this page after every interaction costs
 * four times what the interaction does (≈ 40 ms against ≈ 8 ms on a busy two-core machine),
 * which would make 10 000 of them take minutes. The app sees the same events either way.
 */
export function interact(
  page: Page,
  state: number,
  count: number,
  first: number,
  render = false,
): Promise<BatchResult> {
  return page.evaluate(
    async ({ state, count, first, render }) => {
      // mulberry32: small, fast, and the same sequence in every browser for a given seed.
      let s = state >>> 0;
      const random = () => {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = s;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];

      // Left out: downloads (each would be a file on disk; views.spec.ts tests them), links
      // to other sites, the panic panel's own button (it reloads the page), and the Check view's
      // file input (it would open a file chooser).
      const excluded = new Set(['download-fixture', 'matrix-export-csv', 'matrix-export-markdown', 'panic-reset', 'check-file']);
      const isChrome = (kind: string) => /^(view-|share-|select-theme$)/.test(kind);
      const kindOf = (element: Element) => {
        const own = element.getAttribute('data-testid');
        if (own !== null) return own.startsWith('toggle-scope-') ? 'toggle-scope' : own;
        const within = element.closest('[data-testid]')?.getAttribute('data-testid') ?? 'page';
        const classes = [...element.classList].join('.');
        return `${within} ${element.tagName.toLowerCase()}${classes === '' ? '' : `.${classes}`}`;
      };
      const controls = () => {
        const byKind = new Map<string, HTMLElement[]>();
        const found = document.querySelectorAll<HTMLElement>(
          // The presets are links to their pages, which the app applies in place.
          'button, a.preset, input, select, textarea, summary, [data-testid="raw-response"] .line',
        );
        for (const element of found) {
          // Visible, judged without forcing a layout: not hidden, not inside a closed
          // <details> other than as its summary.
          if ((element as HTMLButtonElement).disabled || element.closest('[hidden], [inert]') !== null) continue;
          const details = element.closest('details');
          if (details !== null && !details.open && element.closest('summary')?.parentElement !== details) continue;
          const kind = kindOf(element);
          if (excluded.has(kind)) continue;
          byKind.set(kind, [...(byKind.get(kind) ?? []), element]);
        }
        return byKind;
      };

      // Text typed into fields: letters, digits and the characters HTTP and the policy use.
      const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 /:.-_=,{}[]"\'\n';
      const edit = (field: HTMLInputElement | HTMLTextAreaElement) => {
        const value = field.value;
        const at = Math.floor(random() * (value.length + 1));
        // Adding and deleting equally often, so the text neither grows nor empties for good.
        if (random() < 0.5 || value.length === 0) {
          let text = '';
          const length = 1 + Math.floor(random() * 3);
          for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(random() * alphabet.length)];
          field.value = value.slice(0, at) + text + value.slice(at);
          field.setSelectionRange(at + text.length, at + text.length);
          field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
          return `typed ${JSON.stringify(text)} at ${at}`;
        }
        const start = Math.max(0, at - 1 - Math.floor(random() * 3));
        field.value = value.slice(0, start) + value.slice(at);
        field.setSelectionRange(start, start);
        field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
        return `deleted ${at - start} at ${start}`;
      };

      // Each interaction is its own task, as a person's events are: the app may finish an
      // update in a later task (the policy editor does), and an event dispatched before that
      // would hit a control no person could reach. A message, not a timer: nested timers
      // are clamped to 4 ms.
      const channel = new MessageChannel();
      const nextTask = () =>
        new Promise<void>((done) => {
          channel.port1.onmessage = () => done();
          channel.port2.postMessage(null);
        });

      // Through the CSSOM, which the page's CSP allows (a style attribute it would not).
      if (!render) document.body.style.display = 'none';
      const kinds: Record<string, number> = {};
      const recent: string[] = [];
      const panicked = () => document.querySelector('[data-testid="panic-panel"]') !== null;
      let done = 0;
      for (; done < count && !panicked(); done += 1) {
        const byKind = controls();
        const all = [...byKind.keys()].sort();
        const chrome = all.filter(isChrome);
        const content = all.filter((kind) => !isChrome(kind));
        const kind = pick(content.length === 0 || random() < 1 / 8 ? chrome : content);
        const element = pick(byKind.get(kind) ?? []);
        let what: string;
        if (element instanceof HTMLSelectElement) {
          element.selectedIndex = Math.floor(random() * element.options.length);
          element.dispatchEvent(new Event('input', { bubbles: true }));
          element.dispatchEvent(new Event('change', { bubbles: true }));
          what = `chose ${JSON.stringify(element.value)}`;
        } else if (
          element instanceof HTMLTextAreaElement ||
          (element instanceof HTMLInputElement && element.type === 'text')
        ) {
          what = edit(element);
        } else {
          element.click();
          what = `clicked ${JSON.stringify((element.textContent ?? '').trim().slice(0, 30))}`;
        }
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        recent.push(`#${first + done} ${kind}: ${what}`);
        if (recent.length > 10) recent.shift();
        await nextTask();
      }
      document.body.style.display = '';
      // One frame of the page as the batch left it, drawn.
      await new Promise((drawn) => requestAnimationFrame(drawn));
      await nextTask();
      channel.port1.close();
      return { state: s, done, kinds, recent, panicked: panicked() };
    },
    { state, count, first, render },
  );
}

/** The JS heap and the wasm linear memory, in bytes, after a full garbage collection. */
export interface Memory {
  js_heap_bytes: number;
  wasm_memory_bytes: number;
}

/**
 * Collects garbage (through the DevTools protocol, twice, so objects freed by finalizers
 * go too) and reads the JS heap in use and the size of the app's wasm memory.
 */
export async function measureMemory(page: Page, cdp: CDPSession): Promise<Memory> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return page.evaluate(async () => {
    // The wasm-bindgen glue keeps its exports to itself, but its init returns them when the
    // module is already started, and importing the glue again gives the same module
    // instance (the one boot.js started: the full build's once the landing build has handed
    // the page over to it, src/parts.rs).
    const glue = document.querySelector<HTMLLinkElement>('link[rel="modulepreload"]');
    if (glue === null) throw new Error('no modulepreload link to the wasm-bindgen glue');
    const full = document.querySelector<HTMLMetaElement>('meta[name="authpath-full"]');
    const running = document.documentElement.dataset.build === 'full' && full !== null ? full.dataset.glue : glue.href;
    const { default: init } = await import(new URL(running ?? glue.href, document.baseURI).href);
    const exports = (await init()) as { memory: WebAssembly.Memory };
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    if (memory === undefined) throw new Error('performance.memory is not available (Chromium only)');
    return { js_heap_bytes: memory.usedJSHeapSize, wasm_memory_bytes: exports.memory.buffer.byteLength };
  });
}

/** Everything one long-use run measured. */
export interface LongUseFigures {
  seed: number;
  /** True if the page was drawn after every interaction, not once a batch. */
  render: boolean;
  interactions: number;
  duration_ms: number;
  after_first: number;
  memory_after_first: Memory;
  memory_after_all: Memory;
  js_heap_ratio: number;
  wasm_memory_ratio: number;
  kinds: Record<string, number>;
}

/**
 * Runs `total` random interactions from `seed` in batches of `batch`, on a page where the
 * app is already open; measures memory after the first `firstCount` and after all. Calls
 * `check` after every batch (with the range done and the batch's report) so the caller can
 * stop at the first problem, close to what caused it.
 */
export async function longUse(
  page: Page,
  {
    seed,
    total = 10_000,
    batch = 100,
    firstCount = 100,
    render = false,
    check = () => undefined,
  }: {
    seed: number;
    total?: number;
    batch?: number;
    firstCount?: number;
    render?: boolean;
    check?: (from: number, result: BatchResult) => void | Promise<void>;
  },
): Promise<LongUseFigures> {
  const cdp = await page.context().newCDPSession(page);
  const started = Date.now();
  let state = seed;
  let done = 0;
  let memoryAfterFirst: Memory | undefined;
  const kinds: Record<string, number> = {};
  while (done < total) {
    // Batches end exactly at `firstCount`, where the first figures are read.
    const limit = done < firstCount ? firstCount : total;
    const result = await interact(page, state, Math.min(batch, limit - done), done, render);
    await check(done, result);
    for (const [kind, count] of Object.entries(result.kinds)) kinds[kind] = (kinds[kind] ?? 0) + count;
    state = result.state;
    done += result.done;
    if (result.done === 0) throw new Error(`no interaction was possible after ${done}`);
    if (done === firstCount) memoryAfterFirst = await measureMemory(page, cdp);
  }
  const duration = Date.now() - started;
  const memoryAfterAll = await measureMemory(page, cdp);
  await cdp.detach();
  if (memoryAfterFirst === undefined) throw new Error(`fewer than ${firstCount} interactions`);
  const ratio = (after: number, before: number) => Math.round((after / before) * 1000) / 1000;
  return {
    seed,
    render,
    interactions: done,
    duration_ms: duration,
    after_first: firstCount,
    memory_after_first: memoryAfterFirst,
    memory_after_all: memoryAfterAll,
    js_heap_ratio: ratio(memoryAfterAll.js_heap_bytes, memoryAfterFirst.js_heap_bytes),
    wasm_memory_ratio: ratio(memoryAfterAll.wasm_memory_bytes, memoryAfterFirst.wasm_memory_bytes),
    kinds,
  };
}

/** One line with the figures, for the test's and the benchmark's output. */
export function describeFigures(figures: LongUseFigures): string {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
  const { memory_after_first: first, memory_after_all: all } = figures;
  return (
    `long use: seed ${figures.seed}, ${figures.interactions} interactions in ` +
    `${(figures.duration_ms / 1000).toFixed(1)} s; JS heap ${mib(first.js_heap_bytes)} after ` +
    `${figures.after_first}, ${mib(all.js_heap_bytes)} after all (× ${figures.js_heap_ratio}); ` +
    `wasm memory ${mib(first.wasm_memory_bytes)} → ${mib(all.wasm_memory_bytes)} (× ${figures.wasm_memory_ratio})`
  );
}
