"""Optimizer race: five optimizers from one start, each with its rule, and the finish order.

    manim -qh scenes/race.py Race
"""

from gdscenes.scenes import OptimizerRaceScene


class Race(OptimizerRaceScene):
    loss = "ill_conditioned"
    optimizers = ("gd", "momentum", "nesterov", "rmsprop", "adam")
    lrs = {"gd": 0.15, "momentum": 0.05, "nesterov": 0.05, "rmsprop": 0.05, "adam": 0.2}
