"""The climate-physics checks, called directly on right and wrong answers, many runs each.

Each check draws a fresh problem on every run, so each variant runs ``RUNS`` times and
must give the same verdict every time; a wrong answer's message must name its
mistake. The functions are defined the way a notebook defines them (module
``__main__``), some with the learner's own helper names, including the names the
course's package uses (``principal_components``, ``sparse_regression``).
"""

import numpy as np
import pytest

from nnbasics.checks import climate_physics as cp
from nnbasics.discovery import lorenz63, principal_components, rk4, sparse_regression
from tests.variants import always_fails, always_passes, define

RUNS = 30
#: The EOF check takes an SVD of a 576-column field (six more to name a mistake): fewer runs.
EOF_RUNS = 15


def notebook(source: str, name: str):
    """Define ``source`` as a notebook cell would (tests.variants.define)."""
    return define(source, name, principal_components=principal_components,
                  sparse_regression=sparse_regression)


# -- Task 1: EOFs ---------------------------------------------------------------------
EOFS_RIGHT = {
    "svd": """
def eofs(field, lat, k):
    w = np.sqrt(np.cos(np.deg2rad(lat)))
    u, s, vt = np.linalg.svd((field - field.mean(axis=0)) * w, full_matrices=False)
    return vt[:k], (s**2 / np.sum(s**2))[:k]
""",
    "eigh of the covariance, float32, lists": """
def eofs(field, lat, k):
    field = np.asarray(field, dtype=np.float32)
    w = np.sqrt(np.cos(lat * np.pi / 180)).astype(np.float32)
    a = (field - field.mean(axis=0)) * w
    lam, vec = np.linalg.eigh(a.T @ a / (len(a) - 1))
    order = np.argsort(lam)[::-1][:k]
    return [list(v) for v in vec[:, order].T], list(lam[order] / lam.sum())
""",
    "loop over grid points, own helper named principal_components": """
def principal_components(anomalies):
    u, s, vt = np.linalg.svd(anomalies, full_matrices=True)
    return vt, s**2 / (s**2).sum()
def eofs(field, lat, k):
    a = np.empty_like(field)
    for j in range(field.shape[1]):
        column = field[:, j] - np.mean(field[:, j])
        a[:, j] = column * np.cos(np.radians(lat[j])) ** 0.5
    vt, explained = principal_components(a)
    return vt[:k], explained[:k]
""",
    "weights as a diagonal matrix, signs flipped, torch": """
def eofs(field, lat, k):
    W = np.diag(np.sqrt(np.cos(np.deg2rad(lat))))
    x = torch.as_tensor((field - field.mean(0)) @ W)
    u, s, vt = torch.linalg.svd(x, full_matrices=False)
    return -vt[:k], s[:k] ** 2 / (s**2).sum()
""",
}

_EOF_TAIL = ("    u, s, vt = np.linalg.svd(a, full_matrices=False)\n"
             "    return vt[:k], (s**2 / np.sum(s**2))[:k]\n")
