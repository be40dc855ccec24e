// "Hide all code": a switch for readers who want the prose and the figures only.
// It hides every code cell's input (outputs and figures stay) on every page, and the
// choice is remembered (localStorage) from page to page. Keyboard: a normal button.
(function () {
  "use strict";
  var KEY = "nnb-hide-code";
  function apply(hidden) {
    document.documentElement.classList.toggle("nnb-code-hidden", hidden);
    document.querySelectorAll(".nnb-hide-code-toggle").forEach(function (b) {
      b.setAttribute("aria-pressed", hidden ? "true" : "false");
      b.textContent = hidden ? "Show code" : "Hide all code";
    });
  }
  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function setup() {
    if (!document.querySelector("div.cell_input, div.cell div.highlight")) { return; }
    var article = document.querySelector("article.bd-article, main article, article");
    if (!article || document.querySelector(".nnb-hide-code-toggle")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nnb-hide-code-toggle btn btn-sm";
    button.addEventListener("click", function () {
      var hidden = !document.documentElement.classList.contains("nnb-code-hidden");
      try { localStorage.setItem(KEY, hidden ? "1" : "0"); } catch (e) { /* private mode */ }
      apply(hidden);
    });
    article.insertBefore(button, article.firstChild);
    apply(stored());
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
