"""Self-check questions of the chapter "Gradient descent" (see nnbasics.quiz)."""

from nnbasics.quiz import Choice, Numeric

QUESTIONS = {
    "many-weights": [
        Numeric(
            r"The $[1, 3, 1]$ network of this section has [[n_params]] parameters. "
            r"How many forward passes did the central differences need for one "
            r"gradient?",
            answer="forward_passes",
            rtol=0.001,
            explanation=r"Central differences evaluate $J(\theta \pm \varepsilon e_i)$, "
            r"two passes for each of the [[n_params]] parameters.",
            slips=[
                (lambda v: v["n_params"] + 1,
                 r"That is the count of one-sided differences, one pass at "
                 r"$\theta$ plus one per weight; the central ones need two per weight."),
                (lambda v: v["n_params"],
                 r"One pass per parameter is not enough: a difference needs two "
                 r"values of $J$, and central differences evaluate both sides."),
            ],
        ),
    ],
    "learning-rate": [
        Numeric(
            r"The Hessian of this section's linear cost has eigenvalues "
            r"$\lambda_\min = [[lam_min:.4g]]$ and $\lambda_\max = [[lam_max:.4g]]$. "
            r"Above which fixed learning rate $\alpha$ does gradient descent diverge?",
            answer="critical_rate",
            rtol=0.02,
            explanation=r"Each step multiplies the error along an eigenvector by "
            r"$1 - \alpha\lambda$; the steepest direction leaves $|1 - \alpha\lambda| < 1$ "
            r"first, at $\alpha = 2/\lambda_\max$.",
            slips=[
                (lambda v: 2 / v["lam_min"],
                 r"That is $2/\lambda_\min$: the flat direction still contracts "
                 r"there, but the steep one has long been growing, since "
                 r"$|1 - \alpha\lambda_\max| > 1$."),
                (lambda v: 1 / v["lam_max"],
                 r"That is $1/\lambda_\max$, the rate that removes the steep error "
                 r"in one step; the error only grows once $\alpha\lambda_\max > 2$."),
            ],
        ),
        Numeric(
            r"What is the condition number $\kappa$ of that Hessian?",
            answer="kappa",
            rtol=0.02,
            explanation=r"$\kappa = \lambda_\max/\lambda_\min$, the ratio of the "
            r"steepest to the flattest curvature.",
            slips=[
                (lambda v: v["lam_min"] / v["lam_max"],
                 r"Upside down: $\kappa = \lambda_\max/\lambda_\min$ is at least 1, "
                 r"and large when the valley is long and narrow."),
            ],
        ),
        Numeric(
            r"At the fastest fixed rate $\alpha_\mathrm{opt} = 2/(\lambda_\min + "
            r"\lambda_\max)$, by what factor $\rho$ does the size of the error shrink "
            r"each step (at worst)?",
            answer="rho_opt",
            rtol=0.02,
            explanation=r"$\rho = \max_\lambda |1 - \alpha_\mathrm{opt}\lambda| = "
            r"(\kappa - 1)/(\kappa + 1)$; both directions shrink by the same factor.",
            slips=[
                (lambda v: -v["rho_opt"],
                 r"You kept the sign of $1 - \alpha\lambda_\max$: it is negative, so "
                 r"the error flips side every step (the zig-zag), but the factor that "
                 r"counts is its size, $|1 - \alpha\lambda|$."),
            ],
        ),
        Choice(
            r"Which curvature decides whether gradient descent converges at all?",
            options=[
                (r"The largest eigenvalue $\lambda_\max$ of the Hessian", True,
                 r"Every direction must contract, $|1 - \alpha\lambda| < 1$; the "
                 r"steepest one fails first, so $\alpha < 2/\lambda_\max$."),
                (r"The smallest eigenvalue $\lambda_\min$", False,
                 r"The flat direction decides how slowly the error shrinks, not "
                 r"whether it does: below $2/\lambda_\min$ the steep direction "
                 r"can still blow up."),
                (r"The mean of the eigenvalues", False,
                 r"Each eigen-direction is multiplied by its own factor; an average "
                 r"curvature cannot keep the steepest direction from growing."),
                (r"The size of the gradient at the start", False,
                 r"A large gradient makes the first step long, but convergence of a "
                 r"quadratic cost depends only on $\alpha$ and the curvatures, not "
                 r"on where it starts."),
            ],
        ),
    ],
}
