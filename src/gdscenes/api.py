"""The Python API: ``import gdscenes as gd``.

::

    import gdscenes as gd

    t = gd.trajectory("himmelblau", optimizer="adam", lr=0.1, start=(-1, 1), steps=50)
    video = gd.render("descent", quality="l", loss="himmelblau", lr=0.05, steps=3)
    gd.losses()["rosenbrock"]

:func:`render` goes through the same spec validation as ``gdscenes render``
(:func:`gdscenes.production.spec.from_sources`: a bad value is one
``SpecError`` naming the key) and the same render job
(:func:`gdscenes.production.job.run`: outputs are written whole, under the
output lock). The :class:`Video` it returns is a :class:`pathlib.Path` that
shows itself as a ``<video>`` in Jupyter.

This module sits on the production layer; ``gdscenes/__init__`` hands its
names out lazily, so ``import gdscenes`` loads neither sympy nor manim.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import html
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gdscenes.core.losses import Loss
    from gdscenes.core.trajectory import Trajectory
    from gdscenes.production.spec import Spec

__all__ = ["KEYWORDS", "Video", "losses", "render", "render_spec", "slides", "spec_for", "trajectory"]

#: :func:`render`'s keyword arguments -> spec keys (the ``gdscenes render`` flags, same names);
#: any other keyword is a setting of the scene (``scene.<keyword>``), which the spec checks.
KEYWORDS: dict[str, str] = {
    "loss": "scene.loss", "start": "scene.start", "steps": "scene.steps", "tol": "scene.tol", "theme": "scene.theme",
    "optimizer": "optimizer.name", "lr": "optimizer.lr", "momentum": "optimizer.momentum",
    "alpha": "optimizer.alpha", "betas": "optimizer.betas", "eps": "optimizer.eps",
    "quality": "render.quality", "fps": "render.fps", "renderer": "render.renderer", "aspect": "render.aspect",
    "duration": "render.duration", "media_dir": "render.media_dir", "name": "render.name", "size": "render.size",
    "transparent": "render.transparent", "sections": "render.sections",
    "captions": "export.captions", "csv": "export.csv", "json": "export.json", "gif": "export.gif",
    "stills": "export.stills", "vertical": "export.vertical",
}
#: Keywords that take a whole table (a dict), e.g. ``camera={"preset": "dive", "zoom": 0.8}``.
TABLE_KEYWORDS = ("scene", "optimizer", "camera", "render", "export")

#: Videos up to this size are embedded in a notebook (base64); larger ones are linked by path.
EMBED_BYTES = 25 * 2**20

_PATH: Any = type(Path())  # PosixPath or WindowsPath: Python 3.11's Path cannot be subclassed itself


class Video(_PATH):  # type: ignore[misc]
    """A rendered video's path (a :class:`pathlib.Path`) that Jupyter shows as a ``<video>``."""

    #: Show at most this wide in a notebook (CSS pixels).
    width = 640

    def _repr_html_(self) -> str:
        mime = {".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime"}.get(self.suffix.lower(), "video/mp4")
        try:
            size = self.stat().st_size
        except OSError:
            return f"<p>no video at {html.escape(str(self))}</p>"
        if size <= EMBED_BYTES:
            source = f"data:{mime};base64," + base64.b64encode(self.read_bytes()).decode("ascii")
        else:  # linked: relative to the notebook's folder when it is below it
            try:
                source = Path(os.path.relpath(self)).as_posix()
            except ValueError:
                source = self.as_uri()
        return (f'<video controls loop autoplay muted playsinline style="max-width: {self.width}px; width: 100%" '
                f'title="{html.escape(self.name)}"><source src="{html.escape(source)}" type="{mime}"></video>')

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": repr(str(self))}


def losses() -> dict[str, Loss]:
    """The library of loss landscapes: name -> :class:`~gdscenes.core.losses.Loss`."""
    from gdscenes.core.losses import LIBRARY

    return dict(LIBRARY)


def trajectory(loss: str | Loss, optimizer: str = "gd", lr: float | None = None, start: Any = None,
               steps: int = 100, **hyper: Any) -> Trajectory:
    """Descend ``loss`` (a library name, a formula in ``x`` and ``y``, or a Loss) and return the
    :class:`~gdscenes.core.trajectory.Trajectory` (what ``gdscenes trajectory`` writes).

    ``start`` is a point ``(x, y)`` or an ``(N, 2)`` array of them (default: the loss's);
    ``hyper`` holds ``tol``, ``noise``, ``seed`` and the optimizer's hyperparameters
    (``momentum``, ``betas``, ...). A bad value raises a one-line ``ValueError``.
    """
    from gdscenes.core.losses import get_loss
    from gdscenes.core.runner import run

    return run(get_loss(loss), optimizer, start=start, lr=lr, steps=steps, **hyper)


