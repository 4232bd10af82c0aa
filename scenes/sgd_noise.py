"""SGD jitters, GD does not: same start, exact vs noisy gradients (same seed, same video).

    manim -qh scenes/sgd_noise.py SGDNoise
"""

from gdscenes.scenes import SGDNoiseScene


class SGDNoise(SGDNoiseScene):
    loss = "ill_conditioned"
    lr = 0.1
    noise = 2.0  # standard deviation of the gradient noise, per coordinate
    seed = 8
