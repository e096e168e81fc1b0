// Service worker of the field pages: the time sheets, today's list and their assets stay available without a
// network (network first, the last copy when offline). Entries made offline are queued by time_sheet.js.
const CACHE = "moulin-field-v1";
self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim()); });
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
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: false }).then((hit) => hit || Response.error()))
  );
});
