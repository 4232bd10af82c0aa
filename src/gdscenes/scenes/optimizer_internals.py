"""One run with the optimizer's internals drawn at the ball (the base of the internals lessons).

Switched on by class attributes, each read from the trajectory or the loss,
never recomputed from the update rule:

- ``curvature_ellipse``: the level set of the local quadratic model (Hessian
  eigen-directions, dashed where the curvature is negative) follows the ball;
  the panel shows the eigenvalues and the condition number
  (:mod:`gdscenes.core.curvature`);
- ``step_arrows``: at each step, the arrow ``-eta grad f(theta_k)`` and, for
  momentum, the arrow ``-eta v_{k+1}`` the ball actually follows;
- ``preconditioner_ellipse``: Adam's / RMSProp's per-coordinate effective step
  ``precond`` as an axis-aligned ellipse;
- ``state_rows``: the optimizer's state (``v``, ``m``, ``precond``) of each
  step in the panel;
- ``noise``, ``seed``: minibatch-style gradient noise (SGD).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from manim import DOWN, DR, RIGHT, UR

from gdscenes.drawing.ellipse import FollowingEllipse
from gdscenes.drawing.glyphs import spell_number, spell_vector
from gdscenes.drawing.key import Key
from gdscenes.drawing.layout import MARGIN
from gdscenes.drawing.panel import UpdatePanel
from gdscenes.drawing.vectors import BallVectors
from gdscenes.core.curvature import curvature, ellipse_axes, level_for, preconditioner_axes
from gdscenes.core.losses import Loss
from gdscenes.display.palette import ACCENTS
from gdscenes.scenes.descent import DescentScene, with_constants
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.lesson import loss_title

#: Panel rows of the optimizer state: (state or internals key, label).
STATE_ROWS: dict[str, tuple[str, str]] = {
    "velocity": ("state", r"v_{k+1} ="),
    "m": ("state", r"m_{k+1} ="),
    "v": ("state", r"v_{k+1} ="),
    "sum_sq": ("state", r"G_{k+1} ="),
    "square_avg": ("state", r"v_{k+1} ="),
    "precond": ("internals", r"P_{k+1} ="),
    "grad_used": ("internals", r"\tilde g_k ="),
}
#: The effective step ``P_{k+1}`` per adaptive optimizer (defined in the key under the panel).
PRECOND_LABELS = {"adam": r"\eta / (\sqrt{\hat v}+\epsilon)", "rmsprop": r"\eta / (\sqrt{v}+\epsilon)",
                  "adagrad": r"\eta / (\sqrt{G}+\epsilon)"}
#: The noisy gradient, first line of the rule under SGD.
NOISY_GRADIENT = r"\tilde g_k &= \nabla f(\theta_k) + \sigma\,\xi_k,\ \ \xi_k \sim \mathcal{N}(0, I)"
#: Width of the key of what is drawn at the ball where it stands on its own in a corner (its labels wrap to it; frame
#: units, shorter side 8): clear of the landscape's bottom corner in a square frame.
CORNER_KEY_WIDTH = 2.8
#: Colours of the drawn internals (the curvature ellipse takes the theme's text colour).
GRADIENT_COLOR, VELOCITY_COLOR, PRECOND_COLOR = ACCENTS[1], ACCENTS[3], ACCENTS[3]  # (dark theme; scenes use their theme's)


class InternalsScene(DescentScene):
    """A descent with the optimizer's internals drawn; lessons switch them on."""

    #: Gradient noise scale (0: exact gradient descent) and its seed.
    noise: ClassVar[float] = 0.0
    seed: ClassVar[int | None] = 0
    curvature_ellipse: ClassVar[bool] = False
    #: Longer semi-axis of the curvature ellipse at the start, as a fraction of the domain's width.
    ellipse_size: ClassVar[float] = 0.12
    step_arrows: ClassVar[bool] = False
    #: Arrow length per unit of parameter displacement (1: the arrows are the true steps).
    arrow_scale: ClassVar[float] = 1.0
    preconditioner_ellipse: ClassVar[bool] = False
    state_rows: ClassVar[bool] = False

    @classmethod
    def run_options(cls) -> dict[str, Any]:
        if cls.ellipse_size <= 0:
            raise ValueError(f"ellipse_size must be positive, got {cls.ellipse_size}")
        return {"noise": cls.noise, "seed": cls.seed}

    # -- what is drawn -------------------------------------------------------
    def shown_path(self) -> np.ndarray:
        t = self.trajectory
        return t.points[: int(t.stop_step[0]) + 1, 0]

    def decorate(self, loss: Loss) -> list[Any]:
        followers: list[Any] = []
        t, path = self.trajectory, self.shown_path()
        width = float(np.diff(self.view.domain[0])[0])
        if self.curvature_ellipse:  # (the Hessian at every iterate is needed only then)
            self.curvature = curvature(loss, path)
            self.level = level_for(self.curvature.eigenvalues[0], self.ellipse_size * width)
            axes = ellipse_axes(self.curvature, self.level, max_length=0.3 * width)
            self.ellipse = FollowingEllipse(self.view, path, axes, self.colors.text, negative=self.curvature.negative)
            followers.append(self.ellipse)
        last = len(path) - 1
        if self.preconditioner_ellipse and last > 0:
            precond = t.internals["precond"][:last, 0]
            self.reference = float(np.linalg.norm(t.gradients[0, 0]))
            axes = preconditioner_axes(np.vstack([precond, precond[-1:]]), self.reference, max_length=0.3 * width)
            self.precond_ellipse = FollowingEllipse(self.view, path, axes, self.colors.series_color(3))
            followers.append(self.precond_ellipse)
        if self.step_arrows and last > 0:
            lr = float(t.hyperparams["lr"])
            # the gradient the optimizer used: the noisy one under SGD
            grads = (t.internals["grad_used"] if "grad_used" in t.internals else t.gradients)[:last, 0]
            vectors, colors = [-lr * self.arrow_scale * grads], [self.colors.series_color(1)]
            if "velocity" in t.state:
                vectors.append(-lr * self.arrow_scale * t.state["velocity"][:last, 0])
                colors.append(self.colors.series_color(3))
            self.vectors = BallVectors(self.view, path[:last], vectors, colors)
            followers.append(self.vectors)
        self.add(*followers)
        return followers

    def key_rows(self, brief: bool = False) -> list[tuple[str, str]]:
        """``(colour, LaTeX)`` of what is drawn at the ball, for the key under the panel (``brief``: for a key in the
        frame's corner, without what the rule says already: which arrow is the step taken)."""
        rows = []
        scale = "" if self.arrow_scale == 1 else rf"{self.arrow_scale:g} \times "
        if hasattr(self, "vectors"):
            noisy = r"\ (\text{noisy})" if self.trajectory.noise else ""
            rows.append((self.colors.series_color(1), rf"{scale}(-\eta\, \nabla f(\theta_k))" + noisy))
            if len(self.vectors.vectors) > 1:
                taken = r",\ \text{the step taken}" if self.trajectory.optimizer == "momentum" and not brief else ""
                rows.append((self.colors.series_color(3), rf"{scale}(-\eta\, v_{{k+1}})" + taken))
        if self.curvature_ellipse:
            rows.append((self.colors.text, r"\tfrac12 d^\top \nabla^2 f(\theta_k)\, d = c\ \ (\text{dashed: } \lambda < 0)"))
        if hasattr(self, "precond_ellipse"):
            p = PRECOND_LABELS.get(self.trajectory.optimizer, r"\eta")
            rows.append((self.colors.series_color(3), rf"{self.reference:.3g} \times P_{{k+1}},\ \ P = {p}"))
        return rows

    def place_text(self, *blocks: Any) -> None:
        """The panel, then the key of the drawn internals, then the rest (loss curve). A panel set as a grid (a
        square frame's short band: :meth:`make_panel`) takes the key in its card, under the rows."""
        rows = self.key_rows()
        panel = blocks[0]
        if getattr(panel, "grid", False) and rows:
            self.key = panel.add_below(Key(rows, self.colors, width=self.layout.block_width).entries)
            DescentScene.place_text(self, *blocks)
            return
        key = Key(rows, self.colors, width=self.layout.block_width) if rows else None
        self.key = key
        if key is not None and not self.layout.holds([b for b in (blocks[0], key, *blocks[1:]) if b is not None]):
            # No room under the panel at full size: the key goes on its own, narrow (its labels wrap).
            unit, stacked = self.layout.unit, self.layout.stacked
            self.key = key = Key(self.key_rows(brief=True) if stacked else rows, self.colors, width=CORNER_KEY_WIDTH * unit)
            bar = getattr(self, "colour_key", None)
            if stacked:
                # A square or tall frame's band: in the frame's bottom right corner, brief (kept in the layout: an
                # upright colour bar stands above it, shorter where it must).
                self.corner_key = key.to_corner(DR, buff=MARGIN * unit)
                self.layout = self.layout.with_corner(key.height)
            elif bar is not None:  # (a wide frame: under the colour bar, top right, clear of the landscape's far corner)
                key.next_to(bar, DOWN, buff=0.25).align_to(bar, RIGHT)
            else:
                key.to_corner(UR, buff=MARGIN * unit)
            self.add_fixed_in_frame_mobjects(key)
            super().place_text(*blocks)
            return
        super().place_text(blocks[0], key, *blocks[1:])

    def panel_rows(self) -> list[tuple[str, str, str]]:
        """``(source, key, label)`` of the extra panel rows."""
        rows: list[tuple[str, str, str]] = []
        if self.curvature_ellipse:
            rows += [("curv", "eig", r"\lambda_{1,2}(\theta_k) ="), ("curv", "kappa", r"\kappa ="),]
        t = self.trajectory
        if "grad_used" in t.internals:
            rows.append(("internals", "grad_used", STATE_ROWS["grad_used"][1]))
        if self.state_rows:
            for name in t.state:
                rows.append(("state", name, STATE_ROWS[name][1]))
            if t.optimizer in PRECOND_LABELS:
                rows.append(("internals", "precond", r"P_{k+1} ="))
        return rows

    def rule_lines(self, optimizer: Any) -> list[str]:
        """The update rule; under SGD the noisy gradient replaces the exact one."""
        lines = list(optimizer.rule_latex_lines)
        if not self.trajectory.noise:
            return lines
        return [NOISY_GRADIENT, *(line.replace(r"\nabla f(\theta_k)", r"\tilde g_k") for line in lines)]

    def make_panel(self, loss: Loss, optimizer: Any) -> UpdatePanel:
        title = f"{optimizer.label} on {loss_title(loss)}"
        if self.trajectory.noise:
            noise, seed = self.trajectory.noise, self.trajectory.seed
            title = f"Stochastic {optimizer.label.lower()} on {loss_title(loss)}, sigma = {noise:g}, seed {seed}"
        self.rows = self.panel_rows()
        lines = with_constants(self.rule_lines(optimizer), self.trajectory.hyperparams)

        def made(max_height: float | None = None) -> UpdatePanel:
            return UpdatePanel(latex_title(title, loss), r" \\ ".join(lines), self.colors, width=self.layout.block_width,
                               extra_rows=[(key, label) for _, key, label in self.rows], max_height=max_height)

        panel, rows = made(), self.key_rows()
        if self.layout.stacked and rows and not panel.grid and not self.layout.holds(
                [panel, Key(rows, self.colors, width=self.layout.block_width)]):
            grid = made(0.0)  # (no room for the key's card under the panel: a grid, whose card takes the key)
            if grid.grid:
                return grid
        return panel

    def row_values(self, k: int, last: int) -> list[list[str]]:
        """Glyph keys of the extra rows at step ``k`` (the trajectory's and the Hessian's numbers)."""
        t, out = self.trajectory, []
        for source, key, _ in self.rows:
            if source == "curv":
                c = self.curvature
                j = min(k, len(c.eigenvalues) - 1)
                out.append(spell_vector(c.eigenvalues[j], 2) if key == "eig" else spell_number(float(c.condition[j]), 2))
            elif k >= last:
                out.append(["-"])
            else:
                values = (t.state if source == "state" else t.internals)[key][k, 0]
                out.append(spell_vector(values, 3))
        return out
