"""Scene specs: one TOML file holds everything about a clip.

A spec is a nested dict (read with :mod:`tomllib`) with five tables::

    [scene]      name = "descent", then any public class attribute of that scene
    [optimizer]  name, lr, and the optimizer's hyperparameters (momentum, betas, ...)
    [camera]     preset (orbit, follow, dive, static), the fields of the scene's Orbit (phi, theta, ...)
    [render]     quality, fps, renderer, aspect, size, transparent, sections, duration, media_dir, name
    [export]     csv, json, gif, gif_fps, gif_width, stills, vertical, captions

Values are layered: scene class defaults < spec file < command-line flags <
``--set key=value`` (see :func:`apply`). :func:`resolve` validates the merged
dict before anything renders: every bad value is a one-line ``SpecError``
naming the key, the value and what is allowed; an unknown key comes with a
"did you mean" suggestion. Scene keys are not listed here: they are the
chosen scene class's public class attributes, typed by their annotations (or
their defaults), so a new lesson scene's settings work without code changes.
Every number must be finite and in the range :mod:`gdscenes.production.limits`
states for its key; spec files must be regular UTF-8 files of at most 1 MiB,
nested at most 16 deep.

This module imports neither manim nor the scenes until a spec is resolved
(the choices it checks come from :mod:`gdscenes.production.settings`).
"""

from __future__ import annotations

import copy
import dataclasses
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.display.camera_presets import CAMERA_PRESETS
from gdscenes.production import limits
from gdscenes.production.limits import SpecError
from gdscenes.production.names import NAMED_TABLES, output_name, slug
from gdscenes.production.settings import ALPHA_FORMATS, ASPECTS, RENDERERS, SIZES, quality_order
from gdscenes.suggest import did_you_mean

__all__ = ["TABLES", "EXPORT_KEYS", "NAMED_TABLES", "Spec", "SpecError", "apply", "attribute_types", "coerce",
           "from_sources", "load", "lookup", "one_line", "parse_assignment", "parse_value",
           "render_keys", "resolve", "slug", "suggest", "trajectories"]

TABLES = ("scene", "optimizer", "camera", "render", "export")

def render_keys() -> dict[str, tuple[Any, Any, tuple[Any, ...] | None]]:
    """``[render]`` keys: (default, type hint, allowed values or None), from :mod:`gdscenes.production.settings`."""
    return {
        "quality": ("h", str, quality_order()),
        "fps": (None, float | None, None),
        "renderer": ("auto", str, tuple(RENDERERS)),
        "aspect": ("16:9", str, tuple(ASPECTS)),
        "size": (None, str | None, None),
        "transparent": (None, bool | str | None, None),
        "sections": (False, bool, None),
        "duration": (None, float | None, None),
        "media_dir": ("media", str, None),
        "name": (None, str | None, None),
    }


#: ``[export]`` keys: (default, type hint).
EXPORT_KEYS: dict[str, tuple[Any, Any]] = {
    "csv": (False, bool),
    "json": (False, bool),
    "gif": (False, bool),
    "gif_fps": (10.0, float),
    "gif_width": (480, int),
    "stills": ((), tuple[float | str, ...]),
    "vertical": (False, bool),
    "captions": (False, bool),
}




