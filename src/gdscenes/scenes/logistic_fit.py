"""A sigmoid fitted to 0/1 data by gradient descent, beside the cross-entropy surface J(theta0, theta1).

The ``fit-line`` lesson on a logistic-regression model: the bundled ``exam``
data (hours studied against passed), the model panel draws the points at 0
and 1 and the curve ``sigma(theta0 + theta1 x)`` at the ball's iterate.
``data`` may name a CSV file whose targets are 0 or 1.
"""

from __future__ import annotations

from typing import ClassVar

from gdscenes.scenes.fit_line import FitLineScene
from gdscenes.scenes.registry import lesson


@lesson("logistic-fit")
class LogisticFitScene(FitLineScene):
    """A sigmoid fitted to 0/1 data (logistic regression) beside J(theta0, theta1)'s surface and contours."""

    loss = "logistic_regression"
    data: ClassVar[str | None] = "exam"
    lr = 2.0
    start: ClassVar[tuple[float, float] | None] = (0.0, 0.0)
    steps = 100
    tol = 1e-3
    #: (no residuals: the cross-entropy is not a distance to the curve)
    residuals: ClassVar[bool] = False
