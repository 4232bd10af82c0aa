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
from gdscenes.scenes.descent import constant_latex
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
            # The legend shows each rule's parameter update (its last line) with its learning rate;
            # the footer defines the rest (:meth:`footer`).
            update = inline_fractions(opt.rule_latex_lines[-1].replace("&", "")).replace(r"\nabla f(\theta_k)", "g_k")
            lines = [update, *state_lines(t.optimizer, t.hyperparams)]
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
    """``\\frac{a}{b}`` written ``a / (b)`` (one line high), for a legend's rules."""
    out, i = "", 0
    while (j := latex.find(r"\frac{", i)) >= 0:
        num, after = _braced(latex, j + len(r"\frac"))
        den, end = _braced(latex, after)
        out += latex[i:j] + f"{num} / ({den})"
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


def state_lines(name: str, hyperparams: dict[str, Any]) -> list[str]:
    """LaTeX lines defining the state and hyperparameters an optimizer's update uses."""
    if name in ("momentum", "nesterov"):
        return [rf"v_{{k+1}} = \mu v_k + g_k,\ \mu = {constant_latex(float(hyperparams.get('momentum', 0.0)))}"]
    if name == "adagrad":
        return [rf"G_{{k+1}} = G_k + g_k^2,\ \epsilon = {constant_latex(float(hyperparams.get('eps', 1e-10)))}"]
    if name == "rmsprop":
        alpha = constant_latex(float(hyperparams.get("alpha", 0.99)))
        return [rf"v_{{k+1}} = \alpha v_k + (1-\alpha)\, g_k^2,\ \alpha = {alpha}",
                rf"\epsilon = {constant_latex(float(hyperparams.get('eps', 1e-8)))}"]
    if name == "adam":
        b1, b2 = (constant_latex(float(b)) for b in hyperparams.get("betas", (0.9, 0.999)))
        return [r"\hat m, \hat v:\ \text{averages of } g_k,\ g_k^2",
                rf"\beta_1 = {b1},\ \beta_2 = {b2},\ \epsilon = {constant_latex(float(hyperparams.get('eps', 1e-8)))}"]
    return []


def definitions(trajectories: list[Any]) -> list[str]:
    """The legend's footer: the symbols every rule shares."""
    return [r"k\colon\ \text{step},\ g_k = \nabla f(\theta_k)"]


#: the name this lesson had before its class was named like its module
OptimizerRaceScene = RaceScene
