"""A ball rolling down a loss surface, one optimizer step at a time.

The lesson, top to bottom: the landscape is built on screen, the ball hops
from iterate to iterate (or rolls, ``motion = "roll"``) while the panel shows
each step's numbers, and the outcome (converged, diverged, out of steps) is
written under them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from gdscenes.core.outcomes import exit_step
from gdscenes.display.timeline import describe_steps
from gdscenes.core.runner import run
from gdscenes.drawing.ball import RollingBall
from gdscenes.drawing.landscape import type_key
from gdscenes.drawing.layout import Layout
from gdscenes.drawing.panel import UpdatePanel
from gdscenes.drawing import reuse as kept
from gdscenes.core.losses import Loss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.lesson import LessonScene, loss_title, outcome
from gdscenes.core.trajectory import Trajectory
from gdscenes.scenes.registry import lesson


@lesson("descent")
class DescentScene(LessonScene):
    """Gradient descent (or another optimizer) on a loss surface in 3D.

    Vary a lesson by subclassing and changing class attributes::

        class AdamOnRosenbrock(DescentScene):
            loss = "rosenbrock"
            optimizer = "adam"
            lr = 0.05
    """

    optimizer: ClassVar[str] = "gd"
    lr: ClassVar[float | None] = 0.01
    #: Optimizer hyperparameters besides ``lr`` (``momentum``, ``betas``, ...).
    hyperparams: ClassVar[dict[str, Any]] = {}
    #: Start point; ``None`` takes the loss's default start.
    start: ClassVar[tuple[float, float] | None] = None
    steps: ClassVar[int] = 40
    #: Stop once the gradient norm falls below this (``None``: run all steps).
    tol: ClassVar[float | None] = 1e-3
    #: Learning-rate schedule (:mod:`gdscenes.core.schedules`: ``step``, ``exponential``, ``cosine``,
    #: ``linear``; ``None`` keeps ``lr``), with its torch keyword options (``{"T_max": 40}``).
    schedule: ClassVar[str | None] = None
    schedule_options: ClassVar[dict[str, Any]] = {}

    # -- the numbers ---------------------------------------------------------
    @classmethod
    def descend(cls, loss: Loss) -> Trajectory:
        """The trajectory this scene animates (one start, which must lie in the drawn domain)."""
        cls.check_start(loss, cls.start)
        return run(loss, cls.optimizer, start=cls.start, lr=cls.lr, steps=cls.steps, tol=cls.tol,
                   **cls.schedule_arguments(), **cls.run_options(), **cls.hyperparams)

    @classmethod
    def schedule_arguments(cls) -> dict[str, Any]:
        """``schedule`` and ``schedule_options`` for :func:`~gdscenes.core.runner.run` when a schedule is set."""
        if not cls.schedule:
            return {}
        return {"schedule": cls.schedule, "schedule_options": dict(cls.schedule_options) or None}

    @classmethod
    def run_options(cls) -> dict[str, Any]:
        """More arguments of :func:`gdscenes.core.runner.run` (lessons add gradient noise and its seed)."""
        return {}

    # -- the lesson ----------------------------------------------------------
    def construct(self) -> None:
        loss = self.get_loss()
        trajectory = self.trajectory = self.descend(loss)
        view = self.build_landscape(loss)
        theme = self.colors
        optimizer = OPTIMIZERS[trajectory.optimizer]
        lr = float(trajectory.hyperparams["lr"])  # every number on screen comes from the trajectory
        exits = exit_step(trajectory, view.domain)
        shown = int(trajectory.stop_step[0]) if exits is None else exits
        extras = self.decorate(loss)

        ball = RollingBall(view, trajectory.points[: shown + 1, 0], theme, exit_step=exits, motion=self.motion,
                           arrows=-step_rates(trajectory, lr)[:shown, None] * self.step_gradients(trajectory)[:shown, 0])
        panel = self.make_panel(loss, optimizer)
        below = self.below_panel(loss, trajectory, shown, panel)
        self.place_text(panel, below)
        self.panel, self.ball, self.exits = panel, ball, exits

        def show(k: int) -> None:
            # An exiting run shows the numbers up to its last iterate inside the plot.
            k = min(k, shown - 1) if exits is not None else k
            self._show_step(panel, trajectory, lr, k, int(trajectory.stop_step[0]))

        self.roll([ball], float(shown), on_step=show, followers=[*extras, *([below] if below else [])])
        self.keep_fixed(panel.set_status(self.status(trajectory, exits)))
        self.hold()

    # -- captions -------------------------------------------------------------
    def headline(self) -> str:
        return f"{OPTIMIZERS[self.optimizer].label} on {loss_title(self.get_loss())}"

    def describe_intro(self) -> str:
        t = self.trajectory
        x, y = (float(v) for v in t.points[0, 0])
        return (f"{OPTIMIZERS[t.optimizer].label} on {loss_title(self.get_loss())}, "
                f"learning rate {float(t.hyperparams['lr']):g}, start ({x:g}, {y:g}), loss {float(t.losses[0, 0]):.4g}")

    def describe_steps(self, first: int, last: int) -> str:
        return describe_steps(self.trajectory, first, last, exit_step=self.exits)

    def describe_result(self) -> str:
        return outcome(self.trajectory, exit_step=self.exits)

    def decorate(self, loss: Loss) -> list[Any]:
        """Hook for lessons that draw more on the landscape (e.g. a saddle point).

        Returns the mobjects that follow the step clock (they have ``set_time``).
        """
        return []

    def step_gradients(self, trajectory: Trajectory) -> np.ndarray:
        """The gradient each step used, shape ``(steps + 1, starts, 2)`` (its arrow is ``-eta_k`` times it)."""
        return trajectory.gradients

    def below_panel(self, loss: Loss, trajectory: Trajectory, shown: int, panel: Any) -> Any:
        """The block under the panel, following the step clock (the loss curve, if the lesson has one), or None."""
        return self.make_loss_curve([trajectory.losses[: shown + 1, 0]], [self.colors.ball], loss, above=panel)

    def status(self, trajectory: Trajectory, exits: int | None) -> str:
        """The panel's last line: how the run ended."""
        return outcome(trajectory, exit_step=exits)

    def make_panel(self, loss: Loss, optimizer: Any) -> Any:
        """The text block whose ``show_step`` numbers follow the ball (lessons may override)."""
        return self.update_panel(loss, optimizer, width=self.layout.block_width)

    def update_panel(self, loss: Loss, optimizer: Any, **options: Any) -> UpdatePanel:
        """The update panel of ``optimizer`` on ``loss`` (its title and rule, its constants' values on the lines
        that name them); ``options`` go to :class:`UpdatePanel`."""
        lines = with_constants(optimizer.rule_latex_lines, self.trajectory.hyperparams)
        title, rule = latex_title(f"{optimizer.label} on {loss_title(loss)}", loss), r" \\ ".join(lines)
        try:  # (a warm process builds a panel once and gives each render a copy: gdscenes.drawing.reuse)
            made = kept.key("update panel", title, rule, self.colors, options, Layout.current(), type_key())
        except TypeError:  # (an option that cannot be keyed: built every time)
            return UpdatePanel(title, rule, self.colors, **options)
        return kept.reuse(made, lambda: UpdatePanel(title, rule, self.colors, **options))

    # -- helpers -------------------------------------------------------------
    def row_values(self, k: int, last: int) -> list[list[str]]:
        """Glyph keys of the panel's extra rows at step ``k`` (lessons with extra rows override)."""
        return []

    def _show_step(self, panel: UpdatePanel, trajectory: Trajectory, lr: float, k: int, last: int) -> None:
        nxt = trajectory.points[k + 1, 0] if k < last else None
        rates = step_rates(trajectory, lr)
        eta = float(rates[min(k, len(rates) - 1)]) if len(rates) else lr
        panel.show_step(k, trajectory.points[k, 0], trajectory.gradients[k, 0], eta, nxt,
                        float(trajectory.losses[k, 0]), extra=self.row_values(k, last))
        panel.shown_step = k


