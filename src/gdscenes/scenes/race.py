"""Optimizer race: several optimizers from one start on one surface, with their rules and a finish order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar


from gdscenes.core.outcomes import finish_order
from gdscenes.core.runner import run
from gdscenes.core.losses import Loss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.palette import get_theme
from gdscenes.drawing.layout import Layout
from gdscenes.scenes.descent import named_constants
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import loss_title
from gdscenes.scenes.registry import lesson

ORDINALS = ("1st", "2nd", "3rd")
#: Short names for the legend (the note goes on the same line).
SHORT = {"gd": "GD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "Adagrad", "rmsprop": "RMSprop",
         "adam": "Adam"}


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
    inline_notes = True
    longest_note = "5th, unfinished"

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        cls.check_start(loss, cls.start)
        runs = []
        for i, name in enumerate(cls.optimizers):
            t = run(loss, name, start=cls.start, lr=cls.lrs.get(name, cls.lr), steps=cls.steps, tol=cls.tol,
                    **cls.hyperparams.get(name, {}))
            opt = OPTIMIZERS[t.optimizer]
            label = rf"\text{{{SHORT.get(t.optimizer, opt.label)}}},\ \eta = {float(t.hyperparams['lr']):g}"
            # The legend shows each rule's parameter update with its learning rate, then what defines its
            # symbols and constants (:func:`rule_lines`); the footer defines the rest (:meth:`footer`).
            lines = rule_lines(t.optimizer, t.hyperparams)
            # In a band across a square or tall frame (wider than a column, and short) the lines run on,
            # broken where the band's width needs it.
            rule = (r",\ ".join(lines) if Layout.current().stacked else r" \\ ".join(f"&{line}" for line in lines))
            runs.append(Run(label, get_theme(cls.theme).series_color(i), t, rule=rule))
        return runs

    def heading(self, loss: Loss) -> str:
        return self.title or f"Race on {loss_title(loss)}"

    def footer(self, loss: Loss, runs: list[Run]) -> list[str]:
        return definitions([r.trajectory for r in runs])

    def compact(self, loss: Loss, runs: list[Run]) -> tuple[list[Run], str | None, list[str]]:
        """Where the rules do not fit at the type scale (a square frame's band): each optimizer's name and
        learning rate with its place, no rules (so no symbols to define)."""
        return [replace(r, rule=None) for r in runs], None, []

    def legend_note(self, i: int, runs: list[Run]) -> str:
        """The place and the step it converged at, or "diverged" / "unfinished" (short: it goes on the label's line)."""
        t, run = runs[i].trajectory, runs[i]
        status, step = str(t.status[run.index]), int(t.stop_step[run.index])
        leaves = run.exit(self.view.domain)
        said = ("diverged" if leaves is not None or status == "diverged"
                else f"step {step}" if status == "converged" else "unfinished")
        return f"{self.place(i, runs)}, {said}"

    def place(self, i: int, runs: list[Run]) -> str:
        place = finish_order([r.trajectory for r in runs]).index(i)
        return ORDINALS[place] if place < len(ORDINALS) else f"{place + 1}th"

    def note(self, i: int, runs: list[Run]) -> str:
        place = finish_order([r.trajectory for r in runs]).index(i)
        ordinal = ORDINALS[place] if place < len(ORDINALS) else f"{place + 1}th"
        return f"{ordinal}: {super().note(i, runs)}"


def inline_fractions(latex: str) -> str:
    """``\\frac{a}{b}`` written ``a / (b)`` (one line high; ``(a) / (b)`` when ``a`` is a sum), for a legend's rules."""
    out, i = "", 0
    while (j := latex.find(r"\frac{", i)) >= 0:
        num, after = _braced(latex, j + len(r"\frac"))
        den, end = _braced(latex, after)
        out += latex[i:j] + (f"({num})" if " + " in num or " - " in num else num) + f" / ({den})"
        i = end
    return out + latex[i:]


def _braced(latex: str, start: int) -> tuple[str, int]:
    """The contents of the brace group opening at ``start`` and the index after it."""
    depth = 0
    for k in range(start, len(latex)):
        depth += {"{": 1, "}": -1}.get(latex[k], 0)
        if depth == 0:
            return latex[start + 1 : k], k + 1
    raise ValueError(f"unbalanced braces in {latex!r}")


#: A shorter definition of a rule's state where the legend has no room for the whole rule (Adam's four lines).
SHORT_STATE = {"adam": (r"\hat m, \hat v\colon\ \text{means of } g_k,\, g_k^2 \text{ (rates } \beta_1,\, \beta_2)",)}


def rule_lines(name: str, hyperparams: dict[str, Any]) -> list[str]:
    """A race legend's LaTeX lines for optimizer ``name``: its parameter update (the rule's last line giving
    ``theta_{k+1}``, one line high, ``g_k`` for the gradient), the lines defining its state (the rule's own, or
    :data:`SHORT_STATE`), and after them the values of every constant the rule names, as the single-optimizer
    lesson's panel writes them (:func:`~gdscenes.scenes.descent.named_constants`: the run's ``hyperparams``, the
    optimizer's defaults filled in). Lines and values are joined by ``,\\ `` so that a narrow legend can break them."""
    rule = OPTIMIZERS[name].rule_latex_lines
    lines = [inline_fractions(line.replace("&=", "=", 1)).replace(r"\nabla f(\theta_k)", "g_k").replace(r", \quad ", r",\ ")
             for line in rule if not line.startswith("g_k ")]  # (the footer defines g_k)
    update = max((i for i, line in enumerate(lines) if line.startswith(r"\theta_{k+1}")), default=len(lines) - 1)
    out = [lines[update], *SHORT_STATE.get(name, lines[:update] + lines[update + 1 :])]
    values = [f"{symbol} = {value}" for _, symbol, value in named_constants(rule, hyperparams)]
    out[-1] = r",\ ".join([out[-1], *values])
    return out


def definitions(trajectories: list[Any]) -> list[str]:
    """The legend's footer: the symbols every rule shares."""
    return [r"k\colon\ \text{step},\ g_k = \nabla f(\theta_k)"]


#: the name this lesson had before its class was named like its module
OptimizerRaceScene = RaceScene
