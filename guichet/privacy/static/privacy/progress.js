// « Mes données »: while a copy is being prepared, read the page again every few seconds
// so its progress (and then its download link) appears without a click; a « Refresh the
// page » link does the same without JavaScript.
(function () {
  "use strict";
  if (!document.querySelector("[data-export-pending]")) return;
  window.setTimeout(function () { window.location.reload(); }, 4000);
})();
