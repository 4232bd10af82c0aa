"""Loss against step: a panel that any lesson can add, drawn in step with the balls.

The curve plots the trajectory's own loss values (nothing is recomputed);
on a log scale it plots ``f - f*`` (``f*`` the known global minimum, or the
smallest value shown). Values above the top of the axes are drawn at the
top, so a diverging run reads as a line leaving upwards.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, Axes, Dot, Mobject, VGroup

from gdscenes.drawing.card import card
from gdscenes.drawing.landscape import nice_step
from gdscenes.drawing.polyline import Polyline
from gdscenes.drawing import type_scale
from gdscenes.display.palette import Theme

#: Smallest ``f - f*`` drawn on a log scale.
LOG_FLOOR = 1e-8


class LossCurve(VGroup):
    """Loss curves of several runs on shared axes, revealed with :meth:`set_time`.

    Parameters
    ----------
    losses
        One array per run: its losses from step 0 to its last step.
    colors
        One colour per run.
    log
        Plot ``f - f*`` on a log scale.
    f_star
        The minimum value for the log scale (default: the smallest shown).
    """

    def __init__(
        self,
        losses: Sequence[np.ndarray],
        colors: Sequence[str],
        theme: Theme,
        width: float = 5.0,
        height: float = 2.4,
        log: bool = False,
        f_star: float | None = None,
    ) -> None:
        super().__init__()
        self.losses = [np.asarray(v, dtype=float) for v in losses]
        steps = max(max(len(v) - 1 for v in self.losses), 1)
        starts = np.array([v[0] for v in self.losses])
        if log:
            ref = min(float(np.nanmin(np.concatenate(self.losses))), f_star if f_star is not None else np.inf)
            ys = [np.log10(np.maximum(v - ref, LOG_FLOOR)) for v in self.losses]
            lo = float(np.floor(min(np.min(y) for y in ys)))
            hi = float(np.ceil(np.max(np.log10(np.maximum(starts - ref, LOG_FLOOR))) + 0.3))
            y_label = r"f - f^{*}"
        else:
            ys = list(self.losses)
            lo = min(0.0, float(min(np.min(v) for v in ys)))
            hi = float(np.max(starts)) * 1.15 if np.max(starts) > 0 else 1.0
            y_label = "f"
        hi = max(hi, lo + 1e-9)
        # Axes run from 0 so the step axis sits at the bottom; ticks name the real values.
        self.ys = [np.clip(y, lo, hi) - lo for y in ys]
        self.colors = list(colors)
        self.axes, ticks, names = step_axes(
            steps, hi - lo, theme, width, height,
            y_ticks=[(f"10^{{{int(round(y))}}}" if log else f"{y:.3g}", y - lo) for y in (lo, hi)],
        )
        title = panel_title(r"\textbf{loss}", y_label, theme)
        self.curves = VGroup(*(Polyline(stroke_color=c, stroke_width=3) for c in self.colors))
        self.heads = VGroup(*(Dot(radius=0.05, color=c) for c in self.colors))
        body = VGroup(title, VGroup(self.axes, ticks, names, self.curves, self.heads)).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.background = card(body, theme, width, extra_height=0.45)
        self.add(self.background, body)
        self.set_time(0.0)

    def set_time(self, t: float) -> LossCurve:
        """Draw every run up to step ``t`` (each stops at its own last step)."""
        for y, curve, head in zip(self.ys, self.curves, self.heads):
            trace(self.axes, y, t, curve, head)
        return self


def panel_title(name: str, symbol: str, theme: Theme) -> VGroup:
    """A plot panel's title: ``name`` (LaTeX text, body size) and the plotted symbol (math, caption size)."""
    return VGroup(
        type_scale.latex(name, "body", color=theme.text), type_scale.math(symbol, "caption", color=theme.muted)
    ).arrange(RIGHT, buff=0.25)


def step_axes(
    steps: int, top: float, theme: Theme, width: float, height: float, y_ticks: Sequence[tuple[str, float]],
    x_name: str = r"\text{step}",
) -> tuple[Axes, VGroup, VGroup]:
    """Axes of a quantity against the step, sized for a ``width`` x ``height`` card: ``x`` from 0
    to ``steps``, ``y`` from 0 to ``top``; the step ticks 0 and ``steps``, the ``y_ticks``
    (``(LaTeX, y)`` pairs), and the step axis' name. Returns ``(axes, ticks, names)``."""
    plot_w, plot_h = width - 1.3, height - 0.9
    axes = Axes(
        x_range=(0, steps, nice_step(steps)), y_range=(0, top, nice_step(top)),
        x_length=plot_w, y_length=plot_h, tips=False,
        axis_config={"color": theme.axes, "stroke_width": 2, "include_ticks": True, "tick_size": 0.04},
    )
    ticks = VGroup()
    for x in (0, steps):
        ticks.add(type_scale.math(str(x), "caption", color=theme.muted).next_to(axes.c2p(x, 0), DOWN, buff=0.1))
    for tex, y in y_ticks:
        ticks.add(type_scale.math(tex, "caption", color=theme.muted).next_to(axes.c2p(0, y), LEFT, buff=0.1))
    names = VGroup(type_scale.math(x_name, "caption", color=theme.muted).next_to(axes.c2p(steps / 2, 0), DOWN, buff=0.12))
    return axes, ticks, names


def trace(axes: Axes, y: np.ndarray, t: float, curve: Polyline, head: Mobject | None = None) -> np.ndarray:
    """Draw ``curve`` through ``(k, y[k])`` up to step ``t`` (linear between whole steps, stopping
    at the last value) and put ``head`` at its end; returns that end point."""
    last = len(y) - 1
    s = float(np.clip(t, 0.0, last))
    k = int(s)
    xs = np.arange(k + 1, dtype=float)
    vals = np.asarray(y[: k + 1], dtype=float)
    if s > k and k < last:
        xs = np.append(xs, s)
        vals = np.append(vals, y[k] + (y[k + 1] - y[k]) * (s - k))
    points = np.asarray(axes.c2p(xs, vals)).T  # (manim maps arrays of coordinates at once)
    curve.set_points_as_corners(points if len(points) > 1 else np.vstack([points, points]))
    if head is not None:
        head.move_to(points[-1])
    return np.asarray(points[-1])
