// Recognises a code in whatever a reader holds: the code, its number, name or canonical
// code, an SDK constant or error class as written in code, a wire code, a message an SDK
// or a backend prints, a pasted log line, stack trace or error body, a prefix being typed,
// or an HTTP status with its reason phrase. Everything it knows comes from
// errors/codes.json, which the catalog model writes (macros/forms.py, macros/recognition.py):
// this file only folds, matches and looks up.
// The search box shows what it finds as "go to" links above Material's own results, and
// Enter opens the first; the 404 page (not-found.js) routes addresses with the same finder.
// It also runs in Node (tests/recogniser.mjs), where it only exports the finder.
(function (root) {
  "use strict";

  // The 404 page loads this file in its head, before the theme; the copy every page loads
  // at the end then has nothing left to do.
  if (root.ojsCodeFinder) return;

  var loading = {};

  function load(url) {
    if (!loading[url]) {
      loading[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error("no code lookup at " + url);
        return response.json();
      });
    }
    return loading[url];
  }

  // The folding of macros/forms.py: lower case, letters and digits only.
  function fold(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]/g, "");
  }

  // A target is a code's page or a wire code's page: codes first, then pages.
  function target(lookup, index) {
    if (index < lookup.codes.length) {
      var code = lookup.codes[index];
      return { page: code.code, code: code.code, name: code.name, canonical_code: code.canonical_code, index: index };
    }
    var page = lookup.pages[index - lookup.codes.length];
    return { page: page.page, code: page.code, wire: true, index: index };
  }

  function targets(lookup, indexes) {
    return indexes.map(function (index) { return target(lookup, index); });
  }

  // Compiled once per lookup: the implementations' texts and printed lines.
  function compiled(lookup) {
    if (!lookup._compiled) {
      lookup._compiled = {
        texts: (lookup.texts || []).map(function (text) {
          return { pattern: new RegExp(text.pattern), text: text };
        }),
        lines: (lookup.lines || []).map(function (line) { return new RegExp(line); }),
        wires: (lookup.wire_patterns || []).map(function (wire) {
          return { pattern: new RegExp(wire.pattern, "i"), wire: wire };
        })
      };
    }
    return lookup._compiled;
  }

  // A form's targets, or a wire code written with a status (http_502): that code's page,
  // then the codes with that status.
  function formTargets(lookup, text) {
    var exact = lookup.exact || {};
    if (Object.prototype.hasOwnProperty.call(exact, text)) return exact[text];
    var key = fold(text);
    if (key && lookup.forms[key]) return lookup.forms[key];
    var wires = compiled(lookup).wires;
    for (var i = 0; i < wires.length; i++) {
      var match = wires[i].pattern.exec(String(text));
      if (match) return wires[i].wire.targets.concat(statusCodes(lookup, match.groups.status));
    }
    return null;
  }

  function statusCodes(lookup, status) {
    var entry = status && lookup.statuses[status];
    return entry ? entry.codes : [];
  }

  // A form found: its targets, and whether they are several a wire code shares without a
  // page of its own (then an address lists them instead of going to the first).
  function byForm(lookup, text, how) {
    var indexes = formTargets(lookup, text);
    if (!indexes) return null;
    var key = fold(text);
    return { how: how, form: text, codes: targets(lookup, indexes),
             shared: lookup.wire_only.indexOf(key) !== -1 && indexes.length > 1 &&
                     indexes[0] < lookup.codes.length };
  }

  // Within a longer text, only tokens that look like code: an underscore, a dot or a
  // colon inside, a lower-case letter before a capital (DuplicateJob), or capitals only
  // (UNAUTHENTICATED). A plain word such as "timeout" counts only as the whole query, or
  // where a printed line or a body puts it in a code's place.
  function strongTokens(query) {
    return (query.match(/[A-Za-z0-9_.:$-]+/g) || [])
      .map(function (token) { return token.replace(/^[.:$-]+|[.:$-]+$/g, ""); })
      .filter(function (token) {
        return /[_.:$]/.test(token) || /[a-z][A-Z]/.test(token) || /^[A-Z][A-Z0-9]{3,}$/.test(token);
      });
  }

  function byStatus(lookup, query) {
    var text = query.trim().toLowerCase().replace(/^http\s*/, "");
    var number = /^(\d{3})\b\s*(.*)$/.exec(text);
    var statuses = Object.keys(lookup.statuses);
    var status = null;
    if (number && lookup.statuses[number[1]]) {
      var phrase = number[2].trim();
      if (!phrase || lookup.statuses[number[1]].phrases.indexOf(phrase) !== -1) status = number[1];
    } else {
      status = statuses.filter(function (s) { return lookup.statuses[s].phrases.indexOf(text) !== -1; })[0] || null;
    }
    if (!status) return null;
    return { how: "status", form: status, codes: targets(lookup, lookup.statuses[status].codes), shared: true };
  }

  // What every code of the catalog starts with, folded (ojs, errjobs): a prefix says
  // something only past it.
  function sharedStart(lookup) {
    if (lookup.sharedStart === undefined) {
      var codes = lookup.codes.map(function (entry) { return fold(entry.code); });
      var start = codes[0] || "";
      codes.forEach(function (code) {
        while (code.indexOf(start) !== 0) start = start.slice(0, -1);
      });
      lookup.sharedStart = start;
    }
    return lookup.sharedStart;
  }

  // The reader may hold a prefix of a code (OJS-30, ERR_JOBS_LEA, as typed): a folded start
  // of one of the catalog's codes, longer than what they all share.
  function byPrefix(lookup, query) {
    var key = fold(query);
    if (key.length <= sharedStart(lookup).length) return null;
    var indexes = [];
    lookup.codes.forEach(function (entry, index) {
      if (fold(entry.code).indexOf(key) === 0) indexes.push(index);
    });
    return indexes.length ? { how: "prefix", form: query.trim(), codes: targets(lookup, indexes), shared: true } : null;
  }

  // JSON bodies escape what they hold: \u003c for <, \" for ".
  function unescapeJson(text) {
    return text.replace(/\\u([0-9a-fA-F]{4})/g, function (_, hex) { return String.fromCharCode(parseInt(hex, 16)); })
      .replace(/\\(["\\/])/g, "$1");
  }

  // A text of the implementations' in the query: its targets, narrowed by what it captured,
  // then the codes of a status it captured.
  function byTexts(lookup, text) {
    var found = [];
    compiled(lookup).texts.forEach(function (entry) {
      var match = entry.pattern.exec(text);
      if (!match) return;
      var indexes = entry.text.targets;
      var groups = match.groups || {};
      Object.keys(entry.text.by || {}).forEach(function (name) {
        var value = groups[name] && groups[name].toLowerCase();
        if (value && entry.text.by[name][value]) indexes = entry.text.by[name][value];
      });
      found.push({ indexes: indexes.concat(statusCodes(lookup, groups.status)), form: match[0] });
    });
    return found;
  }

  // Where a printed line or a body puts a wire code: ojs: duplicate: …, [conflict] …,
  // "code":"forbidden", code=internal_error.
  function wireCodesIn(lookup, text) {
    var found = [];
    compiled(lookup).lines.forEach(function (line) {
      var match = line.exec(text);
      if (match && match.groups && match.groups.wire) found.push(match.groups.wire);
    });
    var field = /["']?\bcode["']?\s*[:=]\s*["']?([A-Za-z][A-Za-z0-9_-]*)/g;
    var match;
    while ((match = field.exec(text))) found.push(match[1]);
    return found;
  }

  function find(lookup, query) {
    if (!query || !query.trim()) return null;
    var found = byForm(lookup, query.trim(), "form");
    if (found) {
      // "Payload Too Large" is a name and a reason phrase: the code, then its status's others.
      var status = byStatus(lookup, query);
      if (status) {
        var seen = found.codes.map(function (entry) { return entry.index; });
        found.codes = found.codes.concat(status.codes.filter(function (entry) { return seen.indexOf(entry.index) === -1; }));
      }
      return found;
    }
    // Evidence in a longer text, strongest first: an implementation's message, a code
    // (written as the catalog's code_format declares, separators loose), a wire code where
    // a printed line or a body puts one, then code-like tokens.
    var text = unescapeJson(query);
    var evidence = byTexts(lookup, text);
    var code = new RegExp(lookup.code_format.in_text, "i").exec(text);
    if (code && lookup.forms[fold(code[0])]) evidence.push({ indexes: lookup.forms[fold(code[0])], form: code[0] });
    wireCodesIn(lookup, text).concat(strongTokens(text)).forEach(function (token) {
      var indexes = formTargets(lookup, token);
      if (indexes) evidence.push({ indexes: indexes, form: token });
    });
    if (evidence.length) {
      var indexes = [];
      evidence.forEach(function (item) {
        item.indexes.forEach(function (index) { if (indexes.indexOf(index) === -1) indexes.push(index); });
      });
      return { how: "text", form: evidence[0].form, codes: targets(lookup, indexes),
               shared: evidence[0].indexes.length > 1 };
    }
    return byPrefix(lookup, query) || byStatus(lookup, query);
  }

  // The path's segments after the catalog's folder (errorsPath, "/errors/"), without a file
  // name: /errors/ojs-3001/index.html and /errors/OJS-3001/stray both give ["ojs-3001", …].
  function segmentsOf(path, errorsPath) {
    var rest = errorsPath && path.indexOf(errorsPath) === 0 ? path.slice(errorsPath.length) : path;
    return rest.split("/").filter(Boolean)
      .map(function (segment) { return segment.replace(/\.(html?|md)$/i, ""); })
      .filter(function (segment) { return segment && segment.toLowerCase() !== "index"; });
  }

  // Where a missing address leads: to the page a segment names (a code's or a wire code's),
  // or to the list of the codes a shared wire code names. Null when no segment is a form.
  function route(lookup, path, errorsPath) {
    var segments = segmentsOf(path, errorsPath);
    for (var i = 0; i < segments.length; i++) {
      // An address that is a wire code's page, in another case, is that page's.
      for (var p = 0; p < lookup.pages.length; p++) {
        if (fold(lookup.pages[p].code) === fold(segments[i])) {
          return { segment: segments[i], code: target(lookup, lookup.codes.length + p) };
        }
      }
      var found = byForm(lookup, segments[i], "form");
      if (found) {
        return found.shared ? { segment: segments[i], list: found.codes } : { segment: segments[i], code: found.codes[0] };
      }
    }
    return null;
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function codeLink(entry, errorsUrl) {
    var link = element("a", null, { href: errorsUrl + entry.page + "/" });
    if (entry.wire) {
      link.append(element("strong", entry.code), " wire code: what it means, and its codes");
    } else {
      link.append(element("strong", entry.code), " " + entry.name);
      if (entry.canonical_code) link.append(" · ", element("code", entry.canonical_code));
    }
    return link;
  }

  function heading(found) {
    if (found.how === "status") return "Codes with HTTP status " + found.form;
    if (found.how === "prefix") return "Codes starting with " + found.form;
    if (found.how === "text") return found.shared ? "This can mean, most likely first" : "Go to";
    if (found.shared) return found.form + " names several errors";
    return "Go to";
  }

  // The "go to" box in the search dialog (overrides/partials/search.html).
  function attachToSearch() {
    var input = document.querySelector("input.md-search__input");
    var box = document.querySelector(".ojs-goto");
    if (!input || !box) return;
    var lookup = null;

    function show() {
      var found = lookup && find(lookup, input.value);
      var list = element("ol", null, { "class": "ojs-goto__list" });
      (found ? found.codes : []).slice(0, 12).forEach(function (entry) {
        var item = element("li");
        item.append(codeLink(entry, box.dataset.errorsUrl));
        list.append(item);
      });
      box.replaceChildren(element("p", found ? heading(found) : "", { "class": "ojs-goto__title" }), list);
      box.hidden = !found;
      // The query this box answers, once the lookup is there: tests wait for it.
      if (lookup) box.dataset.query = input.value;
    }

    function ready() {
      if (lookup) return;
      load(box.dataset.lookupUrl).then(function (data) { lookup = data; show(); }).catch(function () {});
    }

    input.addEventListener("focus", ready);
    input.addEventListener("input", function () { ready(); show(); });
    input.addEventListener("keyup", function () { ready(); show(); });
    // What the reader typed before this script arrived (javascripts/on-demand.js).
    if (input.value) ready();
    // Enter opens the first "go to" link: ahead of Material's own Enter handling.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target !== input || box.hidden) return;
      var first = box.querySelector("a");
      if (!first) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      location.assign(first.href);
    }, true);
  }

  root.ojsCodeFinder = { load: load, find: find, route: route, segmentsOf: segmentsOf, fold: fold,
                         codeLink: codeLink, element: element };
  if (typeof document === "undefined") return;
  if (document.readyState === "loading") {
    // Once: the event is sent again when the theme arrives (javascripts/on-demand.js).
    document.addEventListener("DOMContentLoaded", attachToSearch, { once: true });
  } else {
    attachToSearch();
  }
})(typeof window !== "undefined" ? window : globalThis);
