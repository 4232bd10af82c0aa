"""Sweeps: the Cartesian product of ``--vary`` values, a manifest, and skipping what is done.

``gdscenes sweep clip.toml --vary optimizer.lr=0.001,0.01,0.1 --vary optimizer.name=gd,adam``
renders six variants named from their values (``clip_lr0.001_optimizergd``...).
The manifest ``<media>/videos/<base>.manifest.json`` records, per output, its
full parameters, the trajectory summary, the video path and its SHA-256. A
variant is skipped when its parameters and the code version are unchanged and
its video is still there with the recorded hash; the manifest is updated
after every finished variant (read, merged and written atomically inside a
lock, so two sweeps into one folder keep each other's entries), so an
interrupted sweep resumes where it stopped. A failing variant is recorded and
the others go on. A damaged manifest is reported, kept as ``.bak`` and rebuilt.
Two variants with the same name (``--vary optimizer.lr=0.1,0.1``) are an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from gdscenes.atomic import OutputError, file_lock, make_folder, signals_unwind, write_text
from gdscenes.production.job import (
    Worker,
    WorkerGone,
    close_workers,
    current_worker,
    renderer_kind,
    run_isolated,
    sha256,
    stop_running,
    worker_spare,
)
from gdscenes.production.names import file_name, output_name, slug
from gdscenes.production.progress import Progress
from gdscenes.production.spec import (
    Spec,
    SpecError,
    apply,
    attribute_types,
    load,
    lookup,
    one_line,
    parse_assignment,
    parse_value,
    resolve,
)

MANIFEST_FORMAT = "gdscenes.production.sweep"


@dataclass(frozen=True)
class Variant:
    """One output of a sweep: its name, the varied values and the validated spec."""

    name: str
    values: dict[str, Any]
    spec: Spec
    #: Its :func:`full_parameters` and :func:`clip_seconds`, where a warm worker worked them out
    #: (:func:`expand_warm`: then ``spec`` has neither scene settings nor trajectories); else ``None``.
    params: dict[str, Any] | None = field(default=None, compare=False)
    seconds: float | None = field(default=None, compare=False)

    def job(self) -> dict[str, Any]:
        """What a worker process needs (plain JSON)."""
        return {"name": self.name, "raw": self.spec.raw}


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """``"optimizer.lr=0.001,0.01"`` to ``("optimizer.lr", [0.001, 0.01])``.

    Values are TOML values split on commas; a TOML array (``scene.start=[[1, 2], [3, 4]]``)
    gives values that contain commas themselves.
    """
    key, text_values = parse_assignment(text, "--vary")
    stripped = text_values.strip()
    values = parse_value(stripped) if stripped.startswith("[") else [parse_value(v) for v in stripped.split(",")]
    if not isinstance(values, list) or not values or any(v == "" for v in values):
        raise SpecError(f"--vary {text!r} needs at least one value after '=', e.g. optimizer.lr=0.001,0.01")
    return key, values


def expand(path: str | Path | None, varies: Sequence[str], overrides: Iterable[tuple[str, Any]] = (),
           sets: Iterable[str] = (), raw: dict[str, Any] | None = None, same_camera: bool = False,
           stem: str | None = None) -> list[Variant]:
    """Every variant of the sweep, validated before anything renders (``SpecError`` on the first bad one).

    Precedence: spec file < flag ``overrides`` < ``--set`` < ``--vary``. With
    ``same_camera`` (``gdscenes sweep`` and ``export``), ``camera.keep_in_sight``
    is off unless given: every variant is seen from one camera (the lesson's,
    turned to keep every variant's path in sight), not one turned for its own path,
    so variants (and the tiles of a grid) compare like with like; the names stay
    as they are. A single variant keeps the lesson's own camera, as ``render`` does. ``stem``: the name of the spec file
    ``raw`` was read from (:func:`expand_warm`), for the output names.
    """
    base_raw = load(path) if path is not None else dict(raw or {})
    set_pairs = [(k, parse_value(v)) for k, v in (parse_assignment(s) for s in sets)]
    given = list(overrides) + set_pairs
    merged = apply(base_raw, given)
    camera = merged.get("camera", {})
    axes = [parse_vary(v) for v in varies]
    same_camera = same_camera and math.prod(len(values) for _, values in axes) > 1  # (one clip: its own camera)
    if same_camera and isinstance(camera, dict) and "keep_in_sight" not in camera:  # (--vary still sets it)
        merged = apply(merged, [("camera.keep_in_sight", False)])
    keys = [k for k, _ in axes]
    if len(set(keys)) != len(keys):
        raise SpecError(f"--vary names a key twice: {', '.join(keys)}")
    scene = merged.get("scene", {}).get("name", "descent")
    chosen = merged.get("render", {}).get("name")
    base = file_name(str(chosen)) if chosen else slug(
        stem if stem is not None else Path(path).stem if path is not None else str(scene))
    variants: list[Variant] = []
    seen: dict[str, list[tuple[str, Any]]] = {}
    for combo in itertools.product(*(values for _, values in axes)):
        pairs = list(zip(keys, combo, strict=True))
        fixed = [(k, lookup(merged, k)) for k in dict.fromkeys(k for k, _ in given) if k not in keys]
        # like ``render``: the values given on top of the file; a hash where the readable name loses information
        name = output_name(base, fixed + pairs)
        if name in seen:
            twice = ", ".join(f"{k}={_text(v)}" for k, v in pairs) or "(no values)"
            raise SpecError(f"--vary gives the variant {name!r} twice ({twice}); list each value once")
        seen[name] = pairs
        spec = resolve(apply(merged, pairs), [k for k, _ in fixed] + keys, base)
        variants.append(Variant(name, dict(pairs), spec))
    chosen = {*(camera if isinstance(camera, dict) else {})} | {k.partition(".")[2] for k in keys if k.startswith("camera.")}
    if same_camera and not {"theta", "keep_in_sight"} & chosen:
        from gdscenes.production.grid import share_camera  # one camera keeping every variant's path in sight

        share_camera([v.spec for v in variants])
    return variants


def expand_warm(path: str | Path | None, varies: Sequence[str], overrides: Iterable[tuple[str, Any]] = (),
                sets: Iterable[str] = (), raw: dict[str, Any] | None = None, same_camera: bool = False) -> list[Variant]:
    """:func:`expand`, validated in the warm worker that then renders the first variants
    (:func:`expand_isolated`): this process reads the spec file and the options but imports
    neither manim nor the lessons (about 1.5 s of a sweep's start), and the worker's start
    overlaps that work. A bad value is the same one-line ``SpecError``; where the worker
    cannot answer (it died; a value that is not JSON) the expansion runs here."""
    overrides, sets = list(overrides), list(sets)
    base_raw = load(path) if path is not None else dict(raw or {})
    merged = apply(base_raw, overrides + [(k, parse_value(v)) for k, v in (parse_assignment(s) for s in sets)])
    request = {"path": None, "raw": base_raw, "stem": Path(path).stem if path is not None else None,
               "varies": list(varies), "overrides": [list(pair) for pair in overrides], "sets": sets,
               "same_camera": same_camera}
    try:
        described = expand_isolated(request, merged)
    except ExpandFailed:
        return expand(path, varies, overrides, sets, raw, same_camera)
    except ValueError as error:
        raise SpecError(str(error)) from None
    variants = []
    for d in described:
        export = dict(d["export"], stills=tuple(d["export"]["stills"]))
        spec = Spec(d["scene"], {}, d["render"], export, d["raw"], d["base"], tuple(d["given"]))
        variants.append(Variant(d["name"], d["values"], spec, d["params"], d["seconds"]))
    return variants


#: The command of a warm worker that also expands sweeps (:func:`serve_worker`).
WORKER_COMMAND = [sys.executable, "-c", "import sys; from gdscenes.production.sweep import serve_worker; "
                  "sys.exit(serve_worker(sys.argv[1:]))", "--serve"]


class ExpandFailed(RuntimeError):
    """A warm worker could not expand a sweep for another reason than a bad value (it died, or the
    values do not travel as JSON): the caller expands it itself, which says what is wrong."""


def expand_isolated(request: dict[str, Any], raw: dict[str, Any]) -> list[dict[str, Any]]:
    """:func:`expand` with ``request``'s arguments, run in a new warm worker (:data:`WORKER_COMMAND`,
    for the renderer ``raw``, the merged spec, asks for), which imports manim and the lessons for its
    renders anyway: so the sweep's own process imports neither. Returns each variant described
    (:func:`describe_variant`). The worker stays warm, a spare for the sweep's first thread
    (:func:`gdscenes.production.job.worker_spare`).

    A bad value is a ``ValueError`` with the one-line message the expansion gave; :class:`ExpandFailed`
    for anything else."""
    try:
        message = json.loads(json.dumps({"expand": request}))
    except (TypeError, ValueError):  # (a TOML date, say: the worker could not be told)
        raise ExpandFailed("the spec does not travel as JSON") from None
    worker = Worker(renderer_kind({"raw": raw}), WORKER_COMMAND)
    try:
        reply = worker.ask(message)
    except WorkerGone as gone:
        worker.stop(1.0)
        raise ExpandFailed(str(gone)) from None
    if "variants" not in reply and "bad" not in reply:
        raise ExpandFailed(str(reply.get("error", "no answer")))
    worker_spare(worker)
    if "bad" in reply:
        raise ValueError(reply["bad"])
    return list(reply["variants"])


def describe_variant(variant: Variant) -> dict[str, Any]:
    """What a sweep's process needs of a variant that a warm worker validated (plain JSON): its name,
    values and spec (without the scene settings and the trajectories, which stay in the worker), and
    what is worked out from those: its full parameters and its clip's length."""
    spec = variant.spec
    return {"name": variant.name, "values": variant.values, "scene": spec.scene, "render": spec.render,
            "export": spec.export, "raw": spec.raw, "base": spec.base, "given": list(spec.given),
            "params": full_parameters(spec), "seconds": clip_seconds(spec)}


def expand_here(request: dict[str, Any]) -> dict[str, Any]:
    """A warm worker's answer to ``{"expand": request}``: ``{"variants": [...]}``, or ``{"bad": "one line"}``."""
    try:
        variants = expand(**request)
    except (ValueError, KeyError) as error:  # a bad value: the sweep says so, one line
        return {"bad": one_line(error)}
    return {"variants": [describe_variant(v) for v in variants]}


def serve_worker(argv: list[str]) -> int:
    """A warm worker (:func:`gdscenes.production.job.main`) that also answers ``{"expand": ...}``."""
    from gdscenes.production.job import main

    return main(argv, {"expand": expand_here})


# -- what a variant is, for skipping --------------------------------------------
def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def full_parameters(spec: Spec) -> dict[str, Any]:
    """Every setting of the variant, defaults included: scene attributes, render and export options."""
    cls = spec.scene_class()
    scene = {name: _jsonable(getattr(cls, name)) for name in sorted(attribute_types(cls))}
    return {"scene": {"name": spec.scene, **scene}, "render": _jsonable(spec.render), "export": _jsonable(spec.export)}


def clip_seconds(spec: Spec) -> float:
    """How long the variant's clip will be (its render time grows with it); 0 if the scene cannot say."""
    cls = spec.scene_class()
    try:
        shown = max(max(int(t.stop_step[0]) for t in spec.found), 1)
        if hasattr(cls, "clip_seconds"):
            return float(cls.clip_seconds(shown))
        return float(cls.intro_seconds + shown * cls.seconds_per_step + cls.hold_seconds)
    except (AttributeError, TypeError, ValueError):  # no trajectory, or no timing attributes
        return 0.0


def code_version() -> str:
    """gdscenes' version and a hash of its source files: a change in either re-renders everything."""
    from gdscenes import __version__

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode())
        digest.update(source.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def manifest_path(variants: Sequence[Variant]) -> Path:
    """``<media_dir>/videos/<base>.manifest.json`` (next to the videos)."""
    spec = variants[0].spec
    return Path(spec.render["media_dir"]) / "videos" / f"{spec.base or 'sweep'}.manifest.json"


class ManifestDamaged(ValueError):
    """A manifest that is not valid UTF-8 JSON of the expected shape; the message says why."""


def _check_shape(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ManifestDamaged(f"expected a JSON object, found {type(data).__name__}")
    if data.get("format") != MANIFEST_FORMAT:
        raise ManifestDamaged(f"its format is {data.get('format')!r}, not {MANIFEST_FORMAT!r}")
    outputs = data.get("outputs", {})
    if not isinstance(outputs, dict) or not all(isinstance(e, dict) for e in outputs.values()):
        raise ManifestDamaged("'outputs' is not a table of entries")
    for name, entry in outputs.items():
        for key, kind in (("video", str), ("sha256", str), ("status", str), ("exports", list), ("params", dict)):
            if key in entry and not isinstance(entry[key], kind):
                raise ManifestDamaged(f"entry {name!r} has a {key!r} that is not a {kind.__name__}")
    return dict(outputs)


def read_manifest(path: Path, strict: bool = False) -> dict[str, Any]:
    """The manifest's entries by name: empty if there is none.

    A damaged one (bad JSON, wrong shape, not UTF-8) counts as empty, or with
    ``strict`` raises :class:`ManifestDamaged`; one that cannot be read is a
    one-line :class:`~gdscenes.atomic.OutputError` naming it."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        return _check_shape(data)
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise OutputError(f"cannot use the manifest {path}: it is a directory") from None
    except OSError as error:
        raise OutputError(f"cannot read the manifest {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ManifestDamaged) as error:
        if not strict:
            return {}
        reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else (
            f"it is not valid JSON ({error.msg} at line {error.lineno})" if isinstance(error, json.JSONDecodeError)
            else "it nests too deeply" if isinstance(error, RecursionError) else str(error))
        raise ManifestDamaged(reason) from None


def _keep_damaged(path: Path, reason: str) -> Path:
    """Move the damaged manifest aside as ``<name>.bak`` (``.bak2``... if taken); tell the user."""
    backup = path.with_name(f"{path.name}.bak")
    count = 1
    while backup.exists() or backup.is_symlink():
        count += 1
        backup = path.with_name(f"{path.name}.bak{count}")
    try:
        os.replace(path, backup)
    except OSError as error:
        raise OutputError(f"the manifest {path} is damaged ({reason}) and cannot be moved aside: "
                          f"{error.strerror or error}") from None
    print(f"gdscenes: warning: the manifest {path} is damaged ({reason}); kept it as {backup} and rebuilt it",
          file=sys.stderr)
    return backup


def load_manifest(path: Path) -> dict[str, Any]:
    """The manifest's entries; a damaged manifest is reported, kept as ``.bak`` and started afresh (under the lock)."""
    try:
        return read_manifest(path, strict=True)
    except ManifestDamaged:
        pass
    with file_lock(path):
        try:
            return read_manifest(path, strict=True)  # (another sweep may have rebuilt it meanwhile)
        except ManifestDamaged as error:
            _keep_damaged(path, str(error))
            return {}


def write_manifest(path: Path, entries: dict[str, Any], version: str) -> None:
    """Write the manifest atomically (temp file + rename); call it inside :func:`update_manifest`'s lock."""
    data = {"format": MANIFEST_FORMAT, "version": 1, "code_version": version, "outputs": entries}
    write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n", make=True)


def update_manifest(path: Path, version: str, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Read, ``change`` and write the manifest inside its lock (``.<name>.lock``), so sweeps that
    write at the same time keep each other's entries. Returns the entries written."""
    make_folder(path.parent)
    with file_lock(path):
        try:
            entries = read_manifest(path, strict=True)
        except ManifestDamaged as error:
            _keep_damaged(path, str(error))
            entries = {}
        change(entries)
        write_manifest(path, entries, version)
    return entries


def is_current(entry: dict[str, Any] | None, params: dict[str, Any], version: str, base: Path) -> bool:
    """Whether ``entry`` is a finished output of exactly these parameters whose files are still intact."""
    if not entry or entry.get("status") != "ok" or entry.get("code_version") != version:
        return False
    if entry.get("params") != params:
        return False
    video = base / entry.get("video", "")
    if not video.is_file() or sha256(video) != entry.get("sha256"):
        return False
    return all((base / export).exists() for export in entry.get("exports", []))


# -- running ---------------------------------------------------------------------
class Backend(Protocol):
    """Runs jobs somewhere; yields ``(job, record, error)`` as each one finishes."""

    parallel: int

    def results(self, jobs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        ...


class LocalBackend:
    """``jobs`` local warm worker processes (:func:`gdscenes.production.job.run_isolated`), each
    rendering variant after variant; never in this process (manim's one-renderer rule).
    The workers end with :meth:`results`."""

    def __init__(self, jobs: int) -> None:
        self.parallel = max(1, jobs)

    def results(self, jobs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        pool = ThreadPoolExecutor(self.parallel)  # threads that each drive one warm worker process
        used: set[Worker] = set()
        futures: dict[Any, dict[str, Any]] = {}

        def render(job: dict[str, Any]) -> dict[str, Any]:
            try:
                return run_isolated(job)
            finally:
                worker = current_worker()
                if worker is not None:
                    used.add(worker)

        try:
            futures = {pool.submit(render, job): job for job in jobs}
            for future in as_completed(futures):
                try:
                    yield futures[future], future.result(), None
                except Exception as error:  # reported, the others go on
                    yield futures[future], None, one_line(error)
        except BaseException:  # Ctrl-C: stop the renders (the manifest has the finished ones)
            stop_running()
            raise
        finally:  # and start none of the queued ones; the idle workers exit in order
            for future in futures:
                future.cancel()
            close_workers(used)
            pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class SweepResult:
    """How a sweep went: names rendered, skipped and failed (with their errors)."""

    manifest: Path
    rendered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        text = f"{len(self.rendered)} rendered, {len(self.skipped)} unchanged, {len(self.failed)} failed"
        if self.failed:
            first = next(iter(self.failed.values()))
            text += f" (first: {first})"
        return f"{text}; manifest {self.manifest}"


def run(variants: Sequence[Variant], backend: Backend, progress: Progress | None = None,
        force: bool = False) -> SweepResult:
    """Render the variants that are not current, record each in the manifest as it finishes."""
    path = manifest_path(variants)
    base = path.parent
    version = code_version()
    entries = load_manifest(path)
    result = SweepResult(path)
    progress = progress or Progress(len(variants), backend.parallel)
    params = {v.name: v.params if v.params is not None else full_parameters(v.spec) for v in variants}
    todo = []
    for v in variants:
        if not force and is_current(entries.get(v.name), params[v.name], version, base):
            result.skipped.append(v.name)
            progress.event("skipped", v.name)
        else:
            todo.append(v.job())
    if not todo:  # nothing to render: nothing is written (a read-only folder is fine)
        return result
    make_folder(base)
    with file_lock(path):  # can the manifest be written? (one line naming the folder before anything renders)
        pass
    by_name = {v.name: v for v in variants}
    def seconds(variant: Variant) -> float:
        return variant.seconds if variant.seconds is not None else clip_seconds(variant.spec)

    todo.sort(key=lambda job: -seconds(by_name[job["name"]]))  # longest first: a short tail
    progress.queued = len(todo)
    with signals_unwind():
        for job, record, error in backend.results(todo):
            name = job["name"]
            entry: dict[str, Any] = {"params": params[name], "varied": _jsonable(by_name[name].values),
                                     "code_version": version}
            if record is not None:
                entry |= {"status": "ok", "video": _relative(record["video"], base), "sha256": record["sha256"],
                          "summary": record["summary"], "seconds": record["seconds"],
                          "exports": [_relative(p, base) for p in record["exports"]]}
                if record.get("sections"):
                    entry["sections"] = [_relative(p, base) for p in record["sections"]]
                result.rendered.append(name)
            else:
                entry |= {"status": "failed", "error": error}
                result.failed[name] = error or "failed"

            def change(entries: dict[str, Any], name: str = name, entry: dict[str, Any] = entry) -> None:
                old = entries.get(name, {})
                if entry["status"] == "failed" and old.get("video"):  # the earlier good video is still there
                    entry["previous"] = {k: old[k] for k in ("video", "sha256") if k in old}
                entries[name] = entry

            update_manifest(path, version, change)
            progress.event("done" if record is not None else "failed", name,
                           record["seconds"] if record is not None else None)
    return result


def without_exports(spec: Spec) -> Spec:
    """``spec`` with its ``[export]`` table emptied (render the clip only)."""
    from gdscenes.production.spec import EXPORT_KEYS

    raw = {k: v for k, v in spec.raw.items() if k != "export"}
    return dataclasses.replace(spec, raw=raw, export={k: d for k, (d, _) in EXPORT_KEYS.items()})


def ensure_rendered(variant: Variant) -> Path:
    """The video of ``variant`` without its exports: rendered unless the manifest has it intact."""
    plain = Variant(variant.name, variant.values, without_exports(variant.spec))
    result = run([plain], LocalBackend(1))
    if result.failed:
        raise ValueError(next(iter(result.failed.values())))
    entry = read_manifest(result.manifest)[variant.name]
    return result.manifest.parent / entry["video"]


def finished_videos(variants: Sequence[Variant], manifest: Path) -> tuple[list[Path], list[str]]:
    """Videos of the variants the manifest says are done, and a label naming each one's varied values."""
    entries = read_manifest(manifest)
    videos, labels = [], []
    for v in variants:
        entry = entries.get(v.name, {})
        if entry.get("status") == "ok":
            videos.append(manifest.parent / entry["video"])
            labels.append("  ".join(f"{_leaf(k)} = {_shown(k, x)}" for k, x in v.values.items()) or v.name)
    return videos, labels


#: A varied setting's name in a grid's labels, in words, by its leaf key (others: the leaf key itself).
SETTING_WORDS = {"lr": "learning rate", "betas": "beta_1, beta_2", "eps": "epsilon", "weight_decay": "weight decay",
                 "height_scale": "height scale", "seconds_per_step": "seconds a step"}


def _leaf(key: str) -> str:
    """``optimizer.lr`` to ``learning rate``; ``optimizer.name`` to ``optimizer`` (:data:`SETTING_WORDS`)."""
    table, _, leaf = key.partition(".")
    return table if leaf == "name" else SETTING_WORDS.get(leaf, leaf)


def _shown(key: str, value: Any) -> str:
    """A varied value as a grid's label writes it: ``0.005``; an optimizer by its name (``Gradient descent``)."""
    if key == "optimizer.name" and isinstance(value, str):
        from gdscenes.core.optimizers import OPTIMIZERS  # (math only: the sweep process imports no manim)

        return OPTIMIZERS[value].label if value in OPTIMIZERS else value
    return _text(value).replace(",", ", ")


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    return str(value)


def _relative(path: str, base: Path) -> str:
    """``path`` relative to the manifest's folder when inside it (portable manifests)."""
    target = Path(path).resolve()
    try:
        return str(target.relative_to(base.resolve()))
    except ValueError:
        return str(target)
