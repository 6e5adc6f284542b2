// The map page: Syria's administrative boundaries (embedded GeoJSON, no
// tile server) with the incidents as points. Every text shown comes from
// the server as data and is set with textContent, never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var ar = document.documentElement.lang === "ar";
  var map = L.map(el, { zoomSnap: 0.25, minZoom: 5, maxZoom: 13, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(el.getAttribute("data-attribution") || "");
  map.setView([35.0, 38.5], 6.5);

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }

  var bounds = null;
  fetchJSON(el.getAttribute("data-boundaries")).then(function (gj) {
    var layer = L.geoJSON(gj, {
      style: { color: "#5b6b7a", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 },
      onEachFeature: function (f, l) {
        l.bindTooltip(ar ? f.properties.name_ar : f.properties.name_en, { sticky: true, direction: "auto" });
      }
    }).addTo(map);
    layer.bringToBack();
    bounds = layer.getBounds();
    map.fitBounds(bounds);
    map.setMaxBounds(bounds.pad(0.5));
  }).catch(function () { el.setAttribute("data-error", "boundaries"); });

  // Districts appear when the reader zooms in.
  var districts = null;
  function showDistricts() {
    if (map.getZoom() < 8) {
      if (districts) map.removeLayer(districts);
      return;
    }
    if (districts) { districts.addTo(map).bringToBack(); return; }
    fetchJSON(el.getAttribute("data-districts")).then(function (gj) {
      districts = L.geoJSON(gj, {
        style: { color: "#9aa5b1", weight: 0.7, dashArray: "3 3", fill: false },
        interactive: false
      });
      if (map.getZoom() >= 8) districts.addTo(map);
    }).catch(function () { el.setAttribute("data-error", "districts"); });
  }
  map.on("zoomend", showDistricts);

  function popup(p) {
    var div = document.createElement("div");
    div.dir = "auto";
    var a = document.createElement("a");
    a.href = "/incidents/" + encodeURIComponent(p.id);
    a.textContent = p.title;
    var h = document.createElement("strong");
    h.appendChild(a);
    div.appendChild(h);
    [p.when, p.kinds, p.place, p.killed].forEach(function (t) {
      if (!t) return;
      var line = document.createElement("div");
      line.textContent = t;
      div.appendChild(line);
    });
    return div;
  }

  fetchJSON(el.getAttribute("data-points")).then(function (pts) {
    var group = L.featureGroup();
    pts.forEach(function (p) {
      var r = 5 + Math.min(14, Math.sqrt(p.killed_min || 0) * 1.5);
      L.circleMarker([p.lat, p.lon], { radius: r, color: "#7a1d16", weight: 1, fillColor: "#c0392b", fillOpacity: 0.7 })
        .bindPopup(popup(p)).addTo(group);
    });
    group.addTo(map);
    el.setAttribute("data-points-shown", String(pts.length));
  }).catch(function () { el.setAttribute("data-error", "points"); });
})();
