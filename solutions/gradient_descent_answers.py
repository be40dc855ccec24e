"""Answers to solutions/gradient_descent.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check (the fit included).

The WRONG answers are the mistakes learners make: each factor of the chain rule in
turn, the loop's sign, rate and bookkeeping, rates on either side of the range that
converges, and the two ways of not writing the answer at all (importing the course's
reference, or wrapping it).
"""

# A body that computes per example what the gradient needs, shared by several answers.
_COMMON = "    y = sigmoid(w * x + b)\n"

WRONG = {
    "gradient": [
        (_COMMON + "    common = (y - y_d) * y * (1 - y)\n"
         "    return np.mean(common * x), np.mean(common)",
         "check the factor 2"),
        (_COMMON + "    common = 2 * (y_d - y) * y * (1 - y)\n"
         "    return np.mean(common * x), np.mean(common)",
         "wrong sign"),
        (_COMMON + "    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.sum(common * x), np.sum(common)",
         "times too large: J is the mean"),
        (_COMMON + "    common = 2 * (y - y_d)\n"
         "    return np.mean(common * x), np.mean(common)",
         "you left out σ'"),
        (_COMMON + "    common = 2 * (y - y_d) * y\n"
         "    return np.mean(common * x), np.mean(common)",
         "you used σ(z) where the derivative"),
        (_COMMON + "    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.mean(common), np.mean(common)",
         "inner derivative ∂z/∂w = x"),
        (_COMMON + "    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.mean(common), np.mean(common * x)",
         "return the pair in the order (dJ/dw, dJ/db)"),
        (_COMMON + "    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return common * x, common",
         "one number per example?"),
        (_COMMON + "    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.mean(common * x)",
         "should be 2 numbers"),
        (_COMMON + "    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    np.mean(common * x), np.mean(common)",
         "returned None"),
        (_COMMON + "    common = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.array([[np.mean(common * x)], [np.mean(common)]])",
         "returned an array of shape (2, 1)"),
        # the notebook's global data instead of the arguments
        ("    y = sigmoid(w * globals()['x'] + b)\n"
         "    common = 2 * (y - globals()['y_d']) * y * (1 - y)\n"
         "    return np.mean(common * globals()['x']), np.mean(common)",
         "uses the notebook's x and y_d"),
        ("    from nnbasics.models import neuron_gradient\n"
         "    return neuron_gradient(w, b, x, y_d)",
         "calls the course's neuron_gradient"),
        # an import under the task's name replaces the learner's function altogether
        ("    pass\n\n\nfrom nnbasics.models import neuron_gradient as cost_gradient  # noqa: E402",
         "comes from nnbasics.models"),
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
        ("    path = [(w, b)]\n    gw, gb = cost_gradient(w, b, x, y_d)\n"
         "    for _ in range(steps):\n"
         "        w, b = w - learning_rate * gw, b - learning_rate * gb\n"
         "        path.append((w, b))\n    return np.array(path)",
         "every step uses the gradient at the start"),
        ("    path = [(w, b)]\n    for _ in range(steps):\n"
         "        w = w - learning_rate * cost_gradient(w, b, x, y_d)[0]\n"
         "        b = b - learning_rate * cost_gradient(w, b, x, y_d)[1]\n"
         "        path.append((w, b))\n    return np.array(path)",
         "compute both derivatives at the same (w, b)"),
        ("    path = []\n    for _ in range(steps):\n"
         "        gw, gb = cost_gradient(w, b, x, y_d)\n"
         "        w, b = w - learning_rate * gw, b - learning_rate * gb\n"
         "        path.append((w, b))\n    return np.array(path)",
         "put the starting point in the first row"),
        ("    theta = np.array([w, b])\n    path = [theta]\n    for _ in range(steps):\n"
         "        theta -= learning_rate * np.array(cost_gradient(*theta, x, y_d))\n"
         "        path.append(theta)\n    return np.array(path)",
         "changed it in place"),
        ("    for _ in range(steps):\n"
         "        gw, gb = cost_gradient(w, b, x, y_d)\n"
         "        w, b = w - learning_rate * gw, b - learning_rate * gb\n"
         "    return np.array([w, b])",
         "return every point visited"),
        ("    path = [(w, b)]\n    for _ in range(steps):\n"
         "        gw, gb = cost_gradient(w, b, x, y_d)\n"
         "        w, b = w - learning_rate * gw, b - learning_rate * gb\n"
         "        path.append((w, b))\n    return np.array(path).T",
         "the path is transposed"),
        ("    from nnbasics.descent import gradient_descent as descend\n"
         "    from nnbasics.models import flat_problem, neuron_cost\n"
         "    cost, grad = flat_problem(neuron_cost, cost_gradient, x, y_d)\n"
         "    return descend(cost, grad, (w, b), learning_rate, steps).params",
         "calls the course's gradient_descent"),
    ],
    "learning-rate": [
        ("learning_rate = 0.5", "too small, so try a larger learning rate"),
        ("learning_rate = 2.0", "too small, so try a larger learning rate"),
        ("learning_rate = 100.0", "so try a smaller learning rate"),
        ("learning_rate = 500.0", "so try a smaller learning rate"),
        ("learning_rate = -10.0", "must be a positive number"),
        ("learning_rate = 0", "must be a positive number"),
        ("learning_rate = '10'", "remove the quotes"),
        ("learning_rate = [1.0, 10.0]", "set it to one number"),
    ],
}

