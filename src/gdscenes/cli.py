"""The ``gdscenes`` command line (argparse).

``gdscenes losses``      list the library of landscapes
``gdscenes trajectory``  run an optimizer and write its trajectory (CSV or JSON)
``gdscenes render``      render a scene to a video in ``media/``

Every bad value ends in one line, ``gdscenes: error: ...``, and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

from gdscenes.losses import LIBRARY, get_loss

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

    rend = sub.add_parser("render", help="render a scene into media/")
    rend.add_argument("scene", metavar="SCENE", help="scene name: " + ", ".join(scene_names()))
    rend.add_argument("--loss", help="library name or expression")
    add_descent_options(rend, defaults=False)
    rend.add_argument("-q", "--quality", default="h", help="l (480p15), m (720p30), h (1080p60), p, k (2160p60)")
    rend.add_argument("--fps", type=float, help="frame rate overriding the quality's")
    rend.add_argument("--renderer", choices=("auto", "opengl", "cairo"), default="auto",
                      help="auto (default: OpenGL through EGL when a context can be made, else Cairo), opengl, cairo")
    rend.add_argument("--theme", choices=("dark", "light"))
    rend.add_argument("--aspect", default="16:9", help="frame shape: 16:9, 9:16 (vertical, Shorts), 1:1")
    rend.add_argument("--media-dir", default="media")
    rend.add_argument("--name", help="output file name (default: from the parameters)")
    return parser


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
    from gdscenes.descent import run

    loss = get_loss(args.loss)
    start = parse_floats(args.start, 2, "--start") if args.start else None
    trajectory = run(
        loss, args.optimizer, start=start, lr=args.lr, steps=args.steps or 100, tol=args.tol, **hyperparameters(args)
    )
    writer = trajectory.to_csv if args.format == "csv" else trajectory.to_json
    if args.out:
        writer(args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(writer(None))
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from gdscenes.render import render, variant
    from gdscenes.scenes.registry import get_scene

    scene = get_scene(args.scene)
    attributes: dict[str, Any] = {
        "loss": args.loss,
        "optimizer": args.optimizer,
        "lr": args.lr,
        "start": parse_floats(args.start, 2, "--start") if args.start else None,
        "steps": args.steps,
        "tol": args.tol,
        "theme": args.theme,
    }
    hyper = hyperparameters(args)
    if hyper:
        attributes["hyperparams"] = hyper
    configured = variant(scene, **attributes)
    configured.check()  # validates every value before manim starts
    name = args.name or output_name(args.scene, attributes)
    print(f"rendering {args.scene} at quality {args.quality} -> {args.media_dir}/videos/{name}.mp4", file=sys.stderr)
    result = render(configured, name, quality=args.quality, media_dir=args.media_dir, fps=args.fps,
        renderer=args.renderer, aspect=args.aspect,
    )
    print(
        f"wrote {result.path} ({result.width}x{result.height} at {result.fps:g} fps) in {result.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


def output_name(scene: str, attributes: dict[str, Any]) -> str:
    """A readable, stable file name from the parameters that were given."""
    from gdscenes.render import slug

    parts = [scene]
    for key, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            value = ",".join(f"{v:g}" for v in value)
        elif isinstance(value, float):
            value = f"{value:g}"
        parts.append(str(value) if key == "loss" else f"{key}{value}")
    return slug("_".join(parts))


COMMANDS = {"losses": cmd_losses, "trajectory": cmd_trajectory, "render": cmd_render}


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
    except (ValueError, KeyError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        parser.exit(2, f"gdscenes: error: {message}\n")


if __name__ == "__main__":
    sys.exit(main())
