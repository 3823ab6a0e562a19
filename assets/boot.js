// Starts the app. Trunk would write this as an inline <script>, which the page's
// Content-Security-Policy forbids, so Trunk.toml turns that off (`pattern_script = ""`) and
// this file does the same from the site's own origin. The glue and the wasm are the files the
// page preloads (with their integrity), so no hashed name is written here. Trunk's JS
// minifier cannot parse this module, hence `data-no-minify` in index.html.
//
// A page that starts the landing build (src/parts.rs) names the full build in
// <meta name="authpath-full">: it is fetched in idle time once the page is interactive, and
// `authpathUpgrade(focus)` hands the page over to it when a part the landing build lacks is asked
// for: the landing build leaves, returning its state at that moment, and the full build starts
// from it.
const glue = document.querySelector('link[rel="modulepreload"]');
const wasm = document.querySelector('link[rel="preload"][as="fetch"]');
const full = document.querySelector('meta[name="authpath-full"]');
const app = await import(glue.href);
if (full !== null) {
  const part = full.dataset;
  let upgrading;
  window.authpathUpgrade = (focus) => {
    upgrading ??= Promise.all([
      import(part.glue),
      fetch(part.wasm, { integrity: part.wasmIntegrity })
        .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(response.status)))
        .then((bytes) => WebAssembly.compile(bytes)),
    ]).then(
      async ([build, module]) => {
        // Only now, with everything fetched and compiled, does the landing build leave.
        // The focus moves to the part only if the person was at a control (not on a cold link).
        const active = document.activeElement;
        window.authpathHandover = app.leave(active !== null && active !== document.body ? focus : '');
        await build.default({ module_or_path: module });
        document.documentElement.dataset.build = 'full';
      },
      (error) => {
        upgrading = undefined;
        throw error;
      },
    );
    return upgrading;
  };
}
await app.default({ module_or_path: wasm.href });
if (full !== null) {
  const prefetch = () => {
    for (const [href, as] of [[full.dataset.glue, 'script'], [full.dataset.wasm, 'fetch']]) {
      const link = document.createElement('link');
      link.rel = 'prefetch';
      link.as = as;
      link.href = href;
      link.crossOrigin = 'anonymous';
      document.head.append(link);
    }
  };
  if ('requestIdleCallback' in window) requestIdleCallback(prefetch);
  else setTimeout(prefetch, 1000);
}
