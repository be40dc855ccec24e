"""Answers to solutions/multistage_navier_stokes.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check (and run the cells that use it).
tests/test_checks_multistage_navier_stokes.py calls the checks directly on these
answers (each wrapped in its ``def``), many runs each.

The WRONG answers are the mistakes learners make: for the energy spectrum, fft2 not
divided by n² (or by n only), wavenumbers in cycles or radians per grid spacing or
unsigned, the 1/2 or the |k|² left out (or |k|⁴, the enstrophy), shells by truncation
or by |kx| + |ky|, rfft2's half-plane not doubled, fftshift on the coefficients only;
for the first layer, both k and -k kept, kx and ky swapped, wavevectors in cycles,
the mean taken as a mode, the smallest modes, the phase without π/2, from ifft2 or in
degrees; for the output layer, ε forgotten (ε = 1, or the raw residue fitted), ε as
max r or the rms, the amplitudes 2|c_k|/ε where a fit belongs, the grid transposed or
with a node on 2π, the offset left out; and the package's own helpers called.
"""

_K = ("    n = len(psi)\n"
      "    k = np.fft.fftfreq(n, 1 / n)\n")
_SHELLS = ("    kx, ky = np.meshgrid(k, k)\n"
           "    k_length = np.hypot(kx, ky)\n")
_SUM = ("    shells = np.rint(k_length).astype(int)\n"
        "    return np.bincount(shells.ravel(), weights=density.ravel())")
_DENSITY = "    density = 0.5 * k_length**2 * np.abs(np.fft.fft2(psi) / n**2) ** 2\n"

_GRID = ("    n = len(residue)\n"
         "    k = np.fft.fftfreq(n, 1 / n)\n"
         "    kx, ky = np.meshgrid(k, k)\n"
         "    c = np.fft.fft2(residue) / n**2\n")
_HALF = ("    half = (ky > 0) | ((ky == 0) & (kx > 0))\n"
         "    half &= (np.abs(kx) < n / 2) & (np.abs(ky) < n / 2)\n")
_TOP = ("    size = np.where(half, np.abs(c), -1.0).ravel()\n"
        "    top = np.argsort(-size)[:width]\n")
_W = "    w = np.stack([kx.ravel()[top], ky.ravel()[top]], axis=1)\n"
_B = "    b = np.angle(c.ravel()[top]) + np.pi / 2\n    return w.astype(int), b"

_DESIGN = ("    n = len(residue)\n"
           "    s = 2 * np.pi * np.arange(n) / n\n"
           "    x, y = np.meshgrid(s, s)\n"
           "    phase = np.outer(x.ravel(), w[:, 0]) + np.outer(y.ravel(), w[:, 1]) + b\n"
           "    design = np.column_stack([np.sin(phase), np.ones(n * n)])\n")


def _fit(target: str, eps: str = "np.abs(residue).max()", design: str = _DESIGN) -> str:
    return (f"    eps = {eps}\n" + design
            + f"    coef = np.linalg.lstsq(design, {target}, rcond=None)[0]\n"
              "    return eps, coef[:-1], coef[-1]")


