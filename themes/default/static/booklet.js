/* The booklet page's print button: shown only where a script runs (without one, the browser's
   own Print command does the same). */
(function () {
  var button = document.querySelector(".bk-print");
  if (!button || !window.print) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
