/* Self-check questions (jupyterquiz, see nnbasics/quiz.py) before MathJax has loaded.

   The book loads MathJax with `defer`, so while the page is parsed `window.MathJax` is
   only its configuration. jupyterquiz reads `MathJax.version[0]` a moment after it
   draws a quiz, which throws on a long page and leaves the quiz's formulas as TeX.
   While the page is parsed, the configuration gets a version and a typeset() that
   does nothing; both go again before MathJax itself runs (MathJax takes an object
   with a version for itself), and once MathJax is ready it typesets every quiz. */
(function () {
    var config = window.MathJax;
    if (!config || config.version || document.readyState !== "loading") {
        return;
    }
    config.version = "3";
    config.typeset = function () {};
    document.addEventListener("readystatechange", function () {
        // "interactive": parsing is done and the deferred MathJax is about to run.
        if (window.MathJax === config) {
            delete config.version;
            delete config.typeset;
        }
    });
    var startup = config.startup || {};
    var ready = startup.pageReady;
    startup.pageReady = function () {
        var done = ready ? ready() : MathJax.startup.defaultPageReady();
        return Promise.resolve(done).then(function () {
            var quizzes = document.querySelectorAll("div[data-numquestions]");
            return MathJax.typesetPromise(Array.prototype.slice.call(quizzes));
        });
    };
    config.startup = startup;
})();
