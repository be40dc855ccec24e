"""Answers to solutions/universal_approximation.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check.
"""

_TOWER = """\
    w = 400.0 / min(x1 - x0, y1 - y0)
    W1 = np.array([[w, 0.0], [w, 0.0], [0.0, w], [0.0, w]])
    b1 = {bias} * np.array([x0, x1, y0, y1])
    return W1, b1, 50.0 * np.array([1.0, -1.0, 1.0, -1.0]), {threshold} * 50.0, h"""

WRONG = {
    "columns": [
        ("    edges = np.linspace(a, b, n + 1)\n"
         "    heights = f(0.5 * (edges[:-1] + edges[1:]))\n"
         "    s = np.concatenate([edges[:-1], edges[1:]])\n"
         "    return np.full(2 * n, w), w * s, np.concatenate([heights, -heights]), 0.0",
         "b = −w s (yours is +w s)"),
        ("    edges = np.linspace(a, b, n + 1)\n"
         "    heights = f(0.5 * (edges[:-1] + edges[1:]))\n"
         "    s = np.concatenate([edges[:-1], edges[1:]])\n"
         "    return np.full(2 * n, w), -s, np.concatenate([heights, -heights]), 0.0",
         "multiply the location by w"),
        ("    edges = np.linspace(a, b, n + 1)\n"
         "    heights = f(edges[:-1])\n"
         "    s = np.concatenate([edges[:-1], edges[1:]])\n"
         "    return np.full(2 * n, w), -w * s, np.concatenate([heights, -heights]), 0.0",
         "not at its left edge"),
        ("    edges = np.linspace(a, b, n + 1)\n"
         "    heights = f(0.5 * (edges[:-1] + edges[1:]))\n"
         "    s = np.concatenate([edges[:-1], edges[1:]])\n"
         "    return np.full(2 * n, w), -w * s, np.concatenate([heights, heights]), 0.0",
         "output weight −h"),
        ("    x = np.linspace(a, b, 2000)\n"
         "    return np.full(2000, 1e5), -1e5 * x, np.gradient(f(x), x) * (x[1] - x[0]), 0.0",
         "at most"),
    ],
    "tower": [
        (_TOWER.format(bias="-w", threshold="-1.0"), "threshold at 3/2"),
        (_TOWER.format(bias="-w", threshold="-2.0"), "σ(0) = 1/2"),
        (_TOWER.format(bias="w", threshold="-1.5"), "edges off"),
        ("    w = 400.0 / min(x1 - x0, y1 - y0)\n"
         "    W1 = np.array([[w, 0.0], [w, 0.0], [w, 0.0], [w, 0.0]])\n"
         "    b1 = -w * np.array([x0, x1, y0, y1])\n"
         "    return W1, b1, 50.0 * np.array([1.0, -1.0, 1.0, -1.0]), -75.0, h",
         "edges off"),
    ],
}

RIGHT = {
    "columns": [
        # One neuron per edge: neighbouring columns' steps merged into one.
        ("    edges = np.linspace(a, b, n + 1)\n"
         "    heights = f((edges[:-1] + edges[1:]) / 2)\n"
         "    jumps = np.diff(np.concatenate([[0.0], heights, [0.0]]))\n"
         "    return [w] * (n + 1), list(-w * edges), jumps, 0"),
    ],
    "tower": [
        ("    side = min(x1 - x0, y1 - y0)\n"
         "    steep, big = 1000.0 / side, 80.0\n"
         "    W1, b1 = np.zeros((4, 2)), np.zeros(4)\n"
         "    for k, (axis, edge) in enumerate([(0, x0), (1, y0), (0, x1), (1, y1)]):\n"
         "        W1[k, axis] = steep\n"
         "        b1[k] = -steep * edge\n"
         "    return W1, b1, big * np.array([1, 1, -1, -1]), -1.5 * big, float(h)"),
    ],
}
