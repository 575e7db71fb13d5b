// « Revenir en arrière » links go back in the browser's history, so the form comes back as
// it was typed; without JavaScript they open their own address. (The policy forbids
// javascript: links.)
document.addEventListener("click", function (event) {
  "use strict";
  var link = event.target.closest("[data-history-back]");
  if (!link || window.history.length < 2) { return; }
  event.preventDefault();
  window.history.back();
});