def one_line(error: BaseException) -> str:
    """The first line of ``error``'s message (its type's name if it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# -- reading and layering ------------------------------------------------------
def load(path: str | Path) -> dict[str, Any]:
    """The raw nested dict of a TOML spec file (one-line error if it cannot be read or does not parse).

    The file must be a regular file of at most :data:`~gdscenes.production.limits.MAX_SPEC_BYTES`
    (a folder, FIFO or device is refused without reading it), UTF-8, nested at
    most :data:`~gdscenes.production.limits.MAX_DEPTH` deep.
    """
    text = limits.read_text(path, "spec file")
    where = f"spec file {str(path)!r}"
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{where} is not valid TOML: {one_line(error)}") from None
    except RecursionError:
        raise SpecError(f"{where} nests arrays or tables too deep; allowed: at most {limits.MAX_DEPTH} levels") from None
    limits.check_depth(raw, where)
    return raw


def parse_value(text: str) -> Any:
    """A ``--set``/``--vary`` value: a TOML value (``0.05``, ``true``, ``[1, 2]``, ``"x"``), else the bare string."""
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()
    except RecursionError:
        raise SpecError(f"value {limits.show(text)} nests arrays too deep; allowed: at most {limits.MAX_DEPTH} levels") from None
    limits.check_depth(value, f"value {limits.show(text)}")
    return value


def parse_assignment(text: str, option: str = "--set") -> tuple[str, str]:
    """``"optimizer.lr=0.05"`` to ``("optimizer.lr", "0.05")``."""
    key, sep, value = text.partition("=")
    if not sep or "." not in key.strip():
        raise SpecError(f"{option} {text!r} must look like TABLE.KEY=VALUE, e.g. optimizer.lr=0.05")
    return key.strip(), value


def apply(raw: Mapping[str, Any], overrides: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """A copy of ``raw`` with dotted keys (``"optimizer.lr"``) set to values, in order."""
    merged = copy.deepcopy(dict(raw))
    for key, value in overrides:
        table, _, leaf = key.partition(".")
        if not leaf:
            raise SpecError(f"key {key!r} must look like TABLE.KEY; tables: {', '.join(TABLES)}")
        if table not in TABLES:
            raise SpecError(f"unknown table {table!r} in {key!r}{suggest(table, TABLES)}")
        *inner, last = leaf.split(".")  # optimizer.schedule.name: the table [optimizer.schedule]
        place = merged.setdefault(table, {})
        for part in inner:
            place = place.setdefault(part, {})
            if not isinstance(place, dict):
                raise SpecError(f"key {key!r}: {table}.{part} is a value, not a table")
        place[last] = value
    return merged


def suggest(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'lr'?"`` or the list of choices (:func:`gdscenes.suggest.did_you_mean`)."""
    return did_you_mean(word, choices)


# -- typing ----------------------------------------------------------------------
def coerce(key: str, value: Any, hint: Any, allowed: tuple[Any, ...] | None = None) -> Any:
    """``value`` checked against the type ``hint`` (tuples from lists or ``"a,b"``), else a ``SpecError``."""
    result = _coerce(key, value, hint)
    if allowed is not None and result not in allowed:
        raise SpecError(f"{key} = {value!r} is not allowed; choose one of: {', '.join(map(str, allowed))}")
    return result


def _describe(hint: Any) -> str:
    if hint is Any:
        return "any value"
    if hint is float:
        return "a number"
    if hint is int:
        return "an integer"
    if hint is bool:
        return "true or false"
    if hint is str:
        return "a string"
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join("none" if a is type(None) else _describe(a) for a in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(map(repr, args))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of ({_describe(args[0])})"
        return f"a list of {len(args)} ({', '.join(_describe(a) for a in args)})"
    if hint in (tuple, list):
        return "a list"
    if origin is dict or hint is dict:
        return "a table"
    return getattr(hint, "__name__", str(hint))


_REJECTED = object()
_NUMBER = (int, float)

#: Scalar types: the accepted value converted, or ``_REJECTED`` (``True`` is no number).
_SCALARS: dict[type, Any] = {
    bool: lambda v: v if isinstance(v, bool) else _REJECTED,
    int: lambda v: (int(v) if isinstance(v, _NUMBER) and not isinstance(v, bool) and float(v).is_integer()
                    else _REJECTED),
    float: lambda v: float(v) if isinstance(v, _NUMBER) and not isinstance(v, bool) else _REJECTED,
    str: lambda v: v if isinstance(v, str) else _REJECTED,
}


def _coerce(key: str, value: Any, hint: Any) -> Any:  # one branch per kind of type
    bad = SpecError(f"{key} = {value!r} is not allowed; expected {_describe(hint)}")
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or hint is object:
        return value
    if origin in (types.UnionType, typing.Union):
        if type(None) in args and (value is None or (isinstance(value, str) and value.lower() in ("none", "null"))):
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(key, value, arg)
            except SpecError:
                continue
        raise bad
    if origin is typing.Literal:
        if value in args:
            return value
        raise bad
    if hint in _SCALARS:
        result = _SCALARS[hint](value)
        if result is _REJECTED:
            raise bad
        return result
    if origin is tuple:
        if isinstance(value, str) and "," in value:
            value = [parse_value(part) for part in value.split(",")]
        if not isinstance(value, (list, tuple)):
            raise bad
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(key, v, args[0]) for v in value)
        if len(value) != len(args):
            raise bad
        return tuple(_coerce(key, v, a) for v, a in zip(value, args, strict=True))
    if hint in (tuple, list):  # unparametrised: any list of values
        if isinstance(value, (list, tuple)):
            return hint(value)
        raise bad
    if origin is dict or hint is dict:
        if isinstance(value, dict):
            return dict(value)
        raise bad
    if isinstance(hint, type):
        if isinstance(value, hint):
            return value
        raise bad
    return value


