/* What the big screen (screen.js) and the presenter (present.js) share: a fixed-size canvas scaled whole to the
   window (letterboxed, centred, never cropped or scrolled: the page scales, not a bitmap, so text stays crisp),
   and small element builders. Loaded before either. */
window.FazhiCanvas = (function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  // A label that must fit one line without being cut: its width in ems (a Chinese character 1, ASCII about
  // 0.55) as --ems, from which the CSS shrinks its font to the box (down to a floor, then it wraps).
  function label(tag, cls, text) {
    var e = el(tag, cls, text), ems = 0;
    for (var i = 0; i < (text || "").length; i++) ems += text.charCodeAt(i) < 128 ? 0.55 : 1;
    e.style.setProperty("--ems", Math.max(ems, 1).toFixed(2));
    return e;
  }
  function scaleToWindow(node, width, height) {
    function fit() {
      var s = Math.min(window.innerWidth / width, window.innerHeight / height);
      var x = (window.innerWidth - width * s) / 2, y = (window.innerHeight - height * s) / 2;
      node.style.transform = "translate(" + x + "px," + y + "px) scale(" + s + ")";
    }
    window.addEventListener("resize", fit);
    fit();
  }
  return { el: el, label: label, scaleToWindow: scaleToWindow };
})();
