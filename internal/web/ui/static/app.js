// Tawthiq: small page behaviours. No inline script anywhere (the content
// security policy forbids it); pages work without this file.
(function () {
  "use strict";
  // A page restored from the back/forward cache (Back after signing out)
  // is fetched again, so the server decides whether it may be shown.
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) window.location.reload();
  });
  // A highlighted fact in the text takes the reader to its decision and
  // marks it for a moment; keyboard users get focus there.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.f[data-fact]");
    if (!a) return;
    var li = document.getElementById("fact-" + a.getAttribute("data-fact"));
    if (!li) return;
    ev.preventDefault();
    li.scrollIntoView({ block: "center" });
    li.focus({ preventScroll: true });
    li.classList.add("flash");
    setTimeout(function () { li.classList.remove("flash"); }, 1500);
  });
})();
