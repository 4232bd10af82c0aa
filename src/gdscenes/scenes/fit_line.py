"""A line fitted to data beside its cost surface J(theta0, theta1): the classic linear-regression picture.

The loss is a data model (:func:`gdscenes.core.data.make_model`): the ball
descends J's surface over (theta0, theta1) while the model panel
(:class:`gdscenes.drawing.model_panel.ModelPanel`) draws the data and the
line ``theta0 + theta1 x`` at the ball's iterate, with the residuals.
Settings besides the optimizer's: ``data`` (a bundled data set, ``housing``
or ``exam``, or a CSV file: feature, target; header optional), ``batch_size``
and ``seed`` (minibatch SGD: each step uses the exact gradient of one batch,
which the panel highlights; the same seed gives the same video) and
``residuals``.

:class:`DataLesson` holds what every data lesson shares (the data settings,
the loss, the axes named theta0 (intercept) and theta1 (slope), J for the
height, the model panel); ``logistic-fit`` and ``sgd-batches`` build on it.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

import numpy as np
from manim import DOWN, VGroup, config

from gdscenes.core.data import MODELS, DataLoss, is_model, make_model
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.core.runner import run
from gdscenes.core.trajectory import Trajectory
from gdscenes.display.view import Box
from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD
from gdscenes.drawing.markers import minimum_value_tex
from gdscenes.drawing.model_panel import DataNumbers, ModelPanel, ModelRun
from gdscenes.drawing.typeset import math_tex, plain_text
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.lesson import outcome
from gdscenes.scenes.registry import lesson

__all__ = ["DataLesson", "FitLineScene", "gradients_used", "data_domain", "rule_with"]

#: What the parameter axes and the height axis are called (LaTeX), replacing x, y and f.
AXIS_NAMES = {"x": r"\begin{array}{c}\theta_0\\ \text{\small intercept}\end{array}",
              "y": r"\begin{array}{c}\theta_1\\ \text{\small slope}\end{array}", "f": "J"}
#: The drawn domain around the runs' iterates and the minimum: this much margin (a share of its width) ...
DOMAIN_MARGIN = 0.18
#: ... and at most this many times the data model's own box (a diverging run leaves the plot).
DOMAIN_REACH = 4.0
#: How much higher than in other lessons the minimum's value is written: the runs here end at the minimum.
MARK_LIFT = 0.7
#: Smallest room (frame units) the model panel keeps under the text.
MIN_MODEL_HEIGHT = 2.8
#: In a short band (square frames), the space between the two blocks side by side (:meth:`Layout.stack`'s) and
#: the most of the band the numbers card takes (the model panel keeps the rest).
BLOCK_GAP = 0.25
NUMBERS_SHARE = 0.6

_LOSSES: dict[tuple[Any, ...], DataLoss] = {}
_RUNS: dict[tuple[Any, ...], Any] = {}


def _data_key(data: str | None) -> tuple[Any, ...]:
    """The data source with the file's size and time (a changed file is read again)."""
    if data is None:
        return (None,)
    try:
        info = os.stat(data)
        return (data, info.st_size, info.st_mtime_ns)
    except (OSError, ValueError):
        return (data,)


def gradients_used(trajectory: Trajectory) -> np.ndarray:
    """The gradients the optimizer stepped with: a minibatch's (``internals["grad_used"]``), else the exact ones."""
    used = trajectory.internals.get("grad_used") if trajectory.internals else None
    return np.asarray(used if used is not None else trajectory.gradients)


def data_domain(loss: DataLoss, paths: list[np.ndarray]) -> Box:
    """A box around the runs' iterates, the start and the minimiser (margin :data:`DOMAIN_MARGIN`), within
    :data:`DOMAIN_REACH` times the model's own box about its centre."""
    pts = [np.asarray(p, dtype=float).reshape(-1, 2) for p in paths]
    pts += [np.array([[m.x, m.y] for m in loss.minima]).reshape(-1, 2)]
    every = np.vstack(pts)
    every = every[np.isfinite(every).all(axis=1)]
    own = np.asarray(loss.domain, dtype=float)
    centre, half = own.mean(axis=1), (own[:, 1] - own[:, 0]) / 2
    every = np.clip(every, centre - DOMAIN_REACH * half, centre + DOMAIN_REACH * half)
    lo, hi = every.min(axis=0), every.max(axis=0)
    pad = np.maximum((hi - lo) * DOMAIN_MARGIN, 0.25 * half)
    lo, hi = lo - pad, hi + pad
    return ((float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))