EOFS_WRONG = {
    "no area weights": ("def eofs(field, lat, k):\n    a = field - field.mean(axis=0)\n"
                        + _EOF_TAIL, "sqrt(cos(latitude))"),
    "no centring": ("def eofs(field, lat, k):\n"
                    "    a = field * np.sqrt(np.cos(np.deg2rad(lat)))\n" + _EOF_TAIL,
                    "did not remove the mean snapshot"),
    "neither": ("def eofs(field, lat, k):\n    a = field\n" + _EOF_TAIL,
                "neither removed the mean snapshot nor weighted by area"),
    "cos, not its square root": ("def eofs(field, lat, k):\n"
                                 "    a = (field - field.mean(0)) * np.cos(np.deg2rad(lat))\n"
                                 + _EOF_TAIL, "you weighted by cos(latitude)"),
    "standardised": ("def eofs(field, lat, k):\n"
                     "    a = (field - field.mean(0)) / field.std(0, ddof=1)\n"
                     "    a = a * np.sqrt(np.cos(np.deg2rad(lat)))\n" + _EOF_TAIL,
                     "do not standardise"),
    "singular values, not their squares": (
        "def eofs(field, lat, k):\n"
        "    a = (field - field.mean(0)) * np.sqrt(np.cos(np.deg2rad(lat)))\n"
        "    u, s, vt = np.linalg.svd(a, full_matrices=False)\n"
        "    return vt[:k], s[:k] / s.sum()\n", "the variance of pattern k is s_k²"),
    "fractions of the first k": (
        "def eofs(field, lat, k):\n"
        "    a = (field - field.mean(0)) * np.sqrt(np.cos(np.deg2rad(lat)))\n"
        "    u, s, vt = np.linalg.svd(a, full_matrices=False)\n"
        "    return vt[:k], s[:k]**2 / np.sum(s[:k]**2)\n", "add up to 1 over the first"),
    "eigh's smallest eigenvalues": (
        "def eofs(field, lat, k):\n"
        "    a = (field - field.mean(0)) * np.sqrt(np.cos(np.deg2rad(lat)))\n"
        "    lam, vec = np.linalg.eigh(a.T @ a)\n"
        "    return vec[:, :k].T, lam[:k] / lam.sum()\n", "smallest fractions"),
    "eigh's largest, in increasing order": (
        "def eofs(field, lat, k):\n"
        "    a = (field - field.mean(0)) * np.sqrt(np.cos(np.deg2rad(lat)))\n"
        "    lam, vec = np.linalg.eigh(a.T @ a)\n"
        "    return vec[:, -k:].T, lam[-k:] / lam.sum()\n", "increasing order"),
    "columns of U": (
        "def eofs(field, lat, k):\n"
        "    a = (field - field.mean(0)) * np.sqrt(np.cos(np.deg2rad(lat)))\n"
        "    u, s, vt = np.linalg.svd(a, full_matrices=False)\n"
        "    return u[:, :k].T, (s**2 / np.sum(s**2))[:k]\n", "columns of U"),
    "patterns divided by the weights": (
        "def eofs(field, lat, k):\n"
        "    w = np.sqrt(np.cos(np.deg2rad(lat)))\n"
        "    u, s, vt = np.linalg.svd((field - field.mean(0)) * w, full_matrices=False)\n"
        "    return vt[:k] / w, (s**2 / np.sum(s**2))[:k]\n", "divided by the weights"),
    "patterns transposed": (
        "def eofs(field, lat, k):\n"
        "    w = np.sqrt(np.cos(np.deg2rad(lat)))\n"
        "    u, s, vt = np.linalg.svd((field - field.mean(0)) * w, full_matrices=False)\n"
        "    return vt[:k].T, (s**2 / np.sum(s**2))[:k]\n", "you returned its transpose"),
    "the package's PCA": (
        "from nnbasics.discovery import principal_components as pca\n"
        "def eofs(field, lat, k):\n"
        "    r = pca(field * np.sqrt(np.cos(np.deg2rad(lat))))\n"
        "    return r.components[:k], r.explained[:k]\n", "calls the course's"),
}


# -- Task 2: one ensemble Kalman step --------------------------------------------------
EKI_RIGHT = {
    "covariances by hand, solve": """
def eki_update(theta, outputs, data, noise_cov, perturbations):
    dt = theta - theta.mean(axis=0)
    dg = outputs - outputs.mean(axis=0)
    J = len(theta)
    c_tg, c_gg = dt.T @ dg / (J - 1), dg.T @ dg / (J - 1)
    r = data + perturbations - outputs
    return theta + np.linalg.solve(c_gg + noise_cov, r.T).T @ c_tg.T
""",
    "np.cov and the inverse, a loop over members": """
def eki_update(theta, outputs, data, noise_cov, perturbations):
    d = theta.shape[1]
    c = np.cov(np.hstack([theta, outputs]), rowvar=False)
    gain = c[:d, d:] @ np.linalg.inv(c[d:, d:] + noise_cov)
    new = []
    for t, g, eta in zip(theta, outputs, perturbations):
        new.append(t + gain @ (data + eta - g))
    return new
""",
    "float32, einsum": """
def eki_update(theta, outputs, data, noise_cov, perturbations):
    t, g, y, eta, gamma = (np.asarray(a, dtype=np.float32) for a in
                           (theta, outputs, data, perturbations, noise_cov))
    dt, dg = t - t.mean(0), g - g.mean(0)
    c_tg = np.einsum('ji,jk->ik', dt, dg) / np.float32(len(t) - 1)
    c_gg = np.einsum('ji,jk->ik', dg, dg) / np.float32(len(t) - 1)
    step = c_tg @ np.linalg.solve(c_gg + gamma, (y + eta - g).T)
    return t + step.T
""",
    "own helper named ensemble_kalman_inversion": """
def ensemble_kalman_inversion(c_tg, c_gg, gamma, r):
    return (c_tg @ np.linalg.pinv(c_gg + gamma) @ r.T).T
def eki_update(theta, outputs, data, noise_cov, perturbations):
    J = theta.shape[0]
    dt, dg = theta - np.mean(theta, 0), outputs - np.mean(outputs, 0)
    step = ensemble_kalman_inversion(dt.T @ dg / (J - 1), dg.T @ dg / (J - 1),
                                     noise_cov, data + perturbations - outputs)
    return theta + step
""",
}

