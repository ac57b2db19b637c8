/*
 * The filter bar kept in step with the URL, in the browser: a filter change costs no round trip before the
 * panels ask for their figures. The server never trusts what this sends: every panel checks the filters again.
 *
 * sync(search, year, departments, townships, yearOptions, departmentOptions, townshipOptions, defaultYear, current,
 *      limits, shownNotice)
 * returns [search, year, departments, townships, filters, notice], like callbacks/shell.py registers it.
 * nav(...) keeps the navigation links in step with the URL (below).
 * `limits` is the page's filter-limits store: {max_codes} as data/queries/filters.py declares it.
 */
(function () {
  "use strict";

  function values(options) {
    return (options || []).map(function (o) { return o.value; });
  }

  function sameState(a, b) {
    return !!a && !!b && a.year === b.year &&
      JSON.stringify(a.department) === JSON.stringify(b.department) &&
      JSON.stringify(a.township) === JSON.stringify(b.township);
  }

  function toSearch(state) {
    var parts = ["year=" + state.year];
    if (state.department.length) { parts.push("department=" + state.department.map(encodeURIComponent).join(",")); }
    if (state.township.length) { parts.push("township=" + state.township.map(encodeURIComponent).join(",")); }
    return "?" + parts.join("&");
  }

  function clip(text) { return String(text).slice(0, 20); }

  /* What a link asks for, against what the store holds; what cannot be used is named in `dropped`. */
  function parse(search, years, departments, townships, defaultYear, maxCodes) {
    var params = new URLSearchParams((search || "").replace(/^\?/, ""));
    var dropped = [];
    var state = { year: defaultYear, department: [], township: [] };
    var rawYears = params.getAll("year").filter(function (y) { return y !== ""; });
    if (rawYears.length) {
      var raw = rawYears[rawYears.length - 1];
      if (/^[0-9]{1,4}$/.test(raw) && years.indexOf(Number(raw)) >= 0) {
        state.year = Number(raw);
      } else {
        dropped.push("年度“" + clip(raw) + "”");
      }
    }
    [["department", departments, "部门"], ["township", townships, "乡镇"]].forEach(function (spec) {
      var codes = [];
      params.getAll(spec[0]).forEach(function (v) {
        v.split(",").forEach(function (c) { if (c) { codes.push(c); } });
      });
      codes = codes.slice(0, maxCodes);
      var unknown = codes.filter(function (c) { return spec[1].indexOf(c) < 0; });
      if (unknown.length) { dropped.push(spec[2] + "“" + unknown.slice(0, 3).map(clip).join("、") + "”"); }
      state[spec[0]] = codes.filter(function (c) { return spec[1].indexOf(c) >= 0; })
        .filter(function (c, i, all) { return all.indexOf(c) === i; }).sort();
    });
    params.forEach(function (_value, key) {
      var label = "参数“" + clip(key) + "”";
      if (["year", "department", "township"].indexOf(key) < 0 && dropped.indexOf(label) < 0) { dropped.push(label); }
    });
    return { state: state, dropped: dropped };
  }

  function sync(search, year, departments, townships, yearOptions, departmentOptions, townshipOptions,
                defaultYear, current, limits, shownNotice) {
    var noUpdate = window.dash_clientside.no_update;
    var context = window.dash_clientside.callback_context;
    var trigger = context && context.triggered_id;
    var years = values(yearOptions), known = values(departmentOptions), towns = values(townshipOptions);
    // Without the page's limit nothing is cut here: the server refuses an over-long filter anyway.
    var maxCodes = limits && limits.max_codes > 0 ? limits.max_codes : Infinity;
    if (!trigger || trigger === "url") {
      var parsed = parse(search, years, known, towns, defaultYear, maxCodes);
      var state = parsed.state;
      var notice = parsed.dropped.length ? "链接中的" + parsed.dropped.join("、") + "无效，已忽略。" : "";
      if (!notice && !shownNotice) { notice = noUpdate; }
      // Moving between pages keeps the filters: the panels are not woken again with the same values.
      return [parsed.dropped.length ? toSearch(state) : noUpdate, state.year, state.department, state.township,
              sameState(state, current) ? noUpdate : state, notice];
    }
    var chosen = {
      year: years.indexOf(year) >= 0 ? year : defaultYear,
      department: (Array.isArray(departments) ? departments : []).filter(function (d) { return known.indexOf(d) >= 0; })
        .sort().slice(0, maxCodes),
      township: (Array.isArray(townships) ? townships : []).filter(function (t) { return towns.indexOf(t) >= 0; })
        .sort().slice(0, maxCodes)
    };
    // An empty notice is left alone: one output fewer for Dash to apply on every change.
    return [toSearch(chosen), noUpdate, noUpdate, noUpdate, chosen, shownNotice ? "" : noUpdate];
  }

  /*
   * nav(pathname, search, paths) -> [href of each page's link..., className of each...]: the links keep the
   * filters, the current page is marked. `paths` are the pages in order (layouts/shell.py PAGES, in a store).
   */
  function nav(pathname, search, paths) {
    var query = (typeof search === "string" && search.charAt(0) === "?") ? search : "";
    var current = typeof pathname === "string" ? (pathname.replace(/\/+$/, "") || "/") : "/";
    return paths.map(function (p) { return p + query; }).concat(
      paths.map(function (p) { return p === current ? "nav-link active" : "nav-link"; }));
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.filters = { sync: sync, nav: nav };
}());
