"""Self-check questions of the chapter "Backpropagation" (see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "chain-rule": [
        Choice(
            r"In the chain $y = \sigma(z_2)$, $z_2 = w_2 a_1 + b_2$, "
            r"$a_1 = \sigma(z_1)$, $z_1 = w_1 x + b_1$, which is "
            r"$\partial y/\partial w_1$?",
            options=[
                (r"$\sigma'(z_2)\, w_2\, \sigma'(z_1)\, x$", True,
                 r"One factor per link of the chain: output neuron, the weight "
                 r"$w_2$ that carries $a_1$ to it, hidden neuron, and $x$."),
                (r"$\sigma'(z_2)\, \sigma'(z_1)\, x$", False,
                 r"This drops $w_2 = \partial z_2/\partial a_1$; with $w_2 < 0$ it "
                 r"even points the wrong way, as the chapter's step of $w_1$ shows."),
                (r"$\sigma'(z_1)\, x$", False,
                 r"That is the derivative of the hidden neuron alone; the output "
                 r"neuron's slope and the weight $w_2$ also lie on the path to $y$."),
                (r"$\sigma'(z_2)\, w_2\, x$", False,
                 r"This forgets $\sigma'(z_1)$: the hidden neuron bends the signal "
                 r"on its way too, so its slope is one of the factors."),
            ],
        ),
        Choice(
            r"With two outputs sharing the hidden layer, what is $\partial J/\partial "
            r"w_k^{(1)}$ made of?",
            options=[
                (r"A sum over both outputs of the paths through $a_k^{(1)}$", True,
                 r"$a_k^{(1)}$ feeds every output, so the chain rule adds one term per "
                 r"path; in NumPy that sum is the product with $W^{(2)\mathsf T}$."),
                (r"Only the term of the output with the larger error", False,
                 r"Every output depends on $a_k^{(1)}$, so every output's error "
                 r"contributes; dropping one gives a gradient that finite "
                 r"differences reject."),
                (r"A product of the two outputs' terms", False,
                 r"Paths through different outputs add, they do not multiply: the "
                 r"cost is a sum of the two squared errors, and derivatives of a sum "
                 r"add."),
            ],
        ),
    ],
    "check": [
        Numeric(
            r"How many parameters does the network with layers $[1, 1000, 1000, 1]$ "
            r"have?",
            answer="n_wide",
            rtol=1e-4,
            explanation=r"$(1+1)\cdot 1000 + (1000+1)\cdot 1000 + (1000+1)\cdot 1$: "
            r"each layer has $(n_\mathrm{in} + 1)\, n_\mathrm{out}$ weights and biases.",
            slips=[
                (lambda v: 1000 * 1000,
                 r"That is only the middle weight matrix; the first and last "
                 r"layers' weights and every bias are parameters too."),
                (lambda v: v["n_wide"] - 2001,
                 r"You counted the weights but forgot the biases, one for each of "
                 r"the 2001 neurons after the input."),
            ],
        ),
        Numeric(
            r"Ignoring the weights, each sigmoid layer multiplies the error by "
            r"$\sigma'(z) \le [[sig_max]]$. What is the largest factor left after "
            r"the [[depth]] layers of the chapter's deep network?",
            answer="sigmoid_bound",
            rtol=0.02,
            explanation=r"Factors multiply along the chain: $(1/4)^{[[depth]]} "
            r"\approx [[sigmoid_bound:.2g]]$, which is why the first layers of a deep "
            r"sigmoid network learn slowly.",
            slips=[
                (lambda v: v["sig_max"] * v["depth"],
                 r"The chain rule multiplies the layers' factors, it does not add "
                 r"them."),
                (lambda v: v["sig_max"],
                 r"That is one layer's factor; the error passes through every "
                 r"layer and picks up a factor in each."),
            ],
        ),
        Choice(
            r"Why does a deep tanh network pass back more of the gradient than a "
            r"sigmoid one?",
            options=[
                (r"$\tanh'(0) = 1$, four times $\sigma'(0) = 1/4$", True,
                 r"Near $z = 0$ each tanh layer multiplies the error by about one, "
                 r"each sigmoid layer by at most a quarter."),
                (r"tanh does not saturate", False,
                 r"It does: $\tanh'(z) = 1 - \tanh^2 z \to 0$ for large $|z|$, "
                 r"like $\sigma'$; the difference is the size of the slope at 0."),
                (r"tanh is bounded", False,
                 r"The sigmoid is bounded too; a bound on the values says nothing "
                 r"about the size of the derivative that multiplies the error."),
            ],
        ),
    ],
}
