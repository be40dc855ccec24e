"""Answers to solutions/multistage.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check.
"""

_RESIDUE = ("    residue = target(t_train) - first(t_train)\n"
            "    eps = np.max(np.abs(residue))\n"
            "    signs = np.sign(residue)\n"
            "    kappa = 3.0 * np.count_nonzero(signs[1:] != signs[:-1])\n"
            "    net = init_mlp([1, 16, 16, 1], rng(SEED, 2), first='sin', kappa=kappa)\n")

WRONG = {
    "second-stage": [
        # Forgot to rescale: trained on the raw residue, then multiplied by eps anyway.
        (_RESIDUE
         + "    levenberg_marquardt(net, t_train, residue, iterations=300)\n"
           "    return eps, kappa, lambda t: first(t) + eps * forward(net, t)",
         "forgot to rescale by eps"),
        # Added the stage without eps.
        (_RESIDUE
         + "    levenberg_marquardt(net, t_train, residue / eps, iterations=300)\n"
           "    return eps, kappa, lambda t: first(t) + forward(net, t)",
         "without eps"),
        # kappa from the target instead of the residue.
        ("    residue = target(t_train) - first(t_train)\n"
         "    eps = np.max(np.abs(residue))\n"
         "    signs = np.sign(target(t_train))\n"
         "    kappa = 3.0 * np.count_nonzero(signs[1:] != signs[:-1])\n"
         "    net = init_mlp([1, 16, 16, 1], rng(SEED, 2), first='sin', kappa=kappa)\n"
         "    levenberg_marquardt(net, t_train, residue / eps, iterations=300)\n"
         "    return eps, kappa, lambda t: first(t) + eps * forward(net, t)",
         "target's frequency"),
    ],
}

RIGHT = {
    "second-stage": [
        # kappa from the FFT peak, a lambda for the combination.
        ("    r = target(t_train) - first(t_train)\n"
         "    eps = float(np.abs(r).max())\n"
         "    spectrum = np.abs(np.fft.rfft(r))\n"
         "    length = t_train[-1] - t_train[0]\n"
         "    kappa = 2 * np.pi * (np.argmax(spectrum[1:]) + 1) / length\n"
         "    u1 = init_mlp([1, 16, 16, 1], rng(SEED, 3), first='sin', kappa=kappa)\n"
         "    levenberg_marquardt(u1, t_train, r / eps, iterations=300)\n"
         "    return eps, kappa, lambda t: first(t) + eps * forward(u1, t)"),
    ],
}
