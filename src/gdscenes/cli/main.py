"""The ``gdscenes`` command line (argparse).

``gdscenes losses``      list the library of landscapes
``gdscenes trajectory``  run an optimizer and write its trajectory (CSV or JSON)
``gdscenes render``      render a scene (or a TOML spec) to a video in ``media/``
``gdscenes sweep``       render every combination of ``--vary`` values, skipping what is done
``gdscenes export``      stills, GIF, trajectory and a 9:16 version of a spec's clip
``gdscenes thumbnail``   a designed 1280x720 PNG still (title, landscape, path)
``gdscenes init``        write a commented example spec
``gdscenes list``        scenes, losses and optimizers
``gdscenes doctor``      check LaTeX, OpenGL, cairo, ffmpeg and disk; print how to install what is missing

Every bad value ends in one line, ``gdscenes: error: ...``, and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from gdscenes.core.losses import LIBRARY, get_loss

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
}

#: Options whose values may start with "-" (negative numbers, "-0.5,-4.5").
NUMERIC_OPTIONS = ("--start", "--lr", "--momentum", "--alpha", "--betas", "--eps", "--tol")
NUMBER_LIST = re.compile(r"^-?[\d.]+(e-?\d+)?(,\s*-?[\d.]+(e-?\d+)?)*$", re.IGNORECASE)


class CliError(ValueError):
    """A user error: printed as one line, exit status 2."""


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
    parser.add_argument("--optimizer", default="gd" if defaults else None, help="gd, momentum, nesterov, adagrad, rmsprop, adam")
    parser.add_argument("--lr", type=float, help="learning rate")
    parser.add_argument("--start", help="start point X,Y (default: the loss's)")
    parser.add_argument("--steps", type=int, help="number of steps")
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
    traj.add_argument("--seed", type=int, help="seed of the gradient noise")
    traj.add_argument("--internals", action="store_true",
                      help="CSV: add the optimizer state and internals (velocity, m, v, m_hat, v_hat, precond)")

    rend = sub.add_parser("render", help="render a scene or a spec file into media/")
    add_spec_options(rend)

    sweep = sub.add_parser("sweep", help="render every combination of --vary values (skips unchanged outputs)")
    add_spec_options(sweep)
    sweep.add_argument("--vary", action="append", default=[], metavar="TABLE.KEY=V1,V2",
                       help="values to sweep, e.g. optimizer.lr=0.001,0.01 (repeat for a product)")
    sweep.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="local processes (default: cores)")
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
    parser.add_argument("-q", "--quality", help="l (480p15), m (720p30), h (1080p60, default), p, k (2160p60)")
    parser.add_argument("--fps", type=float, help="frame rate overriding the quality's")
    from gdscenes.production.spec import render_keys

    default, _, renderers = render_keys()["renderer"]
    parser.add_argument("--renderer", choices=renderers,
                        help=f"{', '.join(renderers or ())} (default: {default}); opengl runs headless through EGL")
    parser.add_argument("--theme", choices=("dark", "light"))
    parser.add_argument("--aspect", help="frame shape: 16:9 (default), 9:16 (vertical, Shorts), 1:1")
    parser.add_argument("--duration", type=float, help="clip length in seconds (the opening, steps and hold scale to fit)")
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
    """``spec.from_sources``/``sweep.expand`` arguments: the spec file (or scene), flag overrides, ``--set``."""
    from pathlib import Path

    overrides = [(key, getattr(args, flag)) for flag, key in FLAG_KEYS.items() if getattr(args, flag) is not None]
    if args.scene.endswith(".toml") or Path(args.scene).is_file():
        return {"path": args.scene, "overrides": overrides, "sets": args.set}
    return {"path": None, "overrides": overrides, "sets": args.set, "raw": {"scene": {"name": args.scene}}}


def scene_names() -> list[str]:
    from gdscenes.scenes.registry import SCENES

    return sorted(SCENES)


# -- commands ----------------------------------------------------------------
def cmd_losses(args: argparse.Namespace) -> int:
    rows = [describe(loss) for loss in LIBRARY.values()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        minima = "; ".join(f"({m['x']:.6g}, {m['y']:.6g}) f={m['f']:.6g} {m['kind']}" for m in row["minima"])
        print(f"{row['name']:<18} {row['expression']}\n{'':<18} minima: {minima or 'none'}")
    return 0


def describe(loss: Any) -> dict[str, Any]:
    """The JSON record of a library loss (the ``losses --json`` contract)."""
    (x0, x1), (y0, y1) = loss.domain
    return {
        "name": loss.name,
        "expression": str(loss.expr),
        "latex": loss.latex,
        "domain": {"x": [x0, x1], "y": [y0, y1]},
        "start": list(loss.start),
        "minima": [{"x": m.x, "y": m.y, "f": m.f, "kind": m.kind} for m in loss.minima],
    }


def cmd_trajectory(args: argparse.Namespace) -> int:
    from gdscenes.core.runner import run

    loss = get_loss(args.loss)
    start = parse_floats(args.start, 2, "--start") if args.start else None
    trajectory = run(
        loss, args.optimizer, start=start, lr=args.lr, steps=args.steps or 100, tol=args.tol,
        noise=args.noise, seed=args.seed, **hyperparameters(args)
    )
    if args.format == "csv":
        def writer(path: str | None) -> str:
            return trajectory.to_csv(path, internals=args.internals)
    else:
        writer = trajectory.to_json
    if args.out:
        writer(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(writer(None))
    return 0


def cmd_render(args: argparse.Namespace) -> int:
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


def sweep_backend(args: argparse.Namespace) -> Any:
    if args.scheduler:
        from gdscenes.production.distributed import DaskBackend

        return DaskBackend(args.scheduler)
    from gdscenes.production.sweep import LocalBackend

    if args.jobs < 1:
        raise CliError(f"--jobs must be at least 1, got {args.jobs}")
    return LocalBackend(args.jobs)


def cmd_sweep(args: argparse.Namespace) -> int:
    from gdscenes.production import sweep

    variants = sweep.expand(varies=args.vary, same_camera=True, **spec_sources(args))  # all validated first
    result = sweep.run(variants, sweep_backend(args), force=args.force)
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
    from pathlib import Path

    from gdscenes.production.spec import from_sources
    from gdscenes.production.thumbnail import make

    spec = from_sources(**spec_sources(args))  # validates every value before manim starts
    out = Path(args.out) if args.out else Path(spec.render["media_dir"]) / "videos" / f"{spec.output_name()}_thumbnail.png"
    print(f"wrote {make(spec, out)} (1280x720)", file=sys.stderr)
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from importlib.resources import files
    from pathlib import Path

    target = Path(args.path)
    if target.exists() and not args.force:
        raise CliError(f"{args.path!r} already exists; use --force to overwrite it")
    target.write_text(files("gdscenes").joinpath("example.toml").read_text())
    print(f"wrote {target}; render it with: gdscenes render {target}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from gdscenes.core.optimizers import OPTIMIZERS
    from gdscenes.scenes.registry import SCENES

    print("scenes:")
    for name, cls in sorted(SCENES.items()):
        summary = (cls.__doc__ or "").strip().splitlines()[:1]
        print(f"  {name:<18} {''.join(summary).replace('``', '')}")
    print("losses:")
    for name, loss in LIBRARY.items():
        print(f"  {name:<18} {loss.expr}")
    print("optimizers:")
    for name, opt in OPTIMIZERS.items():
        hyper = ", ".join(f"{k}={v}" for k, v in opt.default_hyperparams().items())
        print(f"  {name:<18} {hyper}")
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


if __name__ == "__main__":
    sys.exit(main())
