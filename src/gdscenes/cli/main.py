"""The ``gdscenes`` command line (argparse).

``gdscenes losses``      list the library of landscapes
``gdscenes trajectory``  run an optimizer and write its trajectory (CSV or JSON)
``gdscenes render``      render a scene (or a TOML spec) to a video in ``media/`` (``--watch``: again after each save)
``gdscenes sweep``       render every combination of ``--vary`` values, skipping what is done
``gdscenes export``      stills, GIF, trajectory and a 9:16 version of a spec's clip
``gdscenes thumbnail``   a designed 1280x720 PNG still (title, landscape, path)
``gdscenes slides``      a step-by-step presentation, one slide per section (manim-slides, HTML)
``gdscenes init``        write a commented example spec
``gdscenes list``        scenes, losses and optimizers
``gdscenes doctor``      check LaTeX, OpenGL, cairo, ffmpeg and disk; print how to install what is missing

Every bad value ends in one line, ``gdscenes: error: ...``, and exit status 2,
before anything is written (the ranges: :mod:`gdscenes.production.limits`); a
file the system refuses (a read-only folder, a full disk) ends in one line
naming it, and exit status 1.

manim is imported only by the commands that render (``render``, ``sweep``,
``export``, ``thumbnail``): ``--help``, ``losses``, ``trajectory``, ``list``
and ``init`` start without it; ``--help`` and ``init`` without sympy too.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gdscenes import atomic
from gdscenes.production import limits
from gdscenes.production.settings import RENDERERS

#: The spec key behind each option of ``render``, ``sweep`` and ``export``
#: (in the order that output names list them).
FLAG_KEYS = {
    "loss": "scene.loss", "optimizer": "optimizer.name", "lr": "optimizer.lr", "start": "scene.start",
    "steps": "scene.steps", "tol": "scene.tol", "theme": "scene.theme", "momentum": "optimizer.momentum",
    "alpha": "optimizer.alpha", "betas": "optimizer.betas", "eps": "optimizer.eps",
    "quality": "render.quality", "fps": "render.fps", "renderer": "render.renderer", "aspect": "render.aspect",
    "duration": "render.duration", "media_dir": "render.media_dir", "name": "render.name",
    "camera": "camera.preset", "size": "render.size", "transparent": "render.transparent",
    "sections": "render.sections", "captions": "export.captions", "intro": "scene.intro",
    "data": "scene.data", "batch_size": "scene.batch_size", "seed": "scene.seed",
}

#: Options whose values may start with "-" (negative numbers, "-0.5,-4.5").
NUMERIC_OPTIONS = ("--start", "--lr", "--momentum", "--alpha", "--betas", "--eps", "--tol")
NUMBER_LIST = re.compile(r"^-?[\d.]+(e-?\d+)?(,\s*-?[\d.]+(e-?\d+)?)*$", re.IGNORECASE)


class CliError(ValueError):
    """A user error: printed as one line, exit status 2."""


#: Ranges of the options that are not spec keys.
JOBS = limits.Range(1, 256, integer=True)
MAX_VARIANTS = limits.Range(1, 10**9, integer=True)
#: (``trajectory``'s other numbers are checked by :func:`gdscenes.core.runner.run` and the optimizers,
#: each in one line naming the value and what is allowed.)
TRAJECTORY_OPTIONS = {"steps": limits.SCENE["steps"]}


def check_option(flag: str, value: Any, allowed: limits.Range) -> Any:
    """``value`` of option ``--flag`` if it lies in ``allowed``; else a one-line error naming the option."""
    if value is not None and value not in allowed:
        raise CliError(f"--{flag} = {limits.show(value)} is not allowed; allowed: {allowed.describe()}")
    return value


def output_file(path: str, option: str) -> Path:
    """``path`` checked as a file to write (:func:`gdscenes.atomic.writable_target`): its folder exists;
    it is not a folder, FIFO or device; a symlink to a regular file is written through."""
    if not path.strip():
        raise CliError(f"{option} = {limits.show(path)} is not allowed; allowed: a file name")
    target = Path(path)
    if target.is_symlink() and not os.path.lexists(os.path.realpath(target)):  # (a loop: writable_target says so)
        raise CliError(f"{option}: cannot write {path}: it is a symbolic link to nothing")
    try:
        real = atomic.writable_target(target)
        if not real.parent.is_dir():
            raise atomic.OutputError(f"cannot write {path}: the folder {real.parent} does not exist")
    except atomic.OutputError as error:
        raise CliError(f"{option}: {error}") from None
    return real


def parse_floats(text: str, count: int, what: str) -> tuple[float, ...]:
    """``"a,b"`` to ``count`` floats; a one-line error naming ``what`` otherwise."""
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise CliError(f"{what} must be {count} comma-separated numbers, got {text!r}") from None
    if len(values) != count:
        raise CliError(f"{what} must be {count} comma-separated numbers, got {text!r}")
    return values


def hyperparameters(args: argparse.Namespace) -> dict[str, Any]:
    """Optimizer hyperparameters given on the command line (only those set)."""
    hyper: dict[str, Any] = {}
    for key in ("momentum", "alpha", "eps"):
        if getattr(args, key) is not None:
            hyper[key] = getattr(args, key)
    if args.betas is not None:
        hyper["betas"] = parse_floats(args.betas, 2, "--betas")
    return hyper


def add_descent_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """Options shared by ``trajectory`` and ``render``."""
    parser.add_argument("--optimizer", default="gd" if defaults else None,
                        help="gd, momentum, nesterov, adagrad, rmsprop, adam, adamw, adamax, nadam, radam, adadelta, "
                             "lion, newton")
    parser.add_argument("--lr", type=float, help="learning rate")
    parser.add_argument("--start", help="start point X,Y (default: the loss's)")
    parser.add_argument("--steps", type=int, help=f"number of steps (1 to {limits.MAX_STEPS})")
    parser.add_argument("--momentum", type=float)
    parser.add_argument("--alpha", type=float, help="RMSProp smoothing constant")
    parser.add_argument("--betas", help="Adam's B1,B2")
    parser.add_argument("--eps", type=float)
    parser.add_argument("--tol", type=float, help="stop when the gradient norm is below this")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gdscenes", description="Educational 3D videos of gradient descent.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    losses = sub.add_parser("losses", help="list the library of loss landscapes")
    losses.add_argument("--json", action="store_true", help="machine-readable output")

    traj = sub.add_parser("trajectory", help="run an optimizer and write its trajectory")
    traj.add_argument("loss", metavar="LOSS_OR_EXPRESSION")
    add_descent_options(traj, defaults=True)
    traj.add_argument("--format", choices=("csv", "json"), default="csv")
    traj.add_argument("--out", help="output file (default: standard output)")
    traj.add_argument("--noise", type=float, default=0.0, help="gradient noise scale (SGD; 0: exact)")
    traj.add_argument("--seed", type=int, help="seed of the gradient noise and of the minibatch shuffles")
    traj.add_argument("--internals", action="store_true",
                      help="CSV: add the optimizer state and internals (velocity, m, v, m_hat, v_hat, precond)")
    traj.add_argument("--data", metavar="FILE",
                      help="data of a model LOSS (linear_regression, logistic_regression): a CSV file (feature, target; "
                           "header optional) or a bundled data set (housing, exam); default: the model's data set")
    traj.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                      help="optimizer hyperparameter by its torch keyword: weight_decay=0.01, betas=0.9,0.99, rho=0.9, "
                           "momentum=0.9, damping=1 (repeatable)")
    traj.add_argument("--schedule", help="learning-rate schedule: step, exponential, cosine, linear (torch.optim.lr_scheduler)")
    traj.add_argument("--schedule-option", action="append", default=[], metavar="KEY=VALUE",
                      help="schedule option by its torch keyword: step_size=10, gamma=0.5, T_max=50, eta_min=0, "
                           "start_factor=0.1, end_factor=1, total_iters=5 (repeatable)")
    traj.add_argument("--batch-size", type=int, metavar="B",
                      help="minibatch SGD on a data model: each step uses the exact gradient of B shuffled samples")

    rend = sub.add_parser("render", help="render a scene or a spec file into media/")
    add_spec_options(rend)
    rend.add_argument("--slides", action="store_true", help="also write the step-by-step presentation (as gdscenes slides)")
    rend.add_argument("--watch", action="store_true",
                      help="stay running: render again (at -q l unless a quality is given) whenever the spec "
                           "or the lesson's source is saved; Ctrl-C stops")

    sweep = sub.add_parser("sweep", help="render every combination of --vary values (skips unchanged outputs)")
    add_spec_options(sweep)
    sweep.add_argument("--vary", action="append", default=[], metavar="TABLE.KEY=V1,V2",
                       help="values to sweep, e.g. optimizer.lr=0.001,0.01 (repeat for a product)")
    sweep.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                       help=f"local processes, 1 to {int(JOBS.high)} (default: cores)")
    sweep.add_argument("--max-variants", type=int, default=limits.MAX_VARIANTS, metavar="N",
                       help=f"refuse a --vary product of more than N variants (default: {limits.MAX_VARIANTS})")
    sweep.add_argument("--scheduler", help="Dask scheduler address (tcp://host:8786); needs gdscenes[distributed]")
    sweep.add_argument("--grid", action="store_true", help="also tile the videos into one labelled comparison video")
    sweep.add_argument("--force", action="store_true", help="render even the unchanged outputs")

    export = sub.add_parser("export", help="stills, GIF, trajectory, 9:16 of a spec's clip (renders it if needed)")
    add_spec_options(export)
    export.add_argument("--still", action="append", default=[], metavar="SECONDS|last", help="PNG of that frame")
    export.add_argument("--gif", action="store_true")
    export.add_argument("--csv", action="store_true", help="trajectory as CSV")
    export.add_argument("--json", action="store_true", help="trajectory as JSON")
    export.add_argument("--vertical", action="store_true", help="also render a 9:16 version")

    thumb = sub.add_parser("thumbnail", help="a designed 1280x720 PNG still: big title, the landscape, the path")
    add_spec_options(thumb)
    thumb.add_argument("--out", help="PNG file (default: MEDIA_DIR/videos/NAME_thumbnail.png)")

    slides = sub.add_parser("slides", help="a step-by-step presentation: one slide per section (manim-slides and HTML)")
    add_spec_options(slides)
    slides.add_argument("--out", metavar="FOLDER", help="slides folder (default: MEDIA_DIR/slides)")

    init = sub.add_parser("init", help="write a commented example spec")
    init.add_argument("path", nargs="?", default="gdscenes.toml")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")

    sub.add_parser("list", help="scenes, losses and optimizers")
    sub.add_parser("doctor", help="check the system and print how to install what is missing")
    return parser


def add_spec_options(parser: argparse.ArgumentParser) -> None:
    """A scene name or a spec file, the options that override it (see ``FLAG_KEYS``) and ``--set``."""
    parser.add_argument("scene", metavar="SCENE_OR_SPEC",
                        help="scene name (" + ", ".join(scene_names()) + ") or a TOML spec file")
    parser.add_argument("--loss", help="library name or expression")
    add_descent_options(parser, defaults=False)
    parser.add_argument("--data", metavar="FILE", help="data lessons (fit-line, logistic-fit, sgd-batches): a CSV file "
                        "(feature, target; header optional) or a bundled data set (housing, exam)")
    parser.add_argument("--batch-size", type=int, metavar="B", help="data lessons: minibatch SGD with B samples a step")
    parser.add_argument("--seed", type=int, help="seed of the minibatch shuffles (and of sgd-noise's noise)")
    parser.add_argument("-q", "--quality", help="l (480p15), m (720p30), h (1080p60, default), p, k (2160p60)")
    parser.add_argument("--fps", type=float, help="frame rate overriding the quality's (1 to 240)")
    parser.add_argument("--renderer", choices=RENDERERS,
                        help=f"{', '.join(RENDERERS)} (default: auto); opengl runs headless through EGL")
    parser.add_argument("--theme", choices=("dark", "light"))
    parser.add_argument("--aspect", help="frame shape: 16:9 (default), 9:16 (vertical, Shorts), 1:1")
    parser.add_argument("--duration", type=float,
                        help="clip length in seconds, up to 3600 (the opening, steps and hold scale to fit)")
    parser.add_argument("--no-intro", dest="intro", action="store_false", default=None,
                        help="skip the opening that builds the picture on screen (only the balls fade in)")
    parser.add_argument("--size", help="named size: 1080p, 4k (16:9), shorts (1080x1920), square (1080x1080)")
    parser.add_argument("--transparent", nargs="?", const="mov", choices=("mov", "webm"),
                        help="alpha channel, transparent background: mov (ProRes 4444, default) or webm (VP9)")
    parser.add_argument("--sections", action="store_true", default=None,
                        help="a manim section per step (videos/sections/NAME/) and NAME.sections.json with their times")
    parser.add_argument("--captions", action="store_true", default=None,
                        help="NAME.srt: a caption per step (iteration, loss, what happened) and NAME.sections.json")
    parser.add_argument("--camera", metavar="PRESET",
                        help="camera move: orbit (default), follow (the ball), dive (top-down at the end), static")
    parser.add_argument("--media-dir", help="output folder (default: media)")
    parser.add_argument("--name", help="output file name (default: from the parameters)")
    parser.add_argument("--set", action="append", default=[], metavar="TABLE.KEY=VALUE",
                        help="any spec value, e.g. optimizer.lr=0.05 or camera.zoom=0.6 (wins over flags)")


def spec_sources(args: argparse.Namespace) -> dict[str, Any]:
    """``spec.from_sources``/``sweep.expand`` arguments: the spec file (or scene), flag overrides, ``--set``.

    ``SCENE_OR_SPEC`` is a spec file if it ends in ``.toml`` or names an existing
    file (or a folder, FIFO or device, which the spec reader then refuses) that is not a scene name.
    """
    overrides = [(key, getattr(args, flag)) for flag, key in FLAG_KEYS.items() if getattr(args, flag) is not None]
    # A 1D lesson's start is one number: "--start 2.5" as the number (a 2D "-0.5,-4.5" stays a string the spec splits).
    overrides = [(k, float(v) if k == "scene.start" and _is_number(v) else v) for k, v in overrides]
    scene = args.scene
    try:
        is_file = Path(scene).is_file()
    except (OSError, ValueError):  # a name too long for a path, a NUL: let the spec reader say so
        is_file = scene not in lessons()
    if scene.endswith(".toml") or is_file or (scene not in lessons() and os.path.lexists(scene)):
        return {"path": args.scene, "overrides": overrides, "sets": args.set}
    return {"path": None, "overrides": overrides, "sets": args.set, "raw": {"scene": {"name": args.scene}}}


def _is_number(text: Any) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def scene_names() -> list[str]:
    """The lessons' names (read from their source, without manim)."""
    return sorted(lessons())


