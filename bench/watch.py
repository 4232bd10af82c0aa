"""Time from saving a spec to the new video, with ``gdscenes render SPEC --watch`` (issue 17).

    python bench/watch.py              # 6 saves of a 4 s descent clip at -q l
    python bench/watch.py --saves 10

Writes a spec (the descent lesson, ``render.duration = 4``), renders it once
cold (``gdscenes render SPEC -q l``, a fresh process: the baseline), then
starts ``gdscenes render SPEC --watch`` and saves the spec ``--saves`` times
(each save changes the learning rate), timing each from the save to the
line that says the new video is written (the video is in place by then).
Prints the median and the fastest, and their ratio to the target (1.5 s), and
the CPU seconds the watching process spent on each save (its own and its
children's, from ``/proc``: less sensitive than the wall time to other work on the machine),
and between saves (what it does while it waits: a full garbage collection after each render).
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GDSCENES = [sys.executable, "-c", "import sys; from gdscenes.cli.main import main; sys.exit(main())"]
TARGET = 1.5
SPEC = """[scene]
name = "descent"
lr = {lr}

[render]
duration = 4
quality = "l"
media_dir = "{media}"
"""


def cpu_seconds(pid: int) -> float:
    """CPU time of process ``pid`` and of the children it waited for (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime, stime, cutime, cstime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watch-bench-") as temp:
        spec, media = Path(temp) / "lesson.toml", Path(temp) / "media"
        spec.write_text(SPEC.format(lr=0.01, media=media))
        began = time.perf_counter()
        subprocess.run([*GDSCENES, "render", str(spec), "-q", "l"], capture_output=True, check=True)
        cold = time.perf_counter() - began

        process = subprocess.Popen([*GDSCENES, "render", str(spec), "--watch"], stderr=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, text=True)
        lines: queue.Queue[tuple[float, str]] = queue.Queue()

        def read() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                lines.put((time.perf_counter(), line.strip()))

        threading.Thread(target=read, daemon=True).start()

        def written() -> float:
            while True:
                at, line = lines.get(timeout=300)
                if " wrote " in line:
                    return at
                if line.startswith("gdscenes: error"):
                    sys.exit(line)

        written()  # the first render
        times, cpus, idle = [], [], []
        after = cpu_seconds(process.pid)
        for i in range(args.saves):
            time.sleep(0.5)  # (a person saves now and then)
            before = cpu_seconds(process.pid)
            if i:
                idle.append(before - after)
            saved = time.perf_counter()
            spec.write_text(SPEC.format(lr=0.01 + 0.001 * ((i % 2) + 1), media=media))
            times.append(written() - saved)
            after = cpu_seconds(process.pid)
            cpus.append(after - before)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    median, fastest = statistics.median(times), min(times)
    print(f"save -> new video, 4 s descent clip at -q l (854x480, 15 fps), {len(times)} saves "
          f"({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}), GDSCENES_RENDERER="
          f"{os.environ.get('GDSCENES_RENDERER', 'auto')}")
    print(f"  --watch: median {median:.2f} s, fastest {fastest:.2f} s; target {TARGET} s: median is "
          f"{median / TARGET:.2f}x the target, fastest {fastest / TARGET:.2f}x")
    print(f"  cold `gdscenes render SPEC -q l` (a fresh process): {cold:.2f} s; watch is {cold / median:.2f}x faster")
    print("  each save: " + ", ".join(f"{t:.2f}" for t in times))
    print(f"  CPU of the watching process a save: median {statistics.median(cpus):.2f} s ("
          + ", ".join(f"{c:.2f}" for c in cpus) + ")")
    if idle:  # (its housekeeping after a render, while it waits for the next save: a full garbage collection)
        print(f"  and between saves (0.5 s after the video, before the next save): median {statistics.median(idle):.2f} s")


if __name__ == "__main__":
    main()
