// Starts the app. Trunk would write this as an inline <script>, which the page's
// Content-Security-Policy forbids, so Trunk.toml turns that off (`pattern_script = ""`) and
// this file does the same from the site's own origin. The glue and the wasm are the files
// Trunk preloads (with their integrity), so no hashed name is written here. Trunk's JS
// minifier cannot parse this module, hence `data-no-minify` in index.html: it is a few lines.
const glue = document.querySelector('link[rel="modulepreload"]');
const wasm = document.querySelector('link[rel="preload"][as="fetch"]');
const { default: init } = await import(glue.href);
await init({ module_or_path: wasm.href });
