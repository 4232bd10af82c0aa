"""Newton's method against gradient descent: a quadratic, Rosenbrock, and Newton drawn to a saddle.

    manim -qh scenes/newton_vs_gd.py NewtonVsGd
    manim -qh scenes/newton_vs_gd.py NewtonRosenbrock
    manim -qh scenes/newton_vs_gd.py NewtonSaddle
"""

from gdscenes.scenes import NewtonRosenbrockScene, NewtonSaddleScene, NewtonVsGdScene


class NewtonVsGd(NewtonVsGdScene):
    loss = "booth"  # a quadratic: one Newton step lands on its minimum
    start = (-7.0, -8.0)
    gd_lr = 0.08


class NewtonRosenbrock(NewtonRosenbrockScene):
    start = (-1.5, 2.1)
    gd_lr = 0.001


class NewtonSaddle(NewtonSaddleScene):
    loss = "double_well"  # x^4 - 2x^2 + y^2: minima at (+-1, 0), a saddle at the origin
    start = (-0.4, 1.3)
