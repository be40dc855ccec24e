"""Self-check questions of the chapter "What is a neural network?" (see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "activations": [
        Numeric(
            r"What is the output of the logistic model $\sigma(w \cdot x + b)$ at a "
            r"point on the plane $w \cdot x + b = 0$?",
            answer="on_plane",
            rtol=0.01,
            explanation=r"There $z = 0$ and $\sigma(0) = 1/(1 + e^0) = 1/2$: the plane "
            r"separates outputs above and below one half.",
            slips=[
                (lambda v: 0.0,
                 r"Zero is $z = w \cdot x + b$ on the plane; the model's output is "
                 r"$\sigma(z)$, the sigmoid of it."),
                (lambda v: 1.0,
                 r"The sigmoid reaches 1 only far on the positive side of the "
                 r"plane; on it, $z = 0$."),
            ],
        ),
        Numeric(
            r"What is the largest slope $\sigma'(z)$ of the sigmoid, measured by "
            r"finite differences in this chapter?",
            answer="sigmoid_slope",
            rtol=0.01,
            explanation=r"$\sigma' = \sigma(1 - \sigma)$ is largest where "
            r"$\sigma = 1/2$, at $z = 0$: $1/4$.",
            slips=[
                (lambda v: 2 * v["sigmoid_slope"],
                 r"One half is the sigmoid's value at $z = 0$, not its slope; the "
                 r"slope there is $\sigma(0)(1 - \sigma(0))$."),
                (lambda v: 4 * v["sigmoid_slope"],
                 r"A slope of 1 at $z = 0$ is tanh's; the sigmoid is flatter, "
                 r"$\tanh z = 2\sigma(2z) - 1$."),
            ],
        ),
        Choice(
            r"A network with layers $(1, 16, 16, 16, 1)$ and the identity as its "
            r"activation is trained on $\sin 3x$. What can it represent?",
            options=[
                (r"Only straight lines $Ax + c$", True,
                 r"Affine maps of affine maps are affine: all the weights collapse "
                 r"into one $A$ and one $c$, as the chapter measures."),
                (r"Cubic polynomials, one degree per hidden layer", False,
                 r"Composing maps of degree one never raises the degree; only a "
                 r"nonlinear activation bends the output."),
                (r"Anything, given enough training: it has hundreds of parameters", False,
                 r"The parameter count does not matter here: every choice of weights "
                 r"gives a straight line, so no training can fit $\sin 3x$ better "
                 r"than the best line."),
            ],
        ),
    ],
    "parameters": [
        Numeric(
            r"How many parameters does a network with layers $[4, 16, 16, 1]$ have?",
            answer="n_params",
            rtol=0.001,
            explanation=r"Each layer has $(n_\mathrm{in} + 1)\, n_\mathrm{out}$: "
            r"$5 \cdot 16 + 17 \cdot 16 + 17 \cdot 1$.",
            slips=[
                (lambda v: v["n_params"] - 33,
                 r"That counts the weights only; each of the 33 neurons after the "
                 r"input has a bias too."),
                (lambda v: 4 + 16 + 16 + 1,
                 r"That is the number of neurons (nodes), not of parameters: every "
                 r"connection between two layers carries a weight."),
            ],
        ),
        Choice(
            r"How many parameters does one fully connected layer from "
            r"$n_\mathrm{in}$ to $n_\mathrm{out}$ neurons have?",
            options=[
                (r"$(n_\mathrm{in} + 1)\, n_\mathrm{out}$", True,
                 r"A weight matrix $n_\mathrm{out} \times n_\mathrm{in}$ plus one "
                 r"bias per output neuron."),
                (r"$n_\mathrm{in}\, n_\mathrm{out}$", False,
                 r"That is the weight matrix alone; each output neuron also has a "
                 r"bias."),
                (r"$n_\mathrm{in} + n_\mathrm{out}$", False,
                 r"That adds the neurons; every input is connected to every output, "
                 r"so the weights multiply."),
            ],
        ),
    ],
}
