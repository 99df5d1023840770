// Shows <time datetime="..."> elements in the reader's time zone; without
// JavaScript they keep their UTC text.
document.querySelectorAll("time[datetime]").forEach(function (el) {
  var d = new Date(el.getAttribute("datetime"));
  if (isNaN(d)) { return; }
  el.textContent = d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  el.title = el.getAttribute("datetime");
});
