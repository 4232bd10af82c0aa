"""SGD jitters, GD does not: the same descent with exact and with noisy (minibatch-style) gradients.

Both balls start together; the stochastic one follows ``g_k + sigma xi_k``
with seeded Gaussian noise (:func:`gdscenes.core.runner.noise_stream`), so the
same ``seed`` always gives the same trajectory and the same video.
"""

from __future__ import annotations

from typing import Any, ClassVar

from gdscenes.core.runner import run
from gdscenes.drawing.camera import Orbit
from gdscenes.core.losses import Loss
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.palette import get_theme
from gdscenes.scenes.compare import ComparisonScene, Run
from gdscenes.scenes.lesson import loss_title
from gdscenes.scenes.registry import lesson


@lesson("sgd-noise")
class SGDNoiseScene(ComparisonScene):
    """Gradient descent and stochastic gradient descent (noise ``noise``, ``seed``) from one start."""

    loss = "ill_conditioned"
    optimizer: ClassVar[str] = "gd"
    lr: ClassVar[float] = 0.1
    hyperparams: ClassVar[dict[str, Any]] = {}
    start: ClassVar[tuple[float, float] | None] = (-2.5, 1.2)
    #: Standard deviation of the gradient noise, per coordinate, and its seed.
    noise: ClassVar[float] = 2.0
    seed: ClassVar[int | None] = 8
    steps = 60
    tol = None
    # a lower relief seen from higher up: the walls of the valley hide neither ball
    orbit = Orbit(phi=50.0)
    view_sizes = {"height": 1.6}

    @classmethod
    def descend(cls, loss: Loss) -> list[Run]:
        cls.check_start(loss, cls.start)
        common = dict(start=cls.start, lr=cls.lr, steps=cls.steps, tol=cls.tol, **cls.hyperparams)
        exact = run(loss, cls.optimizer, **common)
        noisy = run(loss, cls.optimizer, noise=cls.noise, seed=cls.seed, **common)
        return [
            Run(r"\text{exact: } g_k = \nabla f(\theta_k)", get_theme(cls.theme).series_color(1), exact),
            Run(r"\text{noisy: } g_k = \nabla f(\theta_k) + \sigma \xi_k", get_theme(cls.theme).series_color(0), noisy),
        ]

    def header(self, loss: Loss, runs: list[Run]) -> str:
        """The rule both follow, with ``g_k`` the gradient each uses."""
        t = runs[0].trajectory
        lines = OPTIMIZERS[t.optimizer].rule_latex_lines
        update = lines[-1].replace("&", "").replace(r"\nabla f(\theta_k)", "g_k")
        return update + rf",\ \eta = {float(t.hyperparams['lr']):g}"

    def footer(self, loss: Loss, runs: list[Run]) -> list[str]:
        noisy = runs[1].trajectory
        return [r"k\colon\ \text{step},\ \xi_k \sim \mathcal{N}(0, I)",
                rf"\sigma = {noisy.noise:g},\ \text{{seed }} {noisy.seed}"]

    def heading(self, loss: Loss) -> str:
        return self.title or f"SGD jitters, GD does not ({loss_title(loss)})"
