"""The Navier–Stokes multistage checks, called directly on right and wrong answers, many runs each.

The answers are those of ``solutions/multistage_navier_stokes_answers.py`` (each solution
region wrapped in its ``def``, as the notebook defines it, module ``__main__``), plus
a few more here. Each check draws a fresh problem on every run, so each variant runs
``RUNS`` times and must give the same verdict every time; a wrong answer's message must
name its mistake. ``test_margins`` measures what the check module's ``MARGINS`` record:
the worst right answer and the nearest wrong one, against the tolerances between them.
"""

import runpy

import numpy as np
import pytest

from nnbasics.checks import multistage_navier_stokes as ns
from nnbasics.checks.core import CheckFailed
from nnbasics.navier_stokes import energy_spectrum, largest_modes, spectral_sine_net
from tests.conftest import ROOT
from tests.variants import AT_LEAST, always_fails, always_passes, define, verdicts

#: Runs per variant (``NNBASICS_FAIRNESS_RUNS=200`` raises every variant to that many).
RUNS = 20
ANSWERS = runpy.run_path(str(ROOT / "solutions" / "multistage_navier_stokes_answers.py"))
HEADERS = {"spectrum": ("energy_spectrum", "def energy_spectrum(psi):\n"),
           "first-layer": ("first_layer", "def first_layer(residue, width):\n"),
           "output-layer": ("output_layer", "def output_layer(residue, w, b):\n")}
CHECKS = {"spectrum": ns.check_energy_spectrum, "first-layer": ns.check_first_layer,
          "output-layer": ns.check_output_layer}
SOLUTION = {
    "spectrum": ("    n = len(psi)\n    k = np.fft.fftfreq(n, 1 / n)\n"
                 "    kx, ky = np.meshgrid(k, k)\n    k_length = np.hypot(kx, ky)\n"
                 "    psi_hat = np.fft.fft2(psi) / n**2\n"
                 "    density = 0.5 * k_length**2 * np.abs(psi_hat) ** 2\n"
                 "    shells = np.rint(k_length).astype(int)\n"
                 "    return np.bincount(shells.ravel(), weights=density.ravel())\n"),
}


def notebook(task: str, body: str):
    """Define the answer ``body`` as the notebook's cell does (module ``__main__``), with
    the package's helpers in scope under their own names, as a learner might have them."""
    name, header = HEADERS[task]
    return define(header + body, name, energy_spectrum=energy_spectrum,
                  largest_modes=largest_modes, spectral_sine_net=spectral_sine_net)


RIGHT_CASES = [pytest.param(task, body, id=f"{task}:right{i}")
               for task, bodies in ANSWERS["RIGHT"].items() for i, body in enumerate(bodies)]
WRONG_CASES = [pytest.param(task, body, words, id=f"{task}:wrong{i}")
               for task, cases in ANSWERS["WRONG"].items()
               for i, (body, words) in enumerate(cases)]
