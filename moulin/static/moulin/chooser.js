// Searchable choosers: a progressive enhancement of long <select> fields (no CDN, no inline script or style).
// A select with many options gets a filter box above it; a multiple select also toggles an option on a plain
// click (no Ctrl-click) and says what is chosen. Without JavaScript the plain select still works.
(() => {
  const LONG = 15; // options before a single select gets a filter box
  const LONG_MULTIPLE = 6;
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const labels = () => document.body.dataset;

  function summary(select, out) {
    const chosen = Array.from(select.selectedOptions).map((o) => o.textContent.trim());
    out.textContent = chosen.length
      ? `${chosen.length} ${labels().chooserSelected || "selected"}: ${chosen.join(", ")}`
      : labels().chooserNone || "";
  }

  function enhance(select) {
    if (select.dataset.chooserReady || select.hasAttribute("data-no-chooser") || select.disabled) return;
    const options = Array.from(select.options).filter((o) => o.value !== "");
    if (options.length < (select.multiple ? LONG_MULTIPLE : LONG)) return;
    select.dataset.chooserReady = "true";
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm chooser-search";
    search.placeholder = labels().chooserSearch || "Type to filter";
    search.setAttribute("aria-label", `${search.placeholder}: ${select.labels[0]?.textContent.trim() || select.name}`);
    search.setAttribute("aria-controls", select.id);
    select.before(search);
    const baseSize = select.size;
    let out = null;
    if (select.multiple) {
      if (!select.size || select.size < 8) select.size = 8;
      out = document.createElement("div");
      out.className = "form-text chooser-summary";
      out.setAttribute("aria-live", "polite");
      select.after(out);
      summary(select, out);
      select.addEventListener("mousedown", (event) => {
        const option = event.target.closest("option");
        if (!option || option.disabled) return;
        event.preventDefault(); // a plain click toggles the option instead of replacing the whole choice
        option.selected = !option.selected;
        select.focus();
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      select.addEventListener("change", () => summary(select, out));
    }
    search.addEventListener("input", () => {
      const words = fold(search.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const option of options) {
        const text = fold(option.textContent);
        option.hidden = !words.every((w) => text.includes(w));
        if (!option.hidden) shown += 1;
      }
      if (!select.multiple) select.size = words.length ? Math.max(2, Math.min(8, shown + 1)) : baseSize;
    });
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter picks the first match instead of sending the form
        const first = options.find((o) => !o.hidden);
        if (first) {
          first.selected = select.multiple ? !first.selected : true;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
    if (!select.multiple) {
      select.addEventListener("change", () => {
        if (search.value) {
          search.value = "";
          options.forEach((o) => { o.hidden = false; });
          select.size = baseSize;
        }
      });
    }
  }

  const enhanceAll = (root) => root.querySelectorAll("form select.form-select:not(.form-select-sm)").forEach(enhance);
  document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  document.addEventListener("htmx:load", (event) => enhanceAll(event.target));
})();