@functools.cache
def lessons() -> dict[str, str]:
    """Each lesson's name and the first line of its docstring (:func:`gdscenes.scenes.registry.catalog`: no manim)."""
    from gdscenes.scenes.registry import catalog

    return {name: summary.replace("``", "") for name, summary in catalog().items()}


# -- commands ----------------------------------------------------------------
def cmd_losses(args: argparse.Namespace) -> int:
    from gdscenes.cli.catalog import load

    rows = load()["losses"]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        minima = "; ".join(f"({m['x']:.6g}, {m['y']:.6g}) f={m['f']:.6g} {m['kind']}" for m in row["minima"])
        print(f"{row['name']:<18} {row['expression']}\n{'':<18} minima: {minima or 'none'}")
    return 0


def key_values(items: Sequence[str], flag: str) -> dict[str, float | tuple[float, ...]]:
    """``["weight_decay=0.01", "betas=0.9,0.99"]`` to ``{"weight_decay": 0.01, "betas": (0.9, 0.99)}``; one-line errors."""
    out: dict[str, float | tuple[float, ...]] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise CliError(f"{flag} {item!r} is not KEY=VALUE (e.g. {flag} weight_decay=0.01)")
        if key in out:
            raise CliError(f"{flag} {key} is given twice")
        try:
            values = tuple(float(v) for v in text.split(","))
        except ValueError:
            raise CliError(f"{flag} {key}={text!r}: the value must be a number or comma-separated numbers") from None
        if not all(math.isfinite(v) for v in values):
            raise CliError(f"{flag} {key}={text!r}: the value must be finite")
        out[key] = values[0] if len(values) == 1 else values
    return out