def spec_for(scene: str | type = "descent", **settings: Any) -> Spec:
    """The validated spec of ``scene`` (a registry name or a lesson class) with ``settings``
    (see :data:`KEYWORDS`): exactly what ``gdscenes render`` checks."""
    from gdscenes.production.spec import SpecError, from_sources

    lesson: type | None = None
    if isinstance(scene, type):
        lesson, scene = scene, _registered_name(scene)
    if not isinstance(scene, str):
        raise SpecError(f"scene must be a scene name or a lesson class, got {type(scene).__name__}")
    overrides: list[tuple[str, Any]] = []
    for key, value in settings.items():
        if key in TABLE_KEYWORDS and isinstance(value, Mapping):
            overrides += [(f"{key}.{leaf}", _plain(item)) for leaf, item in value.items()]
        elif key == "camera":
            overrides.append(("camera.preset", value))
        elif value is not None:
            overrides.append((KEYWORDS.get(key, f"scene.{key}"), _plain(value)))
    spec = from_sources(None, overrides, raw={"scene": {"name": scene}})
    if lesson is not None and lesson is not spec.scene_class().__mro__[1]:  # (the registered class itself: as is)
        spec = _class_spec_type()(**{f.name: getattr(spec, f.name) for f in dataclasses.fields(spec)}, lesson=lesson)
    return spec


def render(scene: str | type = "descent", quality: str = "l", **settings: Any) -> Video:
    """Render ``scene`` (a registry name such as ``"descent"``, or a lesson class) and return its :class:`Video`.

    ``settings`` are spec values by their ``gdscenes render`` flag names (``loss``, ``lr``,
    ``steps``, ``start``, ``optimizer``, ``momentum``, ``camera``, ``duration``, ``fps``,
    ``aspect``, ``media_dir``, ``name``, ``sections``, ...; see :data:`KEYWORDS`), a table
    as a dict (``camera={"zoom": 0.8}``, ``render={...}``), or any setting of the scene
    (``seconds_per_step=0.2``). They are validated like the command line's: a bad one is
    a one-line :class:`~gdscenes.production.spec.SpecError` before anything renders.

    The quality defaults to ``"l"`` (480p15), the quick preview. Outputs go to
    ``media_dir`` (default ``media``) as ``gdscenes render`` writes them.
    """
    return render_spec(spec_for(scene, quality=quality, **settings))


def slides(scene: str | type = "descent", quality: str = "l", out: str | os.PathLike[str] | None = None,
           **settings: Any) -> Path:
    """``gdscenes slides``: render ``scene`` with sections and write its step-by-step presentation
    (see :mod:`gdscenes.production.slides`) into ``out`` (default ``MEDIA_DIR/slides``);
    returns the presenter page (``NAME.html``; ``NAME.json`` beside it is manim-slides')."""
    from gdscenes.production import slides as decks

    deck, _ = decks.make(spec_for(scene, quality=quality, sections=True, **settings), out)
    return deck.html


def render_spec(spec: Spec) -> Video:
    """Render a validated spec through the render job; the video, with ``.record`` the job's record."""
    from gdscenes.production.job import run

    record = run({"name": spec.output_name(), "raw": spec.raw}, spec)
    video = Video(record["video"])
    video.record = record
    return video


def _plain(value: Any) -> Any:
    """numpy scalars and arrays, tuples: the plain values a spec holds."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _registered_name(cls: type) -> str:
    """The registry name of lesson class ``cls``, or of the nearest registered lesson it derives from."""
    from gdscenes.production.spec import SpecError
    from gdscenes.scenes.registry import SCENES

    by_class = {v: k for k, v in SCENES.items()}
    for base in cls.__mro__:
        if base in by_class:
            return by_class[base]
    raise SpecError(f"scene class {cls.__name__} is not a lesson (derive it from one of: {', '.join(sorted(SCENES))})")


@functools.cache
def _class_spec_type() -> type:
    from gdscenes.production.spec import Spec

    @dataclasses.dataclass(frozen=True)
    class ClassSpec(Spec):
        """A spec validated against a registered lesson, rendered with the caller's own subclass of it."""

        lesson: type | None = dataclasses.field(default=None, repr=False)

        def scene_class(self) -> type:
            assert self.lesson is not None
            return type(self.lesson.__name__, (self.lesson,), dict(self.settings))

    return ClassSpec

