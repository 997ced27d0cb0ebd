// The static site's search over titles and symbols: the index is assets/search-index.js
// (window.RESDIFF_INDEX); results are built with text nodes, never markup.
(function () {
  "use strict";
  var entries = window.RESDIFF_INDEX || [];
  var box = document.getElementById("site-q");
  var list = document.getElementById("site-results");
  var count = document.getElementById("site-count");
  if (!box || !list) { return; }
  var LIMIT = 50;
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2018\u2019]/g, "'").replace(/[\u2010-\u2015]/g, "-").replace(/_/g, "/");
  }
  var folded = entries.map(function (e) { return fold(e.symbol + " " + e.key + " " + e.title); });
  function show() {
    var words = fold(box.value).split(/\s+/).filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { count.textContent = "Type a few letters of a title or a symbol."; return; }
    var found = 0;
    for (var i = 0; i < entries.length; i++) {
      var text = folded[i];
      if (!words.every(function (w) { return text.indexOf(w) !== -1; })) { continue; }
      found++;
      if (found > LIMIT) { continue; }
      var e = entries[i];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e.href;
      link.textContent = e.symbol || e.key;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" " + e.kind + (e.date ? ", " + e.date : "") + " \u2014 " + e.title));
      list.appendChild(item);
    }
    count.textContent = found === 0 ? "No title or symbol matches." :
      found > LIMIT ? found + " matches; the first " + LIMIT + " are shown." : found + (found === 1 ? " match." : " matches.");
  }
  box.addEventListener("input", show);
  document.getElementById("site-search").addEventListener("submit", function (event) { event.preventDefault(); show(); });
  show();
})();
