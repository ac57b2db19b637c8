/*
 * While the page says the store cannot be reached (the .store-banner.down line the server puts under the header),
 * ask the readiness route it names (data-probe, layouts/shell.py READY_PATH) every few seconds and reload the page
 * once it answers: the desk recovers by itself, with nobody at the keyboard. A banner for a failed panel
 * (.store-banner.error) is left alone: reloading would not fix it.
 */
(function () {
  "use strict";
  var EVERY_MS = 3000;
  var asking = false;

  function probe() {
    var banner = document.querySelector(".store-banner.down[data-probe]:not([hidden])");
    if (asking || !banner) {
      return;
    }
    asking = true;
    fetch(banner.dataset.probe, { cache: "no-store" })
      .then(function (response) { if (response.ok) { window.location.reload(); } })
      .catch(function () { /* still down: ask again next time */ })
      .then(function () { asking = false; });
  }

  window.setInterval(probe, EVERY_MS);
}());
