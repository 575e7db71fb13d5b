// Attendance: when this script runs, a tap sends the same form in the background and
// updates the button in place; without it (or when a request fails) the form posts and
// the page comes back to the same person. Nothing here is needed for the page to work.
(function () {
  "use strict";
  var list = document.querySelector("[data-attendance]");
  if (!list || !window.fetch || !window.FormData) { return; }
  var count = document.getElementById("compte");
  list.addEventListener("submit", function (event) {
    var form = event.target;
    var button = form.querySelector("button");
    var present = form.querySelector("input[name=present]");
    if (button.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    event.preventDefault();
    button.setAttribute("aria-busy", "true");
    fetch(form.action || window.location.href, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      var state = button.querySelector(".attendance-state");
      button.classList.toggle("is-present", answer.present);
      button.setAttribute("aria-pressed", answer.present ? "true" : "false");
      state.textContent = answer.present ? "✓ " + state.dataset.present : state.dataset.absent;
      present.value = answer.present ? "0" : "1";
      button.removeAttribute("aria-busy");
      if (count) {
        var marked = list.querySelectorAll(".is-present").length;
        var total = list.querySelectorAll(".attendance-button").length;
        count.textContent = count.textContent.replace(/^\d+/, String(marked)).replace(/\d+(\D*)$/, String(total) + "$1");
      }
    }).catch(function () {
      button.removeAttribute("aria-busy");
      form.submit();  // the plain way: the server answers and the page comes back here
    });
  });
})();
