"""Learning rate: the same start with eta too small, about right, too large, and beyond 2/lambda_max.

The threshold ``2 / lambda_max`` comes from the exact Hessian at the minimum
(:meth:`gdscenes.core.losses.Loss.max_stable_lr`) and is written on screen; each
learning rate is a fraction of it. A run that leaves the plot rolls to the
edge and fades out, and its note says at which step it diverged.
"""

from __future__ import annotations

from typing import ClassVar

from gdscenes.core.outcomes import LADDER, learning_rate_ladder
from gdscenes.core.runner import run
from gdscenes.core.losses import Loss
from gdscenes.display.palette import get_theme
from gdscenes.drawing import type_scale
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import loss_title
from gdscenes.scenes.registry import lesson


#: The legend's word for each rung of :data:`~gdscenes.core.outcomes.LADDER`.
LEGEND_WORDS = {0.01: "crawls", 0.45: "about right", 0.93: "oscillates", 1.05: "too large"}


@lesson("learning-rate")
class LearningRateScene(ComparisonScene):
    """Gradient descent with four learning rates, as fractions of ``2 / lambda_max``."""

    loss = "quadratic_bowl"
    domain = ((-2.5, 2.5), (-2.5, 2.5))
    optimizer: ClassVar[str] = "gd"
    start: ClassVar[tuple[float, float] | None] = None
    #: Learning rates as fractions of ``2 / lambda_max``.
    fractions: ClassVar[tuple[float, ...]] = tuple(f for f, _ in LADDER)
    steps = 40
    height_scale = "linear"
    loss_curve = True
    loss_curve_log = True

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        cls.check_start(loss, cls.start)
        _, rates = learning_rate_ladder(loss, cls.fractions, at=cls.start or loss.start)
        runs = []
        for i, (fraction, lr) in enumerate(zip(cls.fractions, rates)):
            t = run(loss, cls.optimizer, start=cls.start, lr=lr, steps=cls.steps, tol=cls.tol)
            shown = float(t.hyperparams["lr"])
            color = get_theme(cls.theme).series_color(i)
            runs.append(Run(rf"\eta = {shown:.3g} \;\; ({fraction:g}\times 2/\lambda_{{\max}})", color, t))
        return runs

    def heading(self, loss: Loss) -> str:
        return self.title or f"Learning rate on {loss_title(loss)}"

    def header(self, loss: Loss, runs: list[Run]) -> str:
        threshold, _ = learning_rate_ladder(loss, self.fractions, at=self.start or loss.start)
        return rf"\text{{stable if }} \eta < 2/\lambda_{{\max}} = {threshold:.4g}"

    def footer(self, loss: Loss, runs: list[Run]) -> list[str]:
        return [r"\theta_{k+1} = \theta_k - \eta \nabla f(\theta_k),\ k\colon\ \text{step}",
                r"\lambda_{\max}\colon\ \text{largest eigenvalue of the Hessian}"]

    def compact(self, loss: Loss, runs: list[Run]) -> tuple[list[Run], str | None, list[str]]:
        """For a short band (a square frame's): the stability bound goes from under the title to the footer,
        whose lines sit side by side where they fit a column."""
        rule, bound = self.footer(loss, runs)
        return runs, None, [rule, self.header(loss, runs), bound]

    def legend_note(self, i: int, runs: list[Run]) -> str:
        """How run ``i`` went, in a few words (its label already gives its share of ``2/lambda_max``); shorter
        (``converged, step 23``) where the legend's column has no room for the long form."""
        run = runs[i]
        t, leaves = run.trajectory, run.exit(self.view.domain)
        status, step = str(t.status[run.index]), int(t.stop_step[run.index])
        if leaves is not None or status == "diverged":
            what, at = ("left the plot", leaves) if leaves is not None else ("diverged", step)
            said = [f"{what} at step {at}", f"{what}, step {at}", f"{what} at {at}"]
            if leaves is not None:
                said.append(f"left at step {at}")
        else:
            value = type_scale.number(float(t.losses[step, run.index]), 2)
            what = "converged" if status == "converged" else f"{type_scale.italic('f')} = {value}"
            said = [f"{what} at step {step}", f"{what}, step {step}", f"{what} at {step}"]
        words = LEGEND_WORDS.get(self.fractions[i])
        forms = [f"{words}: {s}" if words else s for s in said] + said
        legend = getattr(self, "legend", None)
        return forms[0] if legend is None else legend.fitting(i, forms)

    def note(self, i: int, runs: list[Run]) -> str:
        words = dict(LADDER).get(self.fractions[i])
        said = super().note(i, runs)
        return f"{words} \u2014 {said}" if words else said
