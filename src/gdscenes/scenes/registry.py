"""Scene names for the command line: ``gdscenes render NAME``."""

from __future__ import annotations


from manim import Scene

from gdscenes.suggest import did_you_mean

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
        raise ValueError(f"unknown scene {name!r}{did_you_mean(name, SCENES, 'choose one of')}") from None
