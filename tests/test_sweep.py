"""Sweeps with tiny real renders: manifest, skip and resume by file and manifest, failures, grid, exports."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdscenes.production.progress import Progress
from tests.conftest import read_frames
from tests.test_cli import run_cli

pytestmark = pytest.mark.render

TINY = """
[scene]
start = [-0.5, -4.5]
steps = 2
tol = 0.0
resolution = 8
intro_seconds = 0.2
hold_seconds = 0.2

[camera]
theta = -60.0  # (given: the variants keep it; without, they share one chosen over their paths, which a new variant may turn)

[render]
quality = "l"
fps = 5
media_dir = "{media}"
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY.format(media=tmp_path / "media"))
    return path


def himmelblau_gd(x: float, y: float, lr: float, steps: int) -> tuple[float, float]:
    """Gradient descent on Himmelblau's function, the gradient written out by hand."""
    for _ in range(steps):
        a, b = x * x + y - 11, x + y * y - 7
        x, y = x - lr * (4 * x * a + 2 * b), y - lr * (2 * a + 4 * y * b)
    return x, y


def manifest(spec: Path) -> dict[str, Any]:
    return json.loads((spec.parent / "media" / "videos" / "tiny.manifest.json").read_text())["outputs"]


def mtimes(spec: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (spec.parent / "media" / "videos").glob("*.mp4")}


def sweep(capsys: pytest.CaptureFixture[str], spec: Path, *argv: str) -> tuple[int, str]:
    code, _, err = run_cli(capsys, "sweep", str(spec), "--jobs", "2", *argv)
    return code, err