#: The symbols of an update rule's constants, by the hyperparameter that sets them (``betas``: two).
CONSTANTS: dict[str, tuple[str, ...]] = {"momentum": (r"\mu",), "alpha": (r"\alpha",), "betas": (r"\beta_1", r"\beta_2"),
                                         "eps": (r"\epsilon",), "weight_decay": (r"\lambda",), "damping": (r"\lambda",),
                                         "rho": (r"\rho",), "momentum_decay": (r"\psi",)}


def constant_latex(value: float) -> str:
    """LaTeX of a hyperparameter: ``0.9``, ``10^{-8}``."""
    if value and abs(np.log10(abs(value)) - round(np.log10(abs(value)))) < 1e-9 and abs(value) < 1e-3:
        return f"10^{{{int(round(np.log10(abs(value))))}}}"
    return f"{value:g}"


def named_constants(lines: Sequence[str], hyperparams: dict[str, Any]) -> list[tuple[int, str, str]]:
    """The constants an update rule's ``lines`` name, with their values in ``hyperparams`` (an optimizer's own,
    its defaults filled in: :attr:`~gdscenes.core.optimizers.Optimizer.hyperparams`): ``(line, symbol, value)``
    for each, ``line`` the index of the first line naming the symbol, ``value`` in LaTeX (``0.9``, ``10^{-8}``);
    in :data:`CONSTANTS`' order. The one source of every constant a lesson or a race writes on screen."""
    found = []
    for key, symbols in CONSTANTS.items():
        if key not in hyperparams:
            continue
        values = np.ravel(np.asarray(hyperparams[key], dtype=float))
        for symbol, value in zip(symbols, values):
            # (the symbol followed by what cannot continue a longer name: \mu, not \mu_x)
            named = [i for i, line in enumerate(lines) if re.search(re.escape(symbol) + r"(?![A-Za-z_])", line)]
            if named:
                found.append((named[0], symbol, constant_latex(float(value))))
    return found


def with_constants(lines: Sequence[str], hyperparams: dict[str, Any]) -> list[str]:
    """An update rule's ``lines`` with each constant's value (``mu = 0.8``, ``beta_1 = 0.9``,
    ``epsilon = 10^{-8}``) after the first line that names it, so every symbol of the rule is defined
    (:func:`named_constants`)."""
    out = list(lines)
    for i, symbol, value in named_constants(lines, hyperparams):
        out[i] += rf",\quad {symbol} = {value}"
    return out


def step_rates(trajectory: Trajectory, lr: float) -> np.ndarray:
    """The learning rate of each update: the schedule's ``eta_k`` when the run had one, else ``lr`` throughout."""
    steps = len(trajectory.points) - 1
    return np.full(steps, lr) if trajectory.lrs is None else np.asarray(trajectory.lrs[:steps], dtype=float)


__all__ = ["DescentScene", "loss_title", "named_constants", "outcome", "step_rates", "with_constants"]