_EKI_HEAD = ("def eki_update(theta, outputs, data, noise_cov, perturbations):\n"
             "    J = len(theta)\n"
             "    dt, dg = theta - theta.mean(0), outputs - outputs.mean(0)\n")
EKI_WRONG = {
    "Γ forgotten": (_EKI_HEAD + "    c_tg, c_gg = dt.T @ dg / (J - 1), dg.T @ dg / (J - 1)\n"
                    "    r = data + perturbations - outputs\n"
                    "    return theta + (c_tg @ np.linalg.solve(c_gg, r.T)).T\n",
                    "Γ is missing from the gain"),
    "no perturbations": (_EKI_HEAD + "    c_tg, c_gg = dt.T @ dg / (J - 1), dg.T @ dg / (J - 1)\n"
                         "    r = data - outputs\n"
                         "    return theta + (c_tg @ np.linalg.solve(c_gg + noise_cov, r.T)).T\n",
                         "left out the perturbations"),
    "residual's sign": (_EKI_HEAD + "    c_tg, c_gg = dt.T @ dg / (J - 1), dg.T @ dg / (J - 1)\n"
                        "    r = outputs - data - perturbations\n"
                        "    return theta + (c_tg @ np.linalg.solve(c_gg + noise_cov, r.T)).T\n",
                        "sign is flipped"),
    "divided by J": (_EKI_HEAD + "    c_tg, c_gg = dt.T @ dg / J, dg.T @ dg / J\n"
                     "    r = data + perturbations - outputs\n"
                     "    return theta + (c_tg @ np.linalg.solve(c_gg + noise_cov, r.T)).T\n",
                     "divide by J − 1"),
    "not centred": ("def eki_update(theta, outputs, data, noise_cov, perturbations):\n"
                    "    J = len(theta)\n"
                    "    c_tg, c_gg = theta.T @ outputs / (J - 1), outputs.T @ outputs / (J - 1)\n"
                    "    r = data + perturbations - outputs\n"
                    "    return theta + (c_tg @ np.linalg.solve(c_gg + noise_cov, r.T)).T\n",
                    "not centred"),
    "increment only": (_EKI_HEAD + "    c_tg, c_gg = dt.T @ dg / (J - 1), dg.T @ dg / (J - 1)\n"
                       "    r = data + perturbations - outputs\n"
                       "    return (c_tg @ np.linalg.solve(c_gg + noise_cov, r.T)).T\n",
                       "increment only"),
    "one step for all": (_EKI_HEAD + "    c_tg, c_gg = dt.T @ dg / (J - 1), dg.T @ dg / (J - 1)\n"
                         "    r = np.mean(data + perturbations - outputs, axis=0)\n"
                         "    return theta + c_tg @ np.linalg.solve(c_gg + noise_cov, r)\n",
                         "same amount"),
    "transposed": (_EKI_HEAD + "    c_tg, c_gg = dt.T @ dg / (J - 1), dg.T @ dg / (J - 1)\n"
                   "    r = data + perturbations - outputs\n"
                   "    return theta.T + c_tg @ np.linalg.solve(c_gg + noise_cov, r.T)\n",
                   "transposed"),
    "the package's EKI": ("from nnbasics.discovery import ensemble_kalman_inversion\n"
                          "def eki_update(theta, outputs, data, noise_cov, perturbations):\n"
                          "    m = dict(zip(map(tuple, theta), outputs))\n"
                          "    return ensemble_kalman_inversion(lambda t: m[tuple(t)], data,\n"
                          "        noise_cov, theta, 1, seed=0).ensembles[-1]\n",
                          "calls the course's"),
}


