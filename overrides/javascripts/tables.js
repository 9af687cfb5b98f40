// Sorting and filtering for the catalog tables (a table inside div.ojs-table).
// Without scripts the tables are plain and complete; the controls appear only here.
// Tablesort is loaded only on a page that has such a table.
(function () {
  "use strict";

  // Tablesort 5.7.1, vendored: its version names it for caches.
  var tablesortUrl = new URL("vendor/tablesort.min.js?v=5.7.1", document.currentScript.src).href;
  var tablesort = null;

  function loadTablesort() {
    if (!tablesort) {
      tablesort = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = tablesortUrl;
        script.onload = function () { resolve(window.Tablesort); };
        script.onerror = reject;
        document.head.append(script);
      });
    }
    return tablesort;
  }

  function columnIndex(table, name) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    return headers.indexOf(name);
  }

  function distinctValues(rows, index) {
    var values = [];
    rows.forEach(function (row) {
      var value = row.cells[index].textContent.trim();
      if (values.indexOf(value) === -1) values.push(value);
    });
    // HTTP statuses in numeric order, words in the order the table first shows them.
    if (values.every(function (v) { return /^\d+$/.test(v) || v === "—"; })) {
      values.sort(function (a, b) { return (parseInt(a, 10) || 0) - (parseInt(b, 10) || 0); });
    }
    return values;
  }

  function addFilters(wrapper, table) {
    var names = (wrapper.dataset.filterColumns || "").split(",").filter(Boolean);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var filters = [];
    var form = document.createElement("form");
    form.className = "ojs-filters";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the table");
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    var status = document.createElement("output");
    status.className = "ojs-filters__count";
    status.setAttribute("aria-live", "polite");

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = filters.every(function (filter) {
          return !filter.select.value || row.cells[filter.index].textContent.trim() === filter.select.value;
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      status.textContent = shown === rows.length
        ? rows.length + " codes"
        : shown + " of " + rows.length + " codes";
    }

    names.forEach(function (name) {
      var index = columnIndex(table, name);
      if (index === -1) return;
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.name = name.toLowerCase();
      var all = new Option("All", "");
      select.add(all);
      distinctValues(rows, index).forEach(function (value) { select.add(new Option(value, value)); });
      select.addEventListener("change", apply);
      label.append(name + " ", select);
      form.append(label);
      filters.push({ index: index, select: select });
    });
    if (!filters.length) return;
    form.append(status);
    wrapper.insertBefore(form, wrapper.firstChild);
    apply();
  }

  function enhance() {
    var wrappers = document.querySelectorAll("div.ojs-table");
    if (!wrappers.length) return;
    loadTablesort().then(function (Tablesort) {
      wrappers.forEach(function (wrapper) {
        var table = wrapper.querySelector("table");
        if (!table || wrapper.dataset.enhanced) return;
        new Tablesort(table); // sorts on a header's click or Enter
        addFilters(wrapper, table);
        wrapper.dataset.enhanced = "true";
      });
    });
  }

  // The page as it loads, without waiting for the theme; then, once the theme is there (it
  // is loaded on demand and announced with DOMContentLoaded, javascripts/on-demand.js),
  // every page its instant navigation swaps in.
  var following = false;
  function follow() {
    enhance();
    if (!following && window.document$) {
      following = true;
      window.document$.subscribe(enhance);
    }
  }
  document.addEventListener("DOMContentLoaded", follow);
  if (document.readyState !== "loading") follow();
})();
