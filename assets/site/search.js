/* Searching models by name: the rule of leaderboard/search.py (its docstring describes it), the same
   constants, the same similarity (difflib.SequenceMatcher's ratio, autojunk off). The site's build puts
   this file in front of site.js; tests/test_search.py runs it in Node against the Python table. */
(function (root) {
  "use strict";
  var MAX_QUERY_CHARS = 100, MAX_SUGGEST_KEY_CHARS = 60, SUGGEST_CUTOFF = 0.6, MAX_SUGGESTIONS = 3;
  var HUB_URL = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/+([^\/?#\s]+)(?:\/+([^\/?#\s]+))?/i;

  function queryText(query) {
    var text = String(query || "").slice(0, MAX_QUERY_CHARS).trim();
    var hub = HUB_URL.exec(text);
    if (hub) { return hub[2] ? hub[1] + "/" + hub[2] : hub[1]; }
    return text;
  }

  function key(text) { return String(text).toLowerCase().replace(/[^a-z0-9]/g, ""); }

  function queryKey(query) { return key(queryText(query)); }

  function matches(query, modelId) { return key(modelId).indexOf(queryKey(query)) >= 0; }

  /* difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() */
  function ratio(a, b) {
    var b2j = Object.create(null), i, j;
    for (j = 0; j < b.length; j += 1) { (b2j[b[j]] = b2j[b[j]] || []).push(j); }
    function longest(alo, ahi, blo, bhi) {
      var besti = alo, bestj = blo, bestsize = 0, j2len = Object.create(null);
      for (var i2 = alo; i2 < ahi; i2 += 1) {
        var next = Object.create(null), js = b2j[a[i2]] || [];
        for (var n = 0; n < js.length; n += 1) {
          var j2 = js[n];
          if (j2 < blo) { continue; }
          if (j2 >= bhi) { break; }
          var k = next[j2] = (j2len[j2 - 1] || 0) + 1;
          if (k > bestsize) { besti = i2 - k + 1; bestj = j2 - k + 1; bestsize = k; }
        }
        j2len = next;
      }
      return [besti, bestj, bestsize];
    }
    var queue = [[0, a.length, 0, b.length]], matched = 0;
    while (queue.length) {
      var q = queue.pop(), m = longest(q[0], q[1], q[2], q[3]);
      i = m[0]; j = m[1];
      if (m[2]) {
        matched += m[2];
        if (q[0] < i && q[2] < j) { queue.push([q[0], i, q[2], j]); }
        if (i + m[2] < q[1] && j + m[2] < q[3]) { queue.push([i + m[2], q[1], j + m[2], q[3]]); }
      }
    }
    return a.length + b.length ? 2.0 * matched / (a.length + b.length) : 1.0;
  }

  function suggestions(query, modelIds) {
    var wanted = queryKey(query), seen = Object.create(null), scored = [];
    if (!wanted || wanted.length > MAX_SUGGEST_KEY_CHARS) { return []; }
    modelIds.forEach(function (id) {
      if (seen[id]) { return; }
      seen[id] = true;
      var best = 0;
      [key(id), key(id.slice(id.lastIndexOf("/") + 1))].forEach(function (candidate) {
        if (candidate) { best = Math.max(best, ratio(wanted, candidate)); }
      });
      if (best >= SUGGEST_CUTOFF) { scored.push([best, id]); }
    });
    scored.sort(function (x, y) { return x[0] !== y[0] ? y[0] - x[0] : (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0); });
    return scored.slice(0, MAX_SUGGESTIONS).map(function (s) { return s[1]; });
  }

  var api = {
    MAX_QUERY_CHARS: MAX_QUERY_CHARS, MAX_SUGGEST_KEY_CHARS: MAX_SUGGEST_KEY_CHARS,
    SUGGEST_CUTOFF: SUGGEST_CUTOFF, MAX_SUGGESTIONS: MAX_SUGGESTIONS,
    queryText: queryText, key: key, queryKey: queryKey, matches: matches, ratio: ratio, suggestions: suggestions
  };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { root.aiesSearch = api; }
}(this));
