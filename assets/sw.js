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

// The site's own files come from the cache first; the page's links differ only in their
// query (?embed) and fragment, so a navigation is answered with the cached index.html.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const lookup = request.mode === 'navigate' ? caches.match('./', { ignoreSearch: true }) : caches.match(request);
  event.respondWith(lookup.then((cached) => cached || fetch(request)));
});
