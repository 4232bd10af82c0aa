r"""The worked gradient-descent step as LaTeX lines (sympy, no manim).

For step ``k`` of a plain gradient-descent trajectory:

1. :math:`f(x, y) = \dots` (the loss, :attr:`Loss.latex`);
2. :math:`\nabla f = (\partial_x f, \partial_y f)` (sympy's exact gradient);
3. :math:`\theta_k = (x_k, y_k)`;
4. each partial derivative with :math:`x_k, y_k` substituted into the very
   same expression, then its value;
5. :math:`\theta_{k+1} = \theta_k - \eta \nabla f(\theta_k)`, then per
   coordinate with the numbers, then its value.

Every number is the trajectory's (``points[k]``, ``gradients[k]``,
``points[k + 1]``, ``hyperparams["lr"]``), rounded to ``decimals`` places;
nothing is recomputed here. :func:`step_numbers` returns those numbers so
tests can check the lines against the trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from gdscenes.core.losses.symbolic import Loss, X, Y
from gdscenes.core.trajectory import Trajectory

__all__ = ["Derivation", "derive", "gradient_lines", "number"]


def number(value: float, decimals: int = 3) -> str:
    """A number as shown in the derivation (fixed decimals, no ``-0.000``)."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _paren(value: float, decimals: int) -> str:
    text = number(value, decimals)
    return rf"\left({text}\right)" if text.startswith("-") else text


def gradient_lines(loss: Loss) -> list[str]:
    """The loss and its exact gradient, as LaTeX lines (``&=`` aligned)."""
    gx, gy = loss.grad_expr
    return [
        rf"f(x, y) &= {loss.latex}",
        rf"\frac{{\partial f}}{{\partial x}} &= {sp.latex(gx)}",
        rf"\frac{{\partial f}}{{\partial y}} &= {sp.latex(gy)}",
    ]


@dataclass(frozen=True)
class Derivation:
    """The substituted lines of one step and the numbers they show."""

    k: int
    lines: list[str]
    theta: tuple[float, float]
    grad: tuple[float, float]
    lr: float
    theta_next: tuple[float, float] | None


def derive(loss: Loss, trajectory: Trajectory, k: int, index: int = 0, decimals: int = 3) -> Derivation:
    """Lines of step ``k`` of start ``index`` (``theta_next`` is ``None`` at the last step)."""
    if trajectory.optimizer != "gd":
        raise ValueError(f"the derivation shows plain gradient descent, got optimizer {trajectory.optimizer!r}")
    last = int(trajectory.stop_step[index])
    x, y = (float(v) for v in trajectory.points[k, index])
    gxv, gyv = (float(v) for v in trajectory.gradients[k, index])
    lr = float(trajectory.hyperparams["lr"])
    names = {X: _paren(x, decimals), Y: _paren(y, decimals)}
    gx, gy = loss.grad_expr

    def n(v: float) -> str:
        return number(v, decimals)

    lines = [
        rf"\theta_{{{k}}} &= ({n(x)},\ {n(y)})",
        rf"\partial_x f(\theta_{{{k}}}) &= {sp.latex(gx, symbol_names=names)} = {n(gxv)}",
        rf"\partial_y f(\theta_{{{k}}}) &= {sp.latex(gy, symbol_names=names)} = {n(gyv)}",
    ]
    nxt = None
    if k < last:
        nxt = tuple(float(v) for v in trajectory.points[k + 1, index])
        lines.append(rf"\theta_{{{k + 1}}} &= \theta_{{{k}}} - \eta\, \nabla f(\theta_{{{k}}})")
        lines.append(rf"x_{{{k + 1}}} &= {n(x)} - {lr:g} \cdot {_paren(gxv, decimals)} = {n(nxt[0])}")
        lines.append(rf"y_{{{k + 1}}} &= {n(y)} - {lr:g} \cdot {_paren(gyv, decimals)} = {n(nxt[1])}")
    return Derivation(k, lines, (x, y), (gxv, gyv), lr, nxt)  # type: ignore[arg-type]
