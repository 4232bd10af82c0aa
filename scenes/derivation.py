"""Gradient descent derived step by step: the loss, its exact gradient, the numbers substituted.

    manim -qh scenes/derivation.py Derivation
"""

from gdscenes.scenes import DerivationScene


class Derivation(DerivationScene):
    loss = "booth"
    lr = 0.03
    start = (-4.0, -3.0)
    domain = ((-5.0, 5.0), (-4.0, 6.0))  # around the path (booth's own is [-10, 10]^2)
    steps = 8
