/* The big screen in the browser: builds every screen once from the declarations the server passes
   (screen-config), sets one, two or three 1920×1080 screens side by side (the wall's layout), scales that
   canvas to the display, rotates, and checks the data version every
   `check` seconds; only a changed version fetches panels, and only changed numbers move. Nothing here knows
   an indicator, a screen or a limit: they all come from the config. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("screen-config").textContent);
  var canvas = document.getElementById("canvas");
  var byName = {};
  cfg.screens.forEach(function (s) { byName[s.name] = s; });
  var rotation = cfg.rotation.filter(function (n) { return byName[n]; });
  var state = { version: null, current: 0, paused: false, timer: null, lastData: null, offline: false,
                numbers: {}, built: {} };

  function $(id) { return document.getElementById(id); }
  var el = window.FazhiCanvas.el;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }

  // --- the layout: the URL's (or the kiosk link's) if it names one, else the one whose shape is nearest the
  // display's (a 5760×1080 splice wall gets three screens side by side, not one in its middle third)
  function nearest(layouts) {
    var shape = Math.log(window.innerWidth / window.innerHeight);
    return layouts.reduce(function (best, l) {
      var off = Math.abs(Math.log(l.canvas[0] / l.canvas[1]) - shape);
      return off < best[0] ? [off, l] : best;
    }, [Infinity, layouts[0]])[1];
  }
  var layout = cfg.layouts.filter(function (l) { return l.name === cfg.layout; })[0] || nearest(cfg.layouts);
  var W = layout.canvas[0], H = layout.canvas[1], PANE = cfg.canvas[0];
  // the sizes screen.css draws with come from the declaration too (layouts/screens.py)
  canvas.style.setProperty("--canvas-width", W + "px");
  canvas.style.setProperty("--canvas-height", H + "px");
  canvas.style.setProperty("--pane-width", PANE + "px");
  canvas.dataset.layout = layout.name;
  // --- the canvas, scaled whole: letterboxed, centred, never cropped or scrolled
  window.FazhiCanvas.scaleToWindow(canvas, W, H);

  // --- each screen built once; painting later only changes what changed
  function buildScreen(s) {
    var root = el("section", "screen");
    root.dataset.screen = s.name;
    var panels = s.panels.map(function (p) {
      var box = el("div", "panel panel-" + p.kind + (p.title ? "" : " bare"));
      box.style.left = p.box.x + "px"; box.style.top = p.box.y + "px";
      box.style.width = p.box.w + "px"; box.style.height = p.box.h + "px";
      var title = p.title ? el("div", "panel-title", p.title) : null;
      if (title) box.appendChild(title);
      var body = el("div", "panel-body");
      box.appendChild(body);
      root.appendChild(box);
      return { kind: p.kind, body: body, box: p.box, bare: !p.title, title: title, heading: p.title };
    });
    $("screens").appendChild(root);
    state.built[s.name] = { root: root, panels: panels };
  }
  rotation.forEach(function (n) { buildScreen(byName[n]); });

  // --- numbers count up to their new value; nothing flashes
  function shown(n, decimals) { return n === null ? "—" : n.toFixed(decimals); }
  function countTo(node, key, target, decimals) {
    var from = state.numbers[key];
    state.numbers[key] = target;
    if (target === null || from === undefined || from === null || from === target) {
      node.textContent = shown(target, decimals);
      return;
    }
    var start = performance.now(), span = 1500;
    function step(now) {
      var t = Math.min(1, (now - start) / span), eased = 1 - Math.pow(1 - t, 3);
      node.textContent = shown(from + (target - from) * eased, decimals);
      if (t < 1) requestAnimationFrame(step);
    }
    requestAnimationFrame(step);
  }

  // ``roomy``: a headline tile, wide enough for the whole note; an overview block has room for its short mark.
  function figureNode(key, f, roomy) {
    var box = el("div", "figure");
    box.dataset.code = f.code;
    box.appendChild(el("div", "figure-name", f.name));
    var value = el("div", "figure-value");
    var number = el("span", "figure-number");
    value.appendChild(number);
    value.appendChild(el("span", "figure-unit", f.unit));
    if (f.note) {
      var note = el("span", "figure-note", roomy ? f.note : f.mark);
      note.title = f.note;
      value.appendChild(note);
    }
    box.appendChild(value);
    // the catalog's words beside the figure (上半年，全市排名第一; 一项主张而非统计), its note on hover
    if (f.beside) {
      var beside = el("div", "figure-beside", f.beside);
      if (f.about) beside.title = f.about;
      box.appendChild(beside);
    }
    var changed = f.change + (f.target ? "　目标 " + f.target : "");
    if (changed) box.appendChild(el("div", "figure-change " + f.tone, changed));
    countTo(number, key + ":" + f.code, f.number, f.decimals);
    return box;
  }

  // A figure block is rebuilt only when its text changed; its number counts from the last value shown.
  function paintFigures(body, key, figures) {
    var list = el("div", "figures");
    figures.forEach(function (f) { list.appendChild(figureNode(key, f, true)); });
    body.replaceChildren(list);
  }

  function paintAreas(body, key, areas) {
    var grid = el("div", "areas");
    areas.forEach(function (a) {
      var block = el("div", "area");
      block.dataset.area = a.area;
      block.appendChild(el("div", "area-title", a.title));
      var figs = el("div", "area-figures");
      a.figures.forEach(function (f) { figs.appendChild(figureNode(key, f, false)); });
      block.appendChild(figs);
      grid.appendChild(block);
    });
    body.replaceChildren(grid);
  }

  function paintRanking(body, data) {
    if (data.empty) { body.replaceChildren(el("div", "empty-note", data.empty)); return; }
    var wrap = el("div", "ranking"), rows = el("div", "ranking-rows");
    data.rows.forEach(function (r, i) {
      var row = el("div", "rank-row" + (r.chosen ? " chosen" : ""));
      row.appendChild(el("span", "rank-no", String(i + 1)));
      row.appendChild(el("span", "rank-name", r.name));
      var track = el("span", "rank-track"), bar = el("span", "rank-bar");
      bar.style.display = "block"; bar.style.width = Math.max(2, r.share * 100) + "%";
      track.appendChild(bar);
      row.appendChild(track);
      row.appendChild(el("span", "rank-value", r.shown));
      rows.appendChild(row);
    });
    wrap.appendChild(rows);
    body.replaceChildren(wrap);
    // more members than the panel holds: the list drifts down to the last and back (a CSS animation: no timers)
    var overflow = rows.scrollHeight - wrap.clientHeight;
    if (overflow > 0) {
      rows.style.setProperty("--shift", -overflow + "px");
      rows.classList.add("scrolling");
    }
  }

  function paintAlerts(panel, data) {
    if (data.empty) {  // good news, said as plainly as a warning
      var clear = el("div", "alert-row clear");
      clear.appendChild(el("span", "alert-level", "无"));
      clear.appendChild(el("span", "alert-text", data.empty));
      panel.body.replaceChildren(clear);
      return;
    }
    if (panel.title && data.summary) panel.title.appendChild(el("span", "panel-note", data.summary));
    var wrap = el("div", "ranking alerts"), rows = el("div", "ranking-rows");
    data.rows.forEach(function (a) {
      var row = el("div", "alert-row " + a.colour);
      row.appendChild(el("span", "alert-level", a.level));
      row.appendChild(el("span", "alert-unit", a.unit));
      row.appendChild(el("span", "alert-text", a.text));
      row.appendChild(el("span", "alert-since", a.since + "起"));
      rows.appendChild(row);
    });
    wrap.appendChild(rows);
    panel.body.replaceChildren(wrap);
    var overflow = rows.scrollHeight - wrap.clientHeight;
    if (overflow > 0) {
      rows.style.setProperty("--shift", -overflow + "px");
      rows.classList.add("scrolling");
    }
  }

  function paintChart(panel, figure) {
    if (!panel.chart) {
      panel.chart = el("div", "chart");
      panel.body.replaceChildren(panel.chart);
    }
    // react, not newPlot: the same SVG is updated in place (no flash, no growing memory)
    // the server drew the figure at the panel's size (layouts/screens.py plot_size)
    window.Plotly.react(panel.chart, figure.data, figure.layout, { staticPlot: true, displayModeBar: false });
  }

  function paint(name, payload) {
    var built = state.built[name];
    payload.panels.forEach(function (data, i) {
      var panel = built.panels[i];
      var text = JSON.stringify(data);
      if (panel.last === text) return;
      panel.last = text;
      var key = name + ":" + i;
      if (panel.title) panel.title.replaceChildren(panel.heading, data.note ? el("span", "panel-note", data.note) : "");
      if (data.hidden) { panel.chart = null; panel.body.replaceChildren(el("div", "hidden-note", data.hidden)); }
      else if (panel.kind === "areas") paintAreas(panel.body, key, data.areas);
      else if (panel.kind === "headlines") paintFigures(panel.body, key, data.figures);
      else if (panel.kind === "ranking") paintRanking(panel.body, data);
      else if (panel.kind === "alerts") paintAlerts(panel, data);
      else paintChart(panel, data.figure);
    });
    if (payload.as_of) $("as-of").textContent = "统计截至 " + payload.as_of_text;
    // 报送未齐: a register some units have not sent is said, so that it is not read as zero
    $("reporting").hidden = !payload.reporting;
    $("reporting").textContent = payload.reporting ? "报送未齐：" + payload.reporting : "";
  }

  // --- the server: a cheap version check; panels only when it changed
  function get(path, params) {
    var query = Object.keys(params).filter(function (k) { return params[k] !== null && params[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); }).join("&");
    var ctl = new AbortController();
    var timer = setTimeout(function () { ctl.abort(); }, 15000);
    return fetch(path + (query ? "?" + query : ""), { cache: "no-store", signal: ctl.signal })
      .then(function (r) {
        clearTimeout(timer);
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.status === 403 && body.error) { disable(body.error); throw new Error("refused"); }
          if (!r.ok) throw new Error(body.error || ("HTTP " + r.status));
          return body;
        });
      }, function (e) { clearTimeout(timer); throw e; });
  }
  function common() {
    return { kiosk: cfg.kiosk, year: cfg.year, township: cfg.township, department: cfg.department };
  }

  function disable(message) {
    var cover = $("disabled");
    cover.textContent = message;
    cover.hidden = false;
    clearTimeout(state.timer);
    $("progress").className = "wall-progress";
  }

  function online() {
    state.offline = false;
    $("offline").hidden = true;
  }
  function offline() {
    state.offline = true;
    var mark = $("offline");
    mark.textContent = state.lastData ? "连接中断，显示的是 " + hhmm(state.lastData) + " 的数据" : "连接中断，正在重试";
    mark.hidden = false;
  }

  function refresh(version) {
    var asks = rotation.map(function (name) {
      return get(cfg.paths.data, Object.assign({ screen: name }, common())).then(function (p) { return [name, p]; });
    });
    return Promise.all(asks).then(function (all) {
      all.forEach(function (pair) { paint(pair[0], pair[1]); });
      state.version = version;
      state.lastData = new Date();
      $("updated").textContent = "更新于 " + hhmm(state.lastData);
    });
  }

  function check() {
    return get(cfg.paths.version, { kiosk: cfg.kiosk }).then(function (body) {
      online();
      if (body.version !== state.version) return refresh(body.version);
    }).catch(function (e) { if (e.message !== "refused") offline(); });
  }

  // --- rotation, keys, clock, cursor, fullscreen, the daily reload
  // A wall of several panes shows that many screens of the rotation at once and turns them all together;
  // fewer screens than panes sit in the middle.
  var panes = Math.min(layout.panes, rotation.length);
  var step = panes || 1;
  function show(i) {
    if (!rotation.length) return;
    state.current = ((i % rotation.length) + rotation.length) % rotation.length;
    var shown = [];
    for (var k = 0; k < panes; k++) shown.push(rotation[(state.current + k) % rotation.length]);
    var offset = (layout.panes - panes) / 2;
    rotation.forEach(function (n) {
      var at = shown.indexOf(n), root = state.built[n].root;
      root.classList.toggle("active", at >= 0);
      if (at >= 0) root.style.left = (offset + at) * PANE + "px";
    });
    $("screen-title").textContent = shown.map(function (n) { return byName[n].title; }).join(" · ");
    var dots = $("dots").children;
    for (var d = 0; d < dots.length; d++) dots[d].classList.toggle("on", shown.indexOf(rotation[d]) >= 0);
    schedule();
  }
  function schedule() {
    clearTimeout(state.timer);
    var bar = $("progress");
    bar.className = "wall-progress";
    if (state.paused || rotation.length <= panes || !$("disabled").hidden) return;
    void bar.offsetWidth; // restart the animation
    bar.style.animationDuration = cfg.every + "s";
    bar.className = "wall-progress running";
    state.timer = setTimeout(function () { show(state.current + step); }, cfg.every * 1000);
  }
  rotation.forEach(function () { $("dots").appendChild(el("span", "wall-dot")); });

  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight" || e.key === "PageDown") show(state.current + step);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") show(state.current - step);
    else if (e.key === " ") {
      state.paused = !state.paused;
      $("paused").hidden = !state.paused;
      schedule();
    } else return;
    e.preventDefault();
  });

  function tick() {
    var now = new Date();
    $("clock-time").textContent = hhmm(now) + ":" + pad(now.getSeconds());
    $("clock-date").textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日";
    // once a day, at a quiet moment, and only when the server answers (never reload into an error page);
    // a wall that is offline then, or whose timers were late, waits for the next day's moment
    if (reloadDue && now >= reloadDue) {
      var late = now - reloadDue > 60000;
      reloadDue = nextReload(now);
      if (!late && !state.offline) {
        get(cfg.paths.version, { kiosk: cfg.kiosk }).then(function () { window.location.reload(); }, function () {});
      }
    }
  }
  // the next reload: the configured time's next occurrence after `from` (so a wall that has just reloaded
  // waits for tomorrow) plus this wall's own random delay within the spread
  function nextReload(from) {
    if (!cfg.reloadAt) return null;
    var base = new Date(from.getTime());
    base.setHours(+cfg.reloadAt.slice(0, 2), +cfg.reloadAt.slice(3, 5), 0, 0);
    if (base <= from) base.setDate(base.getDate() + 1);
    return new Date(base.getTime() + Math.random() * cfg.reloadSpread * 1000);
  }
  var reloadDue = nextReload(new Date());
  setInterval(tick, 1000);
  tick();

  var idle = null;
  function stirred() {
    document.body.classList.remove("idle");
    clearTimeout(idle);
    idle = setTimeout(function () { document.body.classList.add("idle"); }, 3000);
  }
  document.addEventListener("mousemove", stirred);
  stirred();

  $("fullscreen").addEventListener("click", function () {
    var root = document.documentElement;
    if (root.requestFullscreen) root.requestFullscreen().catch(function () {});
  });
  document.addEventListener("fullscreenchange", function () {
    document.body.classList.toggle("fullscreen", !!document.fullscreenElement);
  });

  $("wall-place").textContent = (cfg.year ? cfg.year + "年 · " : "") + cfg.place;
  $("demo-badge").hidden = !cfg.demo;
  if (cfg.legend) $("legend").textContent = cfg.legend;
  if (cfg.notices.length) {
    var box = $("notices");
    cfg.notices.forEach(function (n) { box.appendChild(el("div", "", n)); });
    box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 60000);
  }

  show(0);
  check();
  setInterval(check, cfg.check * 1000);
})();
