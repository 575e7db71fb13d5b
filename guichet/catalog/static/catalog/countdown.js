// Counts down to the registration opening from the server's clock, given in the page:
// the browser's own clock may be minutes off, and families trust what the page says.
(function () {
  "use strict";
  var element = document.querySelector("[data-countdown]");
  if (!element) { return; }
  var opensAt = Date.parse(element.dataset.opensAt);
  var serverNow = Date.parse(element.dataset.serverNow);
  var loadedAt = performance.now();
  var template = element.dataset.template;
  var reloading = false;

  function remainingMs() {
    return opensAt - (serverNow + (performance.now() - loadedAt));
  }

  function spell(ms) {
    var total = Math.max(0, Math.ceil(ms / 1000));
    var days = Math.floor(total / 86400);
    var hours = Math.floor((total % 86400) / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    var parts = [];
    if (days) { parts.push(days + " " + (element.dataset.dayUnit || "d")); }
    if (days || hours) { parts.push(hours + " h"); }
    if (days || hours || minutes) { parts.push(minutes + " min"); }
    parts.push(seconds + " s");
    return parts.join(" ");
  }

  function tick() {
    var left = remainingMs();
    if (left <= 0) {
      element.textContent = element.dataset.opened;
      if (!reloading) {
        reloading = true;
        // A moment's grace so the server's clock has passed the opening too.
        window.setTimeout(function () { window.location.reload(); }, 1000);
      }
      return;
    }
    element.textContent = template.replace("{time}", spell(left));
    window.setTimeout(tick, Math.min(1000, left % 1000 || 1000));
  }

  element.hidden = false;
  tick();
})();
