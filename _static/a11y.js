/* Names and roles that the theme, the bibliography and the self-check questions leave
   out, so a screen reader can name every control (the axe audit in
   tests/test_book_pages.py checks it on every page).

   - The sidebar's expand arrows are <summary> elements with only an icon: each gets
     the name of the section it opens.
   - jupyterquiz (nnbasics/quiz.py) draws its questions after the page has loaded: a
     numeric answer box has a label that is not tied to it, and a multiple-choice
     option whose text is only a formula has no name a screen reader can read.
   - sphinxcontrib-bibtex gives its entries the role doc-biblioentry (deprecated in
     DPUB-ARIA 1.1) inside a role="list", which then has no list items: each entry
     becomes a list item. */
(function () {
    "use strict";

    function text(element) {
        return (element && element.textContent || "").replace(/\s+/g, " ").trim();
    }

    function nameSidebarArrows(root) {
        root.querySelectorAll("nav details > summary").forEach(function (summary) {
            if (text(summary) || summary.hasAttribute("aria-label")) {
                return;
            }
            var link = summary.parentElement.parentElement.querySelector(":scope > a");
            var section = text(link) || "this section";
            summary.setAttribute("aria-label", "Show or hide the parts of " + section);
        });
    }

    function nameQuizControls(root) {
        root.querySelectorAll("input.Input-text:not([aria-labelledby])").forEach(function (box) {
            // Named by the question above it and the box's own "Type ... here" label.
            var quiz = box.closest(".Quiz");
            var question = quiz && quiz.querySelector("[id^=quizQn]");
            var label = box.parentElement.querySelector("label.InpLabel");
            if (label && !label.id) {
                label.id = box.id + "-label";
            }
            var ids = [question && question.id, label && label.id].filter(Boolean);
            if (ids.length) {
                box.setAttribute("aria-labelledby", ids.join(" "));
            } else {
                box.setAttribute("aria-label", "Your answer");
            }
        });
        root.querySelectorAll("label.MCButton > input[type=radio]:not([aria-label])")
            .forEach(function (radio) {
                var label = radio.parentElement;
                var number = Array.prototype.indexOf.call(label.parentElement.children, label);
                radio.setAttribute("aria-label", text(label) || "Option " + (number + 1));
            });
    }

    function markBibliographyEntries(root) {
        root.querySelectorAll("[role=list].citation-list > [role=doc-biblioentry]")
            .forEach(function (entry) {
                entry.setAttribute("role", "listitem");
            });
    }

    function fix(root) {
        nameSidebarArrows(root);
        nameQuizControls(root);
        markBibliographyEntries(root);
    }

    function start() {
        fix(document);
        // Questions and MathJax's typesetting arrive after this script has run.
        new MutationObserver(function () {
            fix(document);
        }).observe(document.body, {childList: true, subtree: true});
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
