"""Scene classes: each lesson is a :class:`manim.Scene` subclass varied by class attributes.

Importing this module is also how manim loads gdscenes as a plugin
(entry point ``manim.plugins``: ``gdscenes = "gdscenes.scenes"``).
"""

from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.contour import ContourScene
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.learning_rate import LearningRateScene
from gdscenes.scenes.lesson import LessonScene
from gdscenes.scenes.local_minima import LocalMinimaScene
from gdscenes.scenes.loss_curve import LossCurveScene
from gdscenes.scenes.race import OptimizerRaceScene
from gdscenes.scenes.saddle import SaddleScene
from gdscenes.scenes.valley import ValleyScene

__all__ = [
    "ComparisonScene", "ContourScene", "DescentScene", "LearningRateScene", "LessonScene",
    "LocalMinimaScene", "LossCurveScene", "OptimizerRaceScene", "Run", "SaddleScene", "ValleyScene",
]
