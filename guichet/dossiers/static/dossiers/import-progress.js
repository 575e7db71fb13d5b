// Polls an import's progress every second and reloads the page for the report when done.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = document.getElementById("import-bar");
  var text = document.getElementById("import-percent");
  // The sentence comes from the server in the page's language: only its numbers change.
  var template = text.textContent;
  var numbers = template.match(/\d+/g) || [];
  function render(data) {
    var values = [data.percent, data.processed_rows, data.total_rows];
    var i = 0;
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    text.textContent = template.replace(/\d+/g, function (n) {
      return i < values.length && i < numbers.length ? String(values[i++]) : n;
    });
  }
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        render(data);
        if (data.done) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
})();
