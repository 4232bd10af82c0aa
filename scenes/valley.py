"""A narrow curved valley: plain gradient descent zig-zags along Rosenbrock's banana.

    manim -qh scenes/valley.py RosenbrockValley
"""

from gdscenes.scenes import ValleyScene


class RosenbrockValley(ValleyScene):
    loss = "rosenbrock"
    lr = 0.0019  # just under 2 / lambda_max = 0.002: zig-zags across the valley
    start = (-1.2, 1.0)
    height_scale = "log"
