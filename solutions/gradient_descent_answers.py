"""Answers to solutions/gradient_descent.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check.
"""

WRONG = {
    "gradient": [
        ("    z = w * x + b\n    y = sigmoid(z)\n    common = (y - y_d) * y * (1 - y)\n"
         "    return np.mean(common * x), np.mean(common)",
         "check the factor 2"),
        ("    common = 2 * (sigmoid(w * x + b) - y_d)\n"
         "    return np.mean(common * x), np.mean(common)",
         "you left out σ'"),
        ("    y = sigmoid(w * x + b)\n    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.mean(common), np.mean(common * x)",
         "return the pair in the order (dJ/dw, dJ/db)"),
    ],
    "descent": [
        ("    path = [(w, b)]\n    for _ in range(steps):\n"
         "        gw, gb = cost_gradient(w, b, x, y_d)\n"
         "        w, b = w + learning_rate * gw, b + learning_rate * gb\n"
         "        path.append((w, b))\n    return np.array(path)",
         "you stepped uphill"),
        ("    path = [(w, b)]\n    for _ in range(steps):\n"
         "        gw, gb = cost_gradient(w, b, x, y_d)\n"
         "        w, b = w - gw, b - gb\n"
         "        path.append((w, b))\n    return np.array(path)",
         "the step must be scaled by the learning rate"),
        ("    path = []\n    for _ in range(steps):\n"
         "        gw, gb = cost_gradient(w, b, x, y_d)\n"
         "        w, b = w - learning_rate * gw, b - learning_rate * gb\n"
         "        path.append((w, b))\n    return np.array(path)",
         "the starting point, then one (w, b) row per step"),
    ],
    "learning-rate": [
        ("learning_rate = 0.5", "too small, so try a larger learning rate"),
        ("learning_rate = 500.0", "so try a smaller learning rate"),
    ],
}

RIGHT = {
    "gradient": [
        ("    s = 1 / (1 + np.exp(-(w * x + b)))\n"
         "    g = 2 * (s - y_d) * s * (1 - s)\n"
         "    return (g * x).sum() / len(x), g.sum() / len(x)"),
    ],
    "descent": [
        ("    path = np.zeros((steps + 1, 2))\n    path[0] = w, b\n"
         "    for k in range(1, steps + 1):\n"
         "        g = np.array(cost_gradient(*path[k - 1], x, y_d))\n"
         "        path[k] = path[k - 1] - learning_rate * g\n"
         "    return path"),
    ],
    "learning-rate": ["learning_rate = 10  # an int is a number too"],
}
