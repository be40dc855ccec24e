"""The book's authoring and build tools: for the course's authors, not its learners.

Learners install only :mod:`nnbasics`, what the notebooks import; these modules make
the book and the exercises out of the notebooks and need what a learner does not
(nbformat, PyYAML, Sphinx and pybtex):

* :mod:`booktools.authoring` – exercises generated from solutions, the Colab and set-up
  cells, nbgrader's sources (``python -m booktools.authoring``);
* :mod:`booktools.sphinx_ext` – the Sphinx extension of the book's build: static
  sliders, solution pages, MathJax served from the book;
* :mod:`booktools.bibstyle` – the bibliography's author–year labels.
"""
