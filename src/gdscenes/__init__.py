"""gdscenes: educational 3D videos of gradient descent.

The package is layered; each layer imports only from the ones above it in this list:

* base modules: :mod:`gdscenes.atomic` (files written whole), :mod:`gdscenes.cache`;
* :mod:`gdscenes.core`: losses (sympy), optimizers, the descent loop, trajectories (no manim);
* :mod:`gdscenes.display`: display geometry, palette, timeline (no manim);
* :mod:`gdscenes.drawing`: manim mobjects (:mod:`gdscenes.drawing.gl`: the OpenGL fast path);
* :mod:`gdscenes.scenes`: the lessons, one module each;
* :mod:`gdscenes.production`: specs, render, sweeps, exports;
* :mod:`gdscenes.cli`: the ``gdscenes`` command.

Modules that lived directly in ``gdscenes`` before the layers were made still
import under their old names (``gdscenes.descent``, ``gdscenes.spec``, ...):
:data:`MOVED` maps each old name to its module, which is loaded under both.

The Python API (:mod:`gdscenes.api`, on the production layer) is handed out
lazily, so ``import gdscenes`` loads neither sympy nor manim::

    import gdscenes as gd
    gd.trajectory("himmelblau", optimizer="adam", lr=0.1, steps=50)
    gd.render("descent", quality="l", steps=3)      # the video's path; a <video> in Jupyter
    gd.losses()                                     # name -> Loss

Three API names are also old module names (``gdscenes.trajectory``,
``gdscenes.render``, ``gdscenes.losses``): there the attribute is the API
function, and reading any other attribute through it reaches the old module
(``import gdscenes.render as r; r.variant`` still works).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType

__version__ = "0.1.0"

#: Old module name -> the module that holds it now.
MOVED: dict[str, str] = {
    "gdscenes.losses": "gdscenes.core.losses",
    "gdscenes.losses.library": "gdscenes.core.losses.library",
    "gdscenes.losses.parser": "gdscenes.core.losses.parser",
    "gdscenes.losses.symbolic": "gdscenes.core.losses.symbolic",
    "gdscenes.optimizers": "gdscenes.core.optimizers",
    "gdscenes.descent": "gdscenes.core.runner",
    "gdscenes.trajectory": "gdscenes.core.trajectory",
    "gdscenes.basins": "gdscenes.core.outcomes",
    "gdscenes.internals": "gdscenes.core.curvature",
    "gdscenes.derivation": "gdscenes.core.worked_step",
    "gdscenes.view": "gdscenes.display.view",
    "gdscenes.contours": "gdscenes.display.contours",
    "gdscenes.visibility": "gdscenes.display.visibility",
    "gdscenes.palette": "gdscenes.display.palette",
    "gdscenes.captions": "gdscenes.display.timeline",
    "gdscenes.gl_probe": "gdscenes.drawing.gl.probe",
    "gdscenes.drawing.renderer": "gdscenes.drawing.gl.renderer",
    "gdscenes.drawing.overlay": "gdscenes.drawing.gl.overlay",
    "gdscenes.drawing.floor_texture": "gdscenes.drawing.gl.floor_texture",
    "gdscenes.drawing.surface_shader": "gdscenes.drawing.gl.surface_shader",
    "gdscenes.drawing.readback": "gdscenes.drawing.gl.readback",
    "gdscenes.drawing.loss_curve": "gdscenes.drawing.loss_plot",
    "gdscenes.spec": "gdscenes.production.spec",
    "gdscenes.render": "gdscenes.production.render",
    "gdscenes.job": "gdscenes.production.job",
    "gdscenes.sweep": "gdscenes.production.sweep",
    "gdscenes.distributed": "gdscenes.production.distributed",
    "gdscenes.export": "gdscenes.production.export",
    "gdscenes.grid": "gdscenes.production.grid",
    "gdscenes.thumbnail": "gdscenes.production.thumbnail",
    "gdscenes.progress": "gdscenes.production.progress",
    "gdscenes.doctor": "gdscenes.production.doctor",
    "gdscenes.scenes.adam": "gdscenes.scenes.adam_preconditioner",
    "gdscenes.scenes.momentum": "gdscenes.scenes.momentum_inertia",
    "gdscenes.scenes.internals": "gdscenes.scenes.optimizer_internals",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module name and hands out the module that holds it now (one object, two names)."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        """The module ran under its own name already."""


if not any(isinstance(finder, _Alias) for finder in sys.meta_path):
    sys.meta_path.append(_Alias())


#: Names :mod:`gdscenes.api` hands out (loaded on first use).
API = ("trajectory", "render", "losses", "slides", "render_spec", "spec_for", "Video")
#: Other names loaded on first use: name -> (module, attribute).
LAZY = {"Trajectory": ("gdscenes.core.trajectory", "Trajectory"), "Loss": ("gdscenes.core.losses", "Loss"),
        "api": ("gdscenes.api", None)}


class _Entry:
    """An API function whose name is also an old module's: calling it calls the API; any other
    attribute is the old module's (``gdscenes.render.variant``)."""

    def __init__(self, name: str) -> None:
        self.__name__ = self.__qualname__ = name
        self.__module__ = "gdscenes"

    def _function(self) -> object:
        return getattr(importlib.import_module(f"{__name__}.api"), self.__name__)

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._function()(*args, **kwargs)  # type: ignore[operator]

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return self._function().__doc__

    @property
    def __signature__(self) -> object:  # (for help() and Jupyter's Shift-Tab: the API function's)
        import inspect

        return inspect.signature(self._function())  # type: ignore[arg-type]

    def __getattr__(self, attribute: str) -> object:
        if attribute.startswith("__"):  # (inspect and IPython probe __wrapped__ etc.: not the old module's)
            raise AttributeError(attribute)
        return getattr(importlib.import_module(MOVED[f"gdscenes.{self.__name__}"]), attribute)

    def __repr__(self) -> str:
        return f"<gdscenes.{self.__name__}: the API function (and the old module gdscenes.{self.__name__})>"


class _Package(ModuleType):
    """``gdscenes`` itself: loading an old module of the same name does not replace an API entry."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and isinstance(self.__dict__.get(name), _Entry):
            return
        super().__setattr__(name, value)


trajectory = _Entry("trajectory")
render = _Entry("render")
losses = _Entry("losses")


def __getattr__(name: str) -> object:
    if name in API:
        value = getattr(importlib.import_module(f"{__name__}.api"), name)
    elif name in LAZY:
        module, attribute = LAZY[name]
        value = importlib.import_module(module)
        value = getattr(value, attribute) if attribute else value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(API) | set(LAZY))


sys.modules[__name__].__class__ = _Package
