// Trailglass service worker: caches the app shell (page, script, wasm, styles) so that the hosted
// page opens and works with no network after the first visit. It caches only the app's own
// files, from its own origin; the user's logs never pass through here (they are read from disk
// in the page, never fetched).
//
// Strategy: the page itself (navigations, index.html) network-first, so a new deployment is
// picked up when online; everything else (content-hashed file names) cache-first.
const CACHE = 'trailglass-shell-v3';
// Fixed names (Trunk does not hash a worker's files): fetched network-first like the page, so a
// new deployment's worker is never mixed with an old cached one while online.
const WORKER_FILES = [
  './worker_loader.js', './worker.js', './worker_bg.wasm',
  // The Parquet worker, started only when a Parquet file arrives; cached so that works offline.
  './parquet_loader.js', './parquet_worker.js', './parquet_worker_bg.wasm',
];
const isWorkerFile = (url) => WORKER_FILES.some((f) => url.pathname.endsWith(f.slice(1)));

async function precache() {
  const cache = await caches.open(CACHE);
  const index = await fetch('./index.html', { cache: 'no-cache' });
  if (!index.ok) return;
  const html = await index.clone().text();
  // The data worker's files are not named in index.html (the page starts the worker by name).
  const urls = new Set(['./boot.js', ...WORKER_FILES]);
  // The hashed names Trunk wrote: stylesheet links, the module preload, and the <meta> tags
  // boot.js reads.
  for (const m of html.matchAll(/(?:href|src|content)="(\.\/[^"]+)"/g)) urls.add(m[1]);
  await cache.put('./index.html', index.clone());
  await cache.put('./', index);
  await cache.addAll([...urls]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  const isPage = req.mode === 'navigate' || url.pathname.endsWith('/index.html');
  const networkFirst = isPage || isWorkerFile(url);
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (networkFirst) {
      // By URL, not the original request: a worker's importScripts request (no-cors, no
      // redirects) cannot be fetched again as it is.
      const key = isPage ? './index.html' : url.origin + url.pathname;
      try {
        const res = await fetch(isPage ? req : key, { cache: 'no-cache' });
        if (res.ok) await cache.put(key, res.clone());
        return res;
      } catch {
        return (await cache.match(key, { ignoreSearch: true })) ?? Response.error();
      }
    }
    const hit = await cache.match(req, { ignoreSearch: true });
    if (hit) return hit;
    const fresh = await fetch(req);
    if (fresh.ok) await cache.put(req, fresh.clone());
    return fresh;
  })());
});
