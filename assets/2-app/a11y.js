/* What assistive technology needs from components the desk does not draw itself (issue 19):
   - Dash's dropdowns keep a focus input marked aria-hidden; it must not be reachable with Tab while hidden from
     screen readers (axe: aria-hidden-focus), so it leaves the tab order (the dropdown's button stays in it).
   - Their open list is a dialog and a listbox without a name: both take the filter's label.
   - Dash draws each option as a <label role="option"> around a check box, and it is that check box which the
     arrow keys focus and which chooses (Space, Enter, a click on its label): a focusable element inside an
     option (axe: nested-interactive), which hidden from screen readers would leave keyboard focus on nothing they
     can read. So the check box becomes the option itself (role, aria-selected as it is checked; ARIA in HTML
     allows it that role) and the label is neither. Chromium takes the role option only where the listbox is the
     parent in the accessibility tree, not with a <label> between them (the check box stays a check box), so the
     listbox owns the check boxes (aria-owns); each is named by its option's text (aria-labelledby), hidden so
     that it is not read twice. They stay out of the tab order: the dropdown moves focus itself. React gives the
     label back its role and aria-selected when an option's state changes, and a long (virtualised) list draws
     options anew as it scrolls: this is redone on every such change, at once rather than with the rest, as Dash
     focuses an option a frame later.
   - A list of one choice (the year, /mine's period) draws radio buttons instead, which Dash hides from sight and
     which may not take the role option (ARIA in HTML): there the list becomes what it is, a radio group named by
     the filter, and each radio button (which the arrow keys focus) is itself the choice, named by its label;
     the label is no option around it.
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
      [pop].concat(Array.prototype.slice.call(pop.querySelectorAll(".dash-options-list"))).forEach(function (e) {
        if (e.getAttribute("aria-label") !== name) e.setAttribute("aria-label", name);
      });
    });
  }
  // only what differs is written: the observer below sees these writes
  function set(e, name, value) {
    if (value === null) { if (e.hasAttribute(name)) e.removeAttribute(name); }
    else if (e.getAttribute(name) !== value) e.setAttribute(name, value);
  }
  var made = 0;
  function idOf(e) {
    if (!e.id) e.id = "dash-option-" + (++made);
    return e.id;
  }
  function boxesAreOptions(root) {
    root.querySelectorAll(".dash-dropdown-content .dash-options-list").forEach(function (list) {
      var owned = [];
      list.querySelectorAll(".dash-options-list-option").forEach(function (option) {
        var box = option.querySelector(".dash-options-list-option-checkbox");
        var text = option.querySelector(".dash-options-list-option-text");
        if (!box || !text) return;
        set(box, "tabindex", "-1");
        set(option, "role", null);
        set(option, "aria-selected", null);
        if (box.type === "radio") {
          set(list, "role", "radiogroup");
          set(box, "aria-hidden", null);
          return;
        }
        set(box, "role", "option");
        set(box, "aria-selected", String(box.checked));
        set(box, "aria-hidden", null);
        set(box, "aria-labelledby", idOf(text));
        set(text, "aria-hidden", "true");
        // not the copy a virtualised list hides to size itself
        if (!option.closest("[aria-hidden=true]")) owned.push(idOf(box));
      });
      set(list, "aria-owns", owned.length ? owned.join(" ") : null);
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
    boxesAreOptions(document);
    document.querySelectorAll(".js-plotly-plot").forEach(describe);
  }
  new MutationObserver(function (records) {
    var added = records.some(function (r) { return r.type === "childList"; });
    if (added || records.some(function (r) { return r.target.closest(".dash-options-list-option"); })) {
      boxesAreOptions(document);
    }
    if (added && !pending) pending = setTimeout(sweep, 150);
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["aria-selected", "role"]
  });
  sweep();
})();
