// power-payg service worker (written into dist/ by scripts/post_build.py at build time).
// Precaches this build under a versioned cache; a new release installs a new cache and
// deletes the old one, so a page never mixes files of two builds. Works from any sub-path:
// every URL is relative to the worker's own location.
const CACHE = "power-payg-__VERSION__";
const PRECACHE = [
  __PRECACHE__
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("power-payg-") && k !== CACHE).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The page: network first so a new release shows up; the cached page when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          const copy = response.clone();
          if (response.ok) caches.open(CACHE).then((c) => c.put("./", copy));
          return response;
        })
        .catch(() => caches.match("./", { cacheName: CACHE }))
    );
    return;
  }
  // Hashed assets never change: cache first.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
