/* The presenter in the browser: builds every slide once from the deck's content the server passes
   (present-config), scales the 1920×1080 slide to the window, and answers a presentation clicker's keys.
   The speaker's notes view runs the same script in its own window; the two keep in step over a
   BroadcastChannel (same browser, no server). Nothing here knows a figure: it all comes from the config. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("present-config").textContent);
  // "slides": presenting; "notes": the speaker's window; "print": every slide one after another, for PDF;
  // "chart": one chart alone (cfg.only), for PNG. The printed modes mark <body data-ready> once drawn.
  var mode = cfg.mode;
  var slides = cfg.content.slides;
  var last = slides.length - 1;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel(cfg.channel) : null;
  var current = 0;

  function $(id) { return document.getElementById(id); }
  var el = window.FazhiCanvas.el;
  function clamp(i) { return Math.max(0, Math.min(last, i)); }
  function shown(f) { return f.number === null ? "—" : f.number.toFixed(f.decimals); }
  function fromHash() {
    var n = parseInt(window.location.hash.slice(1), 10);
    return isNaN(n) ? 0 : clamp(n - 1);
  }

  // --- the slides, each built once
  var W = cfg.size[0], H = cfg.size[1];
  // the slide's size in CSS too (present.css reads these variables), from the one the page hands over
  document.documentElement.style.setProperty("--slide-width", W + "px");
  document.documentElement.style.setProperty("--slide-height", H + "px");
  if (mode === "slides") window.FazhiCanvas.scaleToWindow($("stage"), W, H);

  function figure(f, cls) {
    var box = el("div", cls);
    box.dataset.code = f.code;
    box.appendChild(el("div", "fig-name", f.name));
    var value = el("div", "fig-value", shown(f));
    value.appendChild(el("span", "fig-unit", f.unit));
    box.appendChild(value);
    // a figure of the whole district on a department's or township's deck says so (a printout has no tooltip)
    if (f.note) box.appendChild(el("div", "fig-note", f.note));
    // the catalog's words beside the figure: 上半年，全市排名第一; 一项主张而非统计
    if (f.beside) box.appendChild(el("div", "fig-beside", f.beside));
    // 报送未齐 (dashboard/content/screen.py headline): a missing register is not read as zero
    if (f.reporting) box.appendChild(el("div", "fig-note fig-reporting", f.reporting));
    if (f.change) box.appendChild(el("div", "fig-change " + f.tone, f.change));
    if (f.target) box.appendChild(el("div", "fig-target", "目标 " + f.target));
    return box;
  }

  // the trend and the split side by side (the trend wider), or either one across the slide, in the box the
  // deck declares (left, top, right, bottom margins on the slide)
  var box = cfg.chartArea, CHARTS_W = W - box[0] - box[2], CHARTS_H = H - box[1] - box[3];
  function chart(node, spec, width, height) {
    var colors = ["#9ca3af", "#b91c1c"];
    var data = spec.series.map(function (s, i) {
      return { type: "scatter", mode: "lines+markers", name: s.name, x: spec.categories, y: s.values,
               line: { color: colors[i % 2], width: i ? 4 : 3, dash: i ? "solid" : "dot" }, marker: { size: 10 } };
    });
    var layout = {
      width: width, height: height, margin: { l: 96, r: 24, t: 64, b: 56 },
      font: { size: 24, color: "#374151" }, showlegend: true,
      title: { text: spec.title + "（" + spec.unit + "）", font: { size: 28 }, x: 0, xanchor: "left" },
      legend: { orientation: "h", x: 1, xanchor: "right", y: 1.12, font: { size: 24 } },
      xaxis: { tickangle: 0, tickfont: { size: 24 } }, yaxis: { rangemode: "tozero", tickfont: { size: 24 } }
    };
    return window.Plotly.newPlot(node, data, layout, { staticPlot: true, displayModeBar: false });
  }
  function bars(node, spec, width, height) {
    var s = spec.series[0];
    var data = [{ type: "bar", orientation: "h", x: s.values, y: spec.categories, marker: { color: "#b91c1c" },
                  text: s.values.map(String), textposition: "outside", cliponaxis: false,
                  textfont: { size: 24 } }];
    var layout = {
      width: width, height: height, margin: { l: 24, r: 72, t: 64, b: 24 },
      font: { size: 24, color: "#374151" }, showlegend: false,
      title: { text: spec.title + "（" + spec.unit + "）", font: { size: 28 }, x: 0, xanchor: "left" },
      xaxis: { visible: false }, yaxis: { autorange: "reversed", automargin: true, tickfont: { size: 24 } }
    };
    return window.Plotly.newPlot(node, data, layout, { staticPlot: true, displayModeBar: false });
  }
  var DRAW = { chart: chart, split: bars };
  function ready(drawing) {
    Promise.all(drawing).then(function () { document.body.dataset.ready = "1"; });
  }

  // a snapshot says so on every slide, the title slide too
  var foot = cfg.foot;

  if (mode === "chart") {
    var only = slides[cfg.only.slide], frame = $("chart");
    var plot = el("div", "chart-plot");
    frame.appendChild(plot);
    frame.appendChild(el("div", "chart-source", cfg.content.title + "　" + foot));
    ready([DRAW[cfg.only.key](plot, only[cfg.only.key], W, H)]);
    return;
  }

  // text slides (issue 21): the largest type from 40 px down to 24 px at which every line fits above the foot
  function fit(list) {
    var room = H - list.offsetTop - 120;
    for (var size = 40; size > 24 && list.scrollHeight > room; size -= 2) list.style.fontSize = size - 2 + "px";
  }

  // one slide as an element; its charts' drawing (promises) and its text lists (to fit once laid out) with it
  function build(s, i) {
    var root = el("section", "slide"), drawing = [], texts = [];
    root.dataset.kind = s.kind;
    if (s.kind === "title" || s.kind === "closing") {
      var cover = el("div", "slide-cover");
      cover.appendChild(el("h1", "", s.title));
      cover.appendChild(el("p", "", s.subtitle));
      root.appendChild(cover);
    } else {
      root.appendChild(el("div", "slide-title", s.title));
      if (s.kind === "text") {
        var list = el("ul", "slide-text");
        s.lines.forEach(function (line) { list.appendChild(el("li", "", line)); });
        root.appendChild(list);
        texts.push(list);
      } else if (s.kind === "overview") {
        var grid = el("div", "slide-areas");
        s.areas.forEach(function (a) {
          var block = el("div", "slide-area");
          block.appendChild(el("h3", "", a.title));
          var pair = el("div", "slide-area-figures");
          a.figures.forEach(function (f) { pair.appendChild(figure(f, "slide-area-figure")); });
          block.appendChild(pair);
          grid.appendChild(block);
        });
        root.appendChild(grid);
      } else {
        var drawn = [[s.chart, chart, 3], [s.split, bars, 2]].filter(function (c) { return c[0]; });
        // a slide of figures alone (reported figures have no months to draw) lays them out over the whole
        // slide, two to a row and larger, rather than leaving its lower two-thirds empty
        var row = el("div", drawn.length ? "slide-figures" : "slide-figures slide-figures-only");
        s.figures.forEach(function (f) { row.appendChild(figure(f, "slide-figure")); });
        root.appendChild(row);
        if (drawn.length) {
          var area = el("div", "slide-charts"), total = drawn.reduce(function (t, c) { return t + c[2]; }, 0);
          area.style.left = box[0] + "px"; area.style.top = box[1] + "px";
          area.style.right = box[2] + "px"; area.style.bottom = box[3] + "px";
          root.appendChild(area);
          drawn.forEach(function (c) {
            var node = el("div", "slide-chart");
            area.appendChild(node);
            var width = Math.floor(CHARTS_W * c[2] / total) - (drawn.length > 1 ? 16 : 0);
            drawing.push(c[1](node, c[0], width, CHARTS_H));
          });
        }
      }
    }
    if (i > 0 || cfg.frozen) {
      var line = el("div", "slide-foot", foot);
      if (mode === "print") line.appendChild(el("span", "", (i + 1) + " / " + slides.length));
      root.appendChild(line);
    }
    return { root: root, drawing: drawing, texts: texts };
  }

  if (mode === "notes") { notesView(); return; }

  var drawing = [], fitText = [];
  var built = slides.map(function (s, i) {
    var made = build(s, i);
    $("slides").appendChild(made.root);
    drawing = drawing.concat(made.drawing);
    fitText = fitText.concat(made.texts);
    return made.root;
  });
  // measured with every slide laid out (a hidden slide still has its size)
  fitText.forEach(fit);
  ready(drawing);
  if (mode === "print") return;

  function show(i, quiet) {
    current = clamp(i);
    built.forEach(function (root, k) { root.classList.toggle("active", k === current); });
    $("number").textContent = (current + 1) + " / " + slides.length;
    $("progress").style.width = ((current + 1) / slides.length * 100) + "%";
    if (window.location.hash !== "#" + (current + 1)) history.replaceState(null, "", "#" + (current + 1));
    if (channel && !quiet) channel.postMessage({ at: current });
  }

  if (channel) {
    channel.onmessage = function (e) {
      if (typeof e.data.go === "number") show(e.data.go, true);
      else if (e.data.ask) channel.postMessage({ at: current });
    };
  }

  // --- the keys a clicker sends, and the presenter's own
  var typed = "", jumpTimer = null;
  function say(text) {
    var box = $("jump");
    box.textContent = text;
    box.hidden = !text;
    clearTimeout(jumpTimer);
    if (text) jumpTimer = setTimeout(function () { box.hidden = true; typed = ""; }, 3000);
  }
  document.addEventListener("keydown", function (e) {
    var key = e.key;
    if (/^[0-9]$/.test(key)) { typed += key; say("跳到第 " + typed + " 页，按回车"); }
    else if (key === "Enter" && typed) {
      var n = parseInt(typed, 10);
      typed = "";
      if (n >= 1 && n <= slides.length) { show(n - 1); say(""); }
      else say("没有第 " + n + " 页（共 " + slides.length + " 页）");
    }
    else if (["ArrowRight", "PageDown", " ", "ArrowDown", "Enter"].indexOf(key) >= 0) show(current + 1);
    else if (["ArrowLeft", "PageUp", "ArrowUp", "Backspace"].indexOf(key) >= 0) show(current - 1);
    else if (key === "Home") show(0);
    else if (key === "End") show(last);
    else if (key === "b" || key === "B" || key === ".") $("black").hidden = !$("black").hidden;
    else if (key === "f" || key === "F") {
      if (document.fullscreenElement) document.exitFullscreen().catch(function () {});
      else document.documentElement.requestFullscreen().catch(function () {});
    }
    else if (key === "Escape") { $("black").hidden = true; typed = ""; say(""); }
    else return;
    e.preventDefault();
  });

  show(fromHash());

  // --- the speaker's view (issue 21): the talking points of the slide on screen, the current and next slides as
  // thumbnails, the time used and a countdown from the length the speaker chooses, a clock. Its keys turn both
  // windows, Home and End as in the slide window; typing the length turns nothing.
  function notesView() {
    var thumbs = [$("notes-current"), $("notes-upcoming")];
    // as wide as the column, unless two of them (with their captions) would not fit its height
    function scaleThumb(node) {
      var column = node.parentNode.parentNode, room = (column.clientHeight - 2 * 40) / 2;
      var k = Math.max(0.05, Math.min(column.clientWidth / W, room / H));
      node.style.width = Math.round(W * k) + "px";
      node.style.height = Math.round(H * k) + "px";
      if (node.firstChild) node.firstChild.style.transform = "scale(" + k + ")";
    }
    function thumb(node, i) {
      node.textContent = "";
      var canvas = el("div", "thumb-canvas");
      node.appendChild(canvas);
      if (i > last) canvas.appendChild(el("div", "thumb-end", "（已是最后一页）"));
      else {
        var made = build(slides[i], i);
        made.root.classList.add("active");
        canvas.appendChild(made.root);
        made.texts.forEach(fit);
      }
      scaleThumb(node);
    }
    window.addEventListener("resize", function () { thumbs.forEach(scaleThumb); });
    function show(i) {
      current = clamp(i);
      var s = slides[current];
      $("notes-number").textContent = "第 " + (current + 1) + " / " + slides.length + " 页";
      $("notes-title").textContent = s.title;
      $("notes-text").textContent = s.notes || "（本页没有讲稿）";
      $("notes-next").textContent = current < last ? slides[current + 1].title : "（最后一页）";
      // this slide's charts as pictures, for a document or a message
      var links = $("notes-charts");
      links.textContent = "";
      cfg.charts.forEach(function (c) {
        if (!s[c.key]) return;
        var a = el("a", "", c.label + "（PNG）");
        a.href = cfg.chartUrl.replace("{n}", current + 1).replace("{key}", c.key);
        links.appendChild(a);
      });
      links.hidden = !links.firstChild;
      // last: their size follows the room the links above leave
      thumb(thumbs[0], current);
      thumb(thumbs[1], current + 1);
    }
    function go(i) { show(i); if (channel) channel.postMessage({ go: current }); }
    if (channel) {
      channel.onmessage = function (e) { if (typeof e.data.at === "number") show(e.data.at); };
      channel.postMessage({ ask: true });
    }
    document.addEventListener("keydown", function (e) {
      if (/^(INPUT|BUTTON|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
      if (["ArrowRight", "PageDown", " ", "ArrowDown"].indexOf(e.key) >= 0) go(current + 1);
      else if (["ArrowLeft", "PageUp", "ArrowUp"].indexOf(e.key) >= 0) go(current - 1);
      else if (e.key === "Home") go(0);
      else if (e.key === "End") go(last);
      else return;
      e.preventDefault();
    });
    // the time: used since the window opened (or 重新计时), and what is left of the chosen length
    var started = Date.now(), length = $("notes-length");
    length.value = cfg.talkMinutes;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    function span(ms) {
      var t = Math.floor(Math.abs(ms) / 1000), h = Math.floor(t / 3600), m = Math.floor(t % 3600 / 60);
      return (h ? h + ":" + two(m) : two(m)) + ":" + two(t % 60);
    }
    function tick() {
      var used = Date.now() - started, minutes = parseFloat(length.value);
      var left = (isFinite(minutes) && minutes > 0 ? minutes * 60000 : 0) - used;
      $("notes-elapsed").textContent = span(used);
      $("notes-left").textContent = left >= 0 ? span(left) : "超时 " + span(left);
      $("notes-left").classList.toggle("over", left < 0);
      $("notes-clock").textContent = new Date().toTimeString().slice(0, 8);
    }
    length.addEventListener("input", tick);
    $("notes-restart").addEventListener("click", function () { started = Date.now(); tick(); });
    setInterval(tick, 1000);
    tick();
    show(fromHash());
  }
})();
