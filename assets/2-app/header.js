/* The desk's header on a phone: the account's links fold behind one 菜单 button (layouts/shell.py account_bar),
   so that the header stays one line. A click on the button opens or closes them; a click elsewhere closes them. */
document.addEventListener("click", function (e) {
  "use strict";
  var toggle = e.target.closest && e.target.closest(".account-menu-toggle");
  document.querySelectorAll(".app-account").forEach(function (bar) {
    var button = bar.querySelector(".account-menu-toggle");
    var open = toggle === button ? !bar.classList.contains("open") : bar.contains(e.target) && bar.classList.contains("open");
    bar.classList.toggle("open", open);
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
