"""The model panel: the data and the current model (a line, or a sigmoid), in step with the balls.

Beside the cost surface J(theta0, theta1) of a data model
(:class:`gdscenes.core.data.DataLoss`), the panel plots the data (feature
against target, the axes named after the data's columns) and the model of
each run at its current iterate: ``h(x) = theta0 + theta1 x`` for linear
regression, ``sigma(theta0 + theta1 x)`` for logistic regression. Between two
iterates the parameters are interpolated linearly (the ball's floor shadow
moves the same way); at a whole step the model is exactly the trajectory's.
Optionally it draws the residuals (each point to the first run's model) and
highlights the samples of the current minibatch (the batch whose gradient
takes ``theta_k`` to ``theta_{k+1}``).

The panel computes nothing but the model's values at the trajectory's
parameters; the numbers it shows are the data's ticks. It never makes a
mobject after it is built (it re-draws its lines and re-colours its dots), so
it stays fixed in frame under both renderers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Dot, Mobject, VGroup

from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.landscape import nice_step, tick_text
from gdscenes.drawing.polyline import Polyline
from gdscenes.display.palette import Theme

__all__ = ["ModelPanel", "ModelRun", "DataNumbers", "plot_window", "model_values", "MODEL_LATEX"]

#: The model's formula, by data model name.
MODEL_LATEX = {
    "linear_regression": r"h_\theta(x) = \theta_0 + \theta_1 x",
    "logistic_regression": r"h_\theta(x) = \sigma(\theta_0 + \theta_1 x)",
}
#: Samples of the sigmoid drawn across the plot.
CURVE_SAMPLES = 120
#: In a compact :class:`DataNumbers`, the room kept for k's digits (body size).
K_ROOM = "000"
#: The plot's least height (frame units): a shorter card is built taller.
MIN_PLOT_HEIGHT = 0.8
#: Radius of a data point (frame units), and the opacity of the points outside the current batch.
DOT_RADIUS = 0.05
DIMMED = 0.3


@dataclass(frozen=True)
class ModelRun:
    """One run's parameters per step, ``(K + 1, 2)`` (intercept, slope), its colour and, for minibatch
    SGD, the sample rows of each step's batch, ``(K, B)`` with ``-1`` padding (see
    :func:`gdscenes.core.runner.batch_stream`)."""

    thetas: np.ndarray
    color: str
    batches: np.ndarray | None = None


def model_values(model: str, theta0: float, theta1: float, x: np.ndarray) -> np.ndarray:
    """``theta0 + theta1 x``, or its sigmoid for ``logistic_regression`` (overflow-free)."""
    z = theta0 + theta1 * np.asarray(x, dtype=float)
    if model == "logistic_regression":
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    return z


def _span(lo: float, hi: float, with_zero: bool) -> tuple[float, float, float]:
    """Tick-aligned ``(low, high, step)`` around ``[lo, hi]``; 0 included when it is near."""
    if with_zero and lo > 0 and lo <= (hi - lo):
        lo = 0.0
    if with_zero and hi < 0 and -hi <= (hi - lo):
        hi = 0.0
    if not hi > lo:
        lo, hi = lo - 0.5, hi + 0.5
    step = nice_step(hi - lo, 4)
    return float(np.floor(lo / step + 1e-9) * step), float(np.ceil(hi / step - 1e-9) * step), step


def plot_window(model: str, x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The plot's ``(low, high, tick step)`` on each axis: the data's range on tick marks, with 0
    where it is near (the intercept theta0 is the line's height at x = 0); ``[0, 1]`` for 0/1 targets."""
    xs = _span(float(np.min(x)), float(np.max(x)), True)
    if model == "logistic_regression":
        return xs, (0.0, 1.0, 0.5)
    return xs, _span(float(np.min(y)), float(np.max(y)), True)


