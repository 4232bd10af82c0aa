"""Curvature at the ball: the Hessian's eigen-directions as an ellipse that follows the ball.

Gradient descent on Himmelblau's function from near its local maximum: the
ellipse is the level set of the local quadratic model (axes along the
Hessian's eigenvectors, semi-axes ``sqrt(2c / |lambda_i|)``; dashed where
the curvature is negative), and the panel shows the eigenvalues and the
condition number at every step. The ball starts where both directions curve
down, crosses a saddle-like region (one axis dashed) and settles in a bowl.
"""

from __future__ import annotations

from gdscenes.drawing.camera import Orbit
from gdscenes.scenes.optimizer_internals import InternalsScene
from gdscenes.scenes.registry import lesson


@lesson("curvature")
class CurvatureScene(InternalsScene):
    """Gradient descent with the curvature ellipse and the condition number."""

    loss = "himmelblau"
    optimizer = "gd"
    lr = 0.01
    start = (0.5, -0.2)
    steps = 60
    tol = 1e-3
    curvature_ellipse = True
    # seen from higher up, over a lower relief: the ridges hide less of the ball and its ellipse
    orbit = Orbit(phi=45.0)
    view_sizes = {"height": 2.0}
    max_roll_seconds = 9.0
