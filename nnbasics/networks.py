"""Fully connected networks as lists of weight matrices: shapes, parameter counts, drawings.

The network itself, with its weights and their random start, is :class:`nnbasics.engine.MLP`.

A network with layer sizes ``(n_0, n_1, ..., n_L)`` maps ℝ^{n_0} to ℝ^{n_L}.  Layer
l (from 1 to L) has a weight matrix W^(l) of shape (n_l, n_{l-1}), whose entry
w_jk^(l) connects unit k of layer l-1 to unit j of layer l, and a bias vector b^(l)
of length n_l.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .validation import require_int


def layer_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    """``sizes`` checked: at least an input and an output layer, every size >= 1."""
    try:
        items = list(sizes)
    except TypeError:
        raise TypeError(f"sizes must be a sequence of layer widths, got {sizes!r}") from None
    if len(items) < 2:
        raise ValueError(f"sizes must name at least an input and an output layer, got {items}")
    return tuple(require_int(f"sizes[{i}]", n, 1) for i, n in enumerate(items))


def count_parameters(sizes: Sequence[int]) -> int:
    """The number of weights and biases: Σ_l (n_{l-1} + 1) n_l."""
    sizes = layer_sizes(sizes)
    return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


def affine_collapse(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The one affine map x ↦ A x + c that a network with σ(z) = z computes.

    Layer by layer, W (A x + c) + b = (W A) x + (W c + b): the product of the weight
    matrices and a bias pushed through the later layers.
    """
    if len(weights) != len(biases) or not weights:
        raise ValueError("weights and biases must be non-empty lists of the same length, got "
                         f"{len(weights)} and {len(biases)}")
    A = np.eye(np.shape(weights[0])[1])
    c = np.zeros(np.shape(weights[0])[1])
    for layer, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
        if W.ndim != 2 or W.shape[1] != A.shape[0] or b.shape != (W.shape[0],):
            raise ValueError(f"layer {layer}: W must have shape (n_out, {A.shape[0]}) and b "
                             f"shape (n_out,), got {W.shape} and {b.shape}")
        A, c = W @ A, W @ c + b
    return A, c


def draw_network(ax, sizes: Sequence[int], *, weight_labels: bool = False,
                 layer_names: Sequence[str] | None = None, colour: str = "#0072B2") -> None:
    """Draw the graph of a fully connected network: units as circles, weights as lines.

    With ``weight_labels`` every line carries its name w_jk^(l) (readable for a few
    units only) and every unit its bias b_j^(l).
    """
    sizes = layer_sizes(sizes)
    if layer_names is not None and len(layer_names) != len(sizes):
        raise ValueError(f"layer_names must name all {len(sizes)} layers, got {len(layer_names)}")
    height = max(sizes)
    ys = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n)[::-1] if n > 1 else np.zeros(1)
          for n in sizes]
    for n in range(1, len(sizes)):  # layer n, fed by layer n - 1
        for j, y_out in enumerate(ys[n]):
            for k, y_in in enumerate(ys[n - 1]):
                ax.plot([n - 1, n], [y_in, y_out], color="0.6", lw=0.8, zorder=1)
                if weight_labels:
                    # Near the sending unit, where the lines of one unit fan out apart.
                    t = 0.3
                    ax.text(n - 1 + t, y_in + t * (y_out - y_in) + 0.05,
                            f"$w_{{{j + 1}{k + 1}}}^{{({n})}}$", ha="center",
                            va="bottom", zorder=3)
    for n, layer in enumerate(ys):
        face = "white" if n in (0, len(sizes) - 1) else colour
        ax.scatter(np.full(len(layer), n), layer, s=380, facecolor=face, edgecolor=colour,
                   lw=1.5, zorder=2)
        if weight_labels and n > 0:
            for j, y in enumerate(layer):
                ax.text(n, y - 0.42, f"$b_{{{j + 1}}}^{{({n})}}$", ha="center",
                        va="top")
        if layer_names is not None:
            ax.text(n, -height / 2 - 0.45, layer_names[n], ha="center", va="top")
    ax.set_xlim(-0.4, len(sizes) - 0.6)
    ax.set_ylim(-height / 2 - 1.0, height / 2 + 0.3)
    ax.set_axis_off()
