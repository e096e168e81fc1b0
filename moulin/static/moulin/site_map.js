// A site on the map: shown (data-readonly) or drawn, a click for a point, more clicks for a line.
// No tile server and no inline script (CSP): the geometry travels in a hidden field or a json_script block.
(function () {
  const el = document.getElementById("site-map");
  if (!el || !window.L) return;
  const map = L.map(el, { attributionControl: false }).setView([49.75, 6.13], 9);
  fetch(el.dataset.communes, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null))
    .then((data) => { if (data) L.geoJSON(data, { style: { color: "#999", weight: 1, fillOpacity: 0.05 } }).addTo(map); })
    .catch(() => {});
  let layer = null;
  const show = (geometry) => {
    if (layer) map.removeLayer(layer);
    layer = null;
    if (!geometry || !geometry.coordinates) return;
    if (geometry.type === "Point") {
      const [lon, lat] = geometry.coordinates;
      layer = L.circleMarker([lat, lon], { radius: 8 }).addTo(map);
      map.setView([lat, lon], 14);
    } else if (geometry.type === "LineString" && geometry.coordinates.length) {
      layer = L.polyline(geometry.coordinates.map(([lon, lat]) => [lat, lon])).addTo(map);
      if (geometry.coordinates.length > 1) map.fitBounds(layer.getBounds(), { maxZoom: 15 });
    }
  };
  if (el.dataset.readonly) {
    const source = document.getElementById(el.dataset.geometryId);
    if (source) show(JSON.parse(source.textContent));
    return;
  }
  const input = document.getElementById(el.dataset.input);
  if (!input) return;
  let geometry = null;
  try { geometry = input.value ? JSON.parse(input.value) : null; } catch (e) { geometry = null; }
  show(geometry);
  map.on("click", (e) => {
    const point = [Number(e.latlng.lng.toFixed(6)), Number(e.latlng.lat.toFixed(6))];
    if (!geometry) geometry = { type: "Point", coordinates: point };
    else if (geometry.type === "Point") geometry = { type: "LineString", coordinates: [geometry.coordinates, point] };
    else geometry.coordinates.push(point);
    input.value = JSON.stringify(geometry);
    show(geometry);
  });
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "btn btn-sm btn-outline-secondary mt-1";
  clear.textContent = el.dataset.labelClear || "Clear";
  clear.addEventListener("click", () => { geometry = null; input.value = ""; show(null); });
  el.after(clear);
})();
