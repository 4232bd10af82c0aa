r"""What the drawn optimizer internals measure, in parameter space (numpy only, no manim).

Curvature at the ball
---------------------
At :math:`\theta_k` the loss is modelled by its second-order Taylor
expansion :math:`q(d) = f + g^\top d + \tfrac12 d^\top H d` with the exact
Hessian :math:`H` (sympy, lambdified in :class:`~gdscenes.core.losses.Loss`).
The **curvature ellipse** is the level set of its quadratic part,
:math:`\tfrac12 d^\top H d = c`: its semi-axes lie along the eigenvectors
:math:`e_i` of :math:`H` with lengths

.. math:: r_i = \sqrt{2c / |\lambda_i|},

so a steep direction (large :math:`\lambda`) gives a short axis, exactly as
the contour lines crowd there. ``c`` (``level``) is one number for the whole
clip, chosen by :func:`level_for` so that the ellipse at the start has a
readable size; lengths are capped at ``max_length`` (a flat direction,
:math:`\lambda = 0`, would be infinite). Where :math:`\lambda_i < 0`
(a saddle: :math:`H` is indefinite) the same formula with
:math:`|\lambda_i|` is used and the axis is flagged ``negative`` (drawn
dashed): along it the model *falls* by :math:`c` instead of rising. The
condition number is :math:`\kappa = |\lambda|_{max} / |\lambda|_{min}`
(``inf`` when an eigenvalue is 0).

Preconditioner ellipse
----------------------
Adaptive optimizers scale each coordinate's step: the update is
:math:`-P \odot \hat m` with :math:`P = \eta / (\sqrt{\hat v} + \epsilon)`
for Adam (``traj.internals["precond"]``). The **preconditioner ellipse** is
axis-aligned with semi-axes :math:`P_x s` and :math:`P_y s`: the step a
gradient moment of size :math:`s` (``reference``, by default the gradient
norm at the start) would make along each axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gdscenes.core.losses.symbolic import Loss

__all__ = [
    "Curvature",
    "curvature",
    "ellipse_axes",
    "level_for",
    "preconditioner_axes",
    "ellipse_points",
]


@dataclass(frozen=True)
class Curvature:
    """Eigen-decomposition of the Hessian at a run of points.

    Attributes
    ----------
    hessians : ndarray, shape (K, 2, 2)
    eigenvalues : ndarray, shape (K, 2)
        Ascending.
    eigenvectors : ndarray, shape (K, 2, 2)
        ``eigenvectors[k, :, i]`` is the unit eigenvector of ``eigenvalues[k, i]``.
    """

    hessians: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray

    @property
    def condition(self) -> np.ndarray:
        """``|lambda|max / |lambda|min`` per point (``inf`` where an eigenvalue is 0)."""
        a = np.abs(self.eigenvalues)
        with np.errstate(divide="ignore"):
            return np.where(a.min(axis=1) > 0, a.max(axis=1) / np.maximum(a.min(axis=1), 1e-300), np.inf)

    @property
    def negative(self) -> np.ndarray:
        """``(K, 2)`` bool: which eigenvalues are negative (the saddle directions)."""
        return self.eigenvalues < 0


def curvature(loss: Loss, points: np.ndarray) -> Curvature:
    """Hessian, eigenvalues and eigenvectors of ``loss`` at ``points`` (``(K, 2)``)."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    h = np.asarray(loss.hessian(p[:, 0], p[:, 1]), dtype=np.float64).reshape(-1, 2, 2)  # symmetric (sympy's)
    values, vectors = np.linalg.eigh(h)
    return Curvature(h, values, vectors)


def ellipse_axes(c: Curvature, level: float, max_length: float = np.inf) -> np.ndarray:
    """Semi-axis vectors ``(K, 2, 2)`` of the curvature ellipse: ``axes[k, i] = r_i e_i``.

    ``r_i = sqrt(2 * level / |lambda_i|)``, capped at ``max_length``.
    """
    a = np.abs(c.eigenvalues)
    with np.errstate(divide="ignore"):
        r = np.where(a > 0, np.sqrt(2.0 * level / np.maximum(a, 1e-300)), np.inf)
    r = np.minimum(r, max_length)
    return np.swapaxes(c.eigenvectors, 1, 2) * r[:, :, None]


def level_for(eigenvalues: np.ndarray, longest: float) -> float:
    """The level ``c`` at which the longer semi-axis for ``eigenvalues`` (one point) is ``longest``."""
    a = np.abs(np.asarray(eigenvalues, dtype=np.float64))
    smallest = a[a > 0].min() if (a > 0).any() else 1.0
    return float(0.5 * smallest * longest**2)


def preconditioner_axes(precond: np.ndarray, reference: float, max_length: float = np.inf) -> np.ndarray:
    """Semi-axis vectors ``(K, 2, 2)`` of the axis-aligned preconditioner ellipse.

    ``axes[k] = diag(precond[k] * reference)``, each length capped at ``max_length``.
    """
    r = np.minimum(np.asarray(precond, dtype=np.float64) * float(reference), max_length)
    return r[:, :, None] * np.eye(2)[None]


def ellipse_points(centre: np.ndarray, axes: np.ndarray, samples: int = 48) -> np.ndarray:
    """``samples + 1`` points ``centre + cos(t) axes[0] + sin(t) axes[1]`` around one ellipse (closed)."""
    t = np.linspace(0.0, 2.0 * np.pi, samples + 1)
    return np.asarray(np.asarray(centre)[None, :] + np.cos(t)[:, None] * axes[0][None] + np.sin(t)[:, None] * axes[1][None])
