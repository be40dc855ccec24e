/* Self-check questions (jupyterquiz, see nnbasics/quiz.py) before MathJax has loaded.

   The book loads MathJax with `defer`, so while the page is parsed `window.MathJax` is
   only its configuration. jupyterquiz reads `MathJax.version[0]` a moment after it
   draws a quiz, which throws on a long page and leaves the quiz's formulas as TeX.
   Until MathJax runs, its configuration answers jupyterquiz with a version and a
   typeset() that does nothing, but shows MathJax's own script no version (MathJax
   takes an object with a version for itself); once MathJax is ready it typesets
   every quiz. */
(function () {
    var config = window.MathJax;
    if (!config || config.version || document.readyState !== "loading") {
        return;
    }
    // jupyterquiz reads the version; MathJax, when its script starts, reads it too
    // and must find none (an object with a version is MathJax already loaded).
    Object.defineProperty(config, "version", {
        configurable: true,
        get: function () {
            var script = document.currentScript;
            return script && /mathjax/i.test(script.src || "") ? undefined : "3";
        },
    });
    Object.defineProperty(config, "typeset", {configurable: true, value: function () {}});
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

    // MathJax, when its script runs, replaces this configuration by a new global
    // object, which has no typeset() until MathJax is ready. jupyterquiz calls
    // MathJax.typeset() 500 ms after it draws a quiz: without one it loads another
    // MathJax from a CDN over the page's; with MathJax's own, a synchronous typeset
    // restarts the page's first typesetting while that waits for an extension such
    // as \boldsymbol, which is then printed as an undefined macro. So the new object
    // gets, from its first moment, a typeset() that queues behind MathJax's startup.
    var current = config;
    Object.defineProperty(window, "MathJax", {
        configurable: true,
        get: function () {
            return current;
        },
        set: function (value) {
            current = value;
            if (value && value !== config) {
                queueTypesetting(value);
            }
        },
    });

    function queueTypesetting(mathjax) {
        var queue = Promise.resolve();
        function typeset(elements) {
            queue = queue
                .then(function () {
                    return mathjax.startup && mathjax.startup.promise;
                })
                .then(function () {
                    return mathjax.typesetPromise(elements);
                })
                .catch(function (error) {
                    console.warn("MathJax could not typeset a question:", error);
                });
        }
        Object.defineProperty(mathjax, "typeset", {
            configurable: true,
            enumerable: true,
            get: function () {
                return typeset;
            },
            set: function () {},  // MathJax's synchronous typeset stays unused
        });
    }
})();
