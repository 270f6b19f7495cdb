/* AI Energy Score static site: a board's filters, search and sorting (state in the URL), the
   model-page redirect for the app's links (model?id=org/name&record=id), and a model page's record.
   Everything works without it: the tables are in the HTML. */
(function () {
  "use strict";
  var page = document.body.getAttribute("data-page");

  function text(el, value) { if (el) { el.textContent = value; } }

  /* --- task board ------------------------------------------------------------------------------ */
  function board() {
    var form = document.getElementById("filters");
    if (!form) { return; }
    var defaults = JSON.parse(form.getAttribute("data-defaults"));
    /* The rounds "Latest round" shows: the latest and the earlier ones it lists beside its own (as the app). */
    var listed = (form.getAttribute("data-listed") || "").split(" ");
    var lists = Array.prototype.slice.call(document.querySelectorAll(".board-list"));
    var count = document.getElementById("view-count");
    var empty = document.getElementById("view-empty");
    var notice = document.getElementById("link-notice");
    var SORTS = { energy: 1, model: 1, stars: 1, q0: 1, q1: 1, q2: 1, q3: 1 };
    var state = {};

    function field(name) { return form.elements.namedItem(name); }

    function options(name) {
      var el = field(name);
      if (!el || !el.options) { return null; }
      return Array.prototype.map.call(el.options, function (o) { return o.value; });
    }

    /* The app's permalinks (?class=All&round=February+2025&show=All+results&sort=Highest+GPU+energy+first)
       open the same view here: their values are read as the site's. */
    function fromApp(params) {
      var sort = (params.get("sort") || "").toLowerCase();
      if (sort === "asc" || sort === "lowest gpu energy first") { params.set("sort", "energy"); params.set("order", "asc"); }
      if (sort === "desc" || sort === "highest gpu energy first") { params.set("sort", "energy"); params.set("order", "desc"); }
      if ((params.get("class") || "").toLowerCase() === "all") { params.set("class", "all"); }
      var show = (params.get("show") || "").toLowerCase();
      if (show === "all results") { params.set("show", "all"); }
      if (show === "official board") { params.set("show", "official"); }
      var round = params.get("round");
      if (round && !params.has("cohort")) {  /* round= (empty) is no round, as in the app */
        params["delete"]("round");
        if (round.toLowerCase() === "all rounds") { params.set("cohort", "all"); }
        else if (round.toLowerCase() !== "latest round") {
          var el = field("cohort"), found = null;
          Array.prototype.forEach.call(el ? el.options : [], function (o) {
            if (o.value === round || o.textContent === round || o.textContent === round + " round") { found = o.value; }
          });
          params.set("cohort", found || round);  /* an unknown round is named as dropped */
        }
      }
    }

    function readUrl() {
      var params = new URLSearchParams(window.location.search);
      var dropped = [];
      fromApp(params);
      Object.keys(defaults).forEach(function (key) {
        var value = params.get(key);
        if (value === null || value === "") { state[key] = defaults[key]; return; }
        var allowed = key === "sort" ? Object.keys(SORTS) : key === "order" ? ["asc", "desc"] : options(key);
        if (allowed && allowed.indexOf(value) < 0) { dropped.push(key + "=" + value.slice(0, 60)); state[key] = defaults[key]; return; }
        state[key] = value;
      });
      if (dropped.length && notice) {
        text(notice, "Dropped from this link (not among the choices): " + dropped.join(", ") + ". The view shows the rest.");
        notice.hidden = false;
      }
    }

    function writeUrl() {
      var params = new URLSearchParams();
      Object.keys(defaults).forEach(function (key) {
        if (state[key] !== defaults[key]) { params.set(key, state[key]); }
      });
      var query = params.toString();
      /* The page's own address without its query: a path alone that begins with // would name another host. */
      var here = window.location.href.split("#")[0].split("?")[0];
      window.history.replaceState(null, "", here + (query ? "?" + query : "") + window.location.hash);
    }

    function toForm() {
      ["class", "cohort", "hw", "show", "q"].forEach(function (key) {
        var el = field(key);
        if (el) { el.value = state[key]; }
      });
    }

    function compare(key, order) {
      var sign = order === "desc" ? -1 : 1;
      return function (a, b) {
        var x = a.sortValues[key], y = b.sortValues[key];
        /* Quality columns: no quality data sorts last in either order, never as the best. */
        var xm = typeof x === "number" && isNaN(x), ym = typeof y === "number" && isNaN(y);
        if (xm || ym) { return xm === ym ? a.sortValues.pos - b.sortValues.pos : (xm ? 1 : -1); }
        if (x !== y) { return sign * (x < y ? -1 : 1); }
        return a.sortValues.pos - b.sortValues.pos;
      };
    }

    /* The lists' HTML is the app's (templates/board_list.html.j2); sorting is added here: each row's
       values, and a button in each sortable header (keyboard-reachable, with aria-sort). */
    var HEADERS = { "aies-model": "model", "aies-energy": "energy", "aies-stars": "stars" };
    lists.forEach(function (list) {
      Array.prototype.forEach.call(list.querySelectorAll("tbody tr"), function (row, pos) {
        var stars = row.querySelector(".aies-stars [aria-label]");
        var link = row.querySelector(".aies-model a");
        row.modelId = link ? link.textContent : (row.getAttribute("data-model") || "");
        row.searchKey = window.aiesSearch.key(row.modelId);
        row.sortValues = {
          model: row.getAttribute("data-model") || "",
          energy: parseFloat(row.getAttribute("data-energy")),
          stars: stars ? parseInt(stars.getAttribute("aria-label"), 10) : 0,
          pos: pos
        };
        /* Each quality column's figure, oriented so that higher is better (templates/board_list.html.j2). */
        Array.prototype.forEach.call(row.querySelectorAll("td.aies-quality"), function (cell, i) {
          var q = cell.getAttribute("data-quality");
          row.sortValues["q" + i] = q ? parseFloat(q) : NaN;
        });
      });
      var qualityColumn = 0;
      Array.prototype.forEach.call(list.querySelectorAll("thead th"), function (th) {
        var key = null;
        Object.keys(HEADERS).forEach(function (cls) { if (th.classList.contains(cls)) { key = HEADERS[cls]; } });
        if (th.classList.contains("aies-quality")) { key = "q" + qualityColumn; qualityColumn += 1; }
        if (!key) { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        th.setAttribute("data-sort", key);
        button.addEventListener("click", function () {
          if (state.sort === key) {
            state.order = state.order === "asc" ? "desc" : "asc";
          } else {
            state.sort = key;
            state.order = key === "stars" || key.charAt(0) === "q" ? "desc" : "asc";
          }
          apply();
        });
      });
    });

    function apply() {
      var q = window.aiesSearch.queryKey(state.q);
      var shownRows = 0, shownLists = 0, near = [];
      lists.forEach(function (list) {
        var matches = (state["class"] === "all" || !state["class"] || list.getAttribute("data-class") === state["class"]) &&
          (state.cohort === "all" || list.getAttribute("data-cohort") === state.cohort ||
            (state.cohort === "latest" && listed.indexOf(list.getAttribute("data-cohort")) >= 0)) &&
          (state.hw === "all" || list.getAttribute("data-hw") === state.hw) &&
          (state.show === "all" || list.getAttribute("data-official") === "1");
        var body = list.querySelector("tbody");
        var rows = Array.prototype.slice.call(body.rows);
        var visible = 0;
        rows.sort(compare(state.sort, state.order)).forEach(function (row) {
          if (matches) { near.push(row.modelId); }
          var show = matches && (!q || row.searchKey.indexOf(q) >= 0);
          row.hidden = !show;
          if (show) { visible += 1; }
          body.appendChild(row);
        });
        list.hidden = visible === 0;
        if (visible) { shownLists += 1; shownRows += visible; }
        Array.prototype.forEach.call(list.querySelectorAll("th[data-sort]"), function (th) {
          if (th.getAttribute("data-sort") === state.sort) {
            th.setAttribute("aria-sort", state.order === "desc" ? "descending" : "ascending");
          } else {
            th.removeAttribute("aria-sort");
          }
        });
      });
      text(count, "Showing " + shownRows + (shownRows === 1 ? " result" : " results") + " in " + shownLists +
        (shownLists === 1 ? " ranked list" : " ranked lists") + ".");
      empty.hidden = shownRows > 0;
      suggest(shownRows === 0 && q ? window.aiesSearch.suggestions(state.q, near) : []);
      writeUrl();
    }

    /* "Did you mean": the nearest model ids of the lists the other filters show, each a link that searches it. */
    function suggest(ids) {
      var box = document.getElementById("view-suggest");
      if (!box) { return; }
      box.textContent = "";
      box.hidden = !ids.length;
      if (!ids.length) { return; }
      box.appendChild(document.createTextNode("Did you mean "));
      ids.forEach(function (id, i) {
        if (i) { box.appendChild(document.createTextNode(i === ids.length - 1 ? " or " : ", ")); }
        var a = document.createElement("a");
        a.href = "?q=" + encodeURIComponent(id);
        a.textContent = id;
        a.addEventListener("click", function (event) {
          event.preventDefault();
          state.q = id;
          toForm();
          apply();
        });
        box.appendChild(a);
      });
      box.appendChild(document.createTextNode("?"));
    }

    readUrl();
    toForm();
    form.hidden = false;
    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target && target.name && target.name in defaults) { state[target.name] = target.value; apply(); }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      Object.keys(defaults).forEach(function (key) { state[key] = defaults[key]; });
      toForm();
      apply();
    });
    apply();
  }

  /* --- model?id=org/name&record=id: the app's link to a model page ------------------------------- */
  function modelRedirect() {
    var params = new URLSearchParams(window.location.search);
    var id = params.get("id");
    if (!id) { return; }
    var record = params.get("record") || "";
    var links = document.querySelectorAll("a[data-id]");
    for (var i = 0; i < links.length; i += 1) {
      if (links[i].getAttribute("data-id") === id) {
        /* A record id in any case lands on its row; anything else is carried along so the page names it. */
        var wanted = /^[0-9a-fA-F]{16}$/.test(record) ? record.toLowerCase() : record.slice(0, 40);
        window.location.replace(links[i].href + (wanted ? "#" + encodeURIComponent(wanted) : ""));
        return;
      }
    }
    var note = document.getElementById("unknown-model");
    text(note, "Model " + JSON.stringify(id.slice(0, 100)) + " has no page here: it has no published result yet. " +
      "Pick a model below, or make a custom label or submit its logs in the app.");
    note.hidden = false;
  }

  /* --- model page: the record a label's link names ----------------------------------------------- */
  function modelPage() {
    var record = "";
    try { record = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { record = window.location.hash.slice(1); }
    var note = document.getElementById("record-note");
    if (!record || !note) { return; }
    var row = document.getElementById(record);
    if (row && row.tagName !== "TR") { return; }  /* the page's own anchors (#main, where the skip link leads) */
    if (row) {
      text(note, "Record " + record + ": " + row.getAttribute("data-summary"));
    } else {
      text(note, "Record " + JSON.stringify(record.slice(0, 20)) + " is not a result of this model; all of its results are shown.");
    }
    note.hidden = false;
  }

  if (page === "board") { board(); }
  if (page === "model-redirect") { modelRedirect(); }
  if (page === "model") { modelPage(); }
}());
