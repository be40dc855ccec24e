"""Self-check questions of the chapter "Universal function approximation"
(see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "columns": [
        Numeric(
            r"A sigmoid neuron $\sigma(wx + b)$ with steepness $w = [[w_step]]$ "
            r"should step at $s = [[s_step]]$. What bias $b$ does it need?",
            answer="bias",
            rtol=0.01,
            explanation=r"The step is where $wx + b = 0$, at $x = -b/w$, so "
            r"$b = -ws$.",
            slips=[
                (lambda v: -v["bias"],
                 r"The sign: $wx + b = 0$ at $x = s$ needs $b = -ws$, negative for "
                 r"positive $w$ and $s$."),
                (lambda v: -v["s_step"] / v["w_step"],
                 r"That divides; the bias is $-w$ times the step location, "
                 r"$b = -ws$."),
            ],
        ),
        Numeric(
            r"With very steep steps ($w = 10^6$), by what factor did the error "
            r"$\int|f_N - f|\,dx$ fall when the number of hidden neurons $N$ "
            r"doubled from [[n_before]] to [[n_after]]?",
            answer="doubling_gain",
            rtol=0.05,
            explanation=r"The error of a staircase is about $(\Delta/4)\int|f'|\,dx$ "
            r"with $\Delta$ the width of a column: twice the neurons, half the "
            r"width, half the error.",
            slips=[
                (lambda v: 2 * v["doubling_gain"],
                 r"A factor of 4 belongs to second-order methods such as the "
                 r"midpoint rule; a staircase is first order in $\Delta$."),
            ],
        ),
        Choice(
            r"With $w = 150$, doubling the number of hidden neurons from 256 to 512 "
            r"no longer halves the error. Why?",
            options=[
                (r"Each step is blurred over a width of about $1/w$", True,
                 r"Once the columns are about as narrow as that blur, rounded edges "
                 r"dominate: a floor set by $w$, not by $N$."),
                (r"Round-off error of double precision", False,
                 r"Round-off is near $10^{-16}$; this floor is far larger, and with "
                 r"$w = 10^6$ the same $N$ goes well below it."),
                (r"The target has too much fine structure", False,
                 r"The target is the same for both $w$; only the steepness changed, "
                 r"and steeper steps keep halving the error."),
            ],
        ),
    ],
    "inverse-trick": [
        Choice(
            r"A network whose output neuron is a sigmoid should approximate $f$. "
            r"What must the sum of columns inside it approximate?",
            options=[
                (r"$\sigma^{-1}(f) = \ln\big(f/(1 - f)\big)$", True,
                 r"The output is $\sigma(z)$, so $z$ must be the inverse sigmoid of "
                 r"$f$: the inverse-activation trick."),
                (r"$f$ itself", False,
                 r"Then the output is $\sigma(f)$, not $f$: the sigmoid bends the "
                 r"column sum on its way out."),
                (r"$\sigma(f)$", False,
                 r"That applies the sigmoid twice; to undo the output's sigmoid the "
                 r"columns need its inverse."),
            ],
        ),
        Choice(
            r"Why can a network with a sigmoid output neuron not approximate "
            r"$f(x) = 1.2x$ on $[0, 1]$?",
            options=[
                (r"Its output lies in $(0, 1)$, and $f$ reaches 1.2", True,
                 r"$\sigma^{-1}(1.2)$ does not exist: no value of $z$ gives an output "
                 r"above one."),
                (r"Too few columns", False,
                 r"No number of columns helps: whatever $z$ is, $\sigma(z) < 1$."),
                (r"The steps are too steep", False,
                 r"Steepness only rounds the steps; the failure is the range of the "
                 r"output neuron."),
            ],
        ),
    ],
}
