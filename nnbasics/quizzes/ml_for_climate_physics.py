"""Self-check questions of the chapter "Machine learning for climate physics and
simulations" (see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "knowledge-discovery": [
        Numeric(
            r"White noise of standard deviation $\sigma = [[noise]]$ on $p = [[p]]$ "
            r"grid points, $n = [[n]]$ snapshots. How large can the sample variance "
            r"of a pure-noise direction get (the upper Marchenko–Pastur edge, with "
            r"the ratio $p/(n - 1)$)?",
            answer="mp_upper",
            rtol=0.02,
            explanation=r"$\sigma^2\big(1 + \sqrt{p/(n-1)}\big)^2$: with fewer "
            r"snapshots than points, noise alone produces variances several times "
            r"$\sigma^2$.",
            slips=[
                (lambda v: v["noise"] ** 2,
                 r"$\sigma^2$ is the true variance of every noise direction, but "
                 r"sample variances spread around it, up to $\sigma^2(1 + "
                 r"\sqrt{p/(n-1)})^2$."),
                (lambda v: v["noise"] * (1 + (v["p"] / (v["n"] - 1)) ** 0.5) ** 2,
                 r"You used $\sigma$ where the law needs the variance "
                 r"$\sigma^2$."),
            ],
        ),
        Choice(
            r"Why are grid points on a latitude–longitude grid weighted by "
            r"$\sqrt{\cos\varphi}$ before computing EOFs?",
            options=[
                (r"So that each point's variance counts in proportion to its area, "
                 r"$\cos\varphi$", True,
                 r"Variance is quadratic in the data: weighting the data by "
                 r"$\sqrt{\cos\varphi}$ weights the variance by $\cos\varphi$."),
                (r"Because grid cells shrink like $\sqrt{\cos\varphi}$", False,
                 r"The cells' area shrinks like $\cos\varphi$; the square root is "
                 r"there because the covariance squares the weight."),
                (r"To remove the seasonal cycle", False,
                 r"A weight in space does nothing to time; the seasonal cycle is "
                 r"removed by subtracting a climatology."),
            ],
        ),
    ],
    "model-discovery": [
        Numeric(
            r"The ensemble Kalman inversion estimates the feedback "
            r"$\lambda = [[feedback:.3f]]$ W m⁻² K⁻¹ and the heat capacity "
            r"$C = [[capacity:.2f]]$ W yr m⁻² K⁻¹. With forcing "
            r"$F = [[forcing]]$ W m⁻², what is the equilibrium warming in K?",
            answer="equilibrium",
            rtol=0.02,
            explanation=r"At equilibrium $C\,dT/dt = 0$, so $F = \lambda T$ and "
            r"$T = F/\lambda$.",
            slips=[
                (lambda v: v["forcing"] * v["feedback"],
                 r"Multiplied: the balance $F = \lambda T$ gives $T = F/\lambda$."),
                (lambda v: v["capacity"] / v["feedback"],
                 r"$C/\lambda$ is the response time in years, how fast the warming "
                 r"approaches equilibrium, not how large it is."),
            ],
        ),
        Choice(
            r"Why does ES-MDA iterate with the noise covariance inflated to "
            r"$N\Gamma$ for $N$ iterations?",
            options=[
                (r"So that the data are used once in total, not $N$ times", True,
                 r"Using the data $N$ times with $\Gamma$ acts like data $N$ times "
                 r"more precise; with $N\Gamma$ the ensemble samples the right "
                 r"posterior (for a linear Gaussian problem)."),
                (r"To make each iteration converge faster", False,
                 r"Inflating $\Gamma$ makes each update smaller, not faster; the "
                 r"point is the spread of the final ensemble."),
                (r"Because the observation noise grows with each iteration", False,
                 r"The noise of the observations is the same; the factor compensates "
                 r"for assimilating the same data again."),
            ],
        ),
    ],
}