def cmd_trajectory(args: argparse.Namespace) -> int:
    for flag, allowed in TRAJECTORY_OPTIONS.items():  # (--steps 0 is refused, never taken for the default)
        check_option(flag, getattr(args, flag), allowed)
    out = output_file(args.out, "--out") if args.out is not None else None
    from gdscenes.core.losses.compiled import load_loss
    from gdscenes.core.model_names import MODEL_NAMES, is_model
    from gdscenes.core.runner import run

    if is_model(args.loss):
        from gdscenes.core.data import make_model

        loss: Any = make_model(args.loss, args.data)
    elif args.data is not None:
        raise CliError(f"--data needs a data model as LOSS ({', '.join(MODEL_NAMES)}), got {args.loss!r}")
    else:
        loss = load_loss(args.loss)  # compiled code from an earlier run when there is some: no sympy import
    dim = int(getattr(loss, "dim", 2))
    start = parse_floats(args.start, dim, "--start") if args.start else None
    hyper: dict[str, Any] = hyperparameters(args)
    for key, value in key_values(args.option, "--option").items():
        if key in hyper:
            raise CliError(f"--option {key} and --{key} both given; give one")
        hyper[key] = value
    schedule_options = key_values(args.schedule_option, "--schedule-option")
    if schedule_options and args.schedule is None:
        raise CliError("--schedule-option needs --schedule NAME (step, exponential, cosine, linear)")
    trajectory = run(
        loss, args.optimizer, start=start, lr=args.lr, steps=100 if args.steps is None else args.steps, tol=args.tol,
        noise=args.noise, seed=args.seed, schedule=args.schedule, schedule_options=schedule_options or None,
        batch_size=args.batch_size, **hyper
    )
    if args.format == "csv":
        def writer(path: str | None) -> str:
            return trajectory.to_csv(path, internals=args.internals)
    else:
        writer = trajectory.to_json
    if out is not None:
        writer(str(out))
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(writer(None))
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    if args.watch:
        return cmd_watch(args)
    if args.slides:
        return cmd_slides(args)
    from gdscenes.production.job import run
    from gdscenes.production.spec import from_sources

    spec = from_sources(**spec_sources(args))  # validates every value before manim starts
    name = spec.output_name()
    options = spec.render
    suffix = options.get("transparent") or "mp4"
    print(f"rendering {spec.scene} at quality {options['quality']} -> {options['media_dir']}/videos/{name}.{suffix}",
          file=sys.stderr)
    record = run({"name": name, "raw": spec.raw}, spec)
    print(f"wrote {record['video']} ({record['width']}x{record['height']} at {record['fps']:g} fps) "
          f"in {record['seconds']:.1f} s", file=sys.stderr)
    for path in record["exports"]:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    """``render --watch``: a preview (``-q l`` unless a quality is given) rendered again after each save."""
    if args.slides:
        raise CliError("--watch renders previews; it does not go with --slides")
    told = args.quality is not None or any(s.replace(" ", "").startswith("render.quality=") for s in args.set)
    if not told:
        args.quality = "l"
    sources = spec_sources(args)
    path = sources.get("path")
    if path is None or not Path(path).exists():  # nothing to wait for: a bad name or value is an error now
        from gdscenes.production.spec import from_sources

        from_sources(**sources)
    from gdscenes.production.watch import watch

    return watch(sources)


