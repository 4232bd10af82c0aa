"""Optimizer race: several optimizers from one start on one surface, with their rules and a finish order."""

from __future__ import annotations

from typing import Any, ClassVar

from gdscenes.core.outcomes import finish_order
from gdscenes.core.runner import run
from gdscenes.core.losses import Loss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.palette import get_theme
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import loss_title

ORDINALS = ("1st", "2nd", "3rd")


class OptimizerRaceScene(ComparisonScene):
    """gd, momentum, nesterov, rmsprop and adam from one start; the legend shows each rule and the finish order."""

    loss = "ill_conditioned"
    optimizers: ClassVar[tuple[str, ...]] = ("gd", "momentum", "nesterov", "rmsprop", "adam")
    #: Learning rate per optimizer (a missing name takes ``lr``).
    lrs: ClassVar[dict[str, float]] = {"gd": 0.15, "momentum": 0.05, "nesterov": 0.05, "rmsprop": 0.05, "adam": 0.2}
    lr: ClassVar[float] = 0.01
    #: Hyperparameters per optimizer, besides the learning rate.
    hyperparams: ClassVar[dict[str, dict[str, Any]]] = {"momentum": {"momentum": 0.8}, "nesterov": {"momentum": 0.8}}
    start: ClassVar[tuple[float, float] | None] = None
    steps = 120
    tol = 1e-2
    seconds_per_step = 0.08

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        cls.check_start(loss, cls.start)
        runs = []
        for i, name in enumerate(cls.optimizers):
            t = run(loss, name, start=cls.start, lr=cls.lrs.get(name, cls.lr), steps=cls.steps, tol=cls.tol,
                    **cls.hyperparams.get(name, {}))
            opt = OPTIMIZERS[t.optimizer]
            label = rf"\text{{{opt.label}}},\ \eta = {float(t.hyperparams['lr']):g}"
            # The legend shows each rule's parameter update (its last line).
            runs.append(Run(label, get_theme(cls.theme).series_color(i), t, rule=opt.rule_latex_lines[-1].replace("&", "")))
        return runs

    def heading(self, loss: Loss) -> str:
        return self.title or f"Race on {loss_title(loss)}"

    def note(self, i: int, runs: list[Run]) -> str:
        place = finish_order([r.trajectory for r in runs]).index(i)
        ordinal = ORDINALS[place] if place < len(ORDINALS) else f"{place + 1}th"
        return f"{ordinal}: {super().note(i, runs)}"
