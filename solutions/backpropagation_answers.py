"""Answers to solutions/backpropagation.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check.
"""

_CHAIN_FORWARD = ("    z1 = w1 * x + b1\n    a1 = sigmoid(z1)\n    z2 = w2 * a1 + b2\n"
                  "    y = sigmoid(z2)\n")
_HIDDEN_FORWARD = ("    z1 = w1 * x + b1\n    a1 = sigmoid(z1)\n    z2 = w2 @ a1 + b2\n"
                   "    dJ_dz2 = 2 * (sigmoid(z2) - y_d) * sigmoid_prime(z2)\n")
_OUTPUTS_FORWARD = ("    z1 = w1 * x + b1\n    a1 = sigmoid(z1)\n    z2 = W2 @ a1 + b2\n"
                    "    delta2 = 2 * (sigmoid(z2) - y_d) * sigmoid_prime(z2)\n")

WRONG = {
    "chain": [
        # The lecture slide's formula: no w2 in the first neuron's derivatives.
        (_CHAIN_FORWARD + "    dJ_dz2 = 2 * (y - y_d) * sigmoid_prime(z2)\n"
         "    dJ_dz1 = dJ_dz2 * sigmoid_prime(z1)\n"
         "    return dJ_dz1 * x, dJ_dz1, dJ_dz2 * a1, dJ_dz2",
         "you left out the factor w2"),
        (_CHAIN_FORWARD + "    dJ_dz2 = 2 * (y - y_d) * sigmoid_prime(z2)\n"
         "    dJ_dz1 = dJ_dz2 * w2\n"
         "    return dJ_dz1 * x, dJ_dz1, dJ_dz2 * a1, dJ_dz2",
         "you left out σ'(z1)"),
        (_CHAIN_FORWARD + "    dJ_dz2 = 2 * (y - y_d)\n"
         "    dJ_dz1 = dJ_dz2 * w2 * sigmoid_prime(z1)\n"
         "    return dJ_dz1 * x, dJ_dz1, dJ_dz2 * a1, dJ_dz2",
         "you left out σ'(z2)"),
        (_CHAIN_FORWARD + "    dJ_dz2 = 2 * (y - y_d) * sigmoid_prime(z2)\n"
         "    dJ_dz1 = dJ_dz2 * w2 * sigmoid_prime(z1)\n"
         "    return dJ_dz1 * x, dJ_dz1, dJ_dz2 * x, dJ_dz2",
         "not the input x"),
        # The lecture's order (w1, w2, b1, b2) instead of the task's.
        (_CHAIN_FORWARD + "    dJ_dz2 = 2 * (y - y_d) * sigmoid_prime(z2)\n"
         "    dJ_dz1 = dJ_dz2 * w2 * sigmoid_prime(z1)\n"
         "    return dJ_dz1 * x, dJ_dz2 * a1, dJ_dz1, dJ_dz2",
         "return them in the order"),
    ],
    "hidden": [
        (_HIDDEN_FORWARD + "    return dJ_dz2 * a1, dJ_dz2 * sigmoid_prime(z1) * x",
         "you left out the factor w_k^(2)"),
        (_HIDDEN_FORWARD + "    return dJ_dz2 * a1, dJ_dz2 * w2.sum() * sigmoid_prime(z1) * x",
         "not the sum of all w^(2)"),
        (_HIDDEN_FORWARD + "    return dJ_dz2 * a1, dJ_dz2 * w2 * x",
         "you left out σ'(z_k^(1))"),
        (_HIDDEN_FORWARD + "    return dJ_dz2 * x, dJ_dz2 * w2 * sigmoid_prime(z1) * x",
         "not x"),
    ],
    "outputs": [
        (_OUTPUTS_FORWARD + "    delta1 = W2[0] * delta2[0] * sigmoid_prime(z1)\n"
         "    return np.outer(delta2, a1), delta1 * x",
         "you kept only output 1"),
        (_OUTPUTS_FORWARD + "    delta1 = (W2.T @ delta2) * sigmoid_prime(z1)\n"
         "    return np.outer(a1, delta2), delta1 * x",
         "transpose"),
        (_OUTPUTS_FORWARD + "    delta1 = (W2.T @ delta2) * sigmoid_prime(z1) / 2\n"
         "    return np.outer(delta2, a1), delta1 * x",
         "you averaged over the outputs"),
        (_OUTPUTS_FORWARD + "    delta1 = delta2.sum() * sigmoid_prime(z1)\n"
         "    return np.outer(delta2, a1), delta1 * x",
         "you left out w_jk^(2) inside the sum"),
        ("    z1 = w1 * x + b1\n    a1 = sigmoid(z1)\n    r = 2 * (sigmoid(W2 @ a1 + b2) - y_d)\n"
         "    return np.outer(r, a1), (W2.T @ r) * sigmoid_prime(z1) * x",
         "you left out σ'(z_j^(2))"),
    ],
    "layer": [
        ("    return grad_a @ a_prev.T, grad_a.sum(axis=1), W.T @ grad_a",
         "you left out f'(Z)"),
        ("    delta = grad_a * f_prime(z)\n"
         "    return a_prev @ delta.T, delta.sum(axis=1), W.T @ delta",
         "∂J/∂W is transposed"),
        ("    delta = grad_a * f_prime(z)\n"
         "    return delta @ a_prev.T, delta.sum(axis=1), W @ delta",
         "needs the transposed matrix"),
        ("    delta = grad_a * f_prime(z)\n"
         "    return delta @ a_prev.T, delta.mean(axis=1), W.T @ delta",
         "do not average"),
        ("    delta = grad_a * f_prime(z)\n"
         "    return delta @ a_prev.T, delta, W.T @ delta",
         "sum δ over the examples"),
        ("    delta = grad_a * f_prime(z)\n"
         "    return delta @ a_prev.T, delta.sum(axis=1), W.T @ grad_a",
         "not Wᵀ ∂J/∂A"),
    ],
}

