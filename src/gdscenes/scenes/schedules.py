r"""Learning-rate schedules: constant, step decay and cosine annealing from one start, with the same noisy gradients.

Every ball follows :math:`\theta_{k+1} = \theta_k - \eta_k g_k` with the same
seeded gradient noise (:math:`g_k = \nabla f(\theta_k) + \sigma \xi_k`, the
picture of minibatch SGD), so the only difference is the schedule
:math:`\eta_k` (:mod:`gdscenes.core.schedules`, torch's rules and names). The
constant rate keeps bouncing around the minimum; the decaying ones take big
steps first and then settle. The panel's learning-rate plot
(:class:`~gdscenes.drawing.schedule_plot.SchedulePlot`) draws each
:math:`\eta_k` against the step, the current one marked; every number on
screen is read from the trajectories.

In a square frame's short band the legend and the learning-rate plot stand
side by side, both as tall as the band: the legend keeps each schedule's
formula, the rule and the noise (in its footer) under a shorter title, and
writes no notes (the plot marks each run's last rate, the picture where its
ball ended).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np
from manim import Mobject

from gdscenes.core.losses import Loss
from gdscenes.core.runner import run
from gdscenes.core.schedules import SCHEDULES, make_schedule
from gdscenes.core.trajectory import Trajectory
from gdscenes.display.palette import get_theme
from gdscenes.drawing import type_scale
from gdscenes.drawing.camera import Orbit
from gdscenes.drawing.card import PAD
from gdscenes.drawing.legend import Legend
from gdscenes.drawing.schedule_plot import SchedulePlot
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import SCHEDULE_CARD, loss_title
from gdscenes.scenes.registry import lesson

def schedule_formula(t: Trajectory) -> str:
    r"""LaTeX of the rate ``eta_k`` a trajectory used, with its numbers (``0.15 \cdot 0.3^{\lfloor k/10 \rfloor}``)."""
    lr = float(t.hyperparams["lr"])
    s = dict(t.schedule or {"name": "constant"})
    name = s.pop("name")
    if name == "constant":
        return f"{lr:g}"
    if name == "step":
        return rf"{lr:g} \cdot {float(s['gamma']):g}^{{\lfloor k / {int(s['step_size'])} \rfloor}}"
    if name == "exponential":
        return rf"{lr:g} \cdot {float(s['gamma']):g}^{{k}}"
    if name == "cosine":
        lo, period = float(s["eta_min"]), int(s["T_max"])
        wave = rf"{(lr - lo) / 2:.4g}\left(1 + \cos \tfrac{{\pi k}}{{{period}}}\right)"
        return rf"{lo:g} + {wave}" if lo else wave
    start, end, n = float(s["start_factor"]), float(s["end_factor"]), int(s["total_iters"])
    return rf"{lr:g}\left({start:.3g} + {end - start:.3g} \min(k, {n}) / {n}\right)"


#: The shortest plot of the learning-rate panel (frame units) in a stacked band (the base's is 1.5).
SHORTEST_PLOT = 1.25
#: Schedule options left ``None`` in a lesson's ``schedules``, from the run's number of steps.
FROM_STEPS: dict[str, Callable[[int], int]] = {"T_max": lambda n: n, "step_size": lambda n: max(n // 4, 1),
                                               "total_iters": lambda n: max(n // 4, 1)}
#: In a square frame: the legend's title, and the space between the legend and the plot beside it (frame units,
#: shorter side 8).
SQUARE_TITLE = "Learning-rate schedules"
SQUARE_GAP = 0.25
#: The legend's names of the schedules.
SHORT = {"constant": "constant", "step": "step decay", "exponential": "exponential", "cosine": "cosine", "linear": "warm-up"}


@lesson("schedules")
class SchedulesScene(ComparisonScene):
    """Constant, step-decay and cosine learning rates from one start with the same noisy gradients."""

    loss = "ill_conditioned"
    optimizer: ClassVar[str] = "gd"
    lr: ClassVar[float] = 0.15
    start: ClassVar[tuple[float, float] | None] = (-2.5, 1.2)
    #: ``(name, torch keyword options)`` per ball; an option left ``None`` follows the run's length
    #: (:data:`FROM_STEPS`: ``T_max`` is the whole run, ``step_size`` a quarter of it).
    schedules: ClassVar[tuple[tuple[str, dict[str, Any]], ...]] = (
        ("constant", {}),
        ("step", {"step_size": None, "gamma": 0.3}),
        ("cosine", {"T_max": None}),
    )
    #: Standard deviation of the gradient noise (per coordinate) and its seed: the same for every ball.
    noise: ClassVar[float] = 2.0
    seed: ClassVar[int | None] = 97
    steps = 40
    tol = None
    # (the legend and the learning-rate panel fill the text column; ``loss_curve = True`` adds the loss, shrinking the text)
    orbit = Orbit(phi=50.0)
    view_sizes = {"height": 1.6}

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        cls.check_start(loss, cls.start)
        theme = get_theme(cls.theme)
        runs = []
        for i, (name, options) in enumerate(cls.schedules):
            filled = {k: (FROM_STEPS.get(k, lambda n: n)(cls.steps) if v is None else v) for k, v in options.items()}
            schedule = make_schedule(name, **filled)  # (a bad name or option: one line naming it)
            t = run(loss, cls.optimizer, start=cls.start, lr=cls.lr, steps=cls.steps, tol=cls.tol, noise=cls.noise,
                    seed=cls.seed, schedule=None if schedule.name == "constant" else schedule)
            label = rf"\text{{{SHORT.get(schedule.name, schedule.name)}}}\colon\ \eta_k = {schedule_formula(t)}"
            runs.append(Run(label, theme.series_color(i), t))
        return runs

    def make_legend(self, loss: Loss, runs: list[Run]) -> Legend:
        """In a square frame, the compact legend beside the plot: a shorter title, each schedule's formula, the rule
        and the noise in the footer, no notes; as wide as its widest line, the plot taking the rest of the band."""
        if not self.layout.square:
            return super().make_legend(loss, runs)
        indent = 3.5 * 0.45 * type_scale.height("body")
        title = latex_title(self.title or SQUARE_TITLE)
        series = self.schedule_series()
        least = SchedulePlot([s[0] for s in series], [s[1] for s in series], self.colors, width=1.0).width if series else 0.0
        room = self.layout.block_width - (float(least) + SQUARE_GAP * self.layout.unit if series else 0.0) - 2 * PAD
        footer = self.square_footer(loss, runs, room)
        widest = max([type_scale.title(title, 1e9, self.colors.text).width]
                     + [indent + type_scale.math(r.label, "body").width for r in runs]
                     + [type_scale.math(line, "caption").width for line in footer])
        width = min(float(widest) + 2 * PAD + 0.02, self.layout.block_width)
        return Legend(title, [(r.color, r.label) for r in runs], self.colors, width=width, footer=footer,
                      max_height=self.layout.text_box[1], notes=False)

    def square_footer(self, loss: Loss, runs: list[Run], room: float) -> list[str]:
        """The compact legend's footer: the rule with the noisy gradient, then what k, xi_k and sigma are (the longest
        wording that is at most ``room`` wide)."""
        t = runs[0].trajectory
        rule = r"\theta_{k+1} = \theta_k - \eta_k\, g_k,\ g_k = \nabla f(\theta_k) + \sigma \xi_k"
        noise = rf"k\colon\ \text{{step}},\ \xi_k \sim \mathcal{{N}}(0, I),\ \sigma = {t.noise:g}"
        said = [rf"{noise},\ \text{{the same (seed {t.seed}) for all}}", rf"{noise},\ \text{{same seed {t.seed}}}",
                rf"{noise},\ \text{{seed {t.seed}}}"]
        return [rule, next((line for line in said if type_scale.math(line, "caption").width <= room), said[-1])]

    def make_schedule_plot(self, above: Sequence[Mobject] = ()) -> SchedulePlot | None:
        """The learning-rate panel; in a stacked band as tall as the band leaves under the legend (down to
        :data:`SHORTEST_PLOT`), so the legend above it keeps the type scale; in a square frame beside the legend,
        as tall as the band."""
        if self.layout.square and above and self.schedule_series():
            return self.square_schedule_plot(above[0])
        plot = super().make_schedule_plot(above)
        if plot is None or not self.layout.stacked:
            return plot
        _, room = self.layout.text_box
        left = room - sum(b.height + 0.25 for b in above) - 0.01
        if plot.height <= left:
            return plot
        asked = float(np.clip(room - sum(b.height + 0.25 for b in above) - SCHEDULE_CARD, 1.5, 2.2))  # (the base's)
        height = max(left - (float(plot.height) - asked), SHORTEST_PLOT)  # (the card is its plot and a constant more)
        series = self.schedule_series()
        for _ in range(3):  # (a rebuilt card may come out a little off: once more with the difference)
            plot = SchedulePlot([s[0] for s in series], [s[1] for s in series], self.colors, width=self.layout.block_width,
                                height=height, stops=[s[2] for s in series])
            if plot.height <= left or height <= SHORTEST_PLOT:
                break
            height = max(height - (float(plot.height) - left), SHORTEST_PLOT)
        self.schedule_follower = plot
        return plot

    def square_schedule_plot(self, legend: Mobject) -> SchedulePlot:
        """The learning-rate panel right of the legend, as wide as the band leaves and as tall as the band."""
        _, room = self.layout.text_box
        width = self.layout.block_width - float(legend.width) - SQUARE_GAP * self.layout.unit
        series = self.schedule_series()
        height = room - 1.0
        for _ in range(4):  # (the card is its plot and about a constant more: fit it to the band)
            plot = SchedulePlot([s[0] for s in series], [s[1] for s in series], self.colors, width=width,
                                height=height, stops=[s[2] for s in series])
            if room - 0.02 <= plot.height <= room:
                break
            height += room - 0.01 - float(plot.height)
        self.schedule_follower = plot
        return plot

    def heading(self, loss: Loss) -> str:
        return self.title or f"Learning-rate schedules on {loss_title(loss)}"

    def header(self, loss: Loss, runs: list[Run]) -> str:
        return r"\theta_{k+1} = \theta_k - \eta_k\, g_k,\quad g_k = \nabla f(\theta_k) + \sigma \xi_k"

    def footer(self, loss: Loss, runs: list[Run]) -> list[str]:
        t = runs[0].trajectory
        return [rf"k\colon\ \text{{step}},\ \xi_k \sim \mathcal{{N}}(0, I),\ \sigma = {t.noise:g}",
                rf"\text{{the same noise (seed {t.seed}) for every ball}}"]

    def legend_note(self, i: int, runs: list[Run]) -> str:
        """Where run ``i`` ended: its loss and the rate of its last step, from the trajectory."""
        r = runs[i]
        t, end = r.trajectory, r.end(self.view.domain)
        if r.exit(self.view.domain) is not None:
            return f"left the plot at step {end}"
        last_rate = float(t.lrs[max(end - 1, 0)]) if t.lrs is not None else float(t.hyperparams["lr"])
        loss, rate = type_scale.number(float(t.losses[end, r.index]), 3), type_scale.number(last_rate, 2)
        return f"{type_scale.italic('f')} = {loss}, last {type_scale.italic('η')} = {rate}"

    def note(self, i: int, runs: list[Run]) -> str:
        name = str((runs[i].trajectory.schedule or {"name": "constant"})["name"])
        return f"{SCHEDULES[name].label}: {self.legend_note(i, runs)}"

