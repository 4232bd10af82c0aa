"""Momentum's inertia: at every step the gradient step and the velocity step, side by side.

On an ill-conditioned bowl, the arrow ``-eta grad f(theta_k)`` (where plain
gradient descent would go) and the arrow ``-eta v_{k+1}`` (where momentum
goes, and the ball does) start at the ball; where the gradient turns, the
velocity keeps its heading. The panel shows ``v_{k+1}`` of every step.
"""

from __future__ import annotations

from gdscenes.drawing.camera import Orbit
from gdscenes.scenes.optimizer_internals import InternalsScene
from gdscenes.scenes.registry import lesson


@lesson("momentum-inertia")
class MomentumInertiaScene(InternalsScene):
    """Heavy-ball momentum with the gradient and velocity arrows at the ball."""

    loss = "ill_conditioned"
    optimizer = "momentum"
    lr = 0.05
    hyperparams = {"momentum": 0.8}
    start = (-2.5, 1.2)
    steps = 60
    tol = 1e-2
    step_arrows = True
    arrow_scale = 3.0  # both arrows three times the true steps (their ratio and directions are true)
    state_rows = True
    # a lower relief seen from higher up: the camera sees both walls of the valley (and what is drawn on them)
    orbit = Orbit(phi=50.0)
    view_sizes = {"height": 1.6}
    max_roll_seconds = 12.0
