// resdiff redline and review pages: conveniences only; the page reads the same without script.
// Keys n / p go to the next / previous change shown; printing unfolds every folded paragraph.
(function () {
  "use strict";
  var MARGIN = 8;
  function changes() {
    return Array.prototype.filter.call(
      document.querySelectorAll("article.pair.change"),
      function (el) { return el.getClientRects().length > 0; }
    );
  }
  function go(step) {
    var list = changes();
    if (!list.length) { return; }
    var target = null;
    var k;
    if (step > 0) {
      for (k = 0; k < list.length && !target; k += 1) {
        if (list[k].getBoundingClientRect().top > MARGIN * 8) { target = list[k]; }
      }
    } else {
      for (k = list.length - 1; k >= 0 && !target; k -= 1) {
        if (list[k].getBoundingClientRect().top < -MARGIN) { target = list[k]; }
      }
    }
    if (!target) { return; }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#" + target.id);
    }
    target.scrollIntoView({ block: "start" });
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) && t.type !== "checkbox" && t.type !== "radio");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "n") { event.preventDefault(); go(1); }
    else if (event.key === "p") { event.preventDefault(); go(-1); }
  });
  var reopen = [];
  window.addEventListener("beforeprint", function () {
    reopen = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    reopen.forEach(function (d) { d.open = false; });
    reopen = [];
  });
})();