def test_sweep_records_renders_skips_and_resumes(capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    code, err = sweep(capsys, spec, "--vary", "optimizer.lr=0.01,0.02")
    assert code == 0, err
    assert "2 rendered, 0 unchanged, 0 failed" in err
    outputs = manifest(spec)
    assert sorted(outputs) == ["tiny_lr0.01", "tiny_lr0.02"]
    folder = spec.parent / "media" / "videos"
    for name, lr in (("tiny_lr0.01", 0.01), ("tiny_lr0.02", 0.02)):
        entry = outputs[name]
        video = folder / entry["video"]
        assert entry["status"] == "ok" and video.name == f"{name}.mp4"
        assert entry["sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()
        assert entry["params"]["scene"]["lr"] == lr and entry["params"]["scene"]["loss"] == "himmelblau"
        assert entry["params"]["render"]["quality"] == "l" and entry["varied"] == {"optimizer.lr": lr}
        assert entry["params"]["scene"]["orbit"]["keep_in_sight"] is False  # one camera for all variants
        assert entry["summary"]["final_point"] == pytest.approx(himmelblau_gd(-0.5, -4.5, lr, 2))
        assert entry["summary"]["status"] == "max_steps" and entry["summary"]["steps"] == 2
        assert read_frames(video).shape[1:] == (480, 854, 3)
    first = mtimes(spec)

    # unchanged: nothing is rendered, no file is touched
    code, err = sweep(capsys, spec, "--vary", "optimizer.lr=0.01,0.02")
    assert code == 0 and "0 rendered, 2 unchanged" in err
    assert mtimes(spec) == first

    # interrupted before tiny_lr0.02 was recorded: only that one is rendered again
    data = json.loads((folder / "tiny.manifest.json").read_text())
    del data["outputs"]["tiny_lr0.02"]
    (folder / "tiny.manifest.json").write_text(json.dumps(data))
    # and tiny_lr0.01's file was damaged since: its hash no longer matches
    with open(folder / "tiny_lr0.01.mp4", "ab") as fh:
        fh.write(b"junk")
    damaged = (folder / "tiny_lr0.01.mp4").stat().st_mtime_ns
    code, err = sweep(capsys, spec, "--vary", "optimizer.lr=0.01,0.02")
    assert code == 0 and "2 rendered, 0 unchanged" in err
    now = mtimes(spec)
    assert now["tiny_lr0.02.mp4"] > first["tiny_lr0.02.mp4"] and now["tiny_lr0.01.mp4"] > damaged
    outputs = manifest(spec)
    assert outputs["tiny_lr0.01"]["sha256"] == hashlib.sha256((folder / "tiny_lr0.01.mp4").read_bytes()).hexdigest()

    # a changed value renders only the new output; the old one stays recorded
    code, err = sweep(capsys, spec, "--vary", "optimizer.lr=0.01,0.03")
    assert code == 0 and "1 rendered, 1 unchanged" in err
    assert mtimes(spec)["tiny_lr0.01.mp4"] == now["tiny_lr0.01.mp4"]
    assert sorted(manifest(spec)) == ["tiny_lr0.01", "tiny_lr0.02", "tiny_lr0.03"]


def test_a_failing_variant_does_not_stop_the_others_and_the_grid_tiles_the_rest(
    capsys: pytest.CaptureFixture[str], spec: Path
) -> None:
    # every value passes the checks, but one variant's video cannot be written: a folder stands at its path
    folder = spec.parent / "media" / "videos"
    (folder / "tiny_resolution5.mp4").mkdir(parents=True)
    (folder / "tiny_resolution5.mp4" / "mine.txt").write_text("kept")
    code, err = sweep(capsys, spec, "--vary", "scene.resolution=5,6,8", "--grid", "--set", "export.csv=true")
    assert code == 1
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("gdscenes: sweep: 2 rendered, 0 unchanged, 1 failed") and "tiny_resolution5" in summary
    outputs = manifest(spec)
    assert outputs["tiny_resolution5"]["status"] == "failed" and outputs["tiny_resolution5"]["error"]
    assert {outputs[n]["status"] for n in ("tiny_resolution6", "tiny_resolution8")} == {"ok"}
    assert (folder / "tiny_resolution5.mp4" / "mine.txt").read_text() == "kept"
    assert outputs["tiny_resolution8"]["exports"] == ["tiny_resolution8.csv"]
    assert (folder / "tiny_resolution8.csv").read_text().startswith("step,x,y,loss")
    assert not [p for p in folder.iterdir() if "partial" in p.name]
    grid = read_frames(folder / "tiny_grid.mp4")
    clip = read_frames(folder / "tiny_resolution8.mp4")
    # two tiles side by side, each a whole clip under a label strip
    strip = grid.shape[1] - 480
    assert grid.shape[2] == 2 * 854 and 14 <= strip < 100 and len(grid) == len(clip)
    left, right = grid[0, :strip, :854].astype(int), grid[0, :strip, 854:].astype(int)
    assert np.abs(left - right).sum() > 0  # "resolution=6" and "resolution=8"
    tile = grid[-1, strip:, 854:].astype(float)
    assert np.abs(tile - clip[-1]).mean() < 8  # the tile is the clip


def test_export_renders_once_then_only_exports(capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    code, _, err = run_cli(capsys, "export", str(spec), "--still", "last", "--csv", "--vertical")
    assert code == 0, err
    folder = spec.parent / "media" / "videos"
    names = sorted(p.name for p in folder.iterdir())
    assert {"tiny.mp4", "tiny_last.png", "tiny.csv", "tiny_9x16.mp4"} <= set(names)
    assert read_frames(folder / "tiny_9x16.mp4").shape[1:] == (854, 480, 3)
    rendered = (folder / "tiny.mp4").stat().st_mtime_ns
    code, _, err = run_cli(capsys, "export", str(spec), "--gif", "--json")
    assert code == 0, err
    assert (folder / "tiny.mp4").stat().st_mtime_ns == rendered
    assert (folder / "tiny.gif").exists() and json.loads((folder / "tiny.json").read_text())["optimizer"] == "gd"


def test_sweep_on_a_local_dask_cluster(spec: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from gdscenes.production import sweep
    from gdscenes.production.distributed import DaskBackend

    variants = sweep.expand(spec, ["optimizer.name=gd,adam"], [("optimizer.lr", 0.01)], ["export.stills=[\"last\"]"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            result = sweep.run(variants, DaskBackend(client=client), Progress(2, 2, io.StringIO()))
    assert sorted(result.rendered) == ["tiny_lr0.01_optimizeradam", "tiny_lr0.01_optimizergd"] and not result.failed
    outputs = manifest(spec)
    folder = spec.parent / "media" / "videos"
    for name in result.rendered:
        video = folder / outputs[name]["video"]
        assert video.parent == folder and outputs[name]["sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()
        still = folder / f"{name}_last.png"  # exports come back from the workers too
        assert outputs[name]["exports"] == [still.name] and still.stat().st_size > 0
    assert outputs["tiny_lr0.01_optimizergd"]["summary"]["final_point"] == pytest.approx(
        himmelblau_gd(-0.5, -4.5, 0.01, 2))


def test_progress_prints_plain_lines_off_a_terminal_and_one_line_on_it() -> None:
    out = io.StringIO()
    progress = Progress(5, 2, out)
    progress.event("skipped", "a")
    progress.queued = 4
    progress.event("done", "b", 10.0)
    progress.event("failed", "c", 30.0)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in out.getvalue()
    assert lines[0] == "sweep: 1/5 done, 0 running, 0 failed, 1 unchanged (skipped: a)"
    # 3 of 4 renders left, 2 of them running: (3 - 2/2) x 10 s / 2 slots
    assert lines[1] == "sweep: 2/5 done, 2 running, 0 failed, 1 unchanged, about 10s left (done: b)"
    # mean 20 s; 2 left, both running: (2 - 1) x 20 s / 2
    assert lines[2] == "sweep: 2/5 done, 2 running, 1 failed, 1 unchanged, about 10s left (failed: c)"

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    progress = Progress(1, 1, tty)
    progress.queued = 1
    progress.event("done", "x")
    assert tty.getvalue() == "\r\033[K" + "sweep: 1/1 done, 0 running, 0 failed (done: x)" + "\n"


def test_parallel_renders_get_a_private_text_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from gdscenes.production.job import private_caches

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    with private_caches(True) as config:
        assert config is not None
        text = Path(config["text_dir"])
        assert text.parent.parent == tmp_path and text.parent.name.startswith("gdscenes-caches-")
    assert list(tmp_path.iterdir()) == []
    with private_caches(False) as config:
        assert config is None


class RecordingBackend:
    """Runs nothing: writes a stand-in video per job and remembers the order it was given."""

    parallel = 2

    def __init__(self) -> None:
        self.order: list[str] = []

    def results(self, jobs: list[dict[str, Any]]) -> Any:
        from gdscenes.production.job import sha256

        for job in jobs:
            self.order.append(job["name"])
            video = Path(job["raw"]["render"]["media_dir"]) / "videos" / f"{job['name']}.mp4"
            video.parent.mkdir(parents=True, exist_ok=True)
            video.write_bytes(job["name"].encode())
            record = {"video": str(video), "sha256": sha256(video), "summary": {}, "seconds": 1.0, "exports": []}
            yield job, record, None


def test_longest_clips_are_handed_out_first(spec: Path) -> None:
    from gdscenes.production import sweep

    variants = sweep.expand(spec, ["scene.steps=1,3,2"])
    # intro 0.2 + steps x 1.5 (the first steps of the voice pace) + hold 0.2 (no tol: every step is shown)
    assert [sweep.clip_seconds(v.spec) for v in variants] == pytest.approx([1.9, 4.9, 3.4])
    backend = RecordingBackend()
    result = sweep.run(variants, backend, Progress(3, 2, io.StringIO()))
    assert backend.order == ["tiny_steps3", "tiny_steps2", "tiny_steps1"]
    assert sorted(result.rendered) == ["tiny_steps1", "tiny_steps2", "tiny_steps3"]
    again = RecordingBackend()
    assert sweep.run(variants, again, Progress(3, 2, io.StringIO())).skipped and again.order == []


def test_an_interrupted_sweep_resumes_where_it_stopped(spec: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    argv = [sys.executable, "-m", "gdscenes.cli.main", "sweep", str(spec), "--jobs", "1",
            "--vary", "optimizer.lr=0.001,0.002,0.003"]
    folder = spec.parent / "media" / "videos"
    # Ctrl-C as a terminal sends it: SIGINT handled by default (pytest's process may have
    # inherited it ignored, and a child started with SIGINT ignored never sees Ctrl-C).
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (folder / "tiny.manifest.json").exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)  # until the first variant is recorded
    done_at_signal = len(manifest(spec)) if (folder / "tiny.manifest.json").exists() else 0
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    _, err = process.communicate(timeout=60)
    finished = {n for n, e in manifest(spec).items() if e["status"] == "ok"}
    if process.returncode == 0 and done_at_signal == 3:  # all three finished before the signal
        pytest.skip("the sweep finished before it could be interrupted")
    assert process.returncode == 130 and err.strip().splitlines()[-1].startswith("gdscenes: interrupted"), (
        process.returncode, done_at_signal, err[-400:])
    assert 1 <= len(finished) < 3
    assert not [p for p in folder.iterdir() if "partial" in p.name]
    before = mtimes(spec)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{3 - len(finished)} rendered, {len(finished)} unchanged" in done.stderr
    after = mtimes(spec)
    assert all(after[f"{name}.mp4"] == before[f"{name}.mp4"] for name in finished)
    assert {n for n, e in manifest(spec).items() if e["status"] == "ok"} == {"tiny_lr0.001", "tiny_lr0.002", "tiny_lr0.003"}
