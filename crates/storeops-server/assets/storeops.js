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

  // SLA countdowns: the server renders the text; this keeps it current.
  // Same wording as the server: "due in 3h 12m", "overdue by 5m".
  function span(s) {
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600),
      m = Math.floor((s % 3600) / 60);
    if (d > 0) return d + "d " + h + "h";
    if (h > 0) return h + "h " + m + "m";
    if (m > 0) return m + "m";
    return (s % 60) + "s";
  }
  function tick() {
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var s = Math.trunc((due - Date.now()) / 1000);
      el.textContent = s >= 0 ? "due in " + span(s) : "overdue by " + span(-s);
      el.classList.toggle("bad", s < 0);
    });
  }
  if (document.querySelector("[data-due]")) {
    tick();
    window.setInterval(tick, 1000);
  }

  // Review queue shortcuts (documented on the page): j/k move between
  // items, a approves the focused one, r goes to its rejection reason,
  // ? shows the help.
  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("article.item"));
  }
  function focused() {
    var el = document.activeElement;
    return el && el.closest ? el.closest("article.item") : null;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var list = items();
    if (!list.length) return;
    var current = focused();
    if (e.key === "j" || e.key === "k") {
      var i = list.indexOf(current);
      var next = i < 0 ? 0 : Math.max(0, Math.min(list.length - 1, i + (e.key === "j" ? 1 : -1)));
      list[next].focus();
      list[next].scrollIntoView({ block: "nearest" });
      e.preventDefault();
    } else if (e.key === "a" && current) {
      var form = current.querySelector("form[data-decision=approve]");
      if (form) {
        e.preventDefault();
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    } else if (e.key === "r" && current) {
      var reason = current.querySelector("form[data-decision=reject] input[name=reason]");
      if (reason) {
        e.preventDefault();
        reason.focus();
      }
    } else if (e.key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) {
        help.open = !help.open;
        e.preventDefault();
      }
    }
  });
});
