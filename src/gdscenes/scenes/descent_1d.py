"""Gradient descent on a curve: f(x), the ball on it, the tangent at theta_k and the step.

The 1D picture lectures open with (3Blue1Brown's second neural-network chapter):
the loss as a curve over one parameter, the slope of its tangent at the current
iterate, and the step ``-eta f'(theta_k)`` taken along the x axis. The update rule's
symbols are coloured like what they name (theta_k like the ball, the step like its
arrow, the slope like the tangent) and its live numbers are the trajectory's.

:class:`CurveScene` is the base of the 1D lessons: a flat plot drawn in frame
coordinates (:mod:`gdscenes.drawing.curve_1d`), the voice pace, the opening, the
"x N" marker, sections and the progress bar of :class:`~gdscenes.scenes.lesson.LessonScene`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

import numpy as np
from manim import DOWN, LEFT, UP, FadeIn, Mobject, ValueTracker, VGroup, config, linear

from gdscenes.core.losses import Loss
from gdscenes.core.runner import run
from gdscenes.core.trajectory import Trajectory
from gdscenes.display import timeline as captions
from gdscenes.display import vision
from gdscenes.display.palette import MIN_SERIES_DIFFERENCE, Theme, get_theme
from gdscenes.drawing import type_scale
from gdscenes.drawing.curve_1d import CurveAxes, CurveBall, CurveBox, curve_line, curve_points, f_range_of, minimum_mark
from gdscenes.drawing.layout import MARGIN, Layout
from gdscenes.drawing.panel_1d import StepPanel1D
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.lesson import OPENING_CARD_FRAMES, LessonScene, Window, fade_in, loss_title, write_on
from gdscenes.scenes.registry import lesson

#: Height (frame units) kept free under the plot for the "x N" marker.
SPEED_MARKER_ROOM = 0.3
#: Room (frame units) the axes' labels take around the plot's box: left, right, bottom, top.
AXES_ROOM = (0.85, 0.75, 0.6, 0.75)


def minima_1d(loss: Loss, x_range: tuple[float, float], samples: int = 2001) -> list[tuple[float, float, str]]:
    """The minima of a 1D loss inside ``x_range``: ``(x, f, kind)``, the lowest ``"global"``.

    The loss's known minima if it has any there; else the interior minima of a fine
    sampling, each refined by Newton's method on ``f'`` with the exact ``f''``.
    """
    x0, x1 = x_range
    known = [(m.x, m.f, m.kind) for m in loss.minima if x0 <= m.x <= x1]
    if known:
        return known
    xs = np.linspace(x0, x1, samples)
    fs = np.asarray(loss.value(xs), dtype=float)
    found = []
    for i in range(1, samples - 1):
        if np.isfinite(fs[i]) and fs[i] <= fs[i - 1] and fs[i] < fs[i + 1]:
            x = float(xs[i])
            for _ in range(50):
                g = float(loss.gradient(np.array(x))[..., 0])
                h = float(loss.hessian(np.array(x))[..., 0, 0])
                if not (np.isfinite(g) and np.isfinite(h)) or h <= 0:
                    break
                new = min(max(x - g / h, x0), x1)
                if abs(new - x) < 1e-13:
                    break
                x = new
            found.append((x, float(loss.value(np.array(x))), "local"))
    if not found:
        return []
    best = min(range(len(found)), key=lambda j: found[j][1])
    return [(x, f, "global" if j == best else "local") for j, (x, f, _) in enumerate(found)]


class CurveScene(LessonScene):
    """The base of the 1D lessons (not a lesson itself): a loss in one parameter drawn as a curve."""

    loss = "0.5*(x - 1)^2"
    #: The x values the plot shows ``(xmin, xmax)``; ``None`` takes the loss's domain.
    x_range: ClassVar[tuple[float, float] | None] = None
    #: Steps at the voice's pace that draw the tangent, then the arrow, then hop (later ones all at once).
    explained_steps: ClassVar[int] = 3

    _loss_dim = 1
    _loss_shape = 'a curve over one parameter: write it in x alone, e.g. "(x - 1)^2"'

    # -- settings ------------------------------------------------------------------------
    @classmethod
    def plot_range(cls, loss: Loss) -> tuple[float, float]:
        if cls.x_range is not None:
            lo, hi = (float(v) for v in cls.x_range)
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise ValueError(f"x_range must be two finite numbers (xmin, xmax) with xmin < xmax, got {cls.x_range!r}")
            return lo, hi
        lo, hi = loss.domain[0]
        return float(lo), float(hi)

    @classmethod
    def check_start_1d(cls, loss: Loss, start: float | None) -> None:
        """A start must lie in the plotted range; ``ValueError`` naming it otherwise."""
        if start is None:
            return
        lo, hi = cls.plot_range(loss)
        if not (np.isfinite(start) and lo <= start <= hi):
            raise ValueError(f"start {start:g} is outside the plotted range [{lo:g}, {hi:g}] of {loss.name}")

    @classmethod
    def check(cls) -> Any:
        if not (isinstance(cls.explained_steps, int) and 0 <= cls.explained_steps <= 100):
            raise ValueError(f"explained_steps must be a whole number from 0 to 100, got {cls.explained_steps!r}")
        return super().check()

    def schedule_series(self) -> list[tuple[np.ndarray, str, int]]:
        """No learning-rate panel: the 1D lessons run plain gradient descent at a constant eta."""
        return []

    # -- the picture -----------------------------------------------------------------------
    def set_background(self) -> None:
        theme = self.colors = get_theme(self.theme)
        if hasattr(self.renderer, "background_color"):  # OpenGL
            self.renderer.background_color = theme.background
            # Every part is fixed in frame, one over another: none clears the picture behind its box.
            self.renderer.opaque_overlays = False
            if config.transparent:
                self.renderer._background_color = (*self.renderer.background_color[:3], 0.0)
        else:
            self.camera.background_color = theme.background
        self.layout = Layout.current()

    def plot_rect(self) -> tuple[float, float, float, float]:
        """Left, bottom, width and height of the plot's part of the frame (the layout's landscape region)."""
        cx, cy, width, height = self.layout.landscape_rect()
        low = SPEED_MARKER_ROOM  # (the "x N" marker's line, bottom right)
        return cx - width / 2, cy - height / 2 + low, width, height - low

    def make_box(self, x_range: tuple[float, float], f_range: tuple[float, float],
                 rect: tuple[float, float, float, float] | None = None) -> CurveBox:
        left, bottom, width, height = rect or self.plot_rect()
        room_l, room_r, room_b, room_t = AXES_ROOM
        return CurveBox(left + room_l, bottom + room_b, width - room_l - room_r, height - room_b - room_t, x_range, f_range)

    def fix(self, *mobjects: Mobject) -> None:
        """Add mobjects fixed in frame (the whole plot is drawn in frame coordinates)."""
        self.add_fixed_in_frame_mobjects(*mobjects)

    # -- the clock -------------------------------------------------------------------------
    def play_curve_lesson(self, balls: Sequence[CurveBall], last: float, opening: dict[str, list[Mobject]],
                          on_step: Callable[[int], None] | None = None, followers: Sequence[Any] = ()) -> None:
        """The opening (or a fade-in), then the step clock from 0 to ``last`` at the voice pace,
        with the "x N" marker, sections, captions and progress of :class:`LessonScene`.

        ``opening`` names what the opening builds: ``axes``, ``curve``, ``marks``, ``text``.
        """
        clock = ValueTracker(0.0)
        opening_seconds, step_seconds, self.hold_time = self.clip_timing(last)
        seconds, pacing = float(step_seconds.sum()), captions.clock(step_seconds, last)
        self.step_seconds = step_seconds
        if on_step is not None:
            on_step(0)
        fps = float(config.frame_rate)
        self.start_progress(captions.frames(opening_seconds, fps) + captions.frames(seconds, fps)
                            + captions.frames(self.hold_time, fps), int(np.ceil(last - 1e-9)))
        began = float(self.renderer.time)
        if self.sections:
            self.next_section("intro")
        intro = captions.frames(opening_seconds, fps)
        self.set_phase("opening")
        if self.intro:
            self.play_curve_opening(balls, opening, intro)
        else:
            self.play(*(FadeIn(b) for b in balls), run_time=captions.run_time(intro, fps))
        self.timeline = [captions.Cue("intro", began, began + intro / fps, self.describe_intro())]
        self.play_clock(clock, balls, last, step_seconds, pacing, on_step, followers)

    def opening_card(self) -> Mobject:
        """The title and ``f(x) = ...``, written first, where the text goes (the plot keeps its room)."""
        loss = self.get_loss()
        width = self.layout.block_width
        title = type_scale.title(latex_title(self.card_title(), loss), width, self.colors.text)
        parts: list[Mobject] = [title]
        if getattr(loss, "latex", None):
            formula = type_scale.math(rf"f(x) = {loss.latex}", "title", color=self.colors.text)
            if formula.width > width:
                formula = type_scale.math(rf"f(x) = {loss.latex}", "body", color=self.colors.text)
            parts.append(formula)
        card = VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        corner, _ = self.layout.text_box
        return card.move_to(corner, aligned_edge=UP + LEFT)

    def play_curve_opening(self, balls: Sequence[CurveBall], parts: dict[str, list[Mobject]], n_frames: int) -> None:
        """Build the picture in ``n_frames``: title and formula written, axes in, the curve drawn,
        the minimum marked, the balls placed, the rule (the text) written. Frame 0 shows only
        the background."""
        fps = float(config.frame_rate)
        text = [t for t in parts.get("text", []) if t in self.mobjects]
        self.remove(*text)
        card = self.opening_card() if n_frames >= OPENING_CARD_FRAMES else None
        windows: list[Any] = []
        if card is not None:
            self.fix(card)
            self.remove(card)
            windows.append(Window(write_on(card), 0.0, 0.22))
        for m in parts.get("axes", []):
            windows.append(Window(fade_in(m), 0.12, 0.3))
        for m in parts.get("curve", []):
            windows.append(Window(write_on(m), 0.25, 0.55))
        for m in parts.get("marks", []):
            windows.append(Window(fade_in(m), 0.55, 0.68))
        for b in balls:
            windows.append(Window(fade_in(b), 0.66, 0.8))
        first = n_frames if card is None else max(1, round(0.84 * n_frames))
        if card is None:
            windows.extend(Window(write_on(t), 0.84, 1.0) for t in text)
        self.play(*windows, run_time=captions.run_time(first, fps), rate_func=linear)
        if card is not None:
            rest = n_frames - first
            if rest > 0:
                self.play(fade_in(card, out=True), *(Window(write_on(t), 0.35, 1.0) for t in text),
                          run_time=captions.run_time(rest, fps), rate_func=linear)
            else:
                self.remove(card)
                self.add(*text)

    def headline(self) -> str:
        return f"Gradient descent on {loss_title(self.get_loss())}"

    def card_title(self) -> str:
        """The opening card's first line (the formula follows it)."""
        return "Gradient descent"