def rule_with(optimizer: Any, trajectory: Trajectory, m: int) -> str:
    """The optimizer's rule (LaTeX lines) with its learning rate, and for minibatches what ``B_k`` is."""
    lines = list(optimizer.rule_latex_lines)
    eta = r"\eta_0" if trajectory.lrs is not None and np.ptp(trajectory.lrs) > 0 else r"\eta"  # (a schedule's start)
    lines[-1] += rf", \quad {eta} = {float(trajectory.hyperparams['lr']):g}"
    if trajectory.batch_size is not None:
        lines.append(rf"B_k\colon\ {trajectory.batch_size} \text{{ of the {m} samples, seed }} {trajectory.seed}")
    return r" \\ ".join(lines)


class DataLesson:
    """Settings and drawing shared by the data lessons (mixed into a lesson scene)."""

    #: The data model: ``linear_regression`` or ``logistic_regression``.
    loss: ClassVar[str] = "linear_regression"
    height_name: ClassVar[str] = "J"
    #: A bundled data set (``housing``, ``exam``) or a CSV file (feature, target; header optional);
    #: ``None``: the model's own data set.
    data: ClassVar[str | None] = None
    #: Minibatch SGD: the samples per step (``None``: all of them, full-batch descent).
    batch_size: ClassVar[int | None] = None
    #: Seed of the minibatch shuffles (the same seed gives the same video).
    seed: ClassVar[int | None] = None
    #: Draw each data point's residual to the model.
    residuals: ClassVar[bool] = True

    # -- the loss and the numbers ------------------------------------------------
    @classmethod
    def get_loss(cls) -> Any:  # (a DataLoss: what the lesson base needs of a Loss)
        """The data model on ``data`` (read once per file version); a one-line ``ValueError`` for bad data."""
        if not is_model(cls.loss):
            raise ValueError(f"loss {cls.loss!r} is not a data model; this lesson fits one of: {', '.join(MODELS)}")
        key = (cls.loss, _data_key(cls.data))
        if key not in _LOSSES:
            _LOSSES[key] = make_model(cls.loss, cls.data)
        return _LOSSES[key]

    @classmethod
    def run_settings(cls) -> tuple[Any, ...]:
        """What a lesson's runs depend on (their cache key)."""
        names = ("loss", "optimizer", "lr", "hyperparams", "start", "steps", "tol", "batch_size", "seed", "schedule",
                 "schedule_options")
        return tuple(repr(getattr(cls, n, None)) for n in names)

    @classmethod
    def cached_runs(cls, loss: DataLoss) -> Any:
        """:meth:`compute_runs` once per loss and settings (``check``, the domain and the render share it)."""
        key = (id(loss), cls.run_settings())
        if key not in _RUNS:
            _RUNS[key] = (loss, cls.compute_runs(loss))  # (the loss kept alive with its id)
        return _RUNS[key][1]

    @classmethod
    def compute_runs(cls, loss: DataLoss) -> Any:
        raise NotImplementedError

    @classmethod
    def run_paths(cls, loss: DataLoss) -> list[np.ndarray]:
        """The iterates the drawn domain must hold."""
        raise NotImplementedError

    @classmethod
    def plot_domain(cls, loss: Any) -> Box:
        """``domain`` if set; else a box around the runs' paths and the minimum (:func:`data_domain`)."""
        given = getattr(cls, "domain", None)
        return given if given is not None else data_domain(loss, cls.run_paths(loss))

    @classmethod
    def check_start(cls, loss: Any, start: Any) -> None:
        """With ``domain`` set, the start must lie in it; else the runner checks it against its bound."""
        if getattr(cls, "domain", None) is not None:
            super().check_start(loss, start)  # type: ignore[misc]

    # -- the picture ---------------------------------------------------------------
    def names_of_axes(self, loss: Any) -> tuple[str, str, str]:
        """The lesson's axes, named theta0 (intercept), theta1 (slope) and J instead of x, y and f."""
        return AXIS_NAMES["x"], AXIS_NAMES["y"], AXIS_NAMES["f"]

    def add_marks(self, view: Any, loss: Any) -> None:
        """The minimum marked with ``J^* = ...`` (J, not f)."""
        super().add_marks(view, loss)  # type: ignore[misc]
        for m, label in zip(self.marks.minima, self.marks.labels):  # type: ignore[attr-defined]
            plate, tex = label.submobjects[0], label.submobjects[1]
            new = type_scale.math(minimum_value_tex(m.f, m.kind).replace("f", "J", 1), "caption", color=tex.get_color())
            tex.become(new.move_to(tex.get_center()))
            plate.stretch_to_fit_width(tex.width + 0.16)
            label.shift(MARK_LIFT * np.array([0.0, 0.0, 1.0]))  # (clear of the balls that end at the minimum)

    def opening_card(self) -> Any:
        """The title and J's formula (the data model's own: it starts with ``J(\\theta_0, \\theta_1) =``)."""
        loss = self.get_loss()
        title = plain_text(self.headline(), color=self.colors.text, font_size=30, weight="BOLD")  # type: ignore[attr-defined]
        card = VGroup(title, math_tex(loss.latex, color=self.colors.text).scale(0.8)).arrange(DOWN, buff=0.25)  # type: ignore[attr-defined]
        width = float(config.frame_width) - 1.0
        if card.width > width:
            card.scale(width / card.width)
        return card.to_edge(np.array([0.0, 1.0, 0.0]), buff=0.4)

    @property
    def side_by_side(self) -> bool:
        """Whether the text band is short (a square frame): the block above the model panel and the panel
        go side by side, each built as wide as its share of the band (:meth:`model_panel`)."""
        layout = self.layout  # type: ignore[attr-defined]
        return bool(layout.stacked and not layout.portrait)

    def model_panel(self, loss: DataLoss, runs: list[ModelRun], above: Any) -> ModelPanel:
        """The data and the model beside the surface, as tall as the text region leaves under ``above``;
        in a short band (:attr:`side_by_side`) beside ``above``, as tall as the band, in the width it leaves."""
        _, room = self.layout.text_box  # type: ignore[attr-defined]
        width = self.layout.block_width  # type: ignore[attr-defined]
        height = max(room - above.height - 0.25, MIN_MODEL_HEIGHT)
        if self.layout.stacked:  # type: ignore[attr-defined]
            height -= 0.01  # (clear of the band's edge)
        if self.side_by_side:
            width, height = width - BLOCK_GAP - above.width, min(above.height, room)

        m = type_scale.italic("m")  # (on screen: the size's name set as a variable)

        def build(height: float) -> ModelPanel:
            return ModelPanel(loss.model, loss.data.x, loss.data.y, loss.data.columns, runs, self.colors,  # type: ignore[attr-defined]
                              width=width, height=height, residuals=self.residuals,
                              source=self.data_title(loss, m), short_source=f"{m} = {loss.data.m}")

        panel = build(height)
        if self.layout.stacked and abs(panel.height - height) > 0.005:  # type: ignore[attr-defined]
            panel = build(2 * height - panel.height)  # (the card as tall as asked: the band holds it at size)
        return panel

    def data_name(self, loss: DataLoss) -> str:
        """The data set's name, or a file's base name (at most 40 characters)."""
        name = loss.data.name
        return (os.path.basename(name) if os.sep in name or name.endswith(".csv") else name)[:40]

    def data_title(self, loss: DataLoss, m: str = "m") -> str:
        """``housing, m = 47``: the data's name and its size (``m``: how the size's name is written)."""
        return f"{self.data_name(loss)}, {m} = {loss.data.m}"


