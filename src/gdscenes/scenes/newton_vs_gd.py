r"""Newton's method against gradient descent from one start, in three variants (3b1b style: subclasses).

Newton's step :math:`-\eta (H_k + \lambda I)^{-1} \nabla f(\theta_k)` uses the
exact Hessian :math:`H_k = \nabla^2 f(\theta_k)`
(:class:`~gdscenes.core.optimizers.Newton`). The lesson (``newton-vs-gd``)
is the quadratic: one Newton step lands on the minimum while gradient descent
zigzags. Two variants change class attributes:

* :class:`NewtonRosenbrockScene`: Rosenbrock's valley; Newton jumps out of it
  once, then reaches the minimum in a few steps while gradient descent crawls.
* :class:`NewtonSaddleScene`: a double well, started above its saddle; gradient
  descent rolls into a minimum, Newton converges to the saddle. Newton looks
  for :math:`\nabla f = 0`, and a saddle is such a point: the screen says so.

Each run's note says what its last point is, from the Hessian's eigenvalues there.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

import numpy as np
from manim import Circle

from gdscenes.core.losses import Loss, Minimum, X, Y
from gdscenes.core.runner import run
from gdscenes.display.palette import get_theme
from gdscenes.display.view import View
from gdscenes.drawing import type_scale
from gdscenes.drawing.camera import ON_SURFACE, set_layer
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import loss_title
from gdscenes.scenes.registry import lesson

#: The saddle variant's landscape: minima at (+-1, 0) (f = -1), a saddle at the origin (f = 0).
DOUBLE_WELL = Loss(
    "double_well",
    X**4 - 2 * X**2 + Y**2,
    latex=r"x^{4} - 2x^{2} + y^{2}",
    domain=((-1.8, 1.8), (-1.5, 1.5)),
    start=(-0.4, 1.3),
    minima=(Minimum(-1.0, 0.0, -1.0, "global"), Minimum(1.0, 0.0, -1.0, "global")),
    saddles=(Minimum(0.0, 0.0, 0.0, "saddle"),),
    description="Double well x^4 - 2x^2 + y^2: minima (+-1, 0), a saddle at the origin.",
)
#: Losses this lesson knows by name besides the library's, and their titles.
OWN_LOSSES = {"double_well": DOUBLE_WELL}
OWN_TITLES = {"double_well": "a double well"}

GD_RULE = r"\theta_{k+1} = \theta_k - \eta\, \nabla f(\theta_k)"
NEWTON_RULE = r"\theta_{k+1} = \theta_k - \eta\, (H_k + \lambda I)^{-1} \nabla f(\theta_k)"
UNDAMPED_RULE = r"\theta_{k+1} = \theta_k - \eta\, H_k^{-1} \nabla f(\theta_k)"


def point_kind(loss: Loss, point: np.ndarray) -> str:
    """What a stationary point is, from the signs of the Hessian's eigenvalues there."""
    eig = np.linalg.eigvalsh(np.asarray(loss.hessian(*point), dtype=float).reshape(2, 2))
    if np.all(eig > 0):
        return "a minimum"
    if np.all(eig < 0):
        return "a maximum"
    return "a saddle" if eig.min() < 0 < eig.max() else "flat (singular Hessian)"


