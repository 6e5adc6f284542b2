// Statistics charts: each <canvas data-chart="…"> carries its Chart.js
// configuration as JSON written by the server; the same figures are in
// the table beside it and in the CSV download. Charts are drawn once the
// page's font has loaded, mirrored on right-to-left pages, with the
// page's digits.
(function () {
  "use strict";
  if (!window.Chart) return;
  var root = document.documentElement;
  var rtl = root.dir === "rtl";
  var digits = new Intl.NumberFormat(root.lang === "ar" ? "ar-SY-u-nu-arab" : "en-GB");
  function draw() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = false;
    Chart.defaults.datasets.bar.maxBarThickness = 48;
    document.querySelectorAll("canvas[data-chart]").forEach(function (c) {
      var cfg;
      try { cfg = JSON.parse(c.getAttribute("data-chart")); } catch (e) { return; }
      var empty = !cfg.data || !cfg.data.labels || cfg.data.labels.length === 0;
      if (empty) {
        var p = document.createElement("p");
        p.className = "muted";
        p.textContent = c.getAttribute("data-empty") || "";
        c.parentNode.replaceWith(p);
        return;
      }
      var o = cfg.options = cfg.options || {};
      o.responsive = true;
      o.maintainAspectRatio = false;
      o.locale = root.lang;
      o.plugins = o.plugins || {};
      o.plugins.legend = Object.assign({ rtl: rtl, position: "bottom" }, o.plugins.legend || {});
      o.plugins.tooltip = Object.assign({ rtl: rtl }, o.plugins.tooltip || {});
      o.scales = o.scales || {};
      var count = o.indexAxis === "y" ? "x" : "y", cat = o.indexAxis === "y" ? "y" : "x";
      o.scales[count] = Object.assign({ beginAtZero: true }, o.scales[count] || {});
      o.scales[count].ticks = { precision: 0, callback: function (v) { return digits.format(v); } };
      o.scales[cat] = o.scales[cat] || {};
      if (rtl) {
        // Mirror: x runs right to left and y stands on the right, whichever
        // of them holds the categories.
        o.scales.x = o.scales.x || {};
        o.scales.y = o.scales.y || {};
        o.scales.x.reverse = true;
        o.scales.y.position = "right";
      }
      new Chart(c, cfg);
      c.setAttribute("data-rendered", "true");
    });
  }
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(draw, draw);
  } else {
    draw();
  }
})();
