"""Momentum's inertia: gradient arrow and velocity arrow at the ball.

    manim -qh scenes/momentum_inertia.py MomentumInertia
"""

from gdscenes.scenes import MomentumInertiaScene


class MomentumInertia(MomentumInertiaScene):
    loss = "ill_conditioned"
    lr = 0.05
    hyperparams = {"momentum": 0.8}
    start = (-2.5, 1.2)
