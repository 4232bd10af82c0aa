"""A saddle point: gradient descent stalls where the gradient vanishes.

    manim -qh scenes/saddle.py Saddle
"""

from gdscenes.scenes import SaddleScene


class Saddle(SaddleScene):
    loss = "saddle"  # x^2 - y^2
    lr = 0.05
    start = (-1.8, 0.002)  # almost on the ridge y = 0
