// Follows a report batch while the server renders it: every five seconds it
// asks for this page again and puts the new status in place of the old one.
// It never reloads the page, which would take it from under a reader
// (WCAG 2.2.1); without JavaScript the page has a link to refresh it.
(function () {
  "use strict";
  function poll() {
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var current = document.querySelector("[data-batch]");
        var next = html && new DOMParser().parseFromString(html, "text/html").querySelector("[data-batch]");
        if (!current || !next) {
          setTimeout(poll, 15000);
          return;
        }
        current.replaceWith(document.importNode(next, true));
        if (next.hasAttribute("data-batch-queued")) {
          setTimeout(poll, 5000);
        }
      })
      .catch(function () { setTimeout(poll, 15000); });
  }
  setTimeout(poll, 5000);
})();
