"""Self-check questions of the chapter "Spectral bias and Fourier features"
(see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "fourier": [
        Numeric(
            r"For one neuron $\tanh(wx)$ with $w = [[w_neuron]]$, what is the ratio "
            r"$|\widehat{\tanh}(k = 16)| / |\widehat{\tanh}(k = 8)|$ of its Fourier "
            r"transform?",
            answer="tanh_ratio",
            rtol=0.02,
            explanation=r"$|\widehat{\tanh}(k)| = \pi / \big(w \sinh(\pi k/(2w))\big)$, "
            r"so the ratio is $\sinh(8\pi/(2w))/\sinh(16\pi/(2w))$: the "
            r"spectrum falls exponentially in $k$.",
            slips=[
                (lambda v: 0.5,
                 r"That is a $1/k$ law; the transform of $\tanh(wx)$ decays "
                 r"exponentially, like $e^{-\pi k/(2w)}$."),
                (lambda v: 0.25,
                 r"That is a $1/k^2$ law; the decay is exponential, "
                 r"$1/\sinh(\pi k/(2w))$."),
                (lambda v: v["tanh_ratio_no_half"],
                 r"You dropped the 2 in $\pi k/(2w)$, which doubles the exponent."),
            ],
        ),
        Choice(
            r"Why does scaling the first layer's weights by 16 help the $[1, 64, 1]$ "
            r"network learn $k = 7$?",
            options=[
                (r"Frequency $k$ gets a gradient of order one only from neurons with "
                 r"$|w_j|$ comparable to $k$", True,
                 r"The gradient at $k$ carries $1/\sinh(\pi k/(2|w_j|))$; with "
                 r"$|w_j| \le 1$ that factor is tiny for $k = 7$."),
                (r"It makes the network larger", False,
                 r"Scaling changes no layer's size: the same 64 neurons, only with "
                 r"weights spread up to 16."),
                (r"Larger weights make every gradient larger", False,
                 r"Low frequencies were learnt anyway; what changes is which "
                 r"frequencies the neurons' spectra reach."),
            ],
        ),
    ],
    "remedies": [
        Numeric(
            r"The remedies train on every fourth point of the $N = [[n_grid]]$ grid "
            r"on $[-\pi, \pi)$. Above which wavenumber $k$ can the training points "
            r"no longer tell $\sin kx$ from a lower frequency?",
            answer="nyquist",
            rtol=0.01,
            explanation=r"[[n_train]] points per period $2\pi$ resolve up to half "
            r"as many oscillations, $k = [[nyquist:g]]$ (two samples per period).",
            slips=[
                (lambda v: v["n_grid"] / 2,
                 r"That is the full grid's limit; the fit sees only every fourth "
                 r"point."),
                (lambda v: v["n_train"],
                 r"One sample per period is not enough: a sine needs two samples "
                 r"per period to be told from a lower one."),
            ],
        ),
        Choice(
            r"Fourier features with a very large scale $\kappa$ fit the training "
            r"points but miss the held-out ones. Why?",
            options=[
                (r"Many features oscillate faster than the training points resolve, "
                 r"so the fit aliases", True,
                 r"Frequencies above the training points' limit pass through every "
                 r"training point yet wiggle between them."),
                (r"The network interpolates noise", False,
                 r"This target has no noise; the error comes from frequencies the "
                 r"training points cannot see."),
                (r"Too large $\kappa$ slows training down", False,
                 r"The training error is small; it is the held-out error that grows, "
                 r"a sign of aliasing, not of slow training."),
            ],
        ),
    ],
}
