"""Helpers shared by the chapters and exercises of the Neural Networks Basics course.

What a learner installs (in Colab too) and what the notebooks import; the book's
authoring and build tools are a package apart (``tools/booktools``). The modules, each
small and about one thing, in the order the chapters first use them:

* :mod:`nnbasics.seeding` – the one seed of every notebook, overridable for the seed sweep,
  and the one convention for random generators;
* :mod:`nnbasics.style` – colour-blind-safe matplotlib defaults, readable sizes;
* :mod:`nnbasics.torchnets` – the course's torch networks and its one Adam training loop
  (the only module that imports torch);
* :mod:`nnbasics.display` – notebook display helpers;
* :mod:`nnbasics.validation` – argument checks with messages that name the argument;
* :mod:`nnbasics.data` – synthetic data sets, generated from a seed;
* :mod:`nnbasics.models` – the small models of the first chapters, their costs and gradients;
* :mod:`nnbasics.activations` – the activation functions, their derivatives and ranges;
* :mod:`nnbasics.engine` – the course's one NumPy network (``MLP``): forward, backward, Jacobian;
* :mod:`nnbasics.networks` – layer sizes, parameter counts, the affine collapse, network graphs;
* :mod:`nnbasics.approximation` – steps, columns and towers: networks built by hand;
* :mod:`nnbasics.sliders` – figures with sliders, live in Jupyter and static in the book;
* :mod:`nnbasics.descent` – gradient descent, mini-batch SGD and finite differences;
* :mod:`nnbasics.fourier` – Fourier features, spectra, errors per frequency, the relative L2 error;
* :mod:`nnbasics.multistage` – multistage networks in float64 NumPy (Levenberg–Marquardt);
* :mod:`nnbasics.navier_stokes` – a pseudo-spectral 2D flow solver and its spectra;
* :mod:`nnbasics.discovery` – EOFs, ensemble Kalman inversion and sparse regression;
* :mod:`nnbasics.quiz` and :mod:`nnbasics.quizzes` – the self-check questions of each chapter;
* :mod:`nnbasics.checks` – the self-checks of the exercises.
"""

__version__ = "0.1.0"
