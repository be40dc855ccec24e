"""Wrong answers and right variants of solutions/spectral_bias.ipynb, for tests/test_exercises.py.

Each WRONG entry replaces the region of the task with code a learner might write and
names words the check's failure message must contain; each RIGHT entry must pass.
"""

PLAIN = """\
    return tanh_mlp([1, 64, 64, 1])
"""

NO_SCALE = """\
    B = torch.randn(32, 1)
    return torch.nn.Sequential(FunctionLayer(lambda x: fourier_features(x, B)),
                               tanh_mlp([64, 64, 1]))
"""

KAPPA_TOO_SMALL = """\
    B = 0.3 * torch.randn(32, 1)
    return torch.nn.Sequential(FunctionLayer(lambda x: fourier_features(x, B)),
                               tanh_mlp([64, 64, 1]))
"""

KAPPA_TOO_LARGE = """\
    B = 1000.0 * torch.randn(32, 1)
    return torch.nn.Sequential(FunctionLayer(lambda x: fourier_features(x, B)),
                               tanh_mlp([64, 64, 1]))
"""

FEATURES_ON_THE_OUTPUT = """\
    B = 8.0 * torch.randn(32, 1)
    return torch.nn.Sequential(tanh_mlp([1, 64, 64, 1]),
                               FunctionLayer(lambda u: fourier_features(u, B)),
                               torch.nn.Linear(64, 1))
"""

FEATURES_AS_THE_OUTPUT = """\
    B = 8.0 * torch.randn(32, 1)
    return torch.nn.Sequential(tanh_mlp([1, 64, 64, 1]),
                               FunctionLayer(lambda u: fourier_features(u, B)))
"""

NO_RETURN = """\
    B = 8.0 * torch.randn(32, 1)
    torch.nn.Sequential(FunctionLayer(lambda x: fourier_features(x, B)), tanh_mlp([64, 64, 1]))
"""

WRONG = {
    "model": [
        (PLAIN, "is missing"),
        (NO_SCALE, "without the scale"),
        (KAPPA_TOO_SMALL, "far too small"),
        (KAPPA_TOO_LARGE, "far too large"),
        (FEATURES_ON_THE_OUTPUT, "not to the input"),
        (FEATURES_AS_THE_OUTPUT, "applied to the output"),
        (NO_RETURN, "returned None"),
    ],
}

SIN_FIRST_LAYER = """\
    class SinFirstLayer(torch.nn.Module):
        def __init__(self, kappa, width=64):
            super().__init__()
            self.kappa = kappa
            self.first = torch.nn.Linear(1, width)
            self.body = tanh_mlp([width, width, 1])

        def forward(self, x):
            return self.body(torch.sin(self.kappa * (x @ self.first.weight.T)
                                       + self.first.bias))

    return SinFirstLayer(10.0)
"""

EXPLICIT_COS_SIN = """\
    B = torch.normal(0.0, 6.0, size=(1, 48))  # stored transposed: x @ B is (n, 48)
    body = tanh_mlp([96, 64, 1])
    return torch.nn.Sequential(
        FunctionLayer(lambda x: torch.cat([torch.cos(x @ B), torch.sin(x @ B)], dim=1)),
        body)
"""

RIGHT = {"model": [SIN_FIRST_LAYER, EXPLICIT_COS_SIN]}
