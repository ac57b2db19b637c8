/* What assistive technology needs from components the desk does not draw itself (issue 19):
   - Dash's dropdowns keep a focus input marked aria-hidden; it must not be reachable with Tab while hidden from
     screen readers (axe: aria-hidden-focus), so it leaves the tab order (the dropdown's button stays in it).
   - Their open list is a dialog and a listbox without a name: both take the filter's label; the check box drawn
     in each option is a picture of its state (the option itself is what is chosen and says aria-selected), so it
     is taken out of the tab order and hidden from screen readers. (It stays a focusable element inside the
     option, which axe still reports as nested-interactive: disabling or making it inert would stop the option's
     label from choosing; that is for Dash's dropdown to change.)
   - A Plotly chart is an SVG without words: each gets a visually hidden table of its numbers (its caption is the
     chart's title), rebuilt whenever the chart is redrawn. */
(function () {
  "use strict";
  function fixInputs(root) {
    root.querySelectorAll(".dash-dropdown-wrapper > input[aria-hidden='true']").forEach(function (input) {
      if (input.getAttribute("tabindex") !== "-1") input.setAttribute("tabindex", "-1");
    });
  }
  function nameLists(root) {
    root.querySelectorAll(".dash-dropdown-content").forEach(function (pop) {
      var trigger = (pop.id && document.querySelector('[aria-controls="' + CSS.escape(pop.id) + '"]')) ||
        document.querySelector('.filter [aria-expanded="true"]');
      var label = trigger && trigger.closest(".filter") && trigger.closest(".filter").querySelector("label");
      var name = label ? label.textContent.trim() : "选项";
      [pop].concat(Array.prototype.slice.call(pop.querySelectorAll("[role=listbox]"))).forEach(function (e) {
        if (e.getAttribute("aria-label") !== name) e.setAttribute("aria-label", name);
      });
      pop.querySelectorAll(".dash-options-list-option-checkbox").forEach(function (box) {
        if (box.getAttribute("tabindex") !== "-1") { box.setAttribute("tabindex", "-1"); box.setAttribute("aria-hidden", "true"); }
      });
    });
  }
  function cell(tag, text, scope) {
    var c = document.createElement(tag);
    c.textContent = text;
    if (scope) c.setAttribute("scope", scope);
    return c;
  }
  function shown(v) { return typeof v === "number" ? String(+v.toPrecision(12)) : String(v); }
  // [label, value] pairs of one trace, whichever way it is drawn
  function points(t) {
    var labels, values;
    if (t.type === "pie") { labels = t.labels || []; values = t.values || []; }
    else if (t.orientation === "h") { labels = t.y || []; values = t.x || []; }
    else { labels = t.x || []; values = t.y || []; }
    var out = [];
    for (var i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) out.push([labels[i], values[i]]);
    return out;
  }
  function describe(gd) {
    if (!gd.data || !gd.layout) return;
    var title = (gd.layout.title && gd.layout.title.text) || "";
    var key = JSON.stringify([title, gd.data.map(function (t) { return [t.name, points(t)]; })]);
    var box = gd.querySelector(":scope > .chart-text");
    if (box && box.dataset.key === key) return;
    if (!box) {
      box = document.createElement("div");
      box.className = "chart-text visually-hidden";
    }
    var table = document.createElement("table");
    box.dataset.key = key;
    table.appendChild(cell("caption", title));
    var head = document.createElement("tr");
    head.appendChild(cell("th", "项目", "col"));
    head.appendChild(cell("th", "数值", "col"));
    table.appendChild(head);
    gd.data.forEach(function (t) {
      points(t).forEach(function (p) {
        var row = document.createElement("tr");
        row.appendChild(cell("th", (t.name ? t.name + " " : "") + (p[0] === undefined ? "" : p[0]), "row"));
        row.appendChild(cell("td", shown(p[1])));
        table.appendChild(row);
      });
    });
    box.replaceChildren(table);
    if (box.parentNode !== gd) gd.appendChild(box);
  }
  var pending = null;
  function sweep() {
    pending = null;
    fixInputs(document);
    nameLists(document);
    document.querySelectorAll(".js-plotly-plot").forEach(describe);
  }
  new MutationObserver(function () {
    if (!pending) pending = setTimeout(sweep, 150);
  }).observe(document.documentElement, { childList: true, subtree: true });
  sweep();
})();
