// Small behaviours, no inline scripts (the Content Security Policy forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
});
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
});

// Signing out clears the offline copies of the time sheets (the server answers Clear-Site-Data); hours still
// queued on this phone would be lost, so ask first (docs/decisions/0009-offline-time-sheet-copies.md).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-sign-out]")) return;
  let queued = [];
  try { queued = JSON.parse(localStorage.getItem("moulin.fieldwork.queue") || "[]"); } catch (e) { queued = []; }
  if (queued.length && !window.confirm(form.dataset.unsent)) { event.preventDefault(); return; }
  try { localStorage.removeItem("moulin.fieldwork.queue"); } catch (e) { /* storage disabled */ }
  if (window.caches) caches.keys().then((keys) => keys.filter((k) => k.startsWith("moulin-field")).forEach((k) => caches.delete(k)));
});

// Progress bars take their width from data-progress, set through the CSSOM: the Content Security Policy forbids
// style attributes. Again whenever the page changes (the annual report's status, swapped in by htmx polls): a
// mutation observer runs before the next paint, so a swapped-in bar never shows empty first.
const sizeProgressBars = () => {
  document.querySelectorAll(".progress-bar[data-progress]").forEach((bar) => {
    const width = `${bar.dataset.progress}%`;
    if (bar.style.width !== width) bar.style.width = width;
  });
};
sizeProgressBars();
new MutationObserver(sizeProgressBars).observe(document.body, { childList: true, subtree: true });
