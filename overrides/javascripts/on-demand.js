// The theme's bundle (instant navigation, search, the palette toggle, copy buttons), its
// whole stylesheets and the search's "go to" box are loaded when the reader first points,
// touches, types or scrolls, not with the page: the first paint waits for none of them,
// and a reader who only reads downloads none of them. The scripts to load are named by the
// page (data-scripts), in order; the stylesheets are those it names for readers without
// scripts (noscript[data-ojs-stylesheets]). Scripts that only enhance what is painted
// (data-after-load: the tables' sorting and filters) load once the page has loaded and
// painted.
// The page holds this script in itself (overrides/main.html): it costs no request.
//
// The theme starts on DOMContentLoaded, long past by then: once the scripts have run, the
// event is sent again, and what the reader did meanwhile that the theme alone acts on (a
// tab or colour scheme chosen, a keyboard shortcut) is passed on to it.
(function () {
  "use strict";

  var script = document.currentScript;
  var sources = JSON.parse(script.dataset.scripts);
  var triggers = ["pointerdown", "pointermove", "touchstart", "keydown", "focusin", "wheel", "scroll"];
  var listening = { capture: true, passive: true };
  var pending = { keys: [], changed: [], focused: null };
  var started = false;

  function remember(event) {
    if (event.type === "keydown") {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (!typing && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
        pending.keys.push(event.key);
      }
    } else if (event.type === "change" && /^(radio|checkbox)$/.test(event.target.type)) {
      pending.changed.push(event.target);
    }
  }

  function loaded(src) {
    var path = new URL(src, location.href).pathname;
    return Array.prototype.some.call(document.scripts, function (element) {
      return element.src && new URL(element.src).pathname === path;
    });
  }

  function passOn() {
    document.removeEventListener("keydown", remember, true);
    document.removeEventListener("change", remember, true);
    // The theme moves some elements as it starts (it wraps tables): keep the reader's focus.
    pending.focused = document.activeElement;
    // The build wrapped the tables as the theme does (macros/first_paint.py): undo the
    // theme's second wrapping of each, on this page and on each page it swaps in, before
    // anything is drawn.
    if (window.document$) window.document$.subscribe(unwrapTwice);
    document.dispatchEvent(new Event("DOMContentLoaded"));
    keepFocus();
    // The theme's components listen once it has measured the viewport, a frame later.
    var viewport = window.viewport$;
    if (!viewport) return; // the theme did not load: the page stays as it is
    var subscription = null;
    var replayed = false;
    subscription = viewport.subscribe(function () {
      if (replayed) return;
      replayed = true;
      setTimeout(function () {
        subscription.unsubscribe();
        replay();
      });
    });
  }

  function unwrapTwice() {
    document.querySelectorAll(".md-typeset__table > .md-typeset__scrollwrap").forEach(function (inner) {
      var table = inner.querySelector("table");
      if (table) inner.replaceWith(table);
    });
  }

  function keepFocus() {
    var focused = pending.focused;
    if (focused && focused !== document.activeElement && focused.isConnected) focused.focus({ preventScroll: true });
  }

  function replay() {
    keepFocus();
    pending.changed.forEach(function (input) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    pending.keys.forEach(function (key) {
      document.dispatchEvent(new KeyboardEvent("keydown", { key: key, bubbles: true, cancelable: true }));
    });
    // The state tests and other scripts may wait for: the theme is there and listening.
    document.documentElement.dataset.ojsTheme = "ready";
  }

  function start() {
    if (started) return;
    started = true;
    triggers.forEach(function (type) { removeEventListener(type, start, listening); });
    // The page's own stylesheets, whose rules for its first paint it holds already
    // (macros/first_paint.py): the theme's script adds what they style.
    var stylesheets = document.querySelector("noscript[data-ojs-stylesheets]");
    var links = [];
    if (stylesheets) {
      var holder = document.createElement("template");
      holder.innerHTML = stylesheets.textContent;
      links = Array.prototype.slice.call(holder.content.querySelectorAll("link[rel=stylesheet]"));
    }
    var missing = sources.filter(function (src) { return !loaded(src); });
    var left = missing.length + links.length;
    if (!left) return passOn();
    function done() { if (--left === 0) passOn(); }
    links.forEach(function (link) {
      link.onload = link.onerror = done;
      document.head.append(link);
    });
    missing.forEach(function (src) {
      var element = document.createElement("script");
      element.src = src;
      element.async = false; // run in the order given, the theme first
      element.onload = element.onerror = done;
      document.body.append(element);
    });
  }

  function afterLoad() {
    JSON.parse(script.dataset.afterLoad || "[]").forEach(function (src) {
      if (loaded(src)) return;
      var element = document.createElement("script");
      element.src = src;
      document.body.append(element);
    });
  }

  // After the first paint: the frame after the load event has been drawn.
  function afterPaint() { requestAnimationFrame(function () { setTimeout(afterLoad); }); }
  if (document.readyState === "complete") afterPaint();
  else addEventListener("load", afterPaint, { once: true });
  document.addEventListener("keydown", remember, true);
  document.addEventListener("change", remember, true);
  triggers.forEach(function (type) { addEventListener(type, start, listening); });
  // An address that asks for a search (?q=, the 404 page's form) needs the theme at once.
  if (new URLSearchParams(location.search).has("q")) start();
})();