#: More mistakes than the notebook's tests run, each with the words its message must hold.
MORE_WRONG = [
    pytest.param("spectrum", "    n = len(psi)\n    k = np.fft.fftfreq(n, 1 / n)\n"
                 "    kx, ky = np.meshgrid(k, k)\n    kk = np.hypot(kx, ky)\n"
                 "    d = 0.5 * kk**2 * np.abs(np.fft.fft2(psi) / n**2)\n"
                 "    return np.bincount(np.rint(kk).astype(int).ravel(), d.ravel())\n",
                 "square the coefficients", id="spectrum:not squared"),
    pytest.param("spectrum", "    n = len(psi)\n    k = np.fft.fftfreq(n, 1 / n)\n"
                 "    kx, ky = np.meshgrid(k, k)\n    kk = np.hypot(kx, ky)\n"
                 "    d = 0.5 * kk**2 * np.abs(np.fft.fft2(psi) / n**2) ** 2\n"
                 "    s = np.rint(kk).astype(int).ravel()\n"
                 "    return np.bincount(s, d.ravel()) / np.maximum(np.bincount(s), 1)\n",
                 "not the mean", id="spectrum:mean over the shell"),
    pytest.param("spectrum", "    return None\n", "returned None", id="spectrum:None"),
    pytest.param("first-layer",
                 "    n = len(residue)\n    k = np.fft.fftfreq(n, 1 / n)\n"
                 "    kx, ky = np.meshgrid(k, k)\n    c = np.fft.fft2(residue) / n**2\n"
                 "    half = (ky > 0) | ((ky == 0) & (kx > 0))\n"
                 "    top = np.argsort(-np.where(half, np.abs(c), -1).ravel())[:width]\n"
                 "    w = np.stack([kx.ravel()[top], ky.ravel()[top]], axis=1)\n"
                 "    return w.T, np.angle(c.ravel()[top]) + np.pi / 2\n",
                 "you returned its transpose", id="first-layer:transposed"),
    pytest.param("first-layer",
                 "    n = len(residue)\n    k = np.fft.fftfreq(n, 1 / n)\n"
                 "    kx, ky = np.meshgrid(k, k)\n    c = np.fft.fft2(residue) / n**2\n"
                 "    half = (ky > 0) | ((ky == 0) & (kx > 0))\n"
                 "    top = np.argsort(-np.where(half, np.abs(c), -1).ravel())[:width]\n"
                 "    w = np.stack([kx.ravel()[top], ky.ravel()[top]], axis=1)\n"
                 "    return w, np.angle(c.ravel()[top]) - np.pi / 2\n",
                 "not arg c_k - π/2", id="first-layer:minus pi/2"),
    pytest.param("first-layer",
                 "    n = len(residue)\n    k = np.fft.fftfreq(n, 1 / n)\n"
                 "    kx, ky = np.meshgrid(k, k)\n    c = np.fft.fft2(residue) / n**2\n"
                 "    half = (ky > 0) | ((ky == 0) & (kx > 0))\n"
                 "    top = np.argsort(-np.where(half, np.abs(c), -1).ravel())[:width]\n"
                 "    w = np.stack([kx.ravel()[top], -ky.ravel()[top]], axis=1)\n"
                 "    return w, np.angle(c.ravel()[top]) + np.pi / 2\n",
                 "ky has the wrong sign", id="first-layer:ky mirrored"),
    pytest.param("output-layer",
                 "    n = len(residue)\n    eps = np.abs(residue).max()\n"
                 "    s = 2 * np.pi * np.arange(n) / n\n    x, y = np.meshgrid(s, s)\n"
                 "    f = np.sin(np.outer(x.ravel(), w[:, 0]) + np.outer(y.ravel(), w[:, 1]) + b)\n"
                 "    A = np.column_stack([f, np.ones(n * n)])\n"
                 "    coef = np.linalg.lstsq(A, residue.ravel() / eps, rcond=None)[0]\n"
                 "    return eps, coef, coef[-1]\n", "return the offset as c",
                 id="output-layer:offset inside a"),
    pytest.param("output-layer",
                 "    n = len(residue)\n    eps = np.abs(residue).max()\n"
                 "    s = 2 * np.pi * np.arange(n) / n\n    x, y = np.meshgrid(s, s)\n"
                 "    f = np.sin(np.outer(x.ravel(), w[:, 0]) + np.outer(y.ravel(), w[:, 1]) + b)\n"
                 "    a = np.linalg.lstsq(f, residue.ravel() / eps, rcond=None)[0]\n"
                 "    return eps, a, residue.mean()\n", "c is the mean of r divided by ε",
                 id="output-layer:offset not divided by eps"),
    pytest.param("output-layer",
                 "    n = len(residue)\n    eps = 1 / np.abs(residue).max()\n"
                 "    s = 2 * np.pi * np.arange(n) / n\n    x, y = np.meshgrid(s, s)\n"
                 "    f = np.sin(np.outer(x.ravel(), w[:, 0]) + np.outer(y.ravel(), w[:, 1]) + b)\n"
                 "    A = np.column_stack([f, np.ones(n * n)])\n"
                 "    coef = np.linalg.lstsq(A, residue.ravel() * eps, rcond=None)[0]\n"
                 "    return eps, coef[:-1], coef[-1]\n", "ε is the residue's size max|r|",
                 id="output-layer:1/eps"),
]


@pytest.mark.parametrize("task, body", RIGHT_CASES)
def test_right_answers_pass_every_run(task, body):
    always_passes(CHECKS[task], notebook(task, body), RUNS)