RIGHT = {
    "gradient": [
        # one example at a time, with np.exp for the sigmoid, the mean by hand
        ("    dw = db = 0.0\n"
         "    for xi, yi in zip(x, y_d):\n"
         "        s = 1 / (1 + np.exp(-(w * xi + b)))\n"
         "        g = 2 * (s - yi) * s * (1 - s)\n"
         "        dw, db = dw + g * xi, db + g\n"
         "    return dw / len(x), db / len(x)"),
        # a NumPy array, not a tuple
        (_COMMON + "    g = 2 * (y - y_d) * y * (1 - y)\n"
         "    return np.array([np.mean(g * x), np.mean(g)])"),
        # a list of 0-d arrays, with sums
        (_COMMON + "    g = 2 * (y - y_d) * y * (1 - y)\n"
         "    return [np.asarray((g * x).sum() / x.size), np.asarray(g.sum() / x.size)]"),
        # a matrix product
        (_COMMON + "    g = 2 * (y - y_d) * y * (1 - y)\n"
         "    features = np.stack([x, np.ones_like(x)])\n"
         "    return features @ g / len(x)"),
        # torch tensors (the learner's descent loop then works in torch as well)
        ("    import torch\n"
         "    xt, yt = torch.as_tensor(x), torch.as_tensor(y_d)\n"
         "    s = torch.sigmoid(w * xt + b)\n"
         "    g = 2 * (s - yt) * s * (1 - s)\n"
         "    return (g * xt).mean(), g.mean()"),
    ],
    "descent": [
        # a preallocated array filled row by row
        ("    path = np.zeros((steps + 1, 2))\n    path[0] = w, b\n"
         "    for k in range(1, steps + 1):\n"
         "        g = np.array(cost_gradient(*path[k - 1], x, y_d), dtype=float)\n"
         "        path[k] = path[k - 1] - learning_rate * g\n"
         "    return path"),
        # a parameter vector, copied before it changes; a list of arrays returned
        ("    theta = np.array([w, b], dtype=float)\n    path = [theta.copy()]\n"
         "    for _ in range(steps):\n"
         "        theta = theta - learning_rate * np.asarray(cost_gradient(*theta, x, y_d))\n"
         "        path.append(theta.copy())\n    return np.vstack(path)"),
        # a list of lists, a while loop
        ("    path, k = [[w, b]], 0\n    while k < steps:\n"
         "        dw, db = cost_gradient(w, b, x, y_d)\n"
         "        w -= learning_rate * dw\n        b -= learning_rate * db\n"
         "        path.append([w, b])\n        k += 1\n    return path"),
    ],
    "learning-rate": [
        "learning_rate = 10  # an int is a number too",
        "learning_rate = np.float32(5.0)",
        "learning_rate = np.array(30.0)  # a 0-d array",
        "learning_rate = 2 / 0.1",
    ],
}
