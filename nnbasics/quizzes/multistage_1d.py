"""Self-check questions of the chapter "Multistage neural networks" (see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "stage-0": [
        Numeric(
            r"Stage 0's Jacobian has condition number [[cond_j:.3g]]. What is the "
            r"condition number of $J^\mathsf{T} J$, the matrix a Gauss–Newton step "
            r"solves with?",
            answer="cond_jtj",
            rtol=0.05,
            explanation=r"The singular values of $J^\mathsf{T} J$ are the squares "
            r"of those of $J$, so its condition number is $\mathrm{cond}(J)^2$.",
            slips=[
                (lambda v: 2 * v["cond_j"],
                 r"Forming $J^\mathsf{T} J$ squares the singular values, so the "
                 r"condition number is squared, not doubled."),
                (lambda v: v["cond_j"],
                 r"$J^\mathsf{T} J$ is worse conditioned than $J$: its singular "
                 r"values are the squares of $J$'s."),
            ],
        ),
    ],
    "kappa": [
        Numeric(
            r"Stage 0's residue crosses zero $n = [[n_zero]]$ times on the interval "
            r"of length $L = [[length]]$. About which angular frequency does it "
            r"oscillate at?",
            answer="omega_zero",
            rtol=0.02,
            explanation=r"Two zero crossings per period: $n/2$ periods on $L$, an "
            r"angular frequency $2\pi (n/2)/L = \pi n/L$.",
            slips=[
                (lambda v: 2 * v["omega_zero"],
                 r"That counts each zero crossing as a whole period; a sine "
                 r"crosses zero twice per period."),
                (lambda v: v["n_zero"] / v["length"],
                 r"That is crossings per unit length; an angular frequency needs "
                 r"$2\pi$ per period and half a period per crossing, $\pi n/L$."),
            ],
        ),
        Choice(
            r"In the chapter's test of one stage-1 start (300 Levenberg–Marquardt "
            r"iterations), which version fitted the residue $r_0$ best?",
            options=[
                (r"The raw $r_0$, with the output layer's weights multiplied by "
                 r"$\varepsilon_1$ before training", True,
                 r"It starts at the residue's size: what matters is the size the "
                 r"network starts at, not the size of the loss."),
                (r"The raw $r_0$, unchanged", False,
                 r"The network starts with outputs of order one, about $10^7$ times "
                 r"the residue, and fitted worse than the start scaled down to it."),
                (r"$r_0/\varepsilon_1$, with the output multiplied by "
                 r"$\varepsilon_1$ afterwards", False,
                 r"A target of order one is not enough by itself: in the chapter's "
                 r"test this start stayed on a plateau, worse than the start "
                 r"scaled to the residue."),
            ],
        ),
        Choice(
            r"The rule of the authors' code takes $\kappa = 3n$ for the next "
            r"stage's sine layer, although the residue oscillates at about "
            r"$\pi n/L \approx 1.5n$. Why the larger value?",
            options=[
                (r"The first-layer weights start small, so the neuron frequencies "
                 r"$\kappa|w_i|$ spread from 0 up to about $\kappa$", True,
                 r"With $|w_i| \approx 0.27$ on average, $\kappa = 3n$ puts the "
                 r"residue's frequency inside that spread, with room on both sides."),
                (r"The residue oscillates at $3n$", False,
                 r"A residue with $n$ zero crossings on $L$ oscillates at about "
                 r"$\pi n/L$; the factor 3 is for the spread of the weights."),
                (r"A larger $\kappa$ always trains faster", False,
                 r"Far too large a $\kappa$ gives neurons much faster than the "
                 r"residue, which the fit must then cancel; the rule aims at a range "
                 r"around the residue's frequency."),
            ],
        ),
    ],
}
