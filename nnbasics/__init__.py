"""Helpers shared by the chapters and exercises of the Neural Networks Basics course.

The modules, each small and about one thing:

* :mod:`nnbasics.models` – the small models of the first chapters, their costs and gradients;
* :mod:`nnbasics.activations` – the activation functions, their derivatives and ranges;
* :mod:`nnbasics.networks` – layer sizes, parameter counts, the affine collapse, network graphs;
* :mod:`nnbasics.approximation` – steps, columns and towers: networks built by hand;
* :mod:`nnbasics.data` – synthetic data sets, generated from a seed;
* :mod:`nnbasics.descent` – gradient descent, mini-batch SGD and finite differences;
* :mod:`nnbasics.sliders` – figures with sliders, live in Jupyter and static in the book;
* :mod:`nnbasics.checks` – the self-checks of the exercises;
* :mod:`nnbasics.style` – colour-blind-safe matplotlib defaults;
* :mod:`nnbasics.display` – notebook display helpers;
* :mod:`nnbasics.seeding` – the one seed of every notebook, overridable for the seed sweep;
* :mod:`nnbasics.validation` – argument checks with messages that name the argument.
"""

__version__ = "0.1.0"
