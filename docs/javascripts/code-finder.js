// Recognises a code in whatever a reader holds: the code, its number, name or canonical
// code, an SDK constant as written in code, the gRPC reason, a wire code of another
// specification document, a pasted log line or error body, a prefix being typed, or an
// HTTP status with its reason phrase. The forms come from errors/codes.json, which the
// catalog model writes (macros/forms.py); this file only folds and looks them up.
// The search box shows what it finds as "go to" links above Material's own results, and
// Enter opens the first; the 404 page (not-found.js) uses the same finder.
(function () {
  "use strict";

  // The 404 page loads this file in its head, before the theme; the copy every page loads
  // at the end then has nothing left to do.
  if (window.ojsCodeFinder) return;

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

  function entries(lookup, indexes) {
    return indexes.map(function (index) { return lookup.codes[index]; });
  }

  // A form found: its codes, and whether they share it as a wire code (then no code is
  // "the" code: an address lists them instead of going to the first).
  function byForm(lookup, text, how) {
    var key = fold(text);
    var indexes = key && lookup.forms[key];
    if (!indexes) return null;
    return { how: how, form: text, codes: entries(lookup, indexes),
             shared: lookup.wire_only.indexOf(key) !== -1 && indexes.length > 1 };
  }

  // Within a longer text, only tokens that look like code: an underscore, a dot or a
  // colon inside, a lower-case letter before a capital (DuplicateJob), or capitals only
  // (UNAUTHENTICATED). A plain word such as "timeout" counts only as the whole query.
  function strongTokens(query) {
    return (query.match(/[A-Za-z0-9_.:-]+/g) || [])
      .map(function (token) { return token.replace(/^[.:-]+|[.:-]+$/g, ""); })
      .filter(function (token) {
        return /[_.:]/.test(token) || /[a-z][A-Z]/.test(token) || /^[A-Z][A-Z0-9]{3,}$/.test(token);
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
    return { how: "status", form: status, codes: entries(lookup, lookup.statuses[status].codes), shared: true };
  }

  function byPrefix(lookup, query) {
    var match = /^\s*ojs[-_ ]?(\d{1,3})\s*$/i.exec(query);
    if (!match) return null;
    var codes = lookup.codes.filter(function (entry) { return entry.number.indexOf(match[1]) === 0; });
    return codes.length ? { how: "prefix", form: "OJS-" + match[1], codes: codes, shared: true } : null;
  }

  function find(lookup, query) {
    if (!query || !query.trim()) return null;
    var found = byForm(lookup, query.trim(), "form");
    if (found) {
      // "Payload Too Large" is a name and a reason phrase: the code, then its status's others.
      var status = byStatus(lookup, query);
      if (status) {
        found.codes = found.codes.concat(status.codes.filter(function (entry) { return found.codes.indexOf(entry) === -1; }));
      }
      return found;
    }
    var code = /\bOJS[-_ ]?(\d{4})\b/i.exec(query);
    if (code && (found = byForm(lookup, "OJS" + code[1], "form"))) return found;
    var body = /"code"\s*:\s*"([^"]+)"/.exec(query);
    if (body && (found = byForm(lookup, body[1], "form"))) return found;
    var tokens = strongTokens(query);
    for (var i = 0; i < tokens.length; i++) {
      if ((found = byForm(lookup, tokens[i], "form"))) return found;
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

  // Where a missing address leads: to the one code a segment names, or to the list of the
  // codes a shared wire code names. Null when no segment is a form of a code.
  function route(lookup, path, errorsPath) {
    var segments = segmentsOf(path, errorsPath);
    for (var i = 0; i < segments.length; i++) {
      var found = find(lookup, segments[i]);
      if (found && found.how === "form") {
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
    var link = element("a", null, { href: errorsUrl + entry.code + "/" });
    link.append(element("strong", entry.code), " " + entry.name);
    if (entry.canonical_code) link.append(" · ", element("code", entry.canonical_code));
    return link;
  }

  function heading(found) {
    if (found.how === "status") return "Codes with HTTP status " + found.form;
    if (found.how === "prefix") return "Codes starting with " + found.form;
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

  window.ojsCodeFinder = { load: load, find: find, route: route, segmentsOf: segmentsOf, fold: fold,
                          codeLink: codeLink, element: element };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachToSearch);
  } else {
    attachToSearch();
  }
})();
