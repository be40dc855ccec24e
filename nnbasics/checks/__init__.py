"""The exercises' self-checks: :mod:`nnbasics.checks.core` holds what every check needs,
and each exercise has its own module (``nnbasics.checks.gradient_descent``, ...)."""
