/* Solves the page's ALTCHA proof-of-work challenge in the browser (Web Crypto).
   Self-hosted: no request leaves the site. The form waits for the solution. */
(function () {
  "use strict";
  var encoder = new TextEncoder();

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  async function solve(challenge) {
    var batch = 500;
    for (var start = 0; start <= challenge.maxnumber; start += batch) {
      var tries = [];
      for (var n = start; n < start + batch && n <= challenge.maxnumber; n++) {
        tries.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge.salt + n)));
      }
      var digests = await Promise.all(tries);
      for (var i = 0; i < digests.length; i++) {
        if (hex(digests[i]) === challenge.challenge) { return start + i; }
      }
    }
    return null;
  }

  function start(box) {
    if (box.dataset.started) { return; }
    box.dataset.started = "1";
    var input = box.querySelector("input[type=hidden]");
    var status = box.querySelector("[data-altcha-status]");
    var form = box.closest("form");
    var challenge = JSON.parse(box.dataset.challenge);
    status.textContent = status.dataset.working;
    var solved = solve(challenge).then(function (number) {
      if (number === null) { status.textContent = status.dataset.failed; return false; }
      input.value = btoa(JSON.stringify({
        algorithm: challenge.algorithm, challenge: challenge.challenge,
        number: number, salt: challenge.salt, signature: challenge.signature
      }));
      status.textContent = status.dataset.done;
      box.classList.add("altcha-done");
      return true;
    });
    if (form) {
      form.addEventListener("submit", function (event) {
        if (input.value) { return; }
        event.preventDefault();
        var submitter = event.submitter;
        solved.then(function (ok) { if (ok) { form.requestSubmit(submitter || undefined); } });
      });
    }
  }

  function init() { document.querySelectorAll("[data-altcha]").forEach(start); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