WRONG = {
    "spectrum": [
        (_K + _SHELLS + "    density = 0.5 * k_length**2 * np.abs(np.fft.fft2(psi)) ** 2\n"
         + _SUM, "np.fft.fft2 is not normalised"),
        (_K + _SHELLS + "    density = 0.5 * k_length**2 * np.abs(np.fft.fft2(psi)) ** 2"
         " / n**2\n" + _SUM, "you divided by n² too few"),
        ("    n = len(psi)\n    k = np.fft.fftfreq(n)\n" + _SHELLS + _DENSITY + _SUM,
         "in cycles per grid spacing"),
        ("    n = len(psi)\n    k = 2 * np.pi * np.fft.fftfreq(n)\n" + _SHELLS + _DENSITY
         + _SUM, "in radians per grid spacing"),
        ("    n = len(psi)\n    k = np.arange(n)\n" + _SHELLS + _DENSITY + _SUM,
         "past n/2 they stand for negative ones"),
        (_K + _SHELLS + "    density = k_length**2 * np.abs(np.fft.fft2(psi) / n**2) ** 2\n"
         + _SUM, "the factor 1/2"),
        (_K + _SHELLS + "    density = 0.5 * np.abs(np.fft.fft2(psi) / n**2) ** 2\n" + _SUM,
         "the |k|² is missing"),
        (_K + _SHELLS + "    omega_hat = k_length**2 * np.fft.fft2(psi) / n**2\n"
         "    density = 0.5 * np.abs(omega_hat) ** 2\n" + _SUM, "the enstrophy"),
        (_K + _SHELLS + _DENSITY + "    shells = k_length.astype(int)\n"
         "    return np.bincount(shells.ravel(), weights=density.ravel())",
         "round |k| to the nearest integer"),
        (_K + "    kx, ky = np.meshgrid(k, k)\n"
         "    k_length = np.abs(kx) + np.abs(ky)\n" + _DENSITY.replace("k_length**2",
                                                                    "(kx**2 + ky**2)")
         + _SUM, "not |kx| + |ky|"),
        ("    n = len(psi)\n"
         "    kx, ky = np.meshgrid(np.fft.rfftfreq(n, 1 / n), np.fft.fftfreq(n, 1 / n))\n"
         "    k_length = np.hypot(kx, ky)\n"
         "    density = 0.5 * k_length**2 * np.abs(np.fft.rfft2(psi) / n**2) ** 2\n" + _SUM,
         "count it twice"),
        (_K + _SHELLS + "    psi_hat = np.fft.fftshift(np.fft.fft2(psi)) / n**2\n"
         "    density = 0.5 * k_length**2 * np.abs(psi_hat) ** 2\n" + _SUM,
         "fftshift moved the coefficients but not the wavenumbers"),
        (_K + _SHELLS + _DENSITY + "    shells = np.rint(k_length).astype(int)\n"
         "    E = np.bincount(shells.ravel(), weights=density.ravel())\n"
         "    return np.arange(len(E)), E", "return E alone"),
        ("    from nnbasics.navier_stokes import energy_spectrum as spectrum\n"
         "    return spectrum(psi)[1]", "calls the course's energy_spectrum"),
    ],
    "first-layer": [
        (_GRID + "    size = np.abs(c).ravel()\n    top = np.argsort(-size)[:width]\n" + _W
         + _B, "k and -k are one real mode"),
        (_GRID + _HALF + _TOP
         + "    w = np.stack([ky.ravel()[top], kx.ravel()[top]], axis=1)\n" + _B,
         "you swapped kx and ky"),
        (_GRID.replace("np.fft.fftfreq(n, 1 / n)", "np.fft.fftfreq(n)")
         + _HALF.replace("n / 2", "0.5") + _TOP + _W
         + "    b = np.angle(c.ravel()[top]) + np.pi / 2\n    return w, b",
         "cycles per grid spacing"),
        (_GRID + "    half = ky >= 0\n" + _TOP + _W + _B, "(0, 0) is the mean"),
        (_GRID + _HALF + "    size = np.where(half, np.abs(c), np.inf).ravel()\n"
         "    top = np.argsort(size)[:width]\n" + _W + _B, "sort by |c_k| in decreasing"),
        (_GRID + _HALF + _TOP + _W + "    b = np.angle(c.ravel()[top])\n    return w, b",
         "you left out the π/2"),
        (_GRID.replace("np.fft.fft2(residue) / n**2", "np.fft.ifft2(residue)") + _HALF + _TOP
         + _W + _B, "the phase has the wrong sign"),
        (_GRID + _HALF + _TOP + _W
         + "    b = np.angle(c.ravel()[top], deg=True) + 90\n    return w, b", "in degrees"),
        ("    from nnbasics.navier_stokes import largest_modes\n"
         "    return largest_modes(residue, width)", "calls the course's largest_modes"),
    ],
    "output-layer": [
        (_fit("residue.ravel()", eps="1.0"), "ε = 1 is no rescaling"),
        (_fit("residue.ravel()"), "you forgot ε"),
        (_fit("residue.ravel() / eps", eps="residue.max()"), "max r misses the negative"),
        (_fit("residue.ravel() / eps", eps="np.sqrt(np.mean(residue**2))"),
         "root-mean-square"),
        ("    n = len(residue)\n    eps = np.abs(residue).max()\n"
         "    c = np.fft.fft2(residue / eps) / n**2\n"
         "    a = 2 * np.abs(c[w[:, 1] % n, w[:, 0] % n])\n"
         "    return eps, a, c[0, 0].real", "right only at each mode's own phase"),
        (_fit("residue.ravel() / eps", design=_DESIGN.replace(
            "np.meshgrid(s, s)", "np.meshgrid(s, s, indexing='ij')")), "x and y are swapped"),
        (_fit("residue.ravel() / eps", design=_DESIGN.replace(
            "2 * np.pi * np.arange(n) / n", "np.linspace(0, 2 * np.pi, n)")),
         "puts a node on 2π"),
        ("    eps = np.abs(residue).max()\n"
         + _DESIGN.replace("design = np.column_stack([np.sin(phase), np.ones(n * n)])",
                           "design = np.sin(phase)")
         + "    a = np.linalg.lstsq(design, residue.ravel() / eps, rcond=None)[0]\n"
           "    return eps, a, 0.0", "add a column of ones"),
        ("    from nnbasics.navier_stokes import spectral_sine_net\n"
         "    eps = np.abs(residue).max()\n"
         "    net = spectral_sine_net(residue / eps, len(w))\n"
         "    return eps, net.weights[1][0], net.biases[1][0]",
         "calls the course's spectral_sine_net"),
    ],
}