def cmd_slides(args: argparse.Namespace) -> int:
    from gdscenes.production import slides
    from gdscenes.production.spec import from_sources

    args.sections = True
    spec = from_sources(**spec_sources(args))  # validates every value before manim starts
    print(f"rendering {spec.scene} with sections at quality {spec.render['quality']}", file=sys.stderr)
    deck, record = slides.make(spec, getattr(args, "out", None))
    print(f"wrote {record['video']} and {len(deck.clips)} slides:", file=sys.stderr)
    print(f"  {deck.html}  (open in a browser: right arrow, space or click: next; left arrow: back)", file=sys.stderr)
    print(f"  {deck.json}  (manim-slides present --folder {deck.folder} {deck.name})", file=sys.stderr)
    return 0


def sweep_backend(args: argparse.Namespace) -> Any:
    if args.scheduler:
        from gdscenes.production.distributed import DaskBackend

        return DaskBackend(args.scheduler)
    from gdscenes.production.sweep import LocalBackend

    return LocalBackend(args.jobs)


def vary_count(text: str) -> int:
    """How many values a ``--vary`` gives, counted without parsing each (as ``sweep.parse_vary`` splits them)."""
    _, _, values = text.partition("=")
    values = values.strip()
    if values.startswith("["):
        from gdscenes.production.spec import parse_value

        parsed = parse_value(values)
        return len(parsed) if isinstance(parsed, list) else 1
    return values.count(",") + 1


