r"""Learning rate against step: the schedule's :math:`\eta_k` curve, with the current rate marked.

The curve plots the trajectory's own rates (``Trajectory.lrs``: :math:`\eta_k`
of update ``k``, nothing recomputed), point ``(k, eta_k)`` for every update.
The whole plan is drawn faint from the start; the part already used is drawn
solid, and a dot marks the rate of the step under way, moving with the step
clock (:meth:`SchedulePlot.set_time`). Several runs share the axes, one
colour each (the lesson's legend names them). The axes, the title and the
card are the loss plot's (:mod:`gdscenes.drawing.loss_plot`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, Dot, VGroup

from gdscenes.display.palette import Theme
from gdscenes.drawing.card import PAD, card
from gdscenes.drawing.loss_plot import panel_title, step_axes, trace
from gdscenes.drawing.polyline import Polyline

__all__ = ["SchedulePlot", "varies", "MARKER_RADIUS"]

#: Radius of the dot marking the current rate (frame units).
MARKER_RADIUS = 0.085
#: Opacity of the part of the plan not yet used.
PLAN_OPACITY = 0.35


def varies(rates: np.ndarray | None) -> bool:
    """Whether a run's learning rate changes from step to step (a schedule other than constant)."""
    if rates is None or len(rates) < 2:
        return False
    r = np.asarray(rates, dtype=float)
    return bool(np.any(r != r[0]))


def _tick(value: float) -> str:
    return f"{value:.3g}" if 1e-3 <= abs(value) < 1e4 else f"{value:.1e}".replace("e", r"\cdot 10^{") + "}"


#: The narrowest card (frame units, shorter side 8) whose step axis keeps its labels ("0", "step", the last
#: step) apart; a narrower one is asked for, this is made (a square frame's legend takes the rest of the band).
NARROWEST = 2.4


class SchedulePlot(VGroup):
    """The learning rate of each run against the step, on shared axes; :meth:`set_time` moves the markers.

    Parameters
    ----------
    rates
        One array per run: :math:`\\eta_k` of its updates ``k = 0 .. n - 1`` (``Trajectory.lrs``).
    colors
        One colour per run.
    stops
        The step each run's ball stops at (its marker stops there too); default: its last update.
    """

    def __init__(
        self,
        rates: Sequence[np.ndarray],
        colors: Sequence[str],
        theme: Theme,
        width: float = 5.0,
        height: float = 2.2,
        stops: Sequence[float] | None = None,
    ) -> None:
        super().__init__()
        width = max(width, NARROWEST)
        self.rates = [np.asarray(r, dtype=float) for r in rates]
        if not self.rates or any(len(r) == 0 for r in self.rates):
            raise ValueError("a schedule plot needs at least one rate per run")
        finite = np.concatenate([r[np.isfinite(r)] for r in self.rates] + [np.zeros(1)])
        top_rate = float(np.max(finite))
        top = top_rate * 1.15 if top_rate > 0 else 1.0
        self.top = top
        steps = max(max(len(r) for r in self.rates), 1)  # (the step axis of the loss panel: 0 to the last iterate)
        self.steps = steps
        self.stops = [float(len(r) - 1) if s is None else float(min(s, len(r) - 1))
                      for r, s in zip(self.rates, stops if stops is not None else [None] * len(self.rates))]
        self.colors = list(colors)
        self.axes, ticks, names = step_axes(
            steps, top, theme, width, height, y_ticks=[("0", 0.0), (_tick(top_rate), top_rate)],
        )
        # (a narrow card, beside a square frame's legend: the shorter title, and the card grows to hold it at least)
        title = panel_title(r"\textbf{learning rate}", r"\eta_k", theme)
        if title.width > width - 2 * PAD:
            title = panel_title(r"\textbf{rate}", r"\eta_k", theme)
        # (values past the axes' top, an overflowing schedule's, are drawn at the top)
        self.ys = [np.clip(np.nan_to_num(r, nan=0.0, posinf=top), 0.0, top) for r in self.rates]
        self.plans = VGroup()
        for y, c in zip(self.ys, self.colors):
            plan = Polyline(stroke_color=c, stroke_width=3, stroke_opacity=PLAN_OPACITY)
            trace(self.axes, y, float(len(y) - 1), plan)
            self.plans.add(plan)
        self.curves = VGroup(*(Polyline(stroke_color=c, stroke_width=4) for c in self.colors))
        self.markers = VGroup(*(Dot(radius=MARKER_RADIUS, color=c, stroke_color=theme.text, stroke_width=1.5)
                                for c in self.colors))
        body = VGroup(title, VGroup(self.axes, ticks, names, self.plans, self.curves, self.markers))
        body.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.background = card(body, theme, max(width, body.width + 2 * PAD), extra_height=0.45)  # (a title never past its edge)
        self.add(self.background, body)
        self.set_time(0.0)

    def point(self, run: int, k: float) -> np.ndarray:
        """Where rate ``eta_k`` of run ``run`` lies in the plot (frame coordinates), ``k`` a whole step."""
        k = int(np.clip(k, 0, len(self.ys[run]) - 1))
        return np.asarray(self.axes.c2p(float(k), float(self.ys[run][k])))

    def set_time(self, t: float) -> SchedulePlot:
        """Draw each run's used rates up to step ``t`` and mark the rate of the step under way."""
        for y, curve, marker, stop in zip(self.ys, self.curves, self.markers, self.stops):
            trace(self.axes, y, min(float(t), stop), curve, marker)
        return self

