/* The large-text (适老化) toggle, remembered across pages and visits; the 打印本页 button, which
   needs this script and so stays hidden without it; the feed's full address on the subscribe page. */
(function () {
  var root = document.documentElement;
  var button = document.querySelector(".a11y-toggle");
  if (button) {
    var show = function (on) {
      root.classList.toggle("large", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.getAttribute("data-label-on") : button.getAttribute("data-label-off");
    };
    show(root.classList.contains("large"));
    button.addEventListener("click", function () {
      var on = !root.classList.contains("large");
      show(on);
      try { localStorage.setItem("showcase-large", on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".print-button"), function (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[data-full-address]"), function (link) {
    if (/^https?:/.test(link.href)) link.textContent = link.href;     // not a file:// address
  });
})();
