"""Answers to solutions/climate_physics.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check (and run the cells that use it).
tests/test_checks_climate_physics.py calls the checks directly on more answers of
both kinds, many runs each.

The WRONG answers are the mistakes learners make: the EOFs without centring or
without area weights (or with cos where sqrt(cos) belongs), singular values where
their squares belong, eigh's eigenvalues taken in its increasing order; the Kalman
gain without Γ, without the perturbations, with the residual's sign flipped or
covariances divided by J; a threshold applied before the first fit, never
refitting, refitting the whole library, forgetting the absolute value; and the
package's own implementation called instead of written.
"""

_WEIGHTS = "    weights = np.sqrt(np.cos(np.deg2rad(lat)))\n"
_SVD = ("    _, s, vt = np.linalg.svd(anomalies, full_matrices=False)\n"
        "    return vt[:k], (s**2 / np.sum(s**2))[:k]")
_COVARIANCES = ("    members = len(theta)\n"
                "    d_theta = theta - theta.mean(axis=0)\n"
                "    d_out = outputs - outputs.mean(axis=0)\n"
                "    c_tg = d_theta.T @ d_out / (members - 1)\n"
                "    c_gg = d_out.T @ d_out / (members - 1)\n")
_FIRST_FIT = "    xi = np.linalg.lstsq(library, targets, rcond=None)[0]\n"
_REFIT = ("        for j in range(xi.shape[1]):\n"
          "            keep = ~small[:, j]\n"
          "            if keep.any():\n"
          "                xi[keep, j] = np.linalg.lstsq(library[:, keep], targets[:, j],\n"
          "                                              rcond=None)[0]\n"
          "    return xi")

WRONG = {
    "eofs": [
        ("    anomalies = field - field.mean(axis=0)\n" + _SVD, "sqrt(cos(latitude))"),
        (_WEIGHTS + "    anomalies = field * weights\n" + _SVD,
         "did not remove the mean snapshot"),
        (_WEIGHTS.replace("np.sqrt(", "(") + "    anomalies = (field - field.mean(axis=0))"
         " * weights\n" + _SVD, "you weighted by cos(latitude)"),
        (_WEIGHTS + "    anomalies = (field - field.mean(axis=0)) * weights\n"
         "    _, s, vt = np.linalg.svd(anomalies, full_matrices=False)\n"
         "    return vt[:k], s[:k] / np.sum(s)", "the variance of pattern k is s_k²"),
        (_WEIGHTS + "    anomalies = (field - field.mean(axis=0)) * weights\n"
         "    values, vectors = np.linalg.eigh(anomalies.T @ anomalies)\n"
         "    return vectors[:, -k:].T, values[-k:] / values.sum()", "increasing order"),
        (_WEIGHTS + "    anomalies = (field - field.mean(axis=0)) * weights\n"
         "    u, s, vt = np.linalg.svd(anomalies, full_matrices=False)\n"
         "    return u[:, :k].T, (s**2 / np.sum(s**2))[:k]", "columns of U"),
        ("    from nnbasics.discovery import principal_components\n"
         "    pca = principal_components(field * np.sqrt(np.cos(np.deg2rad(lat))))\n"
         "    return pca.components[:k], pca.explained[:k]",
         "calls the course's principal_components"),
    ],
    "eki-update": [
        (_COVARIANCES + "    residuals = data + perturbations - outputs\n"
         "    return theta + np.linalg.solve(c_gg, residuals.T).T @ c_tg.T",
         "Γ is missing from the gain"),
        (_COVARIANCES + "    residuals = data - outputs\n"
         "    return theta + np.linalg.solve(c_gg + noise_cov, residuals.T).T @ c_tg.T",
         "you left out the perturbations"),
        (_COVARIANCES + "    residuals = outputs - data - perturbations\n"
         "    return theta + np.linalg.solve(c_gg + noise_cov, residuals.T).T @ c_tg.T",
         "the residual's sign is flipped"),
        (_COVARIANCES.replace("(members - 1)", "members")
         + "    residuals = data + perturbations - outputs\n"
         "    return theta + np.linalg.solve(c_gg + noise_cov, residuals.T).T @ c_tg.T",
         "divide by J − 1"),
        ("    members = len(theta)\n"
         "    c_tg = theta.T @ outputs / (members - 1)\n"
         "    c_gg = outputs.T @ outputs / (members - 1)\n"
         "    residuals = data + perturbations - outputs\n"
         "    return theta + np.linalg.solve(c_gg + noise_cov, residuals.T).T @ c_tg.T",
         "the covariances are not centred"),
        (_COVARIANCES + "    residuals = data + perturbations - outputs\n"
         "    return np.linalg.solve(c_gg + noise_cov, residuals.T).T @ c_tg.T",
         "that is the increment only"),
        ("    from nnbasics.discovery import ensemble_kalman_inversion\n"
         "    table = dict(zip(map(tuple, theta), outputs))\n"
         "    result = ensemble_kalman_inversion(lambda t: table[tuple(t)], data,\n"
         "                                       noise_cov, theta, 1, seed=0)\n"
         "    return result.ensembles[-1]",
         "calls the course's ensemble_kalman_inversion"),
    ],
    "stlsq": [
        ("    xi = np.zeros((library.shape[1], targets.shape[1]))\n"
         "    for _ in range(iterations):\n"
         "        small = np.abs(xi) < threshold\n"
         "        xi[small] = 0.0\n" + _REFIT, "threshold before the first fit"),
        (_FIRST_FIT + "    xi[np.abs(xi) < threshold] = 0.0\n    return xi", "never refitted"),
        (_FIRST_FIT + "    for _ in range(iterations):\n"
         "        xi[np.abs(xi) < threshold] = 0.0\n"
         "        xi = np.linalg.lstsq(library, targets, rcond=None)[0]\n"
         "    return xi", "refit only the terms kept"),
        (_FIRST_FIT + "    for _ in range(iterations):\n"
         "        small = xi < threshold\n"
         "        xi[small] = 0.0\n" + _REFIT, "np.abs(xi) < threshold"),
        (_FIRST_FIT + "    for _ in range(iterations):\n"
         "        keep = np.abs(xi[:, 0]) >= threshold\n"
         "        xi[~keep] = 0.0\n"
         "        xi[keep] = np.linalg.lstsq(library[:, keep], targets, rcond=None)[0]\n"
         "    return xi", "keeps its own terms"),
        ("    from nnbasics.discovery import sparse_regression\n"
         "    return sparse_regression(library, targets, threshold, iterations)",
         "calls the course's sparse_regression"),
    ],
}

