/* What the big screen (screen.js) and the presenter (present.js) share: a fixed-size canvas scaled whole to the
   window (letterboxed, centred, never cropped or scrolled: the page scales, not a bitmap, so text stays crisp),
   and a small element builder. Loaded before either. */
window.FazhiCanvas = (function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
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
  return { el: el, scaleToWindow: scaleToWindow };
})();
