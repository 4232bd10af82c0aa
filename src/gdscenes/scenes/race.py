"""Optimizer race: several optimizers from one start on one surface, with their rules and a finish order."""

from __future__ import annotations

from typing import Any, ClassVar

from gdscenes.core.outcomes import finish_order
from gdscenes.core.runner import run
from gdscenes.core.losses import Loss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.palette import ACCENTS
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import loss_title
from gdscenes.scenes.registry import lesson

ORDINALS = ("1st", "2nd", "3rd")


@lesson("race")
class RaceScene(ComparisonScene):
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
            runs.append(Run(label, ACCENTS[i % len(ACCENTS)], t, rule=opt.rule_latex_lines[-1].replace("&", "")))
        return runs

    def heading(self, loss: Loss) -> str:
        return self.title or f"Race on {loss_title(loss)}"

    def note(self, i: int, runs: list[Run]) -> str:
        place = finish_order([r.trajectory for r in runs]).index(i)
        ordinal = ORDINALS[place] if place < len(ORDINALS) else f"{place + 1}th"
        return f"{ordinal}: {super().note(i, runs)}"


#: the name this lesson had before its class was named like its module
OptimizerRaceScene = RaceScene
