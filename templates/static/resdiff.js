// resdiff browsing pages: conveniences only; every page reads the same without script.
// "/" moves to the page's search box (as on many sites); Escape leaves it.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var box = document.querySelector("main input[type=search], input[data-shortcut]");
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    } else if (event.key === "Escape" && typing && target.type === "search") {
      target.blur();
    }
  });
})();
