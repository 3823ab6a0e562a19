// authpath's service worker: after the first visit the site works offline.
// `cargo xtask` writes the build's version and file list into the two constants below when it
// builds the release site, so each build gets its own cache and an update is picked up on the
// next load.
const VERSION = '__AUTHPATH_VERSION__';
const FILES = __AUTHPATH_FILES__;
const CACHE = `authpath-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

// The site's own files come from the cache first. A navigation is answered with its own
// prerendered page (index.html, preset-*.html, embed-*.html, …), whatever its query (?embed),
// or else with the cached index.html: the fragment is read on top of any page.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const lookup =
    request.mode === 'navigate'
      ? caches
          .match(request, { ignoreSearch: true })
          .then((page) => page || caches.match('./', { ignoreSearch: true }))
      : caches.match(request);
  event.respondWith(lookup.then((cached) => cached || fetch(request)));
});
