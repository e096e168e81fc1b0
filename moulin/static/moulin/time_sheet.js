// The team leader's time sheet on a phone. Online, the form posts as usual. Offline, the hours are kept in a
// queue on the phone (localStorage) and sent to the JSON API when the network is back, each with the
// idempotency key made when the page was shown: an entry sent twice is stored once. A service worker keeps the
// page and its assets so that it opens without a network. No inline script (CSP).
(function () {
  const form = document.querySelector("[data-time-sheet]");
  const QUEUE = "moulin.fieldwork.queue";
  const offlineBanner = document.querySelector("[data-offline-banner]");
  const queueBanner = document.querySelector("[data-queue-banner]");
  const uuid = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID()
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));
  const read = () => { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } };
  const write = (items) => localStorage.setItem(QUEUE, JSON.stringify(items));
  const csrf = () => {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  };
  const showState = () => {
    if (offlineBanner) offlineBanner.classList.toggle("d-none", navigator.onLine);
    const n = read().length;
    if (queueBanner) {
      queueBanner.classList.toggle("d-none", n === 0);
      const count = queueBanner.querySelector("[data-queue-count]");
      if (count) count.textContent = String(n);
    }
  };
  const api = form ? form.dataset.api : document.body.dataset.fieldApi;

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine || !api) return;
    flushing = true;
    try {
      for (const item of read()) {
        let response;
        try {
          response = await fetch(api, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
            body: JSON.stringify(item),
          });
        } catch (e) { break; } // still no network: keep the queue
        if (response.ok || response.status === 400 || response.status === 403 || response.status === 404) {
          if (!response.ok) {
            const data = await response.json().catch(() => ({}));
            const detail = data.detail && typeof data.detail === "object"
              ? Object.values(data.detail).flat().join(" ") : String(data.detail || response.status);
            const note = document.createElement("div");
            note.className = "alert alert-danger";
            note.setAttribute("data-refused", item.idempotency_key);
            note.textContent = detail;
            (form || document.body).before(note);
          }
          write(read().filter((x) => x.idempotency_key !== item.idempotency_key));
        } else { break; }
      }
    } finally {
      flushing = false;
      showState();
    }
  }

  if (form) {
    form.querySelectorAll("input[name^=key_]").forEach((input) => { if (!input.value) input.value = uuid(); });
    form.addEventListener("submit", (event) => {
      if (navigator.onLine) return; // the ordinary post
      event.preventDefault();
      const queued = read();
      form.querySelectorAll("input[name^=hours_]").forEach((input) => {
        const pk = input.name.slice("hours_".length);
        const hours = (input.value || "").replace(",", ".");
        const key = form.querySelector(`input[name=key_${pk}]`).value;
        if (!hours || Number(hours) <= 0 || queued.some((x) => x.idempotency_key === key)) return;
        queued.push({ idempotency_key: key, participant: Number(pk), date: form.dataset.date, hours,
                      kind: "work_order", work_order: Number(form.dataset.workOrder) });
      });
      write(queued);
      const note = document.createElement("div");
      note.className = "alert alert-info";
      note.setAttribute("data-queued", "1");
      note.textContent = form.dataset.queued;
      form.before(note);
      showState();
    });
    if ("serviceWorker" in navigator && form.dataset.sw) {
      navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.swScope }).catch(() => {});
    }
  }
  window.addEventListener("online", () => { showState(); flush(); });
  window.addEventListener("offline", showState);
  showState();
  flush();
})();