class ModelPanel(VGroup):
    """A card with the model's formula, the data and each run's model, revealed with :meth:`set_time`.

    Parameters
    ----------
    model
        ``"linear_regression"`` or ``"logistic_regression"``.
    x, y
        The data (feature, target).
    columns
        The names of the feature and the target (the axes' names).
    runs
        One :class:`ModelRun` per ball; the first one's residuals are drawn.
    theme
        Colours.
    width, height
        Size of the card (frame units); text keeps the type scale's sizes.
    residuals
        Draw each point's residual to the first run's model.
    highlight
        Index of the run whose minibatches are highlighted (``None``: the first run with batches).
    source
        The data's name, written at the top right (``housing, m = 47``): beside the formula, else (a narrow
        panel) over the plot's right end, level with the target's name.
    short_source
        What is written instead where ``source`` fits in neither place (``m = 47``); nothing is shrunk.
    """

    def __init__(
        self, model: str, x: np.ndarray, y: np.ndarray, columns: tuple[str, str], runs: Sequence[ModelRun],
        theme: Theme, width: float = 5.0, height: float = 3.6, residuals: bool = False, highlight: int | None = None,
        source: str = "", short_source: str = "",
    ) -> None:
        super().__init__()
        if model not in MODEL_LATEX:
            raise ValueError(f"model must be one of {', '.join(MODEL_LATEX)}, got {model!r}")
        self.model, self.theme = model, theme
        self.x, self.y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.runs = list(runs)
        self.residuals = residuals
        batched = [i for i, r in enumerate(self.runs) if r.batches is not None]
        self.highlight = highlight if highlight is not None else (batched[0] if batched else None)
        (x0, x1, xstep), (y0, y1, ystep) = plot_window(model, self.x, self.y)
        if model == "logistic_regression":
            y0, y1 = -0.08, 1.08  # (the 0/1 points and the sigmoid's ends clear of the frame)
        self.window = ((x0, x1), (y0, y1))

        caption = type_scale.height("caption")
        inner = width - 2 * PAD
        formula = type_scale.math(MODEL_LATEX[model], "body", color=self.runs[0].color if len(self.runs) == 1 else theme.text)
        self.formula = formula
        # Room: the y ticks (left), the x ticks and the x name (below), the y name (above the plot).
        y_ticks = [v for v in np.arange(y0 if model != "logistic_regression" else 0.0, y1 + 1e-9, ystep)]
        tick_tex = {v: type_scale.math(tick_text(round(v, 10)), "caption", color=theme.muted) for v in y_ticks}
        left_room = max((t.width for t in tick_tex.values()), default=0.3) + 0.15
        names = (type_scale.text(columns[0], "caption", color=theme.text),
                 type_scale.text(columns[1], "caption", color=theme.text))
        for name in names:
            if name.width > inner - left_room:  # (a long column name from a CSV header)
                name.scale_to_fit_width(inner - left_room)
        plot_w = inner - left_room - 0.1
        plot_h = height - 2 * PAD - formula.height - 0.2 - names[1].height - 0.15 - 2.2 * caption - names[0].height - 0.15
        plot_h = max(plot_h, MIN_PLOT_HEIGHT)
        self.plot_size = (plot_w, plot_h)

        top_left = np.array([0.0, 0.0, 0.0])
        formula.move_to(top_left, aligned_edge=UP + LEFT)
        y_name = names[1].next_to(formula, DOWN, buff=0.2).align_to(formula, LEFT)
        origin = np.array([left_room, float(y_name.get_bottom()[1]) - 0.15 - plot_h, 0.0])
        self.origin = origin

        axes = Polyline(np.array([origin + [0, plot_h, 0], origin, origin + [plot_w, 0, 0]]), stroke_color=theme.axes,
                        stroke_width=2)
        y_name.shift((origin[0] - y_name.get_left()[0]) * RIGHT)
        self.source = type_scale.text(source, "caption", color=theme.muted) if source.strip() else Polyline()
        if source.strip():
            self.source = self._place_source(source, short_source, formula, y_name, origin[0] + plot_w, inner)
        ticks, labels = VGroup(), VGroup()
        for v in np.arange(x0, x1 + 1e-9, xstep):
            p = self.c2p(v, y0)
            ticks.add(Polyline(np.array([p, p + [0, -0.06, 0]]), stroke_color=theme.axes, stroke_width=2))
            labels.add(type_scale.math(tick_text(round(float(v), 10)), "caption", color=theme.muted)
                       .next_to(p, DOWN, buff=0.12))
        for v, tex in tick_tex.items():
            p = self.c2p(v, v)
            p[0] = origin[0]
            ticks.add(Polyline(np.array([p, p + [-0.06, 0, 0]]), stroke_color=theme.axes, stroke_width=2))
            labels.add(tex.next_to(p, LEFT, buff=0.1))
        x_name = names[0].next_to(origin + [plot_w / 2, 0, 0], DOWN, buff=0.22 + caption)

        inside = (self.x >= x0) & (self.x <= x1) & (self.y >= y0) & (self.y <= y1)
        self.shown_rows = np.flatnonzero(inside)
        self.dots = VGroup(*(Dot(self.c2p(self.x[i], self.y[i]), radius=DOT_RADIUS, color=theme.text, fill_opacity=0.9)
                             for i in self.shown_rows))
        self.row_dot = {int(i): d for i, d in zip(self.shown_rows, self.dots)}
        self.residual_lines = Polyline(stroke_color=theme.muted, stroke_width=1.5)
        self.curves = VGroup(*(Polyline(stroke_color=r.color, stroke_width=4) for r in self.runs))
        body = VGroup(formula, self.source, y_name, axes, ticks, labels, x_name, self.residual_lines, self.dots, self.curves)
        self.background = card(body, theme, width, extra_height=2 * PAD)
        self.add(self.background, body)
        self._origin_mob = axes  # (the plot moves with the panel: c2p reads the axes' corner)
        self._axes_width = float(axes.width)  # (and is scaled with it when a layout shrinks the text: c2p reads the ratio)
        self._batch_shown: tuple[int, int] | None = (-2, -2)
        self.set_time(0.0)

    def _place_source(self, source: str, short: str, formula: Mobject, y_name: Mobject, right: float, inner: float) -> Mobject:
        """Put the data's name at the plot's right end: beside the formula, else level with the target's name
        (``short`` where ``source`` fits neither); a name that fits nowhere is scaled down as a last resort."""
        for content in (source, short):
            if not content.strip():
                continue
            text = type_scale.text(content, "caption", color=self.theme.muted)
            if text.width <= inner - formula.width - 0.3:
                return text.align_to(formula, UP).shift((right - text.get_right()[0]) * RIGHT)
            if text.width <= right - y_name.get_right()[0] - 0.15:
                return text.align_to(y_name, DOWN).shift((right - text.get_right()[0]) * RIGHT)
        text = type_scale.text(source, "caption", color=self.theme.muted)
        text.scale_to_fit_width(max(inner - formula.width - 0.3, 0.5))
        return text.align_to(formula, UP).shift((right - text.get_right()[0]) * RIGHT)

    # -- coordinates ---------------------------------------------------------------
    def c2p(self, x: float | np.ndarray, y: float | np.ndarray) -> np.ndarray:
        """Frame point(s) of data coordinates ``(x, y)``, where the panel is now."""
        (x0, x1), (y0, y1) = self.window
        w, h = self.plot_size
        origin = self.origin
        if hasattr(self, "_origin_mob"):
            origin = self.plot_origin()
            scale = float(self._origin_mob.width) / self._axes_width
            w, h = w * scale, h * scale
        xs, ys = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        out = np.stack([origin[0] + (xs - x0) / (x1 - x0) * w, origin[1] + (ys - y0) / (y1 - y0) * h,
                        np.zeros_like(xs, dtype=float)], axis=-1)
        return out

    def plot_origin(self) -> np.ndarray:
        """The plot's lower-left corner in the frame (the axes' corner point)."""
        pts = np.asarray(self._origin_mob.get_anchors() if hasattr(self._origin_mob, "get_anchors") else self._origin_mob.points)
        # The axes run top of the y axis -> corner -> end of the x axis: the corner is the lowest-leftmost anchor.
        return pts[np.argmin(pts[:, 0] + pts[:, 1])]

    # -- the step clock ------------------------------------------------------------
    def theta_at(self, run: int, t: float) -> np.ndarray:
        """Run ``run``'s parameters at clock time ``t``: linear between whole steps, held at its last."""
        thetas = self.runs[run].thetas
        last = len(thetas) - 1
        s = float(np.clip(t, 0.0, last))
        k = min(int(np.floor(s)), last)
        if k >= last:
            return np.asarray(thetas[last], dtype=float)
        return thetas[k] + (s - k) * (thetas[k + 1] - thetas[k])

    def batch_at(self, t: float) -> np.ndarray | None:
        """The rows of the batch the highlighted run uses between steps ``k`` and ``k + 1`` (``None`` at its end)."""
        if self.highlight is None:
            return None
        run = self.runs[self.highlight]
        assert run.batches is not None
        last = len(run.thetas) - 1
        k = int(np.floor(max(t, 0.0)))
        if k >= last or k >= len(run.batches):
            return None
        rows = np.asarray(run.batches[k])
        return rows[rows >= 0]

    def segment(self, theta: np.ndarray) -> np.ndarray:
        """Frame points of the model at ``theta`` inside the plot window (empty if it misses it)."""
        (x0, x1), (y0, y1) = self.window
        if self.model == "logistic_regression":
            xs = np.linspace(x0, x1, CURVE_SAMPLES)
            return self.c2p(xs, model_values(self.model, theta[0], theta[1], xs))
        a, b = float(theta[0]), float(theta[1])
        lo, hi = x0, x1
        if abs(b) > 1e-12:  # the x where the line crosses the window's bottom and top
            xa, xb = sorted(((y0 - a) / b, (y1 - a) / b))
            lo, hi = max(lo, xa), min(hi, xb)
        elif not y0 <= a <= y1:
            return np.zeros((0, 3))
        if not hi > lo:
            return np.zeros((0, 3))
        xs = np.array([lo, hi])
        return self.c2p(xs, np.clip(a + b * xs, y0, y1))

    def set_time(self, t: float) -> ModelPanel:
        """Draw each run's model at clock time ``t``, the residuals and the current batch."""
        for i, curve in enumerate(self.curves):
            pts = self.segment(self.theta_at(i, t))
            if len(pts) >= 2:
                curve.set_points_as_corners(pts)
            else:
                curve.set_points(np.zeros((0, 3)))
        self._draw_residuals(t)
        self._colour_batch(t)
        return self

    def _draw_residuals(self, t: float) -> None:
        lines = self.residual_lines
        lines.clear_points()
        if not self.residuals or not len(self.shown_rows):
            return
        (_, _), (y0, y1) = self.window
        theta = self.theta_at(0, t)
        xs, ys = self.x[self.shown_rows], self.y[self.shown_rows]
        model = np.clip(model_values(self.model, theta[0], theta[1], xs), y0, y1)
        a, b = self.c2p(xs, ys), self.c2p(xs, model)
        for p, q in zip(a, b):
            if abs(p[1] - q[1]) > 1e-6:
                lines.start_new_path(p)
                lines.add_line_to(q)

    def _colour_batch(self, t: float) -> None:
        rows = self.batch_at(t)
        key = (-1, -1) if rows is None else (int(np.floor(max(t, 0.0))), 0)
        if key == self._batch_shown:
            return
        self._batch_shown = key
        if rows is None:
            for d in self.dots:
                d.set_fill(self.theme.text, opacity=0.9)
            return
        color = self.runs[self.highlight].color if self.highlight is not None else self.theme.text
        chosen = set(rows.tolist())
        for i, d in self.row_dot.items():
            if i in chosen:
                d.set_fill(color, opacity=1.0)
            else:
                d.set_fill(self.theme.text, opacity=DIMMED)


