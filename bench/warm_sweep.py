"""Warm sweep workers against separate renders, side by side in one run (issue 17).

    python bench/warm_sweep.py              # 8 variants of the descent, -q l, --duration 4
    python bench/warm_sweep.py --variants 4 --rounds 2

Times (wall, and the CPU seconds of the processes) of

* cold: one ``gdscenes render descent -q l --duration 4 --lr X`` per variant, one after the other;
* warm: ``gdscenes sweep descent -q l --duration 4 --vary optimizer.lr=X1,...,X8 --jobs 1 --force``
  (one warm worker process renders all of them);

with the same camera for both (the sweep's: ``camera.keep_in_sight=false``), then checks that the
two give the same frames for the first and last variant. With ``--rounds`` > 1 the two alternate.
The target of issue 17: the warm sweep at least 2x faster.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GDSCENES = [sys.executable, "-c", "import sys; from gdscenes.cli.main import main; sys.exit(main())"]
COMMON = ["-q", "l", "--duration", "4", "--set", "camera.keep_in_sight=false"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(commands: list[list[str]]) -> tuple[float, float]:
    """Wall and CPU seconds of running ``commands`` one after the other (each must succeed)."""
    cpu, began = children_cpu(), time.perf_counter()
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return time.perf_counter() - began, children_cpu() - cpu


def frames(path: Path) -> list[bytes]:
    import av

    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24").tobytes() for frame in container.decode(video=0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    rates = [round(0.005 + 0.001 * i, 4) for i in range(args.variants)]
    with tempfile.TemporaryDirectory(prefix="warm-sweep-") as temp:
        cold_dir, warm_dir = Path(temp) / "cold", Path(temp) / "warm"
        cold = [[*GDSCENES, "render", "descent", *COMMON, "--lr", str(lr), "--media-dir", str(cold_dir),
                 "--name", f"v{i}"] for i, lr in enumerate(rates)]
        warm = [[*GDSCENES, "sweep", "descent", *COMMON, "--vary", "optimizer.lr=" + ",".join(map(str, rates)),
                 "--jobs", "1", "--force", "--media-dir", str(warm_dir)]]
        subprocess.run([*GDSCENES, "render", "descent", *COMMON, "--media-dir", str(Path(temp) / "first")],
                       capture_output=True, check=True)  # (caches on disk filled: both sides start equal)
        results: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
        for _ in range(args.rounds):
            results["cold"].append(timed(cold))
            results["warm"].append(timed(warm))
        print(f"{len(rates)} variants of the descent at -q l --duration 4 ({os.cpu_count()} cores, "
              f"load {os.getloadavg()[0]:.1f}), GDSCENES_RENDERER={os.environ.get('GDSCENES_RENDERER', 'auto')}")
        for side, label in (("cold", f"{len(rates)} separate gdscenes render"), ("warm", "gdscenes sweep --jobs 1 (warm)")):
            walls = [w for w, _ in results[side]]
            cpus = [c for _, c in results[side]]
            print(f"  {label:<34} wall {statistics.median(walls):6.1f} s ({statistics.median(walls) / len(rates):.2f} s "
                  f"a variant)   CPU {statistics.median(cpus):6.1f} s")
        wall_ratio = statistics.median(w for w, _ in results["cold"]) / statistics.median(w for w, _ in results["warm"])
        cpu_ratio = statistics.median(c for _, c in results["cold"]) / statistics.median(c for _, c in results["warm"])
        print(f"  warm sweep is {wall_ratio:.2f}x faster in wall time, {cpu_ratio:.2f}x in CPU time (target: 2x)")
        manifest = json.loads(next((warm_dir / "videos").glob("*.manifest.json")).read_text())["outputs"]
        by_rate = {e["varied"]["optimizer.lr"]: warm_dir / "videos" / e["video"] for e in manifest.values()}
        same = [frames(cold_dir / "videos" / f"v{i}.mp4") == frames(by_rate[rates[i]]) for i in (0, len(rates) - 1)]
        print(f"  same frames as the separate renders (first, last variant): {same}")


if __name__ == "__main__":
    main()
