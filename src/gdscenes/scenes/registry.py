"""Scene names for the command line: ``gdscenes render NAME``."""

from __future__ import annotations

import difflib

from manim import Scene

from gdscenes.scenes.adam_preconditioner import AdamPreconditionerScene
from gdscenes.scenes.contour import ContourScene
from gdscenes.scenes.curvature import CurvatureScene
from gdscenes.scenes.derivation import DerivationScene
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.learning_rate import LearningRateScene
from gdscenes.scenes.local_minima import LocalMinimaScene
from gdscenes.scenes.loss_curve import LossCurveScene
from gdscenes.scenes.momentum_inertia import MomentumInertiaScene
from gdscenes.scenes.race import OptimizerRaceScene
from gdscenes.scenes.saddle import SaddleScene
from gdscenes.scenes.sgd_noise import SGDNoiseScene
from gdscenes.scenes.valley import ValleyScene

SCENES: dict[str, type[Scene]] = {
    "descent": DescentScene,
    "learning-rate": LearningRateScene,
    "local-minima": LocalMinimaScene,
    "valley": ValleyScene,
    "race": OptimizerRaceScene,
    "contour": ContourScene,
    "saddle": SaddleScene,
    "loss-curve": LossCurveScene,
    # optimizer internals, drawn (issue 5)
    "curvature": CurvatureScene,
    "momentum-inertia": MomentumInertiaScene,
    "adam-preconditioner": AdamPreconditionerScene,
    "sgd-noise": SGDNoiseScene,
    "derivation": DerivationScene,
}


def get_scene(name: str) -> type[Scene]:
    """The scene class called ``name``; a one-line error with a suggestion otherwise."""
    try:
        return SCENES[name]
    except KeyError:
        close = difflib.get_close_matches(name, SCENES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; choose one of: {', '.join(sorted(SCENES))}"
        raise ValueError(f"unknown scene {name!r}{hint}") from None