class DataNumbers(VGroup):
    """A data lesson's update card: title, the rule with its learning rate, and the live rows
    ``k``, ``theta_k``, the gradient used and ``J(theta_k)``; a status line once the run ends.

    Shorter than :class:`~gdscenes.drawing.panel.UpdatePanel` (no ``theta_{k+1}`` row: the
    line in the model panel and the ball show where the step goes), so the model panel under it
    keeps room. ``compact``: ``k`` at the title's right (three rows, for a short band).
    It only displays the numbers it is given (the trajectory's).
    """

    def __init__(self, title: str, rule_latex: str, theme: Theme, width: float = 5.0, batch: bool = False,
                 color: str | None = None, compact: bool = False) -> None:
        super().__init__()
        from gdscenes.drawing.glyphs import GlyphString
        from gdscenes.drawing.panel import rule_block

        self.theme = theme
        inner = width - 2 * PAD
        ball = color or theme.ball
        grad = r"\nabla J_{B_k}(\theta_k)" if batch else r"\nabla J(\theta_k)"
        self.title = type_scale.title(title, inner, theme.text)
        self.rule = rule_block(rule_latex.replace(r"\nabla f(\theta_k)", grad), inner, theme.text)
        rows = (("k", r"k =", theme.muted), ("theta", r"\theta_k =", ball), ("grad", grad + " =", theme.muted),
                ("loss", r"J(\theta_k) =", theme.muted))
        self.keys = [key for key, _, _ in rows]
        self.labels = VGroup(*(type_scale.math(tex, "body", color=c) for _, tex, c in rows))
        self.compact = compact
        scale = type_scale.math_scale("body")
        self.values = VGroup(*(GlyphString(c if key == "theta" else theme.text, scale) for key, _, c in rows))
        self.status = Polyline()
        buff = 0.9 * type_scale.height("body")
        if compact:  # (k at the title's right: three rows)
            step = self.labels[0]
            listed = VGroup(*self.labels[1:]).arrange(DOWN, aligned_edge=RIGHT, buff=0.7 * type_scale.height("body"))
            body = VGroup(self.title, self.rule, listed).arrange(DOWN, aligned_edge=LEFT, buff=buff)
            listed.shift(0.2 * RIGHT)
            right = float(body.get_left()[0]) + inner - 0.2 + PAD
            step.move_to(self.title[0].get_center()).shift((right - type_scale.math(K_ROOM, "body").width - 0.15
                                                            - step.get_right()[0]) * RIGHT)
            body.add(step)
        else:
            self.labels.arrange(DOWN, aligned_edge=RIGHT, buff=0.7 * type_scale.height("body"))
            body = VGroup(self.title, self.rule, self.labels).arrange(DOWN, aligned_edge=LEFT, buff=buff)
            self.labels.shift(0.2 * RIGHT)
        self.background = card(body, theme, width, extra_height=2 * PAD + 2.2 * type_scale.height("caption"))
        self.add(self.background, body, self.values, self.status)

    @staticmethod
    def compact_width(title: str, batch: bool = False) -> float:
        """The least width of a compact card whose text keeps its size: ``title`` and ``k`` (three digits) on one
        row, the gradient's row with two four-decimal entries."""
        def w(tex: str) -> float:
            return float(type_scale.math(tex, "body").width)

        grad = w(r"\nabla J_{B_k}(\theta_k) =" if batch else r"\nabla J(\theta_k) =")
        row_title = float(type_scale.title(title, 1e9, "#ffffff").width) + 0.4 + w("k =") + 0.15 + w(K_ROOM)
        row_grad = 0.2 + grad + 0.15 + w("(-0.000, -0.000)")
        return 2 * PAD + max(row_title, row_grad) + 0.2

    def show_step(self, k: int, theta: Sequence[float], grad: Sequence[float], loss: float) -> None:
        """Show step ``k``'s numbers: its iterate, the gradient the step used, and J there."""
        from gdscenes.drawing.glyphs import spell_number, spell_vector

        def shown(v: Sequence[float]) -> np.ndarray:  # (no "-0.000": a value that rounds to 0 is written 0)
            a = np.asarray(v, dtype=float)
            return np.where(np.abs(a) < 5e-4, 0.0, a)

        rows = [list(str(k)), spell_vector(shown(theta)), spell_vector(shown(grad)), spell_number(loss, decimals=4)]
        right = self.background.get_right()[0] - 0.2
        for label, slot, keys in zip(self.labels, self.values, rows):
            equals = label[0][-1]
            left = label.get_right() + 0.15 * RIGHT
            slot.spell(keys, left, equals.get_center()[1], max_width=right - left[0])

    def set_status(self, content: str) -> Polyline:
        """The status line under the rows (``converged at step 23``)."""
        new = type_scale.text(content, "caption", color=self.theme.muted)
        self.status.become(new.next_to(self.labels, DOWN, buff=0.8 * type_scale.height("body")).align_to(self.title, LEFT))
        return self.status