RIGHT = {
    "eofs": [
        # eigh of the weighted covariance, in single precision, returned as lists
        ("    x = np.asarray(field, dtype=np.float32)\n"
         "    w = np.sqrt(np.cos(lat * np.pi / 180)).astype(np.float32)\n"
         "    a = (x - x.mean(axis=0)) * w\n"
         "    values, vectors = np.linalg.eigh(a.T @ a / (len(a) - 1))\n"
         "    order = np.argsort(values)[::-1][:k]\n"
         "    return ([list(v) for v in vectors[:, order].T],\n"
         "            list(values[order] / values.sum()))"),
        # a loop over grid points, a helper named like the package's, signs flipped
        ("    def principal_components(anomalies):\n"
         "        _, s, vt = np.linalg.svd(anomalies, full_matrices=True)\n"
         "        return -vt, s**2 / (s**2).sum()\n"
         "    a = np.empty_like(field)\n"
         "    for j in range(field.shape[1]):\n"
         "        column = field[:, j] - np.mean(field[:, j])\n"
         "        a[:, j] = column * np.cos(np.radians(lat[j])) ** 0.5\n"
         "    vt, fractions = principal_components(a)\n"
         "    return vt[:k], fractions[:k]"),
        # torch, with the weights as a diagonal matrix
        ("    import torch\n"
         "    W = np.diag(np.sqrt(np.cos(np.deg2rad(lat))))\n"
         "    x = torch.as_tensor((field - field.mean(0)) @ W)\n"
         "    _, s, vt = torch.linalg.svd(x, full_matrices=False)\n"
         "    return vt[:k], s[:k] ** 2 / (s**2).sum()"),
    ],
    "eki-update": [
        # np.cov of the stacked ensemble, the inverse, a loop over members, a list
        ("    d = theta.shape[1]\n"
         "    c = np.cov(np.hstack([theta, outputs]), rowvar=False)\n"
         "    gain = c[:d, d:] @ np.linalg.inv(c[d:, d:] + noise_cov)\n"
         "    new = []\n"
         "    for t, g, eta in zip(theta, outputs, perturbations):\n"
         "        new.append(t + gain @ (data + eta - g))\n"
         "    return new"),
        # single precision throughout, einsum
        ("    t, g, y, eta, gamma = (np.asarray(a, dtype=np.float32) for a in\n"
         "                           (theta, outputs, data, perturbations, noise_cov))\n"
         "    dt, dg = t - t.mean(0), g - g.mean(0)\n"
         "    c_tg = np.einsum('ji,jk->ik', dt, dg) / np.float32(len(t) - 1)\n"
         "    c_gg = np.einsum('ji,jk->ik', dg, dg) / np.float32(len(t) - 1)\n"
         "    return t + (c_tg @ np.linalg.solve(c_gg + gamma, (y + eta - g).T)).T"),
        # a helper named like the package's, pinv
        ("    def ensemble_kalman_inversion(c_tg, c_gg, gamma, r):\n"
         "        return (c_tg @ np.linalg.pinv(c_gg + gamma) @ r.T).T\n"
         "    J = theta.shape[0]\n"
         "    dt, dg = theta - np.mean(theta, 0), outputs - np.mean(outputs, 0)\n"
         "    return theta + ensemble_kalman_inversion(\n"
         "        dt.T @ dg / (J - 1), dg.T @ dg / (J - 1), noise_cov,\n"
         "        data + perturbations - outputs)"),
    ],
    "stlsq": [
        # one column at a time, normal equations, a helper named like the package's
        ("    def sparse_regression(a, b):\n"
         "        return np.linalg.solve(a.T @ a, a.T @ b)\n"
         "    columns = []\n"
         "    for j in range(targets.shape[1]):\n"
         "        keep = np.ones(library.shape[1], dtype=bool)\n"
         "        for _ in range(iterations + 1):\n"
         "            c = np.zeros(library.shape[1])\n"
         "            c[keep] = sparse_regression(library[:, keep], targets[:, j])\n"
         "            keep = np.abs(c) >= threshold\n"
         "        c[~keep] = 0.0\n"
         "        columns.append(list(c))\n"
         "    return np.array(columns).T"),
        # single precision, pinv, stops early once nothing changes
        ("    A = np.asarray(library, dtype=np.float32)\n"
         "    Y = np.asarray(targets, dtype=np.float32)\n"
         "    xi = np.linalg.pinv(A) @ Y\n"
         "    for _ in range(iterations):\n"
         "        small = np.abs(xi) < threshold\n"
         "        if np.all(xi[small] == 0):\n"
         "            break\n"
         "        xi[small] = 0\n"
         "        for j in range(Y.shape[1]):\n"
         "            xi[~small[:, j], j] = np.linalg.pinv(A[:, ~small[:, j]]) @ Y[:, j]\n"
         "    return xi"),
    ],
}