def step_colours(theme: Theme) -> dict[str, str]:
    """The ball's, the step arrow's and the tangent's colours: the arrow takes the second series colour, the
    tangent the first later one that stays apart from both under every colour-vision deficiency."""
    ball, arrow = theme.ball, theme.series_color(1)
    tangent = next((c for c in (theme.series_color(i) for i in range(2, len(theme.series)))
                    if min(vision.worst_difference(c, ball), vision.worst_difference(c, arrow)) >= MIN_SERIES_DIFFERENCE),
                   theme.series_color(2))
    return {"ball": ball, "tangent": tangent, "arrow": arrow}


@lesson("descent-1d")
class Descent1DScene(CurveScene):
    """Gradient descent on a curve f(x): the tangent's slope at theta_k and the step -eta f'(theta_k)."""

    loss = "x^4/10 + (x - 1)^2/2"
    lr: ClassVar[float] = 0.15
    #: The start theta_0; ``None`` takes the loss's default start.
    start: ClassVar[float | None] = -2.6
    steps: ClassVar[int] = 40
    #: Stop once |f'(theta_k)| falls below this (``None``: run all steps).
    tol: ClassVar[float | None] = 1e-3
    #: In a square frame, the plot's least share of the frame's height: the panel's band is 3.3 tall (its rows,
    #: the rule and what its symbols mean, side by side at the type scale) and the plot keeps a third of the frame.
    square_share: ClassVar[float] = 0.5125

    @classmethod
    def descend(cls, loss: Loss) -> Trajectory:
        """The run this lesson shows (one start, inside the plotted range)."""
        cls.check_start_1d(loss, cls.start)
        return run(loss, "gd", start=cls.start, lr=cls.lr, steps=cls.steps, tol=cls.tol)

    def set_background(self) -> None:
        super().set_background()
        if self.layout.square:
            self.layout = replace(self.layout, square_share=self.square_share)

    def construct(self) -> None:
        loss = self.get_loss()
        trajectory = self.trajectory = self.descend(loss)
        self.set_background()
        theme = self.colors
        x_range = self.plot_range(loss)
        last = int(trajectory.stop_step[0])
        xs = trajectory.points[: last + 1, 0, 0]
        minima = minima_1d(loss, x_range)
        box = self.box = self.make_box(x_range, f_range_of(loss.value, x_range, trajectory.losses[: last + 1, 0]))
        colors = step_colours(theme)
        axes = CurveAxes(box, theme)
        curve = curve_line(loss.value, box, theme.text, width=4.5)
        lr = float(trajectory.hyperparams["lr"])
        lrs = np.asarray(trajectory.lrs[:last], dtype=float) if last and trajectory.lrs is not None else np.full(max(last, 1), lr)
        ball = CurveBall(box, loss.value, xs, trajectory.gradients[: last + 1, 0, 0], lrs, theme,
                         tangent_color=colors["tangent"], arrow_color=colors["arrow"], slow_steps=self.explained_steps)
        marks = [minimum_mark(box, x, f, theme, kind, avoid=np.vstack([*curve_points(loss.value, box), *ball.arcs,
                                                                      ball.iterates]))
                 for x, f, kind in minima if box.contains(box.point(x, f))[0]]
        shown = ball.n_steps
        self.exits = ball.exit_step
        panel = self.panel = self.make_panel(loss, None)
        self.fix(axes, curve, *marks, ball)
        self.place_text(panel)
        self.ball, self.axes, self.curve, self.minimum_marks = ball, axes, curve, marks

        def show(k: int) -> None:
            k = min(k, shown - 1) if self.exits is not None else min(k, last)
            nxt = float(xs[k + 1]) if k < last else None
            eta = float(lrs[min(k, len(lrs) - 1)])
            slope = float(trajectory.gradients[k, 0, 0])
            panel.show_step(k, float(xs[k]), float(trajectory.losses[k, 0]), slope, eta,
                            -eta * slope if nxt is not None else None, nxt)
            panel.shown_step = k

        self.play_curve_lesson([ball], float(shown), {"axes": [axes], "curve": [curve], "marks": marks, "text": [panel]},
                               on_step=show)
        self.keep_fixed(panel.set_status(self.describe_result()))
        self.hold()

    # -- captions ----------------------------------------------------------------------------
    def describe_intro(self) -> str:
        t = self.trajectory
        return (f"Gradient descent on {loss_title(self.get_loss())}, learning rate {float(t.hyperparams['lr']):g}, "
                f"start {float(t.points[0, 0, 0]):g}, loss {type_scale.number(float(t.losses[0, 0]))}")

    def describe_steps(self, first: int, last: int) -> str:
        return captions.describe_steps(self.trajectory, first, last, exit_step=self.exits)

    def describe_result(self) -> str:
        t = self.trajectory
        status, step = str(t.status[0]), int(t.stop_step[0])
        if self.exits is not None:
            return f"diverged: left the plot at step {self.exits}"
        x = float(t.points[step, 0, 0])
        if status == "converged":
            return f"converged at step {step}: {type_scale.italic('θ')} = {type_scale.number(x)}"
        if status == "diverged":
            return f"diverged at step {step}"
        return f"after {step} steps: {type_scale.italic('θ')} = {type_scale.number(x)}"

    def make_panel(self, loss: Loss, optimizer: Any) -> StepPanel1D:
        """The panel (for the type-scale checks)."""
        theme = self.colors
        colors = step_colours(theme)
        wide = self.layout.stacked and not self.layout.portrait  # (a square frame: a wide, low band of text)
        return StepPanel1D("Gradient descent", theme, colors,
                           width=self.layout.width - 2 * MARGIN if wide else self.layout.block_width,
                           formula=rf"f(x) = {loss.latex}" if getattr(loss, "latex", None) else None,
                           columns=2 if wide else 1)


__all__ = ["CurveScene", "Descent1DScene", "minima_1d"]
