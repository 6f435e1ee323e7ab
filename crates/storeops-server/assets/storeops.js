// storeops dashboard behaviour that is not htmx: nothing inline (the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  // Focus the first search box with "/" like most dashboards.
  document.addEventListener("keydown", function (e) {
    var box = document.querySelector("form.search input[type=search]");
    if (e.key === "/" && box && document.activeElement !== box) {
      e.preventDefault();
      box.focus();
    }
  });
});
