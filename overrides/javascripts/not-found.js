// The 404 page: send case variants of real codes to their page, and suggest the nearest
// codes for anything else that looks like one. Redirect targets are built only from the
// catalog's own lookup file, never from the requested address, so no URL can send a
// reader to another host. Text from the address is only ever set as textContent.
// It runs from the page's head, loaded without blocking, and waits for nothing but the
// finder (javascripts/code-finder.js, the script the page names in data-finder): an address
// that names a code leaves as soon as the lookup file arrives; the page itself is filled in
// once it is parsed.
(function () {
  "use strict";

  var script = document.currentScript;
  var errorsUrl = script.dataset.errorsUrl;
  var lookupUrl = script.dataset.lookupUrl;
  var finderScript = document.getElementById(script.dataset.finder);

  if (window.ojsCodeFinder) {
    run(window.ojsCodeFinder);
  } else {
    finderScript.addEventListener("load", function () { run(window.ojsCodeFinder); });
  }

  function run(finder) {
    var root = null;

    function requestedPath() {
      var path = location.pathname;
      try {
        path = decodeURIComponent(path);
      } catch (error) {
        // Keep the raw path: a malformed escape is still worth showing.
      }
      return path;
    }

    function whenParsed(then) {
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", then, { once: true });
      } else {
        then();
      }
    }

    var fold = finder.fold;

    function pageUrl(entry) {
      return errorsUrl + (entry.page || entry.code) + "/";
    }

    function editDistance(a, b) {
      var previous = [];
      for (var j = 0; j <= b.length; j++) previous.push(j);
      for (var i = 1; i <= a.length; i++) {
        var current = [i];
        for (var k = 1; k <= b.length; k++) {
          var substitution = previous[k - 1] + (a[i - 1] === b[k - 1] ? 0 : 1);
          current.push(Math.min(previous[k] + 1, current[k - 1] + 1, substitution));
        }
        previous = current;
      }
      return previous[b.length];
    }

    var element = finder.element;

    function codeLink(entry) {
      var item = element("li");
      var link = element("a", entry.code, { href: pageUrl(entry) });
      item.append(link, entry.wire ? " (wire code)" : " " + entry.name + (entry.canonical_code ? " (" + entry.canonical_code + ")" : ""));
      return item;
    }

    function suggest(message, entries, category) {
      var box = root.querySelector(".ojs-not-found__suggestions");
      box.append(element("p", message));
      if (entries.length) {
        var list = element("ul", null, { "class": "ojs-not-found__codes" });
        entries.forEach(function (entry) { list.append(codeLink(entry)); });
        box.append(list);
      }
      if (category) {
        var more = element("p", "All codes of this category: ");
        more.append(element("a", category.name, { href: errorsUrl + category.slug + "/" }));
        box.append(more);
      }
    }

    function nearestInCategory(lookup, digit, number) {
      return lookup.codes
        .filter(function (entry) { return String(entry.digit) === digit; })
        .sort(function (a, b) {
          return Math.abs(parseInt(a.number, 10) - number) - Math.abs(parseInt(b.number, 10) - number);
        })
        .slice(0, 5);
    }

    function closestByName(lookup, key) {
      var threshold = Math.max(2, Math.floor(key.length / 4));
      return lookup.codes
        .map(function (entry) {
          var names = [entry.name, entry.canonical_code || ""].filter(Boolean).map(fold);
          var distance = Math.min.apply(null, names.map(function (name) { return editDistance(key, name); }));
          return { entry: entry, distance: distance };
        })
        .filter(function (match) { return match.distance <= threshold; })
        .sort(function (a, b) { return a.distance - b.distance; })
        .slice(0, 5)
        .map(function (match) { return match.entry; });
    }

    // Where the address leads, from the lookup alone: no page needed.
    function leave(lookup, path) {
      var routed = finder.route(lookup, path, new URL(errorsUrl, location.href).pathname);
      if (routed && routed.code) location.replace(pageUrl(routed.code) + location.hash);
      return routed;
    }

    function explain(lookup, routed, segments) {
      if (routed) {
        // A wire code several errors share: list them.
        suggest(routed.segment + " is a wire code of several errors:", routed.list, null);
        return;
      }
      var segment = segments[0] || "";
      var key = fold(segment);
      // What a code looks like is the catalog's own (code_format in the lookup): the whole
      // code, however it is separated, or its number alone.
      var format = lookup.code_format;
      var shape = new RegExp("^(?:" + format.in_text + ")$", "i").exec(segment) ||
        (format.number ? new RegExp("^(?:" + format.number + ")$").exec(segment) : null);
      var parts = (shape && shape.groups) || {};
      if (parts.category !== undefined && parts.number !== undefined) {
        var category = lookup.categories.filter(function (c) { return String(c.digit) === parts.category; })[0];
        if (category) {
          suggest(segment + " is not in the catalog (version " + lookup.version + "). The nearest " +
                  category.name.toLowerCase() + " are:",
                  nearestInCategory(lookup, parts.category, parseInt(parts.number, 10)), category);
        } else {
          suggest(segment + " is not in the catalog: no category starts with " + parts.category +
                  ". The categories run from " + lookup.categories[0].range + " to " +
                  lookup.categories[lookup.categories.length - 1].range + ".", [], null);
        }
        return;
      }
      if (key.length >= 4) {
        var close = closestByName(lookup, key);
        if (close.length) suggest("No code is called " + segment + ". Did you mean:", close, null);
      }
    }

    var path = requestedPath();
    var segments = finder.segmentsOf(path, new URL(errorsUrl, location.href).pathname);
    // Any form of a code, in any segment, finds it: a form one code owns goes to its page.
    var routing = segments.length ? finder.load(lookupUrl).then(function (lookup) {
      return { lookup: lookup, routed: leave(lookup, path) };
    }) : null;

    whenParsed(function () {
      root = document.querySelector(".ojs-not-found");
      if (!root) return;
      root.querySelector(".ojs-not-found__path").textContent = path;
      if (!routing) return;
      root.querySelector("#ojs-not-found-query").value = segments[0];
      routing.then(function (found) {
        if (!(found.routed && found.routed.code)) explain(found.lookup, found.routed, segments);
      }).catch(function () {
        // Without the lookup the page still offers search and the catalog.
      });
    });
  }
})();
