// Date-time fields of cycle forms in the admin's time zone. Without
// JavaScript the fields hold UTC and the hidden "tz" field says UTC; with it,
// stored values (data-utc) are shown in the browser's zone and tz names that
// zone, so the server reads what the admin typed in the zone they meant.
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  if (!zone) { return; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  document.querySelectorAll("input[data-utc]").forEach(function (el) {
    var d = new Date(el.getAttribute("data-utc"));
    if (isNaN(d)) { return; }
    el.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  });
  document.querySelectorAll("input[data-tz-auto]").forEach(function (el) {
    el.value = zone;
    var form = el.form;
    if (!form) { return; }
    form.querySelectorAll("[data-tz-label]").forEach(function (label) { label.textContent = zone; });
  });
})();
