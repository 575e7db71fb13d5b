// Reloads the page after the number of seconds its script tag gives (data-seconds), for
// pages waiting on something done elsewhere (a payment the provider has not confirmed).
// A file rather than an inline script: the Content-Security-Policy forbids inline code.
(function () {
  "use strict";
  var seconds = Number(document.currentScript.dataset.seconds) || 3;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
