// power-payg service worker (written into dist/ by scripts/post_build.py at build time).
//
// One cache per release, holding exactly that release's files, and nothing else ever written
// into it. Works from any sub-path: every URL is relative to the worker's own location.
//
// - Install fills the new release's cache completely or not at all: the page it fetches must be
//   the page of this release (it names this release's hashed files), else the install fails,
//   the partial cache is deleted, and the release already installed keeps serving.
// - A new release waits (no skipWaiting) until no tab runs the old one: a tab keeps the worker
//   and the cache of the release it started with, so the parts it loads on demand (the advisor,
//   the comparison) are still there after a newer release was published.
// - Activation deletes the caches of older releases: only then is no tab left that needs them.
// - Navigations go to the network first (a new release shows up at once when online) and are
//   never written into the cache: offline, a tab gets the cached page of the cached release,
//   whose files are all in the same cache.
const CACHE = "power-payg-__VERSION__";
const ENTRIES = "__ENTRY__";
const PRECACHE = [
  __PRECACHE__
];

async function install() {
  const cache = await caches.open(CACHE);
  try {
    const page = await fetch("./", { cache: "no-store" });
    if (!page.ok) throw new Error(`the page answered ${page.status}`);
    const text = await page.clone().text();
    if (!ENTRIES.every((name) => text.includes(name))) {
      throw new Error("the page on the server belongs to another release");
    }
    const rest = await Promise.all(PRECACHE.filter((u) => u !== "./").map(async (url) => {
      const response = await fetch(url, { cache: "no-store" });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      return [url, response];
    }));
    await cache.put("./", page);
    for (const [url, response] of rest) await cache.put(url, response);
  } catch (error) {
    await caches.delete(CACHE);
    throw error;
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(install());
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
    event.respondWith(fetch(request).catch(() => caches.match("./", { cacheName: CACHE })));
    return;
  }
  // Hashed assets never change: this release's cache first.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
