"""Self-check questions of the chapter "Multistage networks for a 2D Navier–Stokes
field" (see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "stage-0": [
        Numeric(
            r"Stage 0 is a network with layers $[4, 16, 16, 1]$ (inputs "
            r"$\cos x, \sin x, \cos y, \sin y$). How many parameters does it have?",
            answer="n_params",
            rtol=0.001,
            explanation=r"$(4 + 1)\cdot 16 + (16 + 1)\cdot 16 + (16 + 1)\cdot 1$: "
            r"weights and a bias for each neuron after the input.",
            slips=[
                (lambda v: v["n_params"] - 33,
                 r"That counts the weights only; each of the 33 neurons after the "
                 r"input has a bias too."),
                (lambda v: 4 + 16 + 16 + 1,
                 r"That is the number of neurons, not of parameters."),
            ],
        ),
        Numeric(
            r"Stage 0's relative error, ring by ring in Fourier space, averages "
            r"[[low:.3g]] in the rings $|k| = 1$ to 8 and [[high:.3g]] in the rings "
            r"21 to 42. By what factor is it larger at the small scales?",
            answer="ring_ratio",
            rtol=0.05,
            explanation=r"The network fits the large scales first and leaves the "
            r"small ones: spectral bias, measured ring by ring.",
            slips=[
                (lambda v: 1 / v["ring_ratio"],
                 r"Upside down: the error is larger at high wavenumbers, where the "
                 r"network learns last."),
            ],
        ),
        Choice(
            r"Why does the network take $\cos x, \sin x, \cos y, \sin y$ as inputs "
            r"instead of $x$ and $y$?",
            options=[
                (r"The flow is periodic on $[0, 2\pi)^2$; these inputs make the "
                 r"network periodic by construction", True,
                 r"Any function of them repeats with period $2\pi$, so the fit "
                 r"matches across the box's edges."),
                (r"They give the network high frequencies", False,
                 r"They have wavenumber 1 only; the network must still build the "
                 r"high wavenumbers itself, which is where spectral bias bites."),
                (r"They scale the inputs to $[-1, 1]$", False,
                 r"$x/\pi - 1$ would do that too, but a fit in $x$ need not match "
                 r"at $x = 0$ and $x = 2\pi$."),
            ],
        ),
    ],
    "stages": [
        Choice(
            r"Each later stage fits the residue left by the stages before, divided "
            r"by a scale $\varepsilon$. Which scale?",
            options=[
                (r"The residue's own size, its largest absolute value", True,
                 r"Then the stage's target has size about one, the size a freshly "
                 r"started network's output has."),
                (r"The target's size, $\max|\psi|$", False,
                 r"The residue is orders of magnitude smaller than $\psi$; divided "
                 r"by $\max|\psi|$ it would still be tiny."),
                (r"The previous stage's relative held-out error", False,
                 r"That is a ratio of errors, without units of $\psi$; the scale "
                 r"must be the residue's own amplitude."),
            ],
        ),
    ],
}