@pytest.mark.parametrize("task, body, words", WRONG_CASES + MORE_WRONG)
def test_wrong_answers_fail_every_run_naming_the_mistake(task, body, words):
    always_fails(CHECKS[task], notebook(task, body), words, RUNS)


def test_the_solution_passes_and_the_checks_refuse_the_package():
    fn = notebook("spectrum", SOLUTION["spectrum"])
    assert not any(verdicts(ns.check_energy_spectrum, fn, 5))
    with pytest.raises(CheckFailed, match="comes from nnbasics"):
        ns.check_energy_spectrum(energy_spectrum)
    with pytest.raises(CheckFailed, match="comes from nnbasics"):
        ns.check_first_layer(largest_modes)


# -- the margins the module records ----------------------------------------------------
def _error(task, fn, gen):
    """One problem's error of an answer, in the units of the check's tolerance (None when
    the answer fails on its structure: shape, integers, the set of modes)."""
    if task == "spectrum":
        n = int(gen.choice(ns.CHECK_GRIDS))
        psi = ns._random_field(gen, n, gen.uniform(1.5, 3.0), n / 3 - 1)
        ref = ns._reference_spectrum(psi)
        got = np.asarray(ns._plain(fn(psi)), dtype=float)
        if got.ndim != 1 or len(got) < n // 2 + 1:
            return None
        length = max(len(got), len(ref))
        return float(np.max(np.abs(ns._padded(got, length) - ns._padded(ref, length)))
                     / ref.sum())
    if task == "first-layer":
        residue, width = ns._layer_problem(gen)
        w, b = (np.asarray(ns._plain(v), dtype=float) for v in fn(residue, width))
        n = len(residue)
        if (w.shape != (width, 2) or not np.allclose(w, np.rint(w), rtol=0, atol=1e-6)
                or set(ns._canonical(w)) != set(ns._canonical(ns._reference_layer(
                    residue, width)[0]))):
            return None
        c = ns._coefficients(residue)[np.rint(w[:, 1]).astype(int) % n,
                                      np.rint(w[:, 0]).astype(int) % n]
        return float(np.max(np.abs(ns._wrap(b - np.angle(c) - np.pi / 2))))
    residue, w, b = ns._output_problem(gen)
    b = b + gen.uniform(-1, 1, len(b))
    eps_ref, a_ref, c_ref = ns._reference_output(residue, w, b)
    eps, a, c = fn(residue, w, b)
    a = np.asarray(ns._plain(a), dtype=float)
    if a.shape != a_ref.shape:
        return None
    return max(float(np.max(np.abs(a - a_ref))), abs(float(ns._plain(c)) - c_ref)) \
        / np.max(np.abs(a_ref)) + abs(float(ns._plain(eps)) / eps_ref - 1)


@pytest.mark.parametrize("task", ["spectrum", "first-layer", "output-layer"])
def test_margins(task):
    """Right answers stay inside the tolerance with room to spare, wrong ones far outside
    it, as the check module's MARGINS record (``NNBASICS_FAIRNESS_RUNS=200`` for the
    measurement behind them)."""
    gen = np.random.default_rng(20)
    runs = max(10, AT_LEAST)
    key = {"spectrum": "spectrum", "first-layer": "phase", "output-layer": "output"}[task]
    recorded = ns.MARGINS[key]
    tol64, tol32 = recorded["tolerance"]
    single = ("float32", "astype(np.float32)", "np.float32")
    report = []
    for body in ANSWERS["RIGHT"][task]:
        fn = notebook(task, body)
        worst = max(_error(task, fn, gen) for _ in range(runs))
        is32 = any(s in body for s in single)
        report.append(f"right {'f32' if is32 else 'f64'} worst {worst:.1e}: {body[:50]!r}")
        assert worst <= recorded["right32" if is32 else "right64"], report[-1]
    for body, words in ANSWERS["WRONG"][task]:
        if "import" in body:
            continue  # the package's own helper: refused before it runs
        fn = notebook(task, body)
        errors = [e for e in (_error(task, fn, gen) for _ in range(runs)) if e is not None]
        if errors:
            report.append(f"wrong nearest {min(errors):.1e}: {words}")
            assert min(errors) >= recorded["wrong"], report[-1]
    print("\n" + "\n".join(report))
    assert recorded["right64"] * 100 <= tol64 and recorded["right32"] * 3 <= tol32
    assert recorded["wrong"] >= 10 * tol32
