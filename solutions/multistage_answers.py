"""Answers to solutions/multistage.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check. tests/test_checks_multistage.py calls the
check directly on more answers of both kinds.
"""

_RESIDUE = ("    residue = u_train - first(t_train)\n"
            "    eps = np.max(np.abs(residue))\n"
            "    signs = np.sign(residue)\n"
            "    kappa = 3.0 * np.count_nonzero(signs[1:] != signs[:-1])\n"
            "    net = init_mlp([1, 16, 16, 1], rng(SEED, 2), first='sin', kappa=kappa)\n")
_U1 = "    u1 = lambda t: forward(net, t)\n"

WRONG = {
    "second-stage": [
        # Forgot to rescale: trained on the raw residue, then multiplied by eps anyway.
        (_RESIDUE
         + "    levenberg_marquardt(net, t_train, residue, iterations=300)\n" + _U1
         + "    return eps, kappa, u1, lambda t: first(t) + eps * u1(t)",
         "raw residue"),
        # Added the stage without eps.
        (_RESIDUE
         + "    levenberg_marquardt(net, t_train, residue / eps, iterations=300)\n" + _U1
         + "    return eps, kappa, u1, lambda t: first(t) + u1(t)",
         "without eps"),
        # kappa from the target instead of the residue.
        ("    residue = u_train - first(t_train)\n"
         "    eps = np.max(np.abs(residue))\n"
         "    signs = np.sign(u_train)\n"
         "    kappa = 3.0 * np.count_nonzero(signs[1:] != signs[:-1])\n"
         "    net = init_mlp([1, 16, 16, 1], rng(SEED, 2), first='sin', kappa=kappa)\n"
         "    levenberg_marquardt(net, t_train, residue / eps, iterations=300)\n" + _U1
         + "    return eps, kappa, u1, lambda t: first(t) + eps * u1(t)",
         "target's frequency"),
    ],
}

RIGHT = {
    "second-stage": [
        # kappa from the FFT peak, closures written as lambdas.
        ("    r = u_train - first(t_train)\n"
         "    eps = float(np.abs(r).max())\n"
         "    spectrum = np.abs(np.fft.rfft(r))\n"
         "    length = t_train[-1] - t_train[0]\n"
         "    kappa = 2 * np.pi * (np.argmax(spectrum[1:]) + 1) / length\n"
         "    net = init_mlp([1, 16, 16, 1], rng(SEED, 3), first='sin', kappa=kappa)\n"
         "    levenberg_marquardt(net, t_train, r / eps, iterations=300)\n"
         "    return eps, kappa, (lambda t: forward(net, t)), "
         "(lambda t: first(t) + eps * forward(net, t))"),
    ],
}