RIGHT = {
    "spectrum": [
        # a loop over every mode into a dictionary of shells, returned as a list
        ("    n = psi.shape[0]\n"
         "    c = np.fft.fft2(psi) / (n * n)\n"
         "    E = {}\n"
         "    for i in range(n):\n"
         "        for j in range(n):\n"
         "            kx = j if j < n // 2 else j - n\n"
         "            ky = i if i < n // 2 else i - n\n"
         "            k2 = kx * kx + ky * ky\n"
         "            shell = int(round(k2 ** 0.5))\n"
         "            E[shell] = E.get(shell, 0.0) + 0.5 * k2 * abs(c[i, j]) ** 2\n"
         "    return [E.get(k, 0.0) for k in range(max(E) + 1)]"),
        # single precision, rfft2 with its half-plane doubled, np.add.at
        ("    n = len(psi)\n"
         "    c = np.fft.rfft2(psi.astype(np.float32)) / np.float32(n * n)\n"
         "    kx = np.fft.rfftfreq(n, 1 / n)[None, :]\n"
         "    ky = np.fft.fftfreq(n, 1 / n)[:, None]\n"
         "    twice = np.where((kx == 0) | (kx == n // 2), 1, 2)\n"
         "    k2 = (kx**2 + ky**2).astype(np.float32)\n"
         "    density = twice * 0.5 * k2 * np.abs(c) ** 2\n"
         "    shells = np.rint(np.sqrt(k2)).astype(int)\n"
         "    E = np.zeros(shells.max() + 1, dtype=np.float32)\n"
         "    np.add.at(E, shells, density.astype(np.float32))\n"
         "    return E"),
        # torch's FFT, the velocity's two components, a torch tensor returned
        ("    import torch\n"
         "    n = len(psi)\n"
         "    c = torch.fft.fft2(torch.as_tensor(psi)) / n**2\n"
         "    k = torch.fft.fftfreq(n, 1 / n, dtype=torch.float64)\n"
         "    ky, kx = torch.meshgrid(k, k, indexing='ij')\n"
         "    u, v = 1j * ky * c, -1j * kx * c\n"
         "    density = 0.5 * (u.abs() ** 2 + v.abs() ** 2)\n"
         "    shells = torch.round(torch.sqrt(kx**2 + ky**2)).long()\n"
         "    return torch.bincount(shells.flatten(), weights=density.flatten())"),
        # np.histogram with edges at k ± 1/2, an own helper named like the package's
        ("    def wavenumbers(n):\n"
         "        k = np.concatenate([np.arange(0, n // 2), np.arange(-n // 2, 0)])\n"
         "        return np.meshgrid(k, k)\n"
         "    n = len(psi)\n"
         "    kx, ky = wavenumbers(n)\n"
         "    k_length = np.sqrt(kx**2 + ky**2)\n"
         "    power = np.abs(np.fft.fft2(psi, norm='forward')) ** 2\n"
         "    edges = np.arange(0, k_length.max() + 1.5) - 0.5\n"
         "    E, _ = np.histogram(k_length, bins=edges,\n"
         "                        weights=0.5 * k_length**2 * power)\n"
         "    return E"),
        # only the shells k = 0, ..., n/2 (the corners of the square left out)
        (_K + _SHELLS + _DENSITY + "    shells = np.rint(k_length).astype(int)\n"
         "    E = np.bincount(shells.ravel(), weights=density.ravel())\n"
         "    return E[: n // 2 + 1]"),
        # the velocity field on the grid: E = half of |u_hat|^2 + |v_hat|^2
        ("    n = len(psi)\n"
         "    k = np.fft.fftfreq(n, 1 / n)\n"
         "    kx, ky = np.meshgrid(k, k)\n"
         "    psi_hat = np.fft.fft2(psi)\n"
         "    u = np.fft.ifft2(1j * ky * psi_hat).real\n"
         "    v = np.fft.ifft2(-1j * kx * psi_hat).real\n"
         "    density = 0.5 * (np.abs(np.fft.fft2(u)) ** 2\n"
         "                     + np.abs(np.fft.fft2(v)) ** 2) / n**4\n"
         "    shells = np.rint(np.hypot(kx, ky)).astype(int)\n"
         "    return np.bincount(shells.ravel(), weights=density.ravel())"),
    ],
    "first-layer": [
        # the whole plane sorted, each conjugate pair kept once, lists returned
        ("    n = len(residue)\n"
         "    c = np.fft.fft2(residue) / n**2\n"
         "    order = np.argsort(-np.abs(c), axis=None)\n"
         "    w, b, seen = [], [], set()\n"
         "    for flat in order:\n"
         "        iy, ix = divmod(int(flat), n)\n"
         "        kx = ix - n if ix > n // 2 else ix\n"
         "        ky = iy - n if iy > n // 2 else iy\n"
         "        if (kx, ky) == (0, 0) or abs(kx) == n // 2 or abs(ky) == n // 2:\n"
         "            continue\n"
         "        if (-kx, -ky) in seen:\n"
         "            continue\n"
         "        seen.add((kx, ky))\n"
         "        w.append([kx, ky])\n"
         "        b.append(float(np.angle(c[iy, ix])) + np.pi / 2)\n"
         "        if len(w) == width:\n"
         "            break\n"
         "    return w, b"),
        # rfft2's half-plane (kx >= 0), single precision
        ("    n = len(residue)\n"
         "    c = np.fft.rfft2(residue.astype(np.float32)) / np.float32(n * n)\n"
         "    kx, ky = np.meshgrid(np.fft.rfftfreq(n, 1 / n), np.fft.fftfreq(n, 1 / n))\n"
         "    ok = ((kx > 0) | (ky > 0)) & (kx < n // 2) & (np.abs(ky) < n // 2)\n"
         "    size = np.where(ok, np.abs(c), 0)\n"
         "    top = np.argsort(size.ravel())[::-1][:width]\n"
         "    w = np.column_stack([kx.ravel()[top], ky.ravel()[top]])\n"
         "    b = (np.angle(c.ravel()[top]) + np.float32(np.pi / 2)).astype(np.float32)\n"
         "    return w, b"),
        # the other sign of each pair: weight -k with phase pi/2 - arg c_k
        (_GRID + _HALF + _TOP + _W
         + "    b = np.pi / 2 - np.angle(c.ravel()[top])\n    return -w, b"),
        # torch tensors, an own helper named like the package's
        ("    import torch\n"
         "    def largest_modes(c, half, width):\n"
         "        size = torch.where(half, c.abs(), torch.zeros_like(c.abs()))\n"
         "        return torch.argsort(size.flatten(), descending=True)[:width]\n"
         "    n = len(residue)\n"
         "    c = torch.fft.fft2(torch.as_tensor(residue)) / n**2\n"
         "    k = torch.fft.fftfreq(n, 1 / n, dtype=torch.float64)\n"
         "    ky, kx = torch.meshgrid(k, k, indexing='ij')\n"
         "    half = (ky > 0) | ((ky == 0) & (kx > 0))\n"
         "    half &= (kx.abs() < n / 2) & (ky.abs() < n / 2)\n"
         "    top = largest_modes(c, half, width)\n"
         "    w = torch.stack([kx.flatten()[top], ky.flatten()[top]], dim=1)\n"
         "    return w, torch.angle(c.flatten()[top]) + torch.pi / 2"),
        # the phase from atan2 of the sine and cosine parts, phases in [0, 2 pi)
        (_GRID + _HALF + _TOP + _W
         + "    z = c.ravel()[top]\n"
           "    b = np.mod(np.arctan2(z.imag, z.real) + np.pi / 2, 2 * np.pi)\n"
           "    return w, b"),
    ],
    "output-layer": [
        # the normal equations, a list of features built in a loop
        ("    n = len(residue)\n"
         "    eps = float(np.max(np.abs(residue)))\n"
         "    x, y = np.meshgrid(np.arange(n) * 2 * np.pi / n, np.arange(n) * 2 * np.pi / n)\n"
         "    columns = [np.sin(kx * x + ky * y + phase).ravel()\n"
         "               for (kx, ky), phase in zip(w, b)]\n"
         "    A = np.array(columns + [np.ones(n * n)]).T\n"
         "    coef = np.linalg.solve(A.T @ A, A.T @ (residue.ravel() / eps))\n"
         "    return eps, list(coef[:-1]), coef[-1]"),
        # torch's least squares, tensors returned
        ("    import torch\n"
         "    n = len(residue)\n"
         "    r = torch.as_tensor(residue)\n"
         "    eps = r.abs().max()\n"
         "    s = torch.arange(n, dtype=torch.float64) * 2 * torch.pi / n\n"
         "    y, x = torch.meshgrid(s, s, indexing='ij')\n"
         "    wt, bt = torch.as_tensor(w, dtype=torch.float64), torch.as_tensor(b)\n"
         "    f = torch.sin(x.reshape(-1, 1) * wt[:, 0] + y.reshape(-1, 1) * wt[:, 1] + bt)\n"
         "    A = torch.cat([f, torch.ones(n * n, 1, dtype=torch.float64)], dim=1)\n"
         "    coef = torch.linalg.lstsq(A, (r / eps).reshape(-1, 1)).solution[:, 0]\n"
         "    return eps, coef[:-1], coef[-1]"),
        # single precision, the pseudo-inverse
        ("    n = len(residue)\n"
         "    r = residue.astype(np.float32)\n"
         "    eps = np.abs(r).max()\n"
         "    s = (2 * np.pi * np.arange(n) / n).astype(np.float32)\n"
         "    x, y = np.meshgrid(s, s)\n"
         "    f = np.sin(x.reshape(-1, 1) * w[:, 0] + y.reshape(-1, 1) * w[:, 1] + b)\n"
         "    A = np.hstack([f, np.ones((n * n, 1))]).astype(np.float32)\n"
         "    coef = np.linalg.pinv(A) @ (r.ravel() / eps)\n"
         "    return eps, coef[:-1], coef[-1]"),
        # the features are orthogonal on the grid: project, a_i = <r/eps, f_i> / <f_i, f_i>
        ("    n = len(residue)\n"
         "    eps = np.abs(residue).max()\n"
         "    x, y = np.meshgrid(np.linspace(0, 2 * np.pi, n, endpoint=False),\n"
         "                       np.linspace(0, 2 * np.pi, n, endpoint=False))\n"
         "    target = residue / eps\n"
         "    a = np.empty(len(w))\n"
         "    for i, ((kx, ky), phase) in enumerate(zip(w, b)):\n"
         "        f = np.sin(kx * x + ky * y + phase)\n"
         "        a[i] = np.sum(target * f) / np.sum(f * f)\n"
         "    return eps, a, target.mean()"),
        # scipy-free QR by hand: np.linalg.qr, then a triangular solve
        (_DESIGN.replace("    n = len(residue)\n", "    n = residue.shape[0]\n")
         + "    eps = np.abs(residue).max()\n"
           "    q, rr = np.linalg.qr(design)\n"
           "    coef = np.linalg.solve(rr, q.T @ residue.ravel()) / eps\n"
           "    return np.float64(eps), coef[:-1], float(coef[-1])"),
    ],
}