def check_variants(varies: Sequence[str], most: int) -> int:
    """The number of variants of the ``--vary`` product, refused above ``most`` (before any is made)."""
    counts = [vary_count(text) for text in varies]
    total = math.prod(counts)
    if total > most:
        shown = " x ".join(map(str, counts))
        raise CliError(f"--vary makes {shown} = {total} variants; allowed: at most {most} "
                       f"(say --max-variants {total} to render them all)")
    return total


def cmd_sweep(args: argparse.Namespace) -> int:
    check_option("jobs", args.jobs, JOBS)
    check_option("max-variants", args.max_variants, MAX_VARIANTS)
    check_variants(args.vary, args.max_variants)  # a 10^6 product is refused at once, before it is validated
    from gdscenes.production import sweep
    from gdscenes.production.job import close_spares

    # All validated first: locally in the warm worker that then renders (this process imports no manim).
    expand = sweep.expand if args.scheduler else sweep.expand_warm
    try:
        variants = expand(varies=args.vary, same_camera=True, **spec_sources(args))
        result = sweep.run(variants, sweep_backend(args), force=args.force)
    finally:
        close_spares()
    if args.grid:
        videos, labels = sweep.finished_videos(variants, result.manifest)
        if videos:
            from gdscenes.production.grid import compose

            out = compose(videos, labels, result.manifest.parent / f"{variants[0].spec.base}_grid.mp4")
            print(f"wrote {out} ({len(videos)} tiles)", file=sys.stderr)
    print(f"gdscenes: sweep: {result.summary()}", file=sys.stderr)
    return 1 if result.failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from gdscenes.production import sweep
    from gdscenes.production.job import export_all
    from gdscenes.production.spec import parse_value

    stills = [parse_value(at) for at in args.still]  # numbers or "last"; the spec says what is wrong
    for at in stills:
        if isinstance(at, float) and not math.isfinite(at):
            raise CliError(f"--still = {at!r} is not allowed; allowed: seconds from 0 to the clip's length, or last")
    wanted = {"csv": args.csv, "json": args.json, "gif": args.gif, "vertical": args.vertical, "stills": stills}
    sources = spec_sources(args)
    sources["sets"] = [*sources["sets"], *(f"export.{k}={_toml(v)}" for k, v in wanted.items() if v)]
    (variant,) = sweep.expand(varies=[], same_camera=True, **sources)  # the sweep's clip: same camera, same name
    video = sweep.ensure_rendered(variant)  # renders only if the clip is not there yet
    found = variant.spec.found
    for path in export_all(variant.spec, video, found[0] if found else None):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _toml(value: Any) -> str:
    return json.dumps(value)  # booleans, numbers, strings and lists of them are the same in TOML


