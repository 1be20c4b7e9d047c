"use strict";
window.addEventListener("error", function (event) {
  var out = document.getElementById("script-errors");
  if (out) {
    out.textContent += (event.message || String(event.error)) + "\n";
  }
});
(function () {
  // A cell's sort key: its data-sort or data-value when numeric, else its text.
  function key(row, col) {
    var cell = row && row.cells[col];
    if (!cell) {
      return "";
    }
    var raw = cell.getAttribute("data-sort");
    if (raw === null) {
      raw = cell.getAttribute("data-value");
    }
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) {
      return Number(raw);
    }
    return cell.textContent.trim().toLowerCase();
  }
  function compare(a, b) {
    var an = typeof a === "number", bn = typeof b === "number";
    if (an && bn) {
      return a - b;
    }
    if (an !== bn) {
      return an ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  // Sorts the table by the clicked header's column; tables with one tbody per episode keep
  // each episode's rows together.
  function sortBy(th) {
    var table = th.closest("table");
    var col = Number(th.getAttribute("data-col"));
    var dir = th.getAttribute("data-dir") === "asc" ? "desc" : "asc";
    table.querySelectorAll("th[data-col]").forEach(function (h) { h.removeAttribute("data-dir"); });
    th.setAttribute("data-dir", dir);
    var many = table.tBodies.length > 1;
    var parent = many ? table : table.tBodies[0];
    var items = Array.prototype.slice.call(many ? table.tBodies : parent.rows);
    var keyed = items.map(function (item, i) {
      return { item: item, i: i, k: key(many ? item.rows[0] : item, col) };
    });
    keyed.sort(function (x, y) {
      var c = compare(x.k, y.k);
      return (dir === "desc" ? -c : c) || x.i - y.i;
    });
    keyed.forEach(function (x) { parent.appendChild(x.item); });
  }
  document.querySelectorAll("th[data-col]").forEach(function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  document.body.dataset.rendered = "yes";
})();
