"""Where a warm render's time goes (``--watch``'s re-render): CPU seconds of render after render, and a profile.

    python bench/profile_watch.py                    # 4 warm renders, CPU time of each
    python bench/profile_watch.py --profile out.prof # cProfile of the last one (main thread only)

Renders the bench's spec (bench/watch.py: the descent lesson, 4 s, ``-q l``)
in this process as ``--watch`` does (:func:`gdscenes.production.job.warm_up`,
then :func:`gdscenes.production.job.run` with the spec resolved), changing the
learning rate each time, and prints the CPU seconds (``time.process_time``: all
threads, the rasterizer's and the encoder's included) and wall seconds of each.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import tempfile
import time
from pathlib import Path

from watch import SPEC  # (bench/watch.py's clip: this runs as a script from bench/)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=4)
    parser.add_argument("--profile", help="write a cProfile of the last render here")
    parser.add_argument("--ready", help="create this file after the first render (to attach py-spy to the warm ones)")
    args = parser.parse_args()
    from gdscenes.production import job
    from gdscenes.production.job import run, warm_up
    from gdscenes.production.spec import from_sources

    began = time.process_time()
    warm_up()
    print(f"warm_up: {time.process_time() - began:.2f} s CPU")
    cpus, mains, walls = [], [], []
    with tempfile.TemporaryDirectory(prefix="profile-watch-") as temp:
        path, media = Path(temp) / "lesson.toml", Path(temp) / "media"
        for i in range(args.renders):
            path.write_text(SPEC.format(lr=0.01 + 0.001 * (i % 2), media=media))
            last = i == args.renders - 1
            profiler = cProfile.Profile() if last and args.profile else None
            from gdscenes.drawing.gl.renderer import LessonRenderer

            counts = LessonRenderer.overlay_renders, LessonRenderer.bakes
            cpu, wall, main_cpu = time.process_time(), time.perf_counter(), time.thread_time()
            if profiler:
                profiler.enable()
            spec = from_sources(path)
            run({"name": "preview", "raw": spec.raw}, spec, caches={"progress_bar": "none"})
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            if i == 0 and args.ready:
                Path(args.ready).touch()
            cpu, main_cpu, wall = time.process_time() - cpu, time.thread_time() - main_cpu, time.perf_counter() - wall
            if hasattr(job, "tidy_heap"):  # (older code has none)
                job.tidy_heap()  # (as --watch does after each render, while it waits for the next save: not timed)
            if i:
                cpus.append(cpu)
                mains.append(main_cpu)
                walls.append(wall)
            print(f"render {i + 1}: {cpu:.2f} s CPU ({main_cpu:.2f} s main thread), {wall:.2f} s wall; "
                  f"{LessonRenderer.overlay_renders - counts[0]} overlay paints, {LessonRenderer.bakes - counts[1]} bakes")
    if cpus:
        print(f"warm renders (2 to {args.renders}), medians: {statistics.median(cpus):.2f} s CPU, "
              f"{statistics.median(mains):.2f} s main thread, {statistics.median(walls):.2f} s wall "
              f"({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
