/*
 * A click on a card's 明细 button, passed on as the figure's code. In the browser because the cards are
 * rebuilt on every filter change, which fires this callback too: only a real click may cost a round trip.
 */
(function () {
  "use strict";

  function pick(clicks) {
    var context = window.dash_clientside.callback_context;
    var fired = context && context.triggered && context.triggered[0];
    var id = context && context.triggered_id;
    if (!fired || !fired.value || !id || typeof id !== "object") {
      return window.dash_clientside.no_update;
    }
    return { code: id.code, at: Date.now() };
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.records = { pick: pick };
}());