@lesson("fit-line")
class FitLineScene(DataLesson, DescentScene):
    """A line fitted to data by gradient descent, beside J(theta0, theta1)'s surface and contours."""

    loss = "linear_regression"
    optimizer = "gd"
    lr = 0.3
    start: ClassVar[tuple[float, float] | None] = (0.0, 0.0)
    steps = 60
    tol = 1e-3

    @classmethod
    def descend(cls, loss: Any) -> Trajectory:
        return cls.cached_runs(loss)

    @classmethod
    def compute_runs(cls, loss: DataLoss) -> Trajectory:
        cls.check_start(loss, cls.start)
        return run(loss, cls.optimizer, start=cls.start, lr=cls.lr, steps=cls.steps, tol=cls.tol,
                   batch_size=cls.batch_size, seed=cls.seed, **cls.schedule_arguments(), **cls.hyperparams)

    @classmethod
    def run_paths(cls, loss: DataLoss) -> list[np.ndarray]:
        t = cls.cached_runs(loss)
        return [t.points[: int(t.stop_step[0]) + 1, 0]]

    def step_gradients(self, trajectory: Trajectory) -> np.ndarray:
        return gradients_used(trajectory)

    def below_panel(self, loss: Any, trajectory: Trajectory, shown: int, panel: Any) -> Any:
        """The data and the model at the ball's iterate (each step's minibatch highlighted)."""
        batches = None if trajectory.batches is None else trajectory.batches[:shown]
        self.model = self.model_panel(loss, [ModelRun(trajectory.points[: shown + 1, 0], self.colors.ball, batches)],
                                      above=panel)
        return self.model

    def status(self, trajectory: Trajectory, exits: int | None) -> str:
        return outcome(trajectory, exit_step=exits, quantity="cost")

    def make_panel(self, loss: Any, optimizer: Any) -> DataNumbers:
        """The numbers card; in a short band (:attr:`side_by_side`) a compact one (the optimizer's name for
        a title, k beside it) as wide as its rule on one line needs, at least half the band, the model
        panel beside it."""
        t = self.trajectory
        title = f"{optimizer.label} fits {self.fit_name()}"
        rule = rule_with(optimizer, t, loss.m)
        batch = t.batch_size is not None
        if not self.side_by_side:
            return DataNumbers(type_scale.escape(title), rule, self.colors, width=self.layout.block_width, batch=batch)
        band = self.layout.block_width - BLOCK_GAP
        grad = r"\nabla J_{B_k}(\theta_k)" if batch else r"\nabla J(\theta_k)"
        one_line = max(type_scale.math(line.replace(r"\nabla f(\theta_k)", grad), "body").width for line in rule.split(r"\\"))
        least = max(one_line + 2 * PAD + 0.1, DataNumbers.compact_width(type_scale.escape(optimizer.label), batch))
        width = float(np.clip(least, band / 2, NUMBERS_SHARE * band))
        return DataNumbers(type_scale.escape(optimizer.label), rule, self.colors, width=width, batch=batch, compact=True)

    def fit_name(self) -> str:
        return "a line" if self.get_loss().model == "linear_regression" else "a sigmoid"

    def _show_step(self, panel: Any, trajectory: Trajectory, lr: float, k: int, last: int) -> None:
        """The numbers of step ``k``, with the gradient the step used (a minibatch's, if batched)."""
        grad = gradients_used(trajectory)[k, 0] if k < last else trajectory.gradients[k, 0]
        panel.show_step(k, trajectory.points[k, 0], grad, float(trajectory.losses[k, 0]))
        panel.shown_step = k

    def headline(self) -> str:
        loss = self.get_loss()
        return f"{OPTIMIZERS[self.optimizer].label} fits {self.fit_name()} ({self.data_name(loss)})"

    def describe_intro(self) -> str:
        t = self.trajectory
        a, b = (float(v) for v in t.points[0, 0])
        return (f"{self.headline()}, learning rate {float(t.hyperparams['lr']):g}, start theta0 = {a:g}, theta1 = {b:g}, "
                f"J = {float(t.losses[0, 0]):.4g}")

    def describe_result(self) -> str:
        return outcome(self.trajectory, exit_step=self.exits, quantity="cost")
