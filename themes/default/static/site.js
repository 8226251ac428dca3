/* The large-text (适老化) toggle, remembered across pages and visits. No other script runs. */
(function () {
  var root = document.documentElement;
  var button = document.querySelector(".a11y-toggle");
  if (!button) return;
  function show(on) {
    root.classList.toggle("large", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? button.getAttribute("data-label-on") : button.getAttribute("data-label-off");
  }
  show(root.classList.contains("large"));
  button.addEventListener("click", function () {
    var on = !root.classList.contains("large");
    show(on);
    try { localStorage.setItem("showcase-large", on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
  });
})();
