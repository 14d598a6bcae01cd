/* 女职工工作指南: small page behaviour (no inline handlers in content).
 * - .guide-print buttons print the page (print CSS keeps only the content or the form);
 * - before printing, collapsed <details> (quoted articles, notes) are opened so they print;
 * - the language selector keeps the reader's place: the #anchor goes along (ids are the same in zh and en);
 * - a table is a keyboard stop only where it scrolls. */
(function () {
  /* Text size 小/中/大, remembered across pages (localStorage; ignored where storage is blocked). */
  var KEY = "guide.textsize";
  function applySize(size) {
    if (size === "small" || size === "large") { document.documentElement.setAttribute("data-guide-size", size); }
    else { document.documentElement.removeAttribute("data-guide-size"); size = "medium"; }
    document.querySelectorAll(".guide-size").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-size") === size ? "true" : "false");
    });
  }
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* storage blocked */ }
  applySize(saved);
  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest(".guide-size");
    if (!b) { return; }
    var size = b.getAttribute("data-size");
    try { localStorage.setItem(KEY, size); } catch (e) { /* storage blocked */ }
    applySize(size);
    tableStops();
  });

  /* Tables sit in labelled regions (guide/markup.py) that the build makes keyboard stops; a region
   * stays a stop only while its table is wider than the page and scrolls. */
  function tableStops() {
    document.querySelectorAll(".guide-table").forEach(function (region) {
      region.tabIndex = region.scrollWidth > region.clientWidth + 1 ? 0 : -1;
    });
  }
  window.addEventListener("load", tableStops);
  window.addEventListener("resize", tableStops);

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".md-select__link[hreflang]");
    if (link && location.hash && link.getAttribute("href").indexOf("#") < 0) {
      link.setAttribute("href", link.getAttribute("href") + location.hash);
    }
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".guide-print");
    if (button) { window.print(); }
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("article details:not([open])").forEach(function (d) {
      d.setAttribute("open", ""); d.setAttribute("data-guide-opened", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-guide-opened]").forEach(function (d) {
      d.removeAttribute("open"); d.removeAttribute("data-guide-opened");
    });
  });
})();
