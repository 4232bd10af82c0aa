"""The race's legend writes each optimizer's constants from the one source the single-optimizer lessons use.

The values on screen are the run's hyperparameters (the optimizer's own defaults filled in,
:mod:`gdscenes.core.optimizers`), spelled by :func:`gdscenes.scenes.descent.named_constants`; the
expected LaTeX below is written out by hand, the defaults from torch.optim's documentation.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import pytest

from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.scenes.descent import with_constants
from gdscenes.scenes.race import RaceScene, rule_lines

#: hyperparameters away from every default, and what the legend must write for them (by hand)
GIVEN: dict[str, tuple[dict[str, Any], list[str]]] = {
    "momentum": ({"momentum": 0.7}, [r"\mu = 0.7"]),
    "nesterov": ({"momentum": 0.6}, [r"\mu = 0.6"]),
    "adagrad": ({"eps": 1e-6}, [r"\epsilon = 10^{-6}"]),
    "rmsprop": ({"alpha": 0.95, "eps": 1e-7}, [r"\alpha = 0.95", r"\epsilon = 10^{-7}"]),
    "adam": ({"betas": (0.8, 0.99), "eps": 1e-6}, [r"\beta_1 = 0.8", r"\beta_2 = 0.99", r"\epsilon = 10^{-6}"]),
    "adamw": ({"weight_decay": 0.05}, [r"\beta_1 = 0.9", r"\beta_2 = 0.999", r"\epsilon = 10^{-8}", r"\lambda = 0.05"]),
    "lion": ({"betas": (0.95, 0.98)}, [r"\beta_1 = 0.95", r"\beta_2 = 0.98", r"\lambda = 0"]),
}

#: torch.optim's documented defaults, by hand: Adagrad(eps=1e-10), RMSprop(alpha=0.99, eps=1e-08),
#: Adam(betas=(0.9, 0.999), eps=1e-08). torch's SGD defaults to momentum=0 (plain gd); this project's
#: momentum and nesterov document themselves as SGD(lr, momentum=0.9), so 0.9 is theirs.
DEFAULTS: dict[str, list[str]] = {
    "gd": [],
    "momentum": [r"\mu = 0.9"],
    "nesterov": [r"\mu = 0.9"],
    "adagrad": [r"\epsilon = 10^{-10}"],
    "rmsprop": [r"\alpha = 0.99", r"\epsilon = 10^{-8}"],
    "adam": [r"\beta_1 = 0.9", r"\beta_2 = 0.999", r"\epsilon = 10^{-8}"],
}

#: what the lines after each update must define: every symbol of the update that is not k, theta, eta or g_k
DEFINED = {"momentum": [r"v_{k+1} = \mu v_k", r"\mu = "], "nesterov": [r"v_{k+1} = \mu v_k", r"\mu = "],
           "adagrad": [r"G_{k+1} = G_k", r"\epsilon = "], "rmsprop": [r"v_{k+1} = \alpha v_k", r"\alpha = ", r"\epsilon = "],
           "adam": [r"\hat m, \hat v\colon\ \text{means of } g_k,\, g_k^2", r"\text{ (rates } \beta_1,\, \beta_2)", r"\beta_1 = ",
                    r"\beta_2 = ", r"\epsilon = "]}

CONSTANT = re.compile(r"(\\[A-Za-z]+(?:_\d)?) = (10\^\{-?\d+\}|[0-9.]+)")


def race_rules(hyperparams: dict[str, dict[str, Any]], names: tuple[str, ...]) -> dict[str, str]:
    """The legend rule of each optimizer in a short race (the lesson's own path: ``RaceScene.descend``)."""

    class Race(RaceScene):
        optimizers: ClassVar[tuple[str, ...]] = names
        lrs: ClassVar[dict[str, float]] = {}
        steps = 3

    Race.hyperparams = hyperparams
    runs = Race.descend(Race.get_loss())
    return {name: run.rule or "" for name, run in zip(names, runs)}


def constants_in(latex: str) -> list[str]:
    return [f"{symbol} = {value}" for symbol, value in CONSTANT.findall(latex)]


def test_a_race_writes_the_given_hyperparameters_of_each_optimizer() -> None:
    rules = race_rules({name: given for name, (given, _) in GIVEN.items()}, tuple(GIVEN))
    for name, (_, expected) in GIVEN.items():
        assert constants_in(rules[name]) == expected, name


def test_a_race_with_no_hyperparameters_writes_torchs_defaults() -> None:
    rules = race_rules({}, tuple(DEFAULTS))
    for name, expected in DEFAULTS.items():
        assert constants_in(rules[name]) == expected, name


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_a_race_and_the_optimizers_lesson_write_the_same_constants_with_the_same_values(name: str) -> None:
    """The lesson's panel (``with_constants`` on the whole rule) and the race's legend name the same constants."""
    given = GIVEN.get(name, ({}, []))[0]
    rules = race_rules({name: given}, (name,))
    hyper = OPTIMIZERS[name](None, **given).hyperparams
    lesson = " ".join(with_constants(OPTIMIZERS[name].rule_latex_lines, hyper))
    assert sorted(constants_in(rules[name])) == sorted(constants_in(lesson))


@pytest.mark.parametrize("name", list(DEFINED))
def test_every_symbol_of_a_race_rule_is_defined_under_its_update(name: str) -> None:
    lines = rule_lines(name, OPTIMIZERS[name](None).hyperparams)
    assert lines[0].startswith(r"\theta_{k+1} = \theta_k")  # the update first
    for definition in DEFINED[name]:
        assert definition in " ".join(lines[1:]), (name, definition)