def attribute_types(cls: type) -> dict[str, Any]:
    """Public class attributes of ``cls`` (and its non-manim bases) to their type hints.

    The hint is the annotation (``ClassVar`` unwrapped); without one, the
    default value's type; ``Any`` for a ``None`` default without annotation.
    Methods, properties and dunder/private names are left out.
    """
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation that cannot be evaluated: fall back to the defaults
        hints = {}
    names: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass is object or klass.__module__.split(".")[0] == "manim":
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or callable(value) or isinstance(value, (classmethod, staticmethod, property)):
                continue
            hint = hints.get(name)
            if typing.get_origin(hint) is typing.ClassVar:
                hint = typing.get_args(hint)[0] if typing.get_args(hint) else Any
            if hint is None:
                hint = Any if value is None else type(value)
            names[name] = hint
    return names


# -- the resolved spec -----------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    """A validated spec: the scene to render and how.

    ``settings`` holds the scene class attributes that differ from the class
    (given in the spec, on the command line or with ``--set``);
    ``raw`` the merged dict it came from (what a manifest records).
    """

    scene: str
    settings: dict[str, Any]
    render: dict[str, Any]
    export: dict[str, Any]
    raw: dict[str, Any] = field(repr=False)
    #: start of output names: the spec file's stem, else the scene name
    base: str = ""
    #: dotted keys given on top of the base (flags, ``--set``), in order, for output names
    given: tuple[str, ...] = ()
    #: the trajectories the scene's ``check()`` computed when the spec was validated
    #: (see :func:`trajectories`): exports and timings use them instead of descending
    #: again. They follow the settings only through :func:`resolve`; a spec copied
    #: with other settings by ``dataclasses.replace`` keeps the old ones.
    found: list[Any] = field(default_factory=list, repr=False, compare=False)

    def scene_class(self) -> type:
        """The configured scene class (a subclass of the registry's with ``settings``)."""
        from gdscenes.scenes.registry import get_scene

        base = get_scene(self.scene)
        return type(base.__name__, (base,), dict(self.settings))

    def output_name(self) -> str:
        """``render.name``, else a readable name from the scene and the values given (see ``names``)."""
        given = [(key, lookup(self.raw, key)) for key in self.given]
        return output_name(self.base or self.scene, given, self.render.get("name"))


def lookup(raw: Mapping[str, Any], key: str) -> Any:
    """The value of a dotted key (``optimizer.lr``, ``optimizer.schedule.name``) in ``raw``, or ``None``."""
    value: Any = raw
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def resolve(raw: Mapping[str, Any], given: Iterable[str] = (), base: str = "") -> Spec:
    """Validate ``raw`` (a merged spec dict) into a :class:`Spec`; ``SpecError`` on the first bad value.

    Value checks that need the math (a start outside the domain, a negative
    learning rate, an unknown loss) come from the scene's ``check()``, run
    here, before any rendering.
    """
    if not isinstance(raw, Mapping):
        raise SpecError(f"a spec must be a table of tables ({', '.join(TABLES)}), got {limits.show(raw)}")
    limits.check_depth(raw, "the spec")
    for table in raw:
        if table not in TABLES:
            raise SpecError(f"unknown table [{table}]{suggest(str(table), TABLES)}")
        if not isinstance(raw[table], dict):
            raise SpecError(f"{table} must be a table ([{table}]), got {limits.show(raw[table])}")
    scene_table = dict(raw.get("scene", {}))
    scene_name = coerce("scene.name", scene_table.pop("name", "descent"), str)
    # Render and export values first: they need no scene class (no manim).
    keys = render_keys()
    render = _table("render", raw, {k: (d, h) for k, (d, h, _) in keys.items()}, {k: a for k, (_, _, a) in keys.items()})
    _presets(render, dict(raw.get("render", {})))
    for key, allowed in limits.RENDER.items():
        if render[key] is not None:
            limits.check(f"render.{key}", render[key], allowed)
    limits.check_media_dir("render.media_dir", render["media_dir"])
    export = _table("export", raw, EXPORT_KEYS, {})
    for key, allowed in limits.EXPORT.items():
        limits.check(f"export.{key}", export[key], allowed)
    if len(export["stills"]) > limits.MAX_STILLS:
        raise SpecError(f"export.stills has {len(export['stills'])} times; allowed: at most {limits.MAX_STILLS}")
    for still in export["stills"]:
        if still != "last" and still not in limits.Range(0, limits.MAX_CLIP_SECONDS):
            raise SpecError(f"export.stills has {limits.show(still)}; allowed: times in seconds from 0 to the clip's "
                            "length, or \"last\"")
    from gdscenes.scenes.registry import SCENES  # (manim: only now)

    if scene_name not in SCENES:
        raise SpecError(f"scene.name = {limits.show(scene_name)} is not a scene{suggest(scene_name, SCENES)}")
    cls = SCENES[scene_name]
    types_ = attribute_types(cls)
    settings: dict[str, Any] = {}
    for key, value in scene_table.items():
        if key not in types_:
            raise SpecError(f"unknown key scene.{key} for scene {scene_name!r}{suggest(key, types_)}")
        settings[key] = coerce(f"scene.{key}", value, types_[key])
        limits.check_scene(f"scene.{key}", key, settings[key])
    settings.update(_optimizer_settings(dict(raw.get("optimizer", {})), cls, types_))
    settings.update(_camera_settings(dict(raw.get("camera", {})), cls))
    for table in raw:  # (the values with a range were checked against it above, naming the range)
        limits.check_finite(raw[table], table)
    spec = Spec(scene_name, settings, render, export, copy.deepcopy(dict(raw)), base, tuple(dict.fromkeys(given)))
    return _checked(spec)


def _presets(render: dict[str, Any], given: Mapping[str, Any]) -> None:
    """``render.size`` sets quality and aspect (unless given too); ``render.transparent``
    becomes ``None``, ``"mov"`` or ``"webm"`` (``true`` is ``"mov"``)."""
    size = render["size"]
    if size is not None:
        if size not in SIZES:
            raise SpecError(f"render.size = {size!r} is not allowed; choose one of: {', '.join(SIZES)}")
        quality, aspect = SIZES[size]
        if "quality" not in given:
            render["quality"] = quality
        if "aspect" not in given:
            render["aspect"] = aspect
    alpha = render["transparent"]
    if alpha is True:
        alpha = "mov"
    elif alpha is False or (isinstance(alpha, str) and alpha.lower() in ("", "none", "false", "no")):
        alpha = None
    if alpha is not None and alpha not in ALPHA_FORMATS:
        raise SpecError(f"render.transparent = {alpha!r} is not allowed; choose one of: true, false, "
                        f"{', '.join(ALPHA_FORMATS)}")
    render["transparent"] = alpha
    if alpha == "webm" and render["sections"]:
        raise SpecError("render.sections = true is not allowed with render.transparent = 'webm' "
                        "(manim cannot index webm sections); use 'mov'")


def _table(name: str, raw: Mapping[str, Any], keys: Mapping[str, tuple[Any, Any]],
           allowed: Mapping[str, tuple[Any, ...] | None]) -> dict[str, Any]:
    values = {k: d for k, (d, _) in keys.items()}
    for key, value in dict(raw.get(name, {})).items():
        if key not in keys:
            raise SpecError(f"unknown key {name}.{key}{suggest(key, keys)}")
        values[key] = coerce(f"{name}.{key}", value, keys[key][1], allowed.get(key))
    return values


def _optimizer_settings(table: dict[str, Any], cls: type, types_: Mapping[str, Any]) -> dict[str, Any]:
    """``[optimizer]`` onto the scene's ``optimizer``, ``lr`` and ``hyperparams`` attributes."""
    if not table:
        return {}
    for key, attribute in (("name", "optimizer"), ("lr", "lr")):
        if key in table and attribute not in types_:
            raise SpecError(f"optimizer.{key} is not allowed: scene {cls.__name__} has no {attribute!r} setting"
                            f"{suggest(attribute, types_)}")
    out: dict[str, Any] = {}
    if "schedule" in table:
        out.update(_schedule_settings(table.pop("schedule"), cls, types_))
    name = coerce("optimizer.name", table.pop("name", getattr(cls, "optimizer", "gd")), str)
    if name not in OPTIMIZERS:
        raise SpecError(f"optimizer.name = {name!r} is not an optimizer{suggest(name, OPTIMIZERS)}")
    if "optimizer" in types_:
        out["optimizer"] = name
    if "lr" in table:
        out["lr"] = coerce("optimizer.lr", table.pop("lr"), types_["lr"])
        if out["lr"] is not None:
            limits.check("optimizer.lr", out["lr"], limits.SCENE["lr"])
    if table and "hyperparams" not in types_:
        key = next(iter(table))
        raise SpecError(f"optimizer.{key} is not allowed: scene {cls.__name__} takes no hyperparameters")
    defaults = OPTIMIZERS[name].default_hyperparams()
    defaults.pop("lr", None)
    # A key of another optimizer is kept out, not an error: one file can hold the
    # hyperparameters of several optimizers, and a sweep can vary optimizer.name.
    known = {k for opt in OPTIMIZERS.values() for k in opt.default_hyperparams()} - {"lr"}
    hyper = dict(getattr(cls, "hyperparams", {})) if name == getattr(cls, "optimizer", None) else {}
    for key, value in table.items():
        if key not in known:
            raise SpecError(f"unknown key optimizer.{key}{suggest(key, [*known, 'name', 'lr'])}")
        if key not in defaults:
            continue
        default = defaults[key]
        hint = tuple[float, ...] if isinstance(default, tuple) else type(default)
        hyper[key] = coerce(f"optimizer.{key}", value, hint)
    if "hyperparams" in types_:
        out["hyperparams"] = hyper
    return out


def _schedule_settings(value: Any, cls: type, types_: Mapping[str, Any]) -> dict[str, Any]:
    """``[optimizer.schedule]`` (``name`` and torch keyword options) onto the scene's ``schedule`` and ``schedule_options``."""
    from gdscenes.core.schedules import SCHEDULES, make_schedule

    if "schedule" not in types_:
        raise SpecError(f"optimizer.schedule is not allowed: scene {cls.__name__} has no 'schedule' setting")
    if not isinstance(value, Mapping) or "name" not in value:
        raise SpecError(f"[optimizer.schedule] must be a table with name = one of {', '.join(SCHEDULES)} and its options")
    options = {k: v for k, v in value.items() if k != "name"}
    try:
        schedule = make_schedule(value["name"], **options)
    except (TypeError, ValueError) as error:
        raise SpecError(f"optimizer.schedule: {error}") from None
    out: dict[str, Any] = {"schedule": schedule.name}
    if "schedule_options" in types_:
        out["schedule_options"] = dict(schedule.params)
    elif options:
        raise SpecError(f"optimizer.schedule options are not allowed: scene {cls.__name__} has no 'schedule_options' setting")
    return out


def _camera_settings(table: dict[str, Any], cls: type) -> dict[str, Any]:
    """``[camera]`` onto the fields of the scene's ``orbit`` dataclass; ``preset`` onto ``camera_preset``."""
    if not table:
        return {}
    out: dict[str, Any] = {}
    if "preset" in table:
        if not hasattr(cls, "camera_preset"):
            raise SpecError(f"camera.preset is not allowed: scene {cls.__name__} has no camera presets")
        out["camera_preset"] = coerce("camera.preset", table.pop("preset"), str, CAMERA_PRESETS)
        if not table:
            return out
    orbit = getattr(cls, "orbit", None)
    if orbit is None or not dataclasses.is_dataclass(orbit):
        raise SpecError(f"[camera] is not allowed: scene {cls.__name__} has no orbit")
    hints = typing.get_type_hints(type(orbit))
    fields = {f.name: hints.get(f.name, Any) for f in dataclasses.fields(orbit)}
    values = {}
    for key, value in table.items():
        if key not in fields:
            raise SpecError(f"unknown key camera.{key}{suggest(key, fields)}")
        values[key] = coerce(f"camera.{key}", value, fields[key])
        if key in limits.CAMERA:
            for item in values[key] if isinstance(values[key], tuple) else (values[key],):
                limits.check(f"camera.{key}", item, limits.CAMERA[key])
    return out | {"orbit": dataclasses.replace(orbit, **values)}


def trajectories(checked: Any) -> list[Any]:
    """The trajectories in what a scene's ``check()`` returned: a trajectory, or runs that carry one."""
    if checked is None:
        return []
    if hasattr(checked, "stop_step"):
        return [checked]
    if isinstance(checked, (list, tuple)):
        return [t for item in checked for t in trajectories(getattr(item, "trajectory", item))]
    return []


#: What a scene's ``check()`` may raise for a bad value (anything else is a bug, with its traceback).
CHECK_ERRORS = (ValueError, KeyError, TypeError, IndexError, ArithmeticError)


#: The shortest clip ``render.duration`` may ask a lesson for (seconds).
MIN_DURATION = 2.0


def _checked(spec: Spec) -> Spec:
    """Run the scene's own ``check()``; hand ``render.duration`` to a lesson (its ``duration``: the
    opening, pace and hold scale to it) or scale ``seconds_per_step`` to it; check the clip's length.

    Where every step will certainly be shown (no ``tol``, or ``tol = 0``), a
    clip longer than :data:`~gdscenes.production.limits.MAX_CLIP_SECONDS` is
    refused before the descent runs; otherwise after it, from the steps it took.
    """
    cls: Any = spec.scene_class()
    duration = spec.render["duration"]
    if duration is None and getattr(cls, "tol", 0.0) in (None, 0.0) and isinstance(getattr(cls, "steps", None), int):
        _check_clip(spec, cls, cls.steps)
    check = getattr(cls, "check", None)
    try:
        trajectory = check() if check is not None else None
    except CHECK_ERRORS as error:
        raise SpecError(f"scene {spec.scene!r}: {one_line(error)}") from None
    found = trajectories(trajectory)
    spec = dataclasses.replace(spec, found=found)
    shown = max(max((int(t.stop_step[0]) for t in found), default=1), 1)
    if duration is None:
        if not found:
            return spec
        longest = max(max(int(max(t.stop_step)) for t in found), 1)  # (every start's, not only the first's)
        _check_clip(spec, cls, longest)
        return _check_stills(spec, clip_length(cls, longest))
    if not found or not hasattr(cls, "seconds_per_step"):
        raise SpecError(f"render.duration is not allowed: scene {spec.scene!r} has no seconds_per_step")
    if hasattr(cls, "clip_timing"):  # a lesson scales its opening, pace and hold to the duration
        if duration < MIN_DURATION:
            raise SpecError(f"render.duration = {duration!r} is too short; allowed: at least {MIN_DURATION:g} s")
        return _check_stills(dataclasses.replace(spec, settings=dict(spec.settings, duration=duration)), duration)
    fixed = float(getattr(cls, "intro_seconds", 0.0)) + float(getattr(cls, "hold_seconds", 0.0))
    if duration <= fixed:
        raise SpecError(f"render.duration = {duration!r} is too short; allowed: more than {fixed:g} s "
                        "(the intro and the final hold)")
    settings = dict(spec.settings, seconds_per_step=(duration - fixed) / shown)
    return _check_stills(dataclasses.replace(spec, settings=settings), duration)


def clip_length(cls: Any, steps: int) -> float:
    """Seconds of a lesson clip that shows ``steps`` steps: intro, the steps (paced as the lesson paces them), hold."""
    if hasattr(cls, "clip_seconds"):
        return float(cls.clip_seconds(steps))
    roll = max(steps, 1) * float(cls.seconds_per_step)
    longest = getattr(cls, "max_roll_seconds", None)
    if longest is not None and steps > 1:
        roll = min(roll, float(longest))
    return float(getattr(cls, "intro_seconds", 0.0)) + roll + float(getattr(cls, "hold_seconds", 0.0))


def _check_clip(spec: Spec, cls: type, steps: int) -> None:
    if not hasattr(cls, "seconds_per_step"):
        return
    seconds = clip_length(cls, steps)
    if seconds > limits.MAX_CLIP_SECONDS:
        pace = "the voice pace" if cls.seconds_per_step is None else f"scene.seconds_per_step = {float(cls.seconds_per_step):g}"
        raise SpecError(f"scene.steps = {steps} at {pace} makes a "
                        f"{seconds:.0f} s clip; allowed: at most {limits.MAX_CLIP_SECONDS:g} s (take fewer steps, or "
                        "pace them with render.duration or scene.max_roll_seconds)")


#: How far past the clip's computed length a still may be: each animation ends on a whole frame, so
#: the video is up to a frame longer per animation (7.4 s at 15 fps for the 7.35 s descent clip).
STILL_SLACK = 0.25


def _check_stills(spec: Spec, seconds: float) -> Spec:
    """Every still's time within the clip (``seconds`` long, give or take :data:`STILL_SLACK`)."""
    for still in spec.export["stills"]:
        if still != "last" and still > seconds + STILL_SLACK:
            raise SpecError(f"export.stills has {still!r}; allowed: times from 0 to the clip's length, "
                            f"{seconds:g} s, or \"last\"")
    return spec


def from_sources(path: str | Path | None, overrides: Iterable[tuple[str, Any]] = (), sets: Iterable[str] = (),
                 raw: Mapping[str, Any] | None = None) -> Spec:
    """The spec from a file (or ``raw``), then flag ``overrides``, then ``--set`` strings, validated.

    Output names start with the file's stem (else the scene name) and add the
    values given on top of it.
    """
    base = load(path) if path is not None else dict(raw or {})
    overrides = list(overrides)
    set_pairs = [(k, parse_value(v)) for k, v in (parse_assignment(s) for s in sets)]
    merged = apply(apply(base, overrides), set_pairs)
    stem = slug(Path(path).stem) if path is not None else ""
    return resolve(merged, [k for k, _ in overrides + set_pairs], stem)
