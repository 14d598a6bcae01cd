/* 女职工工作指南: small page behaviour (no inline handlers in content).
 * - .guide-print buttons print the page (print CSS keeps only the content or the form);
 * - before printing, collapsed <details> (quoted articles, notes) are opened so they print. */
(function () {
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
