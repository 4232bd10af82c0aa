"""Scene classes: each lesson is a :class:`manim.Scene` subclass varied by class attributes.

manim loads gdscenes as a plugin through :mod:`gdscenes.plugin`, which
hands out these classes lazily.
"""

from gdscenes.scenes.adam_preconditioner import AdamPreconditionerScene
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.contour import ContourScene
from gdscenes.scenes.curvature import CurvatureScene
from gdscenes.scenes.derivation import DerivationScene
from gdscenes.scenes.optimizer_internals import InternalsScene
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.learning_rate import LearningRateScene
from gdscenes.scenes.lesson import LessonScene
from gdscenes.scenes.local_minima import LocalMinimaScene
from gdscenes.scenes.loss_curve import LossCurveScene
from gdscenes.scenes.momentum_inertia import MomentumInertiaScene
from gdscenes.scenes.race import OptimizerRaceScene
from gdscenes.scenes.saddle import SaddleScene
from gdscenes.scenes.sgd_noise import SGDNoiseScene
from gdscenes.scenes.valley import ValleyScene

__all__ = [
    "AdamPreconditionerScene", "CurvatureScene", "DerivationScene", "InternalsScene", "MomentumInertiaScene",
    "SGDNoiseScene",
    "ComparisonScene", "ContourScene", "DescentScene", "LearningRateScene", "LessonScene",
    "LocalMinimaScene", "LossCurveScene", "OptimizerRaceScene", "Run", "SaddleScene", "ValleyScene",
]
