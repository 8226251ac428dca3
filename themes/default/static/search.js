/* Search page: exact substring search over the sharded index that builder/search.py writes.
   Index files are scripts calling showcaseSearch.*, so this works from a domain root, a
   subpath and file:// alike; only the shards a query needs are loaded. No dependencies;
   ES5 syntax so that old Android WebViews run it. Everything shown is set as text. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var statusEl = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var details = document.getElementById("search-filters-box");
  var ROOT = box.getAttribute("data-root");            // prefix of site-relative paths
  var RELATIVE = box.getAttribute("data-relative") === "1";
  var FACETS = ["category", "action", "site", "town", "tag", "year"];
  var PAGE = 10;
  var selects = {};
  FACETS.forEach(function (name) { selects[name] = document.getElementById("search-" + name); });

  function say(key, params) {
    var text = box.getAttribute("data-t-" + key) || "";
    for (var k in params) text = text.split("{" + k + "}").join(params[k]);
    return text;
  }

  /* --- loading index files as scripts ----------------------------------------------------- */
  var manifest = null, version = box.getAttribute("data-version") || "", facets = null;
  var filters = {};           // facet -> chosen value: from the address, then from the selects
  var postings = {};          // key -> posting string, for every key of every loaded shard
  var loadedFiles = {};       // path -> true once loaded, or [callbacks] while loading
  var docs = {};              // document number -> display data
  var api = window.showcaseSearch = {
    manifest: function (m) { manifest = m; version = m.v; },
    facets: function (f) { facets = f; },
    shard: function (data) { for (var k in data) postings[k] = data[k]; },
    doc: function (n, data) { docs[n] = data; },
    state: { results: [], query: "", ms: 0 }
  };

  function load(path, done) {
    var seen = loadedFiles[path];
    if (seen === true) return done(null);
    if (seen) return seen.push(done);
    loadedFiles[path] = [done];
    var script = document.createElement("script");
    script.src = ROOT + path + (version ? "?v=" + version : "");
    script.async = true;
    function finish(error) {
      var waiting = loadedFiles[path];
      loadedFiles[path] = error ? undefined : true;
      script.parentNode.removeChild(script);
      for (var i = 0; i < waiting.length; i++) waiting[i](error);
    }
    script.onload = function () { finish(null); };
    script.onerror = function () { finish(new Error(path)); };
    document.head.appendChild(script);
  }

  function loadAll(paths, done) {
    var left = paths.length, failed = null;
    if (!left) return done(null);
    paths.forEach(function (path) {
      load(path, function (error) {
        failed = failed || error;
        if (--left === 0) done(failed);
      });
    });
  }

  /* --- keys and their files --------------------------------------------------------------- */
  function chars(text) {                 // code points, as strings
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) { out.push(text.substr(i, 2)); i++; }
      else out.push(text.charAt(i));
    }
    return out;
  }

  function codePoint(ch) {
    var c = ch.charCodeAt(0);
    return ch.length > 1 ? (c - 0xd800) * 0x400 + ch.charCodeAt(1) - 0xdc00 + 0x10000 : c;
  }

  function fileOf(key) {
    var cps = chars(key).map(codePoint);
    if (manifest.heavySet[key]) return "search/h/" + cps.map(function (c) { return c.toString(16); }).join("-") + ".js";
    var h = 0x811c9dc5;
    for (var i = 0; i < cps.length; i++) h = imul(h ^ cps[i], 0x01000193) >>> 0;
    return "search/k/" + (h % manifest.buckets) + ".js";
  }

  function imul(a, b) {                 // Math.imul, for WebViews older than it
    if (Math.imul) return Math.imul(a, b);
    var ah = (a >>> 16) & 0xffff, al = a & 0xffff, bh = (b >>> 16) & 0xffff, bl = b & 0xffff;
    return ((al * bl) + (((ah * bl + al * bh) << 16) >>> 0)) | 0;
  }

  function cover(n) {                    // bigram offsets that cover n characters
    var offsets = [];
    for (var k = 0; k + 2 <= n; k += 2) offsets.push(k);
    if (n % 2 === 1) offsets.push(n - 2);
    return offsets;
  }

  function isPinyin(term) { return /^[a-z]{2,}$/.test(term); }

  function plan(term) {                  // the keys a term reads
    var cs = chars(term), keys = [];
    if (cs.length === 1) keys.push(term);
    else if (cs.length === 2) keys.push("=" + term);
    else cover(cs.length).forEach(function (k) { keys.push(cs[k] + cs[k + 1]); });
    if (isPinyin(term)) {
      cover(cs.length).forEach(function (k) { keys.push("P" + cs[k] + cs[k + 1], "I" + cs[k] + cs[k + 1]); });
    }
    return keys;
  }

  /* --- decoding --------------------------------------------------------------------------- */
  var DIGIT = new Int8Array(128);
  (function () {
    var symbols = "";
    for (var c = 0x21; c < 0x7f; c++) if ('"\\<>'.indexOf(String.fromCharCode(c)) < 0) symbols += String.fromCharCode(c);
    for (var i = 0; i < symbols.length; i++) DIGIT[symbols.charCodeAt(i)] = i;
  })();

  function numbers(s) {                  // all numbers of a digit string
    var out = [], v = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charCodeAt(i)];
      if (d < 45) { out.push(v * 45 + d); v = 0; } else v = v * 45 + d - 45;
    }
    return out;
  }

  var decoded = {};
  function perDoc(key) {                 // {doc: count * 4 + region}
    if (decoded[key]) return decoded[key];
    var out = {}, ns = numbers(postings[key] || ""), doc = -1;
    for (var i = 0; i < ns.length; i += 2) { doc += ns[i] + 1; out[doc] = ns[i + 1]; }
    return (decoded[key] = out);
  }

  function positions(key) {              // {doc: [positions]}
    if (decoded[key]) return decoded[key];
    var out = {}, ns = numbers(postings[key] || ""), doc = -1, i = 0;
    while (i < ns.length) {
      doc += ns[i] + 1;
      var count = ns[i + 1], p = 0, found = new Array(count);
      i += 2;
      for (var j = 0; j < count; j++) { p += ns[i + j]; found[j] = p; }
      i += count;
      out[doc] = found;
    }
    return (decoded[key] = out);
  }

  function has(sorted, value) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] === value) return true;
      if (sorted[mid] < value) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  /* --- matching and ranking --------------------------------------------------------------- */
  // Classes, best first: whole title 7, title 6, title pinyin 5, site or tag 4, site pinyin 3,
  // summary or caption 2, body 1.
  var REGION_CLASS = [6, 4, 2, 1];

  function exactTitle(doc, length) {
    var first = manifest.n - manifest.cases;
    return doc < first && manifest.titleLengths[doc] === length;
  }

  // term -> {doc: [class, count]}
  function matchTerm(term) {
    var cs = chars(term), out = {}, R = manifest.region;
    function add(doc, cls, count) {
      var m = out[doc];
      if (!m) out[doc] = [cls, count];
      else { if (cls > m[0]) m[0] = cls; m[1] += count; }
    }
    if (cs.length <= 2) {
      var table = perDoc(cs.length === 1 ? term : "=" + term);
      for (var d in table) {
        var region = table[d] & 3;
        var cls = region === 0 && exactTitle(+d, cs.length) ? 7 : REGION_CLASS[region];
        add(+d, cls, table[d] >> 2);
      }
    } else {
      walk(cs, "", 1, function (doc, p) {
        var region = Math.min(3, Math.floor(p / R));     // the body runs past its stride
        add(doc, region === 0 && p === 0 && exactTitle(doc, cs.length) ? 7 : REGION_CLASS[region], 1);
      });
    }
    if (isPinyin(term)) {
      var hit = {};
      walk(cs, "P", 2, function (doc, p) { hit[doc] = Math.max(hit[doc] || 0, p < R ? 5 : 3); });
      walk(cs, "I", 1, function (doc, p) { hit[doc] = Math.max(hit[doc] || 0, p < R ? 5 : 3); });
      for (var h in hit) add(+h, hit[h], 1);
    }
    return out;
  }

  // Every occurrence of a term of 2+ characters through its covering bigrams: emit(doc, position).
  // scale 2: full pinyin, whose positions are position * 2 + (1 at a syllable start).
  function walk(cs, prefix, scale, emit) {
    var offsets = cover(cs.length);
    var lists = offsets.map(function (k) { return positions(prefix + cs[k] + cs[k + 1]); });
    var first = lists[0];
    for (var d in first) {
      var others = [];
      for (var j = 1; j < lists.length; j++) { if (!lists[j][d]) { others = null; break; } others.push(lists[j][d]); }
      if (!others) continue;
      var starts = first[d];
      for (var i = 0; i < starts.length; i++) {
        var p = starts[i];
        if (scale === 2) { if (!(p & 1)) continue; p = p >> 1; }
        var ok = true;
        for (var k = 0; k < others.length && ok; k++) {
          ok = scale === 2 ? has2(others[k], p + offsets[k + 1]) : has(others[k], p + offsets[k + 1]);
        }
        if (ok) emit(+d, p);
      }
    }
  }

  function has2(sorted, value) { return has(sorted, value * 2) || has(sorted, value * 2 + 1); }

  /* --- facets ----------------------------------------------------------------------------- */
  function members(code, n) {
    var out = [];
    if (code.charAt(0) === "!") {
      for (var i = 1; i < code.length; i++) {
        var bits = DIGIT[code.charCodeAt(i)];
        for (var b = 0; b < 6; b++) if (bits & (1 << b)) out.push((i - 1) * 6 + b);
      }
    } else {
      var ns = numbers(code.slice(1)), d = -1;
      for (var j = 0; j < ns.length; j++) { d += ns[j] + 1; out.push(d); }
    }
    return out;
  }

  function prepare(m) {
    m.heavySet = {};
    for (var kind in m.heavy) {
      var cs = chars(m.heavy[kind]), step = kind === "1" ? 1 : 2, prefix = kind === "1" || kind === "2" ? "" : kind;
      for (var i = 0; i + step <= cs.length; i += step) m.heavySet[prefix + cs.slice(i, i + step).join("")] = true;
    }
    m.cases = m.n - m.sites - m.pages;
    m.titleLengths = numbers(m.titles);
  }

  function prepareFacets() {             // once search/facets.js is loaded: the options
    manifest.values = {};
    FACETS.forEach(function (f) {
      manifest.values[f] = facets[f].map(function (v) { return { value: v[0], label: v[1], docs: members(v[2], manifest.n) }; });
      var select = selects[f];
      if (!select) return;
      manifest.values[f].forEach(function (v) {
        var option = document.createElement("option");
        option.value = v.value;
        option.textContent = v.label;
        select.appendChild(option);
      });
      select.value = filters[f] || "";
      if (select.value !== (filters[f] || "")) { select.value = ""; delete filters[f]; }
      if (!manifest.values[f].length && select.parentNode) select.parentNode.hidden = true;
    });
  }

  function chosen() {
    var out = {};
    for (var f in filters) if (filters[f]) out[f] = filters[f];
    return out;
  }

  function needFacets() { return (details && details.open) || Object.keys(chosen()).length > 0; }

  function facetMask(f, value) {
    var mask = new Uint8Array(manifest.n);
    manifest.values[f].forEach(function (v) { if (v.value === value) v.docs.forEach(function (d) { mask[d] = 1; }); });
    return mask;
  }

  /* --- one search ------------------------------------------------------------------------- */
  function parse(q) {
    q = (q.normalize ? q.normalize("NFKC") : q).toLowerCase();
    var terms = [], re = /"([^"]*)"|(\S+)/g, m;
    while ((m = re.exec(q))) {
      var t = (m[1] !== undefined ? m[1] : m[2]).replace(/"/g, "").replace(/\s+/g, " ").replace(/^ | $/g, "");
      if (t && terms.indexOf(t) < 0) terms.push(t);
    }
    return terms;
  }

  function now() { return window.performance && performance.now ? performance.now() : Date.now(); }

  function compute(terms, filters) {
    var started = now();
    var n = manifest.n, score = null, filtered = Object.keys(filters).length > 0;
    terms.forEach(function (term) {
      var found = matchTerm(term);
      if (!score) { score = found; return; }
      var both = {};
      for (var d in score) if (found[d]) both[d] = [score[d][0] + found[d][0], score[d][1] + found[d][1]];
      score = both;
    });
    var inQuery = new Uint8Array(n);
    if (score) { for (var d in score) inQuery[d] = 1; }
    else if (filtered) { for (var i = 0; i < n; i++) inQuery[i] = 1; }
    var masks = {};
    if (manifest.values) for (var f in filters) masks[f] = facetMask(f, filters[f]);
    var ids = [];
    for (var j = 0; j < n; j++) {
      if (!inQuery[j]) continue;
      var ok = true;
      for (var g in masks) if (!masks[g][j]) { ok = false; break; }
      if (ok) ids.push(j);
    }
    if (score) {
      ids.sort(function (a, b) {
        return (score[b][0] - score[a][0]) || (score[b][1] - score[a][1]) || (a - b);
      });
    }
    var counts = null;
    if (manifest.values) {
      counts = {};
      var any = score || filtered;
      FACETS.forEach(function (f) {
        var base = new Uint8Array(n);
        for (var i = 0; i < n; i++) {
          if (any && !inQuery[i]) continue;
          var ok = true;
          for (var g in masks) if (g !== f && !masks[g][i]) { ok = false; break; }
          base[i] = ok ? 1 : 0;
        }
        counts[f] = manifest.values[f].map(function (v) {
          var c = 0;
          for (var k = 0; k < v.docs.length; k++) c += base[v.docs[k]];
          return c;
        });
      });
    }
    api.state.ms = now() - started;
    return { ids: ids, counts: counts };
  }

  /* --- showing results -------------------------------------------------------------------- */
  var current = { terms: [], ids: [], shown: 0, generation: 0 };

  function showCounts(counts) {
    if (!counts) return;
    FACETS.forEach(function (f) {
      var select = selects[f];
      if (!select) return;
      manifest.values[f].forEach(function (v, i) {
        var option = select.options[i + 1];
        option.textContent = v.label + " (" + counts[f][i] + ")";
        option.disabled = counts[f][i] === 0 && select.value !== v.value;
      });
    });
  }

  function normalizedWithMap(text) {     // per character NFKC + lower case, and where each came from
    var out = "", from = [];
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i), c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) ch = text.substr(i, 2);
      var n = (ch.normalize ? ch.normalize("NFKC") : ch).toLowerCase();
      if (/\s/.test(n)) n = " ";
      for (var k = 0; k < n.length; k++) from.push(i);
      out += n;
      i += ch.length - 1;
    }
    from.push(text.length);
    return { text: out, from: from };
  }

  function marked(parent, text, terms, window) {
    var norm = normalizedWithMap(text), ranges = [];
    terms.forEach(function (t) {
      var at = norm.text.indexOf(t);
      while (at >= 0) {
        ranges.push([norm.from[at], norm.from[at + t.length]]);
        at = norm.text.indexOf(t, at + t.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var start = 0, end = text.length;
    if (window) {
      start = ranges.length ? Math.max(0, ranges[0][0] - 24) : 0;
      end = Math.min(text.length, start + window);
      if (start > 0) parent.appendChild(document.createTextNode("…"));
    }
    var at2 = start;
    ranges.forEach(function (r) {
      if (r[0] < at2 || r[0] >= end) return;
      parent.appendChild(document.createTextNode(text.slice(at2, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], Math.min(r[1], end));
      parent.appendChild(mark);
      at2 = Math.min(r[1], end);
    });
    parent.appendChild(document.createTextNode(text.slice(at2, end)));
    if (window && end < text.length) parent.appendChild(document.createTextNode("…"));
    return ranges.length > 0;
  }

  function hasMatch(text, terms) {
    var norm = normalizedWithMap(text).text;
    for (var i = 0; i < terms.length; i++) if (norm.indexOf(terms[i]) >= 0) return true;
    return false;
  }

  function href(url) { return ROOT + url + (RELATIVE ? "index.html" : ""); }

  function resultItem(id, terms) {
    var d = docs[id];   // [kind, title, url, site name, date, category, JPEG, summary+captions, body, WebP]
    var li = document.createElement("li");
    li.className = "search-result" + (d[6] ? " has-thumb" : "");
    if (d[6]) {
      var picture = document.createElement("picture");
      if (d[9]) {
        var source = document.createElement("source");
        source.type = "image/webp";
        source.srcset = ROOT + d[9];
        picture.appendChild(source);
      }
      var img = document.createElement("img");
      img.src = ROOT + d[6];
      img.alt = "";
      img.loading = "lazy";
      img.width = 96;
      img.height = 72;
      img.className = "search-thumb";
      picture.appendChild(img);
      li.appendChild(picture);
    }
    var body = document.createElement("div");
    body.className = "search-result-body";
    var h = document.createElement("h2");
    h.className = "search-result-title";
    var a = document.createElement("a");
    a.href = href(d[2]);
    marked(a, d[1], terms, 0);
    h.appendChild(a);
    body.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "card-meta";
    var kind = d[0] === "case" ? "" : say("kind-" + d[0]);
    [kind, d[3], d[5], d[4] ? dateText(d[4]) : ""].forEach(function (part) {
      if (!part) return;
      var span = document.createElement("span");
      span.textContent = part;
      meta.appendChild(span);
    });
    body.appendChild(meta);
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    var source = hasMatch(d[7], terms) || !hasMatch(d[8], terms) ? d[7] : d[8];
    marked(excerpt, source || d[8], terms, 110);
    body.appendChild(excerpt);
    li.appendChild(body);
    return li;
  }

  function dateText(iso) {
    var p = iso.split("-");
    return say("date", { y: +p[0], m: +p[1], d: +p[2] });
  }

  function showMore(generation) {
    var next = current.ids.slice(current.shown, current.shown + PAGE);
    if (!next.length) { more.hidden = true; return; }
    more.disabled = true;
    loadAll(next.map(function (id) { return "search/d/" + id + ".js"; }), function (error) {
      if (generation !== current.generation) return;
      more.disabled = false;
      if (error) { statusEl.textContent = say("error"); return; }
      next.forEach(function (id) { list.appendChild(resultItem(id, current.terms)); });
      current.shown += next.length;
      more.hidden = current.shown >= current.ids.length;
      list.setAttribute("data-shown", current.shown);
      box.setAttribute("data-state", "done");
    });
  }

  function run() {
    var q = input.value, terms = parse(q);
    var generation = ++current.generation;
    box.setAttribute("data-state", "loading");
    var keys = [];
    terms.forEach(function (t) { keys = keys.concat(plan(t)); });
    var files = {};
    keys.forEach(function (k) { files[fileOf(k)] = true; });
    if (needFacets()) files["search/facets.js"] = true;
    loadAll(Object.keys(files), function (error) {
      if (generation !== current.generation) return;
      if (error) { statusEl.textContent = say("error"); box.setAttribute("data-state", "error"); return; }
      if (facets && !manifest.values) prepareFacets();
      filters = chosen();
      var result = compute(terms, filters);
      current = { terms: terms, ids: result.ids, shown: 0, generation: generation };
      api.state.results = result.ids;
      api.state.query = q;
      showCounts(result.counts);
      while (list.firstChild) list.removeChild(list.firstChild);
      list.setAttribute("data-shown", "0");
      more.hidden = true;
      var filtered = Object.keys(filters).length > 0;
      if (!terms.length && !filtered) {
        statusEl.textContent = say("hint");
        box.setAttribute("data-state", "done");
        return;
      }
      if (!result.ids.length) {
        statusEl.textContent = terms.length ? say("none", { q: q.trim() }) : say("none-filtered");
        box.setAttribute("data-state", "done");
        return;
      }
      statusEl.textContent = say("count", { count: result.ids.length });
      showMore(generation);
    });
  }

  /* --- the address bar -------------------------------------------------------------------- */
  function toUrl() {
    var parts = [];
    if (input.value.trim()) parts.push("q=" + encodeURIComponent(input.value.trim()));
    var chosenNow = chosen();
    FACETS.forEach(function (f) { if (chosenNow[f]) parts.push(f + "=" + encodeURIComponent(chosenNow[f])); });
    return location.pathname + (parts.length ? "?" + parts.join("&") : "");
  }

  function remember(push) {
    var url = toUrl();
    if (url === location.pathname + location.search) return;
    try { history[push ? "pushState" : "replaceState"](null, "", url); } catch (e) { /* file:// in some browsers */ }
  }

  function fromUrl() {
    var params = {};
    location.search.replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf("="), name = at < 0 ? pair : pair.slice(0, at);
      var value = at < 0 ? "" : pair.slice(at + 1);
      try { params[decodeURIComponent(name)] = decodeURIComponent(value.replace(/\+/g, " ")); } catch (e) { /* bad escape */ }
    });
    input.value = params.q || "";
    filters = {};
    FACETS.forEach(function (f) {
      if (params[f]) filters[f] = params[f];
      var select = selects[f];
      if (!select || !manifest.values) return;
      select.value = params[f] || "";
      if (select.value !== (params[f] || "")) { select.value = ""; delete filters[f]; }
    });
    if (details && Object.keys(filters).length) details.open = true;
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(false); run(); }, 200);
  }
  // While an input method is composing (拼音 being typed for 汉字), wait for the characters.
  input.addEventListener("input", function (event) { if (!event.isComposing) later(); });
  input.addEventListener("compositionend", later);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(true);
    run();
  });
  FACETS.forEach(function (f) {
    if (selects[f]) selects[f].addEventListener("change", function () {
      if (selects[f].value) filters[f] = selects[f].value; else delete filters[f];
      remember(true);
      run();
    });
  });
  more.addEventListener("click", function () { showMore(current.generation); });
  if (details) details.addEventListener("toggle", function () { if (details.open && !manifest.values) run(); });
  window.addEventListener("popstate", function () { fromUrl(); run(); });

  statusEl.textContent = say("loading");
  load("search/manifest.js", function (error) {
    if (error || !manifest) { statusEl.textContent = say("error"); box.setAttribute("data-state", "error"); return; }
    prepare(manifest);
    fromUrl();
    box.setAttribute("data-ready", "1");
    run();
  });
})();