RIGHT = {
    "chain": [
        # A sigmoid of one's own, σ' written as a(1 - a), a list instead of a tuple.
        ("    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731\n"
         "    a1 = s(w1 * x + b1)\n    y = s(w2 * a1 + b2)\n"
         "    g = 2 * (y - y_d) * y * (1 - y)\n"
         "    h = g * w2 * a1 * (1 - a1)\n"
         "    return [h * x, h, g * a1, g]"),
    ],
    "hidden": [
        # One hidden unit at a time, plain Python lists.
        ("    a = [sigmoid(w1[k] * x + b1[k]) for k in range(3)]\n"
         "    z2 = sum(w2[k] * a[k] for k in range(3)) + b2\n"
         "    g = 2 * (sigmoid(z2) - y_d) * sigmoid_prime(z2)\n"
         "    dw2 = [g * a[k] for k in range(3)]\n"
         "    dw1 = [g * w2[k] * a[k] * (1 - a[k]) * x for k in range(3)]\n"
         "    return dw2, dw1"),
    ],
    "outputs": [
        # Explicit sums over j and k.
        ("    a1 = sigmoid(w1 * x + b1)\n"
         "    dW2 = np.zeros((2, 3))\n    dw1 = np.zeros(3)\n"
         "    for j in range(2):\n"
         "        zj = sum(W2[j, k] * a1[k] for k in range(3)) + b2[j]\n"
         "        dj = 2 * (sigmoid(zj) - y_d[j]) * sigmoid_prime(zj)\n"
         "        for k in range(3):\n"
         "            dW2[j, k] = dj * a1[k]\n"
         "            dw1[k] += dj * W2[j, k] * a1[k] * (1 - a1[k]) * x\n"
         "    return dW2, dw1"),
    ],
    "layer": [
        # Index notation with einsum; the sums over examples and units spelled out.
        ("    d = grad_a * f_prime(z)\n"
         "    grad_W = np.einsum('ji,ki->jk', d, a_prev)\n"
         "    grad_a_prev = np.einsum('jk,ji->ki', W, d)\n"
         "    return grad_W, np.einsum('ji->j', d), grad_a_prev"),
    ],
}
