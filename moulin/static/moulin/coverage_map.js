// Coverage map: commune polygons coloured by the organisation holding an agreement. No tile server:
// the map works offline and under a strict Content Security Policy.
(function () {
  const el = document.getElementById("coverage-map");
  if (!el || !window.L) return;
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
  const text = (s) => { const span = document.createElement("span"); span.textContent = s; return span.innerHTML; };
  fetch(el.dataset.source, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      const layer = L.geoJSON(data, {
        style: (f) => ({
          color: "#555", weight: 1,
          fillColor: f.properties.covered ? (f.properties.colour || "#1f5f5b") : "#ffffff",
          fillOpacity: f.properties.covered ? 0.75 : 0.35,
          className: f.properties.covered ? "commune covered" : "commune",
        }),
        onEachFeature: (f, lyr) => {
          const p = f.properties;
          let html = `<strong>${text(p.name)}</strong> (${text(p.canton)})<br>${text(el.dataset.labelPopulation)}: ${p.population.toLocaleString()}<br>`;
          if (p.covered) {
            html += `${text(el.dataset.labelCovered)}: ` + (p.organisations.length
              ? p.organisations.map((o) => `<a href="${o.url}">${text(o.name)}</a>`).join(", ") : "");
            const more = p.present - p.organisations.length;
            if (more > 0) html += `${p.organisations.length ? ", " : ""}${more} ${text(el.dataset.labelMore)}`;
          } else {
            html += text(el.dataset.labelUncovered);
          }
          html += `<br><a href="${p.url}">${text(el.dataset.labelOpen)}</a>`;
          lyr.bindPopup(html);
          lyr.bindTooltip(p.name, { sticky: true });
        },
      }).addTo(map);
      const bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds); else map.setView([49.75, 6.1], 9);
      el.dataset.communes = String(data.features.length);
      el.dataset.covered = String(data.features.filter((f) => f.properties.covered).length);
      const others = data.features.some((f) => f.properties.covered && !f.properties.organisations.length);
      if (others) data.legend.push({ name: el.dataset.labelOthers, colour: "#1f5f5b", url: "" });
      if (data.legend.length) {
        const legend = L.control({ position: "topright" });
        legend.onAdd = () => {
          const div = L.DomUtil.create("div", "map-legend small");
          div.innerHTML = `<strong>${text(el.dataset.labelLegend)}</strong><br>` + data.legend
            .map((o) => {
              const label = `<span class="swatch" data-colour="${o.colour}"></span>${text(o.name)}`;
              return o.url ? `<a href="${o.url}">${label}</a>` : label;
            }).join("<br>");
          div.querySelectorAll(".swatch").forEach((s) => { s.style.backgroundColor = s.dataset.colour; });
          return div;
        };
        legend.addTo(map);
      }
      el.classList.add("map-ready");
    });
})();
