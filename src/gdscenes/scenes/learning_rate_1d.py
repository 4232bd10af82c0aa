"""Learning rate on a curve: one quadratic, four runs: too small, about right, too large, beyond 2/f''.

On ``f = a/2 (x - theta*)^2`` gradient descent multiplies the distance to the minimum
by ``1 - eta a`` each step, so it converges exactly when ``eta < 2/a = 2/f''(theta*)``:
slowly for a small eta, at once near ``1/a``, oscillating from side to side between
``1/a`` and ``2/a``, and beyond ``2/a`` it diverges. Each run gets its own plot of the same
curve (side by side in a 2 x 2 grid); the learning rates are fractions of ``2/f''(theta*)``,
computed from the exact second derivative at the minimum and written on screen. A run
that leaves its plot hops to the plot's edge, fades out there and is labelled
"diverged": no point outside the frame, and no NaN, is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from manim import RIGHT, Mobject, VGroup

from gdscenes.core.losses import Loss
from gdscenes.core.runner import run
from gdscenes.core.trajectory import Trajectory
from gdscenes.display.palette import get_theme
from gdscenes.drawing import type_scale
from gdscenes.drawing.card import plate
from gdscenes.drawing.curve_1d import CurveAxes, CurveBall, CurveBox, curve_line, f_range_of
from gdscenes.drawing.legend import Legend
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.descent_1d import CurveScene, minima_1d
from gdscenes.scenes.lesson import loss_title
from gdscenes.scenes.registry import lesson

#: What each default fraction of 2/f''(theta*) shows.
WORDS = {0.05: "too small", 0.45: "about right", 0.9: "too large", 1.1: "beyond 2/f''"}
#: Room of a tile's axes labels: left, right, bottom, top (frame units).
TILE_ROOM = (0.6, 0.4, 0.5, 0.7)


@dataclass
class Run1D:
    """One run of the lesson: its learning rate, share of 2/f'', colour and trajectory."""

    lr: float
    fraction: float
    color: str
    trajectory: Trajectory


def curvature_at_minimum(loss: Loss, x_range: tuple[float, float]) -> tuple[float, float]:
    """``(theta*, f''(theta*))`` at the global minimum in ``x_range``; a one-line ``ValueError``
    if there is none or the curvature there is not positive."""
    minima = [m for m in minima_1d(loss, x_range) if m[2] == "global"]
    if not minima:
        raise ValueError(f"loss {loss.name!r} has no minimum in [{x_range[0]:g}, {x_range[1]:g}]")
    x = minima[0][0]
    curvature = float(loss.hessian(np.array(x))[..., 0, 0])
    if not (np.isfinite(curvature) and curvature > 0):
        raise ValueError(f"loss {loss.name!r} has f'' = {curvature:g} at its minimum {x:g}; 2/f'' needs it positive")
    return float(x), curvature


@lesson("learning-rate-1d")
class LearningRate1DScene(CurveScene):
    """Learning rate on a quadratic curve: too small, about right, too large, beyond 2/f''(theta*)."""

    loss = "x^2"
    start: ClassVar[float | None] = 1.5
    #: Learning rates as fractions of ``2 / f''(theta*)``.
    fractions: ClassVar[tuple[float, ...]] = (0.05, 0.45, 0.9, 1.1)
    steps: ClassVar[int] = 25
    tol: ClassVar[float | None] = 1e-3
    explained_steps = 0

    @classmethod
    def descend(cls, loss: Loss) -> list[Run1D]:
        cls.check_start_1d(loss, cls.start)
        if not 1 <= len(cls.fractions) <= 4:
            raise ValueError(f"fractions must have 1 to 4 entries (one plot each), got {len(cls.fractions)}")
        for f in cls.fractions:
            if not (np.isfinite(f) and f > 0):
                raise ValueError(f"fractions must be positive numbers, got {f!r}")
        _, curvature = curvature_at_minimum(loss, cls.plot_range(loss))
        theme = get_theme(cls.theme)
        runs = []
        for i, fraction in enumerate(cls.fractions):
            lr = fraction * 2.0 / curvature
            t = run(loss, "gd", start=cls.start, lr=lr, steps=cls.steps, tol=cls.tol)
            runs.append(Run1D(float(t.hyperparams["lr"]), float(fraction), theme.series_color(i), t))
        return runs

    def construct(self) -> None:
        loss = self.get_loss()
        runs = self.runs = self.descend(loss)
        self.set_background()
        theme = self.colors
        x_range = self.plot_range(loss)
        x_star, curvature = curvature_at_minimum(loss, x_range)
        self.minimum = (x_star, float(loss.value(np.array(x_star))))
        self.threshold = 2.0 / curvature
        f_range = f_range_of(loss.value, x_range)
        tiles = self.tile_rects(len(runs))
        balls, parts, self.boxes = [], [], []
        for run_, rect in zip(runs, tiles):
            left, bottom, width, height = rect
            room_l, room_r, room_b, room_t = TILE_ROOM
            box = CurveBox(left + room_l, bottom + room_b, width - room_l - room_r, height - room_b - room_t, x_range, f_range)
            t = run_.trajectory
            last = int(t.stop_step[0])
            xs = t.points[: last + 1, 0, 0]
            axes = CurveAxes(box, theme, target_ticks=4)
            curve = curve_line(loss.value, box, theme.text, width=3.5)
            star = minimum_star(box, x_star, float(loss.value(np.array(x_star))))
            ball = CurveBall(box, loss.value, xs, t.gradients[: last + 1, 0, 0], run_.lr, theme, color=run_.color,
                             explain=False, trail=True, radius=0.11)
            self.fix(axes, curve, star, ball)
            parts.append((axes, curve, star))
            balls.append(ball)
            self.boxes.append(box)
        self.balls = balls
        self.tile_labels = self.tile_labels_for(runs, [p[0] for p in parts])
        self.fix(*self.tile_labels)
        legend = self.legend = self.make_legend(loss, runs, curvature)
        self.place_text(legend)
        clock_end = float(max(b.n_steps for b in balls))
        self.diverged_labels: list[Mobject | None] = [None] * len(runs)
        self.play_curve_lesson(balls, clock_end, {"axes": [p[0] for p in parts] + self.tile_labels,
                                             "curve": [p[1] for p in parts], "marks": [p[2] for p in parts],
                                             "text": [legend]})
        for i, ball in enumerate(balls):
            self.keep_fixed(legend.set_note(i, self.legend_note(i)))
            if ball.exits:
                tag = self.diverged_tag(ball, runs[i].color)
                self.fix(tag)
                self.diverged_labels[i] = tag
        self.hold()

    def make_legend(self, loss: Loss, runs: list[Run1D], curvature: float) -> Legend:
        """The text: title, the bound 2/f''(theta*), one row per run (its eta and share of the bound), the rule.
        Where that does not fit a stacked band at the type scale (a square frame's), a compact one (:meth:`compact_legend`)."""
        legend = self.full_legend(loss, runs, curvature)
        if self.layout.stacked and legend.height > self.layout.text_box[1] + 1e-9:
            return self.compact_legend(loss, runs, curvature)
        return legend

    def compact_legend(self, loss: Loss, runs: list[Run1D], curvature: float) -> Legend:
        """For a short band: each row its eta only (its share of the bound 2/f''(theta*) did not fit; the bound is
        in the footer, beside the rule)."""
        return Legend(
            latex_title(f"Learning rate on {loss_title(loss)}", loss),
            [(r.color, rf"\eta = {r.lr:.3g}") for r in runs], self.colors, width=self.layout.block_width,
            footer=[r"\theta_{k+1} = \theta_k - \eta\, f'(\theta_k)",
                    rf"\text{{converges if }} \eta < 2/f''(\theta^*) = {2.0 / curvature:.4g}",
                    rf"f''(\theta^*) = {curvature:.4g}\colon\ \text{{curvature at the minimum}}"],
        )

    def full_legend(self, loss: Loss, runs: list[Run1D], curvature: float) -> Legend:
        """The legend with every row's share of the bound and the bound under the title."""
        return Legend(
            latex_title(f"Learning rate on {loss_title(loss)}", loss),
            [(r.color, rf"\eta = {r.lr:.3g} = {r.fraction:g} \times 2/f''(\theta^*)") for r in runs], self.colors,
            width=self.layout.block_width,
            header=rf"\text{{converges if }} \eta < 2/f''(\theta^*) = {2.0 / curvature:.4g}",
            footer=[r"\theta_{k+1} = \theta_k - \eta\, f'(\theta_k)",
                    rf"f''(\theta^*) = {curvature:.4g}\colon\ \text{{curvature at the minimum}}"],
        )

    # -- layout -----------------------------------------------------------------------------
    def tile_rects(self, count: int) -> list[tuple[float, float, float, float]]:
        """The plots' rectangles: a 2 x 2 grid (a row of two, or one) in the layout's plot region."""
        left, bottom, width, height = self.plot_rect()
        cols = 1 if count == 1 else 2
        rows = 1 if count <= 2 else 2
        w, h = width / cols, height / rows
        return [(left + (i % cols) * w, bottom + (rows - 1 - i // cols) * h, w, h) for i in range(count)]

    def tile_labels_for(self, runs: list[Run1D], axes: list[CurveAxes]) -> list[Mobject]:
        """``eta = 0.05 = 0.05 x 2/f''`` in each run's colour above its plot, right-aligned: at the body
        size, or the caption size, or without the share of the bound, the first form that clears the f axis'
        name in every plot (the same form in all)."""
        both = r"\eta = {lr:.3g} = {fraction:g} \times 2/f''"
        forms = [(both, "body"), (both, "caption"), (r"\eta = {lr:.3g}", "body")]
        for tex, role in forms:
            labels = []
            for run_, a in zip(runs, axes):
                label = type_scale.math(tex.format(lr=run_.lr, fraction=run_.fraction), role, color=run_.color)
                label.move_to([a.lines[0].get_right()[0] - 0.15, a.f_name.get_center()[1], 0.0], aligned_edge=RIGHT)
                labels.append(label)
            if all(label.get_left()[0] > a.f_name.get_right()[0] + 0.3 for label, a in zip(labels, axes)):
                break
        return labels

    def diverged_tag(self, ball: CurveBall, color: str) -> Mobject:
        """"diverged" on a small card in the run's plot, above its minimum (inside the bowl the run left)."""
        box = ball.box
        text = type_scale.text("diverged", "caption", color=color)
        tag = VGroup(plate(text, self.colors, pad=(0.2, 0.16)), text)
        star = box.point(*self.minimum)[0]
        x = float(np.clip(star[0], box.left + tag.width / 2 + 0.1, box.left + box.width - tag.width / 2 - 0.1))
        y = float(np.clip(star[1] + 0.45 + tag.height / 2, box.bottom + tag.height, box.bottom + box.height - tag.height))
        return tag.move_to([x, y, 0.0])

    # -- words --------------------------------------------------------------------------------
    def legend_note(self, i: int) -> str:
        """How run ``i`` went, in a few words."""
        r, ball = self.runs[i], self.balls[i]
        t = r.trajectory
        status, step = str(t.status[0]), int(t.stop_step[0])
        if ball.exits:
            said = [f"diverged, left the plot at step {ball.exit_step}", f"left the plot at step {ball.exit_step}"]
        elif status == "diverged":
            said = [f"diverged at step {step}"]
        elif status == "converged":
            said = [f"converged at step {step}"]
        else:
            f = f"{type_scale.italic('f')} = {type_scale.number(float(t.losses[step, 0]), 2)}"
            said = [f"{f} after {step} steps", f"{f}, step {step}"]
        words = WORDS.get(r.fraction)
        forms = ([f"{words}: {said[0]}"] if words is not None else []) + said  # (the first that fits its column)
        for form in forms:
            if type_scale.text(form, "caption").width <= self.legend.note_width(i) + 1e-6:
                return form
        return forms[-1]

    def headline(self) -> str:
        return f"Learning rate on {loss_title(self.get_loss())}"

    def card_title(self) -> str:
        return "Learning rate"

    def describe_intro(self) -> str:
        rates = ", ".join(f"{r.lr:.3g}" for r in self.runs)
        return (f"Gradient descent on {loss_title(self.get_loss())} with learning rates {rates}; "
                f"it converges if eta < 2/f''(theta*) = {self.threshold:.4g}")

    def describe_steps(self, first: int, last: int) -> str:
        return f"Steps {first}-{last}" if first != last else f"Step {last}"

    def describe_result(self) -> str:
        return "; ".join(f"eta = {r.lr:.3g}: {self.legend_note(i)}" for i, r in enumerate(self.runs))


def minimum_star(box: CurveBox, x: float, f: float) -> Mobject:
    """A small star on the curve at the minimum (each tile's)."""
    from manim import Star

    from gdscenes.drawing.markers import STAR_FILL, STAR_RIM

    return Star(5, outer_radius=0.09, density=2, color=STAR_FILL, fill_opacity=1.0, stroke_color=STAR_RIM,
                stroke_width=1.5).move_to(box.point(x, f)[0])


__all__ = ["LearningRate1DScene", "Run1D", "curvature_at_minimum"]
