/*
 * A click on a card's 明细 button, handed to the records dialog as the figure's code.
 *
 * One listener for every card instead of a pattern-matching callback: the cards are rebuilt on every filter
 * change, and Dash re-resolves pattern-matching callbacks for each new button, which cost ~15 ms a card.
 * The store to hand it to is named on the button (data-store, ids.RECORDS_REQUEST in layouts/ids.py).
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest(".kpi-drill[data-code][data-store]");
    if (!button || !window.dash_clientside || !window.dash_clientside.set_props) {
      return;
    }
    window.dash_clientside.set_props(button.dataset.store, { data: { code: button.dataset.code, at: Date.now() } });
  });
}());