@lesson("newton-vs-gd")
class NewtonVsGdScene(ComparisonScene):
    """Newton's method against gradient descent: on a quadratic one Newton step lands on the minimum."""

    loss = "booth"
    start: ClassVar[tuple[float, float] | None] = (-7.0, -8.0)
    gd_lr: ClassVar[float] = 0.08
    #: Newton's learning rate and damping (torch-style keywords of :class:`~gdscenes.core.optimizers.Newton`).
    newton_lr: ClassVar[float] = 1.0
    damping: ClassVar[float] = 0.0
    #: The line under the title (LaTeX): what this variant shows.
    claim: ClassVar[str] = r"&\text{a quadratic: one Newton step} \\ &\text{lands on the minimum}"
    steps = 60
    tol = 1e-3

    @classmethod
    def get_loss(cls) -> Loss:
        own = OWN_LOSSES.get(cls.loss) if isinstance(cls.loss, str) else None
        return own if own is not None else super().get_loss()

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        cls.check_start(loss, cls.start)
        theme = get_theme(cls.theme)
        common: dict[str, Any] = dict(start=cls.start, steps=cls.steps, tol=cls.tol)
        gd = run(loss, "gd", lr=cls.gd_lr, **common)
        newton = run(loss, "newton", lr=cls.newton_lr, damping=cls.damping, **common)
        lam = float(newton.hyperparams["damping"])
        return [
            Run(rf"\text{{gradient descent}},\ \eta = {float(gd.hyperparams['lr']):g}", theme.series_color(1), gd,
                rule=f"&{GD_RULE}"),
            Run(rf"\text{{Newton}},\ \eta = {float(newton.hyperparams['lr']):g},\ \lambda = {lam:g}",
                theme.series_color(0), newton, rule=f"&{NEWTON_RULE}"),
        ]

    def heading(self, loss: Loss) -> str:
        return self.title or f"Newton vs gradient descent on {OWN_TITLES.get(loss.name) or loss_title(loss)}"

    def header(self, loss: Loss, runs: list[Run]) -> str:
        return self.claim

    def footer(self, loss: Loss, runs: list[Run]) -> list[str]:
        return [r"H_k = \nabla^2 f(\theta_k)\colon\ \text{Hessian},\ I\colon\ \text{identity}",
                r"\eta\colon\ \text{learning rate},\ \lambda\colon\ \text{damping},\ k\colon\ \text{step}"]

    def compact(self, loss: Loss, runs: list[Run]) -> tuple[list[Run], str | None, list[str]]:
        """For a short band (a square frame's): the claim on one line (it wraps only where the band is too
        narrow for it), the runs side by side."""
        lines = [line.replace("&", "").strip() for line in self.claim.split(r"\\")]
        footer = self.footer(loss, runs)
        newton = runs[1].trajectory
        if float(newton.hyperparams["damping"]) == 0:  # (undamped: Newton's rule without the lambda I it does not use)
            label = rf"\text{{Newton}},\ \eta = {float(newton.hyperparams['lr']):g}"
            runs = [runs[0], replace(runs[1], label=label, rule=f"&{UNDAMPED_RULE}")]
            footer = [r"H_k = \nabla^2 f(\theta_k)\colon\ \text{Hessian}",
                      r"\eta\colon\ \text{learning rate},\ k\colon\ \text{step}"]
        return runs, r"\ ".join(lines), footer

    def legend_note(self, i: int, runs: list[Run]) -> str:
        """How run ``i`` ended; where it converged, what kind of point that is (the Hessian's signs)."""
        r = runs[i]
        t, leaves = r.trajectory, r.exit(self.view.domain)
        status, step = str(t.status[r.index]), int(t.stop_step[r.index])
        if leaves is not None or status == "diverged":
            return f"left the plot at step {leaves}" if leaves is not None else f"stopped at step {step} (singular H)"
        if status == "converged":
            kind = point_kind(self.get_loss(), t.points[step, r.index])
            forms = [f"converged at step {step} to {kind}", f"step {step}: {kind}", f"converged at step {step}"]
        else:
            forms = [f"{type_scale.italic('f')} = {type_scale.number(float(t.losses[step, r.index]), 3)} at step {step}"]
        legend = getattr(self, "legend", None)  # (the first that fits the legend's column: a square frame's is in columns)
        return forms[0] if legend is None else legend.fitting(i, forms)

    def note(self, i: int, runs: list[Run]) -> str:
        return f"{'gradient descent' if i == 0 else 'Newton'}: {self.legend_note(i, runs)}"

    def decorate_floor(self, loss: Loss, view: View, runs: list[Run]) -> None:
        """A ring on the floor under each known saddle point."""
        for point in loss.saddles:
            ring = Circle(radius=0.18, stroke_color=self.colors.text, stroke_width=3)
            ring.move_to(view.floor_points(point.x, point.y, lift=0.02))
            self.add(set_layer(ring, ON_SURFACE))


class NewtonRosenbrockScene(NewtonVsGdScene):
    """Newton against gradient descent on Rosenbrock's valley."""

    loss = "rosenbrock"
    start = (-1.5, 2.1)  # (from the classic (-1.2, 1) Newton's second step leaves the plot, at y = -3.2)
    gd_lr = 0.001
    steps = 2000
    tol = 1e-3
    claim = r"&\text{Newton follows the curvature;} \\ &\text{gradient descent crawls along}\\ &\text{the valley}"


class NewtonSaddleScene(NewtonVsGdScene):
    """Newton converges to a saddle; gradient descent rolls into a minimum."""

    loss = "double_well"
    start = (-0.4, 1.3)
    gd_lr = 0.1
    steps = 60
    tol = 1e-3
    claim = r"&\text{Newton finds stationary points} \\ &(\nabla f = 0)\text{, not minima}"


__all__ = ["NewtonVsGdScene", "NewtonRosenbrockScene", "NewtonSaddleScene", "DOUBLE_WELL", "point_kind"]
