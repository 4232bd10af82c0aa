"""gdscenes: educational 3D videos of gradient descent.

The math (:mod:`gdscenes.losses`, :mod:`gdscenes.optimizers`,
:mod:`gdscenes.descent`, :mod:`gdscenes.trajectory`) imports no manim;
:mod:`gdscenes.scenes` and :mod:`gdscenes.drawing` hold the manim side.
"""

__version__ = "0.1.0"
