"""Self-check questions of the chapter "Why neural networks?" (see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "promise": [
        Choice(
            r"Why do 200 neurons with the activation $z^2$ fit $\sin 10x$ no better "
            r"than the best parabola?",
            options=[
                (r"Every neuron $(wx + b)^2$ is a parabola, so any sum of them is one",
                 True,
                 r"Adding polynomials of degree two gives degree two: the activation "
                 r"must not be a polynomial for a network to approximate anything."),
                (r"200 neurons are too few for $\sin 10x$", False,
                 r"The count is not the problem: every extra $z^2$ neuron adds "
                 r"nothing a parabola does not already have."),
                (r"Least squares did not converge", False,
                 r"Least squares is solved exactly here; the best combination of "
                 r"these neurons is still a parabola."),
            ],
        ),
        Choice(
            r"How does the trained tanh network do outside the range of its 50 "
            r"measurements?",
            options=[
                (r"Its error is several times larger than inside", True,
                 r"No data constrain it there; a network interpolates, it does not "
                 r"know the law it has not seen."),
                (r"About as well as inside, since it fitted the law", False,
                 r"It fitted the data, not the law; beyond the data nothing in the "
                 r"loss ties the network to the true curve."),
                (r"Worse than the straight line", False,
                 r"The chapter compares with the line inside the data; outside, both "
                 r"extrapolate, and the point is that neither is reliable."),
            ],
        ),
    ],
    "curse": [
        Numeric(
            r"A network with one hidden layer of width [[width]] and $d = [[d]]$ "
            r"inputs has how many parameters?",
            answer="n_network",
            rtol=0.001,
            explanation=r"$[[width]](d + 1)$ in the hidden layer plus $[[width]] + 1$ "
            r"in the output: $[[width]](d + 2) + 1$, linear in $d$.",
            slips=[
                (lambda v: v["width"] * (v["d"] + 1),
                 r"That is the hidden layer only; the output neuron adds "
                 r"[[width]] weights and a bias."),
                (lambda v: v["width"] * v["d"],
                 r"That counts the hidden weights only, without the biases and the "
                 r"output layer."),
            ],
        ),
        Numeric(
            r"How many coefficients does a cubic polynomial (all monomials of degree "
            r"at most 3) in $d = [[d]]$ variables have?",
            answer="n_cubic",
            rtol=0.001,
            explanation=r"Stars and bars: $\binom{d+3}{3}$ monomials of degree "
            r"$\le 3$.",
            slips=[
                (lambda v: v["d"] ** 3,
                 r"$d^3$ counts ordered triples, so $x_1 x_2 x_3$ six times, and "
                 r"misses the monomials of lower degree."),
                (lambda v: 4.0 ** v["d"],
                 r"That is a tensor-product polynomial, degree up to 3 in each "
                 r"variable separately; a cubic limits the total degree."),
            ],
        ),
        Choice(
            r"What makes a grid of 10 points per direction hopeless for $d = 100$ "
            r"inputs?",
            options=[
                (r"It needs $10^{100}$ points: its size grows exponentially with $d$",
                 True,
                 r"That is the curse of dimensionality; the network's size grows "
                 r"only linearly with $d$."),
                (r"Networks are always more accurate than grids", False,
                 r"In one or two dimensions a grid or a polynomial is often the "
                 r"better tool; the trouble is only how the grid's size grows with $d$."),
                (r"A number like $10^{100}$ cannot be stored in floating point", False,
                 r"Storing that number is easy; storing that many values is "
                 r"impossible."),
            ],
        ),
    ],
}
