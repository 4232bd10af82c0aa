"""Rendering benchmark: gdscenes against a naive manim scene, matplotlib and the encoding floor.

    .venv/bin/python bench/run.py           # 1080p30 and 480p15 for all, 2160p30 for gdscenes
    .venv/bin/python bench/run.py --quick   # 480p15 only

Every contender renders the same 8-second Himmelblau clip in its own process
(one after the other, so they never share the 2 cores); the harness measures
wall time and peak memory (``wait4``'s ``ru_maxrss``, children included), checks
each video's size and frame count with PyAV, and prints ratios against the
baselines measured in the same run. The encoding floor re-encodes gdscenes'
own frames with x264 at the same settings and times only the encoder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import av

from clip import DURATION

HERE = Path(__file__).resolve().parent
CONTENDERS = {
    "gdscenes": [str(HERE / "gdscenes_clip.py")],  # the default renderer ("auto")
    "gdscenes cairo": [str(HERE / "gdscenes_clip.py"), "--renderer", "cairo"],
    "naive manim": [str(HERE / "naive_manim.py")],
    "matplotlib": [str(HERE / "matplotlib_clip.py")],
}


@dataclass
class Run:
    name: str
    width: int
    height: int
    fps: float
    seconds: float
    frames: int
    peak_mb: float

    @property
    def frame_rate(self) -> float:
        return self.frames / self.seconds


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run ``command``; its wall seconds, peak resident MiB and standard output."""
    began = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        out = proc.stdout.read() if proc.stdout else ""
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - began
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit status {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024, out


def frame_count(path: Path, width: int, height: int) -> int:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if (stream.width, stream.height) != (width, height):
            raise SystemExit(f"{path} is {stream.width}x{stream.height}, not {width}x{height}")
        return sum(1 for _ in container.decode(video=0))


def render(name: str, width: int, height: int, fps: float, folder: Path) -> tuple[Run, Path]:
    out = folder / f"{name.replace(' ', '_')}_{height}p{fps:g}.mp4"
    command = [sys.executable, *CONTENDERS[name], "--width", str(width), "--height", str(height),
               "--fps", str(fps), "--out", str(out)]
    print(f"  {name} at {width}x{height} {fps:g} fps ...", file=sys.stderr, flush=True)
    seconds, peak, _ = timed(command)
    return Run(name, width, height, fps, seconds, frame_count(out, width, height), peak), out


def encode_floor(clip: Path, folder: Path) -> Run:
    print("  encoding floor ...", file=sys.stderr, flush=True)
    _, peak, out = timed([sys.executable, str(HERE / "encode_floor.py"), str(clip), "--out", str(folder / "floor.mp4")])
    data = json.loads(out)
    with av.open(str(clip)) as c:
        s = c.streams.video[0]
        width, height, fps = s.width, s.height, float(s.average_rate or 30)
    settings = " ".join(f"{k}={v}" for k, v in data["settings"].items())
    print(f"  encoding floor settings: {settings}", file=sys.stderr, flush=True)
    return Run(f"encode floor (x264 {settings})", width, height, fps, data["encode_seconds"], data["frames"], peak)


def table(runs: list[Run]) -> str:
    base = {r.name: r for r in runs}
    ours = base.get("gdscenes", runs[0])
    lines = [
        "| contender | size | frames | wall s | frames/s | peak MiB | gdscenes speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        ratio = "1.00x" if r is ours else f"{r.seconds / ours.seconds:.2f}x"
        lines.append(f"| {r.name} | {r.width}x{r.height}@{r.fps:g} | {r.frames} | {r.seconds:.1f} | "
                     f"{r.frame_rate:.1f} | {r.peak_mb:.0f} | {ratio} |")
    return "\n".join(lines)


def compare(width: int, height: int, fps: float, folder: Path, names: list[str]) -> list[Run]:
    runs, clips = [], {}
    for name in names:
        run, clip = render(name, width, height, fps, folder)
        runs.append(run)
        clips[name] = clip
    runs.append(encode_floor(clips["gdscenes"], folder))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="480p15 only")
    parser.add_argument("--only", nargs="*", choices=list(CONTENDERS), help="contenders to run (gdscenes always)")
    parser.add_argument("--keep", help="folder to keep the videos in")
    args = parser.parse_args()
    names = ["gdscenes", *[n for n in (args.only or CONTENDERS) if n != "gdscenes"]]
    folder = Path(args.keep or tempfile.mkdtemp(prefix="gdbench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [(854, 480, 15)] if args.quick else [(1920, 1080, 30), (854, 480, 15)]
    for width, height, fps in sizes:
        print(f"\n### {width}x{height} at {fps} fps, {DURATION:g} s clip\n")
        runs = compare(width, height, fps, folder, names)
        print(table(runs))
        ours, floor = runs[0], runs[-1]
        for r in runs[1:-1]:
            print(f"\ngdscenes is {r.seconds / ours.seconds:.2f}x faster than {r.name}", end="")
        print(f"\ngdscenes takes {ours.seconds / floor.seconds:.2f}x the encoding floor\n")
    if not args.quick:
        print("### gdscenes at 3840x2160 at 30 fps\n")
        run, _ = render("gdscenes", 3840, 2160, 30, folder)
        print(table([run]))


if __name__ == "__main__":
    main()
