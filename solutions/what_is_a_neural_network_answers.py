"""Answers to solutions/what_is_a_neural_network.ipynb that must fail, and ones that must pass.

tests/test_exercises.py puts each in place of the solution region of the cell named
by its key and runs the notebook: a WRONG answer must make that task's check fail
with a message containing the given words; a RIGHT answer, written differently from
the solution, must pass every check.
"""

_TRAIN = """\
tanh_net = torch.nn.Sequential(
    torch.nn.Linear(1, {width}), {act},
    torch.nn.Linear({width}, {width2}), {act},
    torch.nn.Linear({width2}, 1),
).double()
x_t, y_t = torch.from_numpy(x[:, None]), torch.from_numpy(y[:, None])
optimiser = torch.optim.Adam(tanh_net.parameters(), lr=1e-2)
for _ in range({steps}):
    optimiser.zero_grad()
    loss = torch.mean((tanh_net(x_t) - y_t) ** 2)
    loss.backward()
    optimiser.step()"""

WRONG = {
    "best-affine": [
        ("    A, C = np.polyfit(x, y, 1)\n    return np.sqrt(np.mean((A * x + C - y) ** 2))",
         "root of the mean squared error"),
        ("    A = np.sum(x * y) / np.sum(x * x)\n    return np.mean((A * x - y) ** 2)",
         "passes through the origin"),
        ("    A, C = np.polyfit(x, y, 1)\n    return np.sum((A * x + C - y) ** 2)",
         "sum of squared errors"),
    ],
    "tanh-net": [
        (_TRAIN.format(width=16, width2=16, act="torch.nn.Identity()", steps=2000),
         "nothing is applied after Linear layer 1"),
        (_TRAIN.format(width=16, width2=16, act="torch.nn.Tanh()", steps=5),
         "no better than the best line"),
        (_TRAIN.format(width=32, width2=8, act="torch.nn.Tanh()", steps=2000),
         "two hidden layers of 16 units"),
    ],
}

RIGHT = {
    "best-affine": [
        ("    xm, ym = x.mean(), y.mean()\n"
         "    A = np.sum((x - xm) * (y - ym)) / np.sum((x - xm) ** 2)\n"
         "    C = ym - A * xm\n"
         "    return float(np.mean((A * x + C - y) ** 2))"),
    ],
    "tanh-net": [
        # float32 weights, a class instead of Sequential, more steps at a smaller rate.
        ("class Net(torch.nn.Module):\n"
         "    def __init__(self):\n"
         "        super().__init__()\n"
         "        self.a, self.b, self.c = (torch.nn.Linear(1, 16), torch.nn.Linear(16, 16),\n"
         "                                  torch.nn.Linear(16, 1))\n"
         "        self.act = torch.nn.Tanh()\n\n"
         "    def forward(self, t):\n"
         "        return self.c(self.act(self.b(self.act(self.a(t)))))\n\n\n"
         "tanh_net = Net()\n"
         "xs, ys = (torch.tensor(v[:, None], dtype=torch.float32) for v in (x, y))\n"
         "opt = torch.optim.Adam(tanh_net.parameters(), lr=5e-3)\n"
         "for _ in range(3000):\n"
         "    opt.zero_grad()\n"
         "    ((tanh_net(xs) - ys) ** 2).mean().backward()\n"
         "    opt.step()"),
    ],
}
