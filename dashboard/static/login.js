/* The sign-in page (dashboard/templates/login.html): once the form is sent the button says so and cannot send it
 * twice; when the answer takes longer than the wait the page declares (a publish of many rows holds the store, and
 * a sign-in waits for it rather than fail: data/writes.py), the page says why, so nobody signs in again meanwhile.
 * The words and the wait come from the form's data attributes, set by the server. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.login-card")) { return; }
    var button = form.querySelector(".login-submit");
    var note = form.querySelector(".login-waiting");
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    if (button) {
      button.textContent = form.dataset.sending;
      button.setAttribute("aria-disabled", "true");
    }
    if (note) {
      setTimeout(function () { note.hidden = false; }, Number(form.dataset.slowAfterMs));
    }
  });
})();
