"""A plain vectorized mobject that works under both of manim's renderers.

manim's own ``VMobject`` is the Cairo class; its OpenGL twin is
``OpenGLVMobject``. A subclass created with manim's ``ConvertToOpenGL``
metaclass is re-based onto whichever the configured renderer needs, the way
manim's own shapes are.
"""

from __future__ import annotations

import numpy as np
from manim import VMobject
from manim.mobject.opengl.opengl_compatibility import ConvertToOpenGL


class Polyline(VMobject, metaclass=ConvertToOpenGL):  # type: ignore[misc]
    """A polyline through ``points`` (``(n, 3)``); empty when none are given."""

    def __init__(self, points: np.ndarray | None = None, **style: object) -> None:
        super().__init__(**style)
        if points is not None and len(points):
            self.set_points_as_corners(np.asarray(points, dtype=float))

    def add_subpath(self, points: np.ndarray) -> Polyline:
        """Append a polyline through ``points`` as a sub-path of its own (the first one if there is none yet)."""
        if not self.has_points():
            self.set_points_as_corners(points)
        else:
            self.start_new_path(points[0])
            self.add_points_as_corners(points[1:])
        return self
