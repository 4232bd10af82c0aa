"""Full batch against minibatches: the same descent on the same data from the same start.

Both balls descend J(theta0, theta1) of a data model; the full-batch one
steps along the exact gradient of all m samples, the minibatch one along the
exact gradient of the step's batch B_k (``batch_size`` samples, shuffled each
epoch by ``seed``: :func:`gdscenes.core.runner.batch_stream`). The model
panel draws both models and highlights the samples of the current batch in
the minibatch ball's colour. The same seed gives the same trajectory and the
same video. (The ``sgd-noise`` lesson adds synthetic Gaussian noise instead.)
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from gdscenes.core.data import DataLoss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.core.runner import run
from gdscenes.display.palette import get_theme
from gdscenes.drawing.ball import RollingBall
from gdscenes.drawing.legend import Legend
from gdscenes.drawing.model_panel import ModelRun
from gdscenes.drawing import type_scale
from gdscenes.drawing.card import PAD
from gdscenes.drawing.type_scale import latex_title
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.fit_line import BLOCK_GAP, NUMBERS_SHARE, DataLesson, gradients_used
from gdscenes.scenes.lesson import outcome
from gdscenes.scenes.registry import lesson


#: The legend's title in a square frame (the batch size is in its row).
COMPACT_TITLE = "Full batch vs minibatch"
#: The least width the model panel keeps beside it (its formula and the data's size at the type scale).
MODEL_LEAST = 2.75


@lesson("sgd-batches")
class SGDBatchesScene(DataLesson, ComparisonScene):
    """Full-batch gradient descent against minibatch SGD (``batch_size``, ``seed``) on the same data and start."""

    loss = "linear_regression"
    data: ClassVar[str | None] = "housing"
    batch_size: ClassVar[int | None] = 4
    seed: ClassVar[int | None] = 25
    optimizer: ClassVar[str] = "gd"
    lr: ClassVar[float] = 0.15
    hyperparams: ClassVar[dict[str, Any]] = {}
    start: ClassVar[tuple[float, float] | None] = (0.0, 0.0)
    steps = 60
    tol = None
    #: (two models in the panel: no residuals unless asked)
    residuals: ClassVar[bool] = False

    @classmethod
    def descend(cls, loss: Any) -> list[Run]:
        return cls.cached_runs(loss)

    @classmethod
    def compute_runs(cls, loss: DataLoss) -> list[Run]:
        if cls.batch_size is None:
            raise ValueError(f"batch_size must be set for sgd-batches (1 to the {loss.m} samples)")
        cls.check_start(loss, cls.start)
        common = dict(start=cls.start, lr=cls.lr, steps=cls.steps, tol=cls.tol, **cls.hyperparams)
        full = run(loss, cls.optimizer, **common)
        batched = run(loss, cls.optimizer, batch_size=cls.batch_size, seed=cls.seed, **common)
        theme = get_theme(cls.theme)
        return [
            Run(rf"\text{{full batch: }} \nabla J(\theta_k),\ \text{{all {loss.m}}}", theme.series_color(1), full),
            Run(rf"\text{{minibatch: }} \nabla J_{{B_k}}(\theta_k),\ |B_k| = {batched.batch_size}", theme.series_color(0),
                batched),
        ]

    @classmethod
    def run_paths(cls, loss: DataLoss) -> list[np.ndarray]:
        return [r.trajectory.points[: int(r.trajectory.stop_step[0]) + 1, 0] for r in cls.cached_runs(loss)]

    # -- what the text says ----------------------------------------------------------
    def heading(self, loss: Any) -> str:
        return self.title or f"Full batch against minibatches of {self.batch_size}"

    def header(self, loss: Any, runs: list[Run]) -> str:
        t = runs[0].trajectory
        update = OPTIMIZERS[t.optimizer].rule_latex_lines[-1].replace("&", "").replace(r"\nabla f(\theta_k)", "g_k")
        return update + rf",\ \eta = {float(t.hyperparams['lr']):g}"

    def footer(self, loss: Any, runs: list[Run]) -> list[str]:
        b = runs[1].trajectory
        return [r"g_k\colon\ \text{the gradient the step uses}",
                rf"B_k\colon\ {b.batch_size} \text{{ of the {loss.m} samples, seed }} {b.seed}"]

    def note(self, i: int, runs: list[Run]) -> str:
        run_ = runs[i]
        return outcome(run_.trajectory, run_.index, exit_step=run_.exit(self.view.domain), quantity="cost")

    def headline(self) -> str:
        return f"Full batch against minibatches of {self.batch_size}"

    def describe_intro(self) -> str:
        return f"{self.headline()} on {self.data_title(self.get_loss())}, learning rate {self.lr:g}, seed {self.seed}"

    def compact_legend(self, loss: Any, runs: list[Run]) -> Legend:
        """For a short band (a square frame's), beside the model panel: as wide as :data:`NUMBERS_SHARE` of the band
        or its title on one line,
        a shorter title, each row's label without its gradient (the footer defines g_k), the rule in the footer."""
        band = self.layout.block_width - BLOCK_GAP
        b = runs[1].trajectory
        rows = [(runs[0].color, rf"\text{{full batch, all {loss.m}}}"),
                (runs[1].color, rf"\text{{minibatch}}\ B_k\colon\ {b.batch_size},\ \text{{seed}}\ {b.seed}")]
        footer = [self.header(loss, runs), r"g_k\colon\ \nabla J(\theta_k)\ \text{or}\ \nabla J_{B_k}(\theta_k)"]
        title = latex_title(self.title or COMPACT_TITLE)
        one_line = float(type_scale.title(title, 1e9, self.colors.text).width) + 2 * PAD + 0.02
        width = min(max(NUMBERS_SHARE * band, one_line), band - MODEL_LEAST)  # (the title on one line where it can be)
        return Legend(title, rows, self.colors, width=width, footer=footer, max_height=self.layout.text_box[1])

    # -- the lesson --------------------------------------------------------------------
    def construct(self) -> None:
        loss = self.get_loss()
        runs = self.runs = self.descend(loss)
        view = self.build_landscape(loss)
        domain = view.domain
        ends = [r.end(domain) for r in runs]
        per_step = max(2, min(12, 1500 // max(max(ends), 1)))
        balls = [
            RollingBall(view, r.path(domain), self.colors, color=r.color, exit_step=r.exit(domain),
                        samples_per_step=per_step, trail_width=3.0, shadow_color=r.color, motion=self.motion,
                        arrows=-float(r.trajectory.hyperparams["lr"]) * gradients_used(r.trajectory)[:end, r.index],
                        arrow_color=r.color)
            for r, end in zip(runs, ends)
        ]
        self.balls = balls
        legend = (self.compact_legend(loss, runs) if self.side_by_side else
                  Legend(latex_title(self.heading(loss)), [(r.color, r.label) for r in runs], self.colors,
                         width=self.layout.block_width, header=self.header(loss, runs), footer=self.footer(loss, runs)))
        self.legend = legend
        model_runs = [ModelRun(r.path(domain), r.color, None if r.trajectory.batches is None else r.trajectory.batches[:end])
                      for r, end in zip(runs, ends)]
        model = self.model = self.model_panel(loss, model_runs, above=legend)
        self.place_text(legend, model)
        noted: set[int] = set()

        def on_step(k: int) -> None:
            for i, end in enumerate(ends):
                if k >= end and i not in noted:
                    noted.add(i)
                    self.keep_fixed(legend.set_note(i, self.legend_note(i, runs)))

        self.roll(balls, float(max(ends)), on_step=on_step, followers=[model])
        self.hold()