def cmd_thumbnail(args: argparse.Namespace) -> int:
    out_given = output_file(args.out, "--out") if args.out is not None else None
    from gdscenes.production.spec import from_sources
    from gdscenes.production.thumbnail import make

    spec = from_sources(**spec_sources(args))  # validates every value before manim starts
    out = out_given or Path(spec.render["media_dir"]) / "videos" / f"{spec.output_name()}_thumbnail.png"
    print(f"wrote {make(spec, out)} (1280x720)", file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from importlib.resources import files

    from gdscenes.atomic import replace_into

    target = output_file(args.path, "init PATH")
    if os.path.lexists(target) and not args.force:
        raise CliError(f"{args.path!r} already exists; use --force to overwrite it")
    text = files("gdscenes").joinpath("example.toml").read_text(encoding="utf-8")
    replace_into(target, lambda temp: temp.write_text(text, encoding="utf-8"))
    print(f"wrote {args.path}; render it with: gdscenes render {args.path}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gdscenes.cli.catalog import load

    listing = load()
    print("scenes:")
    for name, summary in sorted(lessons().items()):
        print(f"  {name:<18} {summary}")
    print("losses:")
    for row in listing["losses"]:
        print(f"  {row['name']:<18} {row['expression']}")
    for heading in ("optimizers", "schedules", "models", "data sets"):
        print(f"{heading}:")
        for name, text in listing[heading].items():
            print(f"  {name:<18} {text}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from gdscenes.production.doctor import report

    lines, ok = report()
    print("\n".join(lines))
    print("everything needed is there" if ok else "gdscenes: doctor: something is missing (see 'install:' above)")
    return 0 if ok else 1


COMMANDS = {"losses": cmd_losses, "trajectory": cmd_trajectory, "render": cmd_render}
COMMANDS |= {"sweep": cmd_sweep, "export": cmd_export, "init": cmd_init, "list": cmd_list, "doctor": cmd_doctor}
COMMANDS |= {"thumbnail": cmd_thumbnail}
COMMANDS |= {"slides": cmd_slides}


def join_negative_values(argv: Sequence[str]) -> list[str]:
    """Turn ``--start -0.5,-4.5`` into ``--start=-0.5,-4.5`` so argparse accepts it."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in NUMERIC_OPTIONS and i + 1 < len(argv) and NUMBER_LIST.match(argv[i + 1]):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(join_negative_values(sys.argv[1:] if argv is None else argv))
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # `gdscenes list | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        parser.exit(130, "gdscenes: interrupted; finished outputs are kept (a sweep resumes where it stopped)\n")
    except (ValueError, KeyError) as error:
        from gdscenes.production.spec import one_line

        parser.exit(2, f"gdscenes: error: {one_line(error)}\n")
    except OSError as error:  # the system refused a file: name it, one line
        from gdscenes.production.spec import one_line

        where = f"{error.filename}: " if error.filename else ""
        parser.exit(1, f"gdscenes: error: {where}{error.strerror or one_line(error)}\n")


if __name__ == "__main__":
    sys.exit(main())