def test_the_mean_step_of_a_linear_model_is_regularised_gauss_newton():
    """The identity the chapter derives and the notebook shows, on the reference."""
    gen = np.random.default_rng(3)
    a, b = gen.normal(size=(6, 2)), gen.normal(size=6)
    theta = gen.normal(size=(40, 2))
    outputs = theta @ a.T + b
    gamma = np.diag(gen.uniform(0.1, 0.5, 6))
    y = gen.normal(size=6)
    new = cp._reference_update(theta, outputs, y, gamma, np.zeros((40, 6)))
    c = np.cov(theta, rowvar=False)
    gi = np.linalg.inv(gamma)
    step = np.linalg.solve(a.T @ gi @ a + np.linalg.inv(c),
                           a.T @ gi @ (y - (theta.mean(0) @ a.T + b)))
    np.testing.assert_allclose(new.mean(0) - theta.mean(0), step, rtol=1e-10, atol=1e-12)


# -- Task 3: sequentially thresholded least squares ---------------------------------
STLSQ_RIGHT = {
    "masks and lstsq per column": """
def stlsq(library, targets, threshold, iterations=10):
    xi = np.linalg.lstsq(library, targets, rcond=None)[0]
    for _ in range(iterations):
        small = np.abs(xi) < threshold
        xi[small] = 0
        for j in range(xi.shape[1]):
            keep = ~small[:, j]
            xi[keep, j] = np.linalg.lstsq(library[:, keep], targets[:, j], rcond=None)[0]
    return xi
""",
    "normal equations, lists of columns, own helper named sparse_regression": """
def sparse_regression(A, b):
    return np.linalg.solve(A.T @ A, A.T @ b)
def stlsq(library, targets, threshold, iterations=10):
    columns = []
    for j in range(targets.shape[1]):
        keep = np.ones(library.shape[1], dtype=bool)
        for _ in range(iterations + 1):
            c = np.zeros(library.shape[1])
            c[keep] = sparse_regression(library[:, keep], targets[:, j])
            keep = np.abs(c) >= threshold
        c[~keep] = 0.0
        columns.append(list(c))
    return np.array(columns).T
""",
    "float32, pinv, stops when nothing changes": """
def stlsq(library, targets, threshold, iterations=10):
    A, Y = library.astype(np.float32), targets.astype(np.float32)
    xi = np.linalg.pinv(A) @ Y
    for _ in range(iterations):
        small = np.abs(xi) < threshold
        if np.all(xi[small] == 0):
            break
        xi[small] = 0
        for j in range(Y.shape[1]):
            xi[~small[:, j], j] = np.linalg.pinv(A[:, ~small[:, j]]) @ Y[:, j]
    return xi
""",
}

_STLSQ_FIT = ("def stlsq(library, targets, threshold, iterations=10):\n"
              "    xi = np.linalg.lstsq(library, targets, rcond=None)[0]\n")
