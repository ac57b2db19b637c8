"""The scripts scripts/bench_desk.py runs in the page: the probe installed before any of the page's own, and
the steps that start a change, collect what it did, and replay it with no server (the floors)."""

QUIET_MS = 300

# In the page, before any script: counts Dash's callback requests in flight and keeps each one's output, times,
# Server-Timing and a copy of its response (read only once the change has settled); notes the last change to
# the page; and keeps, for each chart, the arguments dcc.Graph last passed to Plotly.react.
PROBE = """
(() => {
  window.__inflight = 0; window.__done = 0; window.__before = 0; window.__lastMutation = 0; window.__t0 = 0;
  window.__log = []; window.__history = []; window.__react = {}; window.__reactMs = 0;
  performance.setResourceTimingBufferSize(100000);
  const original = window.fetch;
  window.fetch = async (...args) => {
    const url = String(args[0] && args[0].url || args[0]);
    if (!url.includes('_dash-update-component')) return original(...args);
    const entry = {start: performance.now(), output: '?', body: String(args[1] && args[1].body)};
    try { entry.output = JSON.parse(entry.body).output; } catch (e) {}
    window.__log.push(entry);
    window.__inflight++;
    try {
      const response = await original(...args);
      entry.headers = performance.now();
      entry.status = response.status;
      entry.timing = response.headers.get('Server-Timing') || '';
      entry.encoded = Number(response.headers.get('Content-Length') || 0);
      entry.copy = response.clone();
      return response;
    } finally { window.__inflight--; window.__done++; }
  };
  let plotly;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return plotly; },
    set(value) {
      plotly = value;
      const react = value.react;
      window.__plotlyReact = react;
      value.react = function (gd, ...rest) {
        const host = gd.closest('.dash-graph') || gd.parentElement;
        if (host && host.id) window.__react[host.id] = rest[0];
        const started = performance.now();
        const done = () => { window.__reactMs += performance.now() - started; };
        const result = react.call(this, gd, ...rest);
        Promise.resolve(result).then(done, done);
        return result;
      };
    },
  });
  // The clock starts at the press of the decisive click (not when the test driver starts to look for the
  // element to click: that would count the driver's own waits).
  document.addEventListener('pointerdown', (e) => {
    if (!window.__armed) return;
    window.__armed = false;
    window.__t0 = Math.min(e.timeStamp, performance.now());
  }, true);
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => { window.__lastMutation = performance.now(); })
      .observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  });
})();
"""
START = """
window.__before = window.__done; window.__reactMs = 0;
performance.clearResourceTimings();
window.__t0 = performance.now(); window.__armed = true;
"""
# Predicates for wait_for_function are functions, not expressions: Playwright evaluates an expression string with
# eval, which the page's Content-Security-Policy (no 'unsafe-eval') refuses.
SETTLED = (
    "() => window.__inflight === 0 && window.__done > window.__before && "
    f"performance.now() - window.__lastMutation > {QUIET_MS}"
)
# Nothing has changed on the page for a while (after closing a menu, before the next step).
QUIET = f"() => performance.now() - window.__lastMutation > {QUIET_MS}"
# What one change did: its requests (output, times, Server-Timing, sizes) and its repaint; the responses and the
# charts' Plotly.react arguments stay in the page, for the floors.
COLLECT = """
async () => {
  const t0 = window.__t0;
  const requests = [], bodies = [];
  for (const e of window.__log.filter(e => e.start >= t0)) {
    const text = e.copy ? await e.copy.text() : '';
    e.copy = null;
    if (text) { try { bodies.push(JSON.parse(text)); } catch (x) {} }
    requests.push({output: e.output, body: e.body, start: e.start - t0, headers: e.headers - t0, status: e.status,
                   timing: e.timing, encoded: e.encoded, decoded: new TextEncoder().encode(text).length});
  }
  const entries = performance.getEntriesByType('resource')
    .filter(r => r.startTime >= t0 && r.name.includes('_dash-update-component'));
  const timing = entries.map(r => Object.fromEntries(r.serverTiming.map(t => [t.name, t.duration])));
  window.__history.push({bodies, react: Object.assign({}, window.__react)});
  return {
    repaint: window.__lastMutation - t0,
    requests,
    app: timing.reduce((s, t) => s + (t.app || 0), 0),
    db: timing.reduce((s, t) => s + (t.db || 0), 0),
    transfer: entries.reduce((s, r) => s + r.transferSize, 0),
    encoded: entries.reduce((s, r) => s + r.encodedBodySize, 0),
    decoded: entries.reduce((s, r) => s + r.decodedBodySize, 0),
    react: window.__reactMs,
  };
}
"""
# The floors: the state after change k repainted from data already in the page, no request made.
REPLAY_DASH = """
(k) => {
  window.__before = window.__done; window.__t0 = performance.now();
  for (const body of window.__history[k].bodies) {
    for (const [id, props] of Object.entries(body.response || {})) window.dash_clientside.set_props(id, props);
  }
}
"""
REPLAY_PLOTLY = """
(k) => {
  window.__before = window.__done; window.__t0 = performance.now();
  for (const [id, args] of Object.entries(window.__history[k].react)) {
    const host = document.getElementById(id);
    const gd = host && host.querySelector('.js-plotly-plot');
    if (gd) window.__plotlyReact(gd, args);
  }
}
"""
REPLAYED = f"() => performance.now() - Math.max(window.__lastMutation, window.__t0) > {QUIET_MS}"
REPLAY_RESULT = "[Math.max(0, window.__lastMutation - window.__t0), window.__done - window.__before]"
