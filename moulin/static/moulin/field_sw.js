// Service worker of the field pages: the time sheets, today's list and their assets stay available without a
// network (network first, the last copy when offline). Entries made offline are queued by time_sheet.js.
// The copies are kept for the day only (one cache per local day; earlier days' caches are deleted), and signing
// out deletes them all (docs/decisions/0009-offline-time-sheet-copies.md).
const PREFIX = "moulin-field-";
const today = () => { const d = new Date(); return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`; };
const cacheName = () => PREFIX + today();
const dropOldDays = () => caches.keys().then((keys) =>
  Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== cacheName()).map((k) => caches.delete(k))));
self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => { event.waitUntil(dropOldDays().then(() => self.clients.claim())); });
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const kept = url.pathname.startsWith("/static/") || /^\/field\/(today\/|work-orders\/\d+\/hours\/)/.test(url.pathname);
  if (!kept) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          dropOldDays().then(() => caches.open(cacheName())).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.open(cacheName()).then((cache) => cache.match(request, { ignoreSearch: false }))
        .then((hit) => hit || Response.error()))
  );
});