STLSQ_WRONG = {
    "threshold before the fit": (
        "def stlsq(library, targets, threshold, iterations=10):\n"
        "    xi = np.zeros((library.shape[1], targets.shape[1]))\n"
        "    for _ in range(iterations):\n"
        "        small = np.abs(xi) < threshold\n"
        "        xi[small] = 0\n"
        "        for j in range(xi.shape[1]):\n"
        "            keep = ~small[:, j]\n"
        "            if keep.any():\n"
        "                xi[keep, j] = np.linalg.lstsq(library[:, keep], targets[:, j],\n"
        "                                              rcond=None)[0]\n"
        "    return xi\n", "threshold before the first fit"),
    "never refitted": (_STLSQ_FIT + "    xi[np.abs(xi) < threshold] = 0\n    return xi\n",
                       "never refitted"),
    "refitted on the whole library": (
        _STLSQ_FIT + "    for _ in range(iterations):\n"
        "        xi[np.abs(xi) < threshold] = 0\n"
        "        xi = np.linalg.lstsq(library, targets, rcond=None)[0]\n    return xi\n",
        "refit only the terms kept"),
    "refit on the whole library, then the threshold": (
        _STLSQ_FIT + "    for _ in range(iterations):\n"
        "        xi = np.linalg.lstsq(library, targets, rcond=None)[0]\n"
        "        xi[np.abs(xi) < threshold] = 0\n    return xi\n", "never refitted"),
    "no absolute value": (
        _STLSQ_FIT + "    for _ in range(iterations):\n"
        "        small = xi < threshold\n        xi[small] = 0\n"
        "        for j in range(xi.shape[1]):\n"
        "            keep = ~small[:, j]\n"
        "            if keep.any():\n"
        "                xi[keep, j] = np.linalg.lstsq(library[:, keep], targets[:, j],\n"
        "                                              rcond=None)[0]\n"
        "    return xi\n", "np.abs(xi) < threshold"),
    "one set of terms for every target": (
        _STLSQ_FIT + "    for _ in range(iterations):\n"
        "        keep = np.abs(xi[:, 0]) >= threshold\n"
        "        xi[~keep] = 0\n"
        "        xi[keep] = np.linalg.lstsq(library[:, keep], targets, rcond=None)[0]\n"
        "    return xi\n", "keeps its own terms"),
    "transposed": (_STLSQ_FIT + "    xi[np.abs(xi) < threshold] = 0\n    return xi.T\n",
                   "transpose"),
    "the package's sparse regression": (
        "from nnbasics.discovery import sparse_regression as sr\n"
        "def stlsq(library, targets, threshold, iterations=10):\n"
        "    return sr(library, targets, threshold, iterations)\n", "calls the course's"),
}


# -- every task: each right answer passes every run, each wrong one fails naming it ------
#: task: (its check, the name the learner defines, right answers, wrong answers, runs)
TASKS = {
    "eofs": (cp.check_eofs, "eofs", EOFS_RIGHT, EOFS_WRONG, EOF_RUNS),
    "eki_update": (cp.check_eki_update, "eki_update", EKI_RIGHT, EKI_WRONG, RUNS),
    "stlsq": (cp.check_stlsq, "stlsq", STLSQ_RIGHT, STLSQ_WRONG, RUNS),
}
RIGHT_CASES = [pytest.param(task, way, id=f"{task}:{way}")
               for task, (_, _, right, _, _) in TASKS.items() for way in right]
WRONG_CASES = [pytest.param(task, way, id=f"{task}:{way}")
               for task, (_, _, _, wrong, _) in TASKS.items() for way in wrong]


@pytest.mark.parametrize("task, way", RIGHT_CASES)
def test_right_answers_pass_every_run(task, way):
    check, name, right, _, runs = TASKS[task]
    always_passes(check, notebook(right[way], name), runs)


@pytest.mark.parametrize("task, way", WRONG_CASES)
def test_wrong_answers_fail_naming_the_mistake(task, way):
    check, name, _, wrong, runs = TASKS[task]
    source, words = wrong[way]
    always_fails(check, notebook(source, name), words, runs)


# -- the notebook's data -----------------------------------------------------------
def test_the_exercise_field_needs_weights_and_centring():
    field, lat = cp.exercise_field()
    assert field.shape == (cp.SNAPSHOTS, lat.size) and lat.min() == -75
    weighted = cp._reference_eofs(field, lat)[1]
    unweighted = cp._reference_eofs(field, lat, np.ones_like(lat))[1]
    assert abs(unweighted[0] - weighted[0]) > 0.1 * weighted[0]
    assert cp._reference_eofs(field, lat, centre=False)[1][0] > 0.99


def test_the_lorenz_library_recovers_the_equations_with_the_reference():
    trajectory = rk4(lorenz63, np.array([-8.0, 8.0, 27.0]), 0.002, 5000)
    rates = (trajectory[2:] - trajectory[:-2]) / 0.004
    library = cp.lorenz_library(trajectory[1:-1])
    xi = cp._reference_stlsq(library, rates, 0.1, 10)
    assert [cp.LIBRARY_NAMES[i] for i in np.flatnonzero(xi[:, 1])] == ["x", "y", "xz"]
    assert np.count_nonzero(xi) == 7


@pytest.mark.parametrize("states, error", [
    (None, TypeError), (np.ones((5, 2)), ValueError), (np.ones(3), ValueError),
    ([[1.0, np.nan, 2.0]], ValueError),
])
def test_the_lorenz_library_names_bad_input(states, error):
    with pytest.raises(error, match="states"):
        cp.lorenz_library(states)
