"""Warm sweep workers (issue 17): one process renders variant after variant, the same frames as a
fresh process, a failing variant leaves the next one alone, and nothing outlives the sweep."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdscenes.production import sweep
from tests.conftest import read_frames

pytestmark = pytest.mark.render

TINY = """
[scene]
start = [-0.5, -4.5]
steps = 2
tol = 0.0
resolution = 8
intro_seconds = 0.2
hold_seconds = 0.2

[render]
quality = "l"
fps = 5
media_dir = "{media}"
"""


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY.format(media=tmp_path / "media"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))  # the workers' private folders: looked for afterwards
    return path


def variant_jobs(spec: Path, *varies: str, sets: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [v.job() for v in sweep.expand(spec, list(varies), sets=list(sets), same_camera=True)]


def warm(jobs_: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
    """The jobs through a one-worker local backend, in order."""
    return list(sweep.LocalBackend(1).results(jobs_))


def cold(job: dict[str, Any], folder: Path) -> np.ndarray:
    """``job`` rendered by a fresh Python process (``python -m gdscenes.production.job``) into ``folder``: its frames."""
    done = subprocess.run([sys.executable, "-m", "gdscenes.production.job"], input=json.dumps(dict(job, media_dir=str(folder))),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads(done.stdout)
    assert record["pid"] != os.getpid() and record["renders"] == 1
    return read_frames(Path(record["video"]))


def gone(pids: set[int]) -> bool:
    """Whether none of the processes ``pids`` lives (Linux /proc; a zombie counts as gone)."""
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            return False
    return True


@pytest.mark.parametrize("renderer", ["opengl", "cairo"])
def test_one_warm_worker_renders_every_variant_with_the_frames_of_a_fresh_process(
        spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renderer: str) -> None:
    monkeypatch.setenv("GDSCENES_RENDERER", renderer)  # (the workers inherit it; this process renders nothing)
    todo = variant_jobs(spec, "optimizer.lr=0.01,0.02,0.03")
    done = warm(todo)
    assert [error for _, _, error in done] == [None, None, None]
    records = [record for _, record, _ in done]
    assert all(r is not None for r in records)
    pids = {r["pid"] for r in records if r}
    assert len(pids) == 1 and os.getpid() not in pids  # one worker process, not this one
    assert [r["renders"] for r in records if r] == [1, 2, 3]  # its first, second and third render
    # the third render of the worker (shared GL context, cached glyphs) has the frames of a fresh process's
    for index in (0, 2):
        assert records[index] is not None
        warm_frames = read_frames(Path(records[index]["video"]))
        fresh = cold(todo[index], tmp_path / f"cold{index}")
        assert warm_frames.shape == fresh.shape and warm_frames.shape[1:] == (480, 854, 3)
        assert np.array_equal(warm_frames, fresh), np.abs(warm_frames.astype(int) - fresh).max()
    # the variants differ (a worker that kept the first variant's picture would fail here)
    first, third = (read_frames(Path(r["video"])) for r in (records[0], records[2]) if r)
    assert np.abs(first[-1].astype(int) - third[-1]).sum() > 0
    assert wait_for(lambda: gone(pids)), "the worker outlived the sweep"
    assert list((tmp_path / "tmp").iterdir()) == []  # its private folders are gone


def test_a_failing_variant_leaves_the_next_one_alone(spec: Path, tmp_path: Path) -> None:
    # the first variant renders in another shape and frame rate, then cannot be written (a folder
    # stands at its path); the next one, in the same worker, must get its own configuration back
    bad = variant_jobs(spec, "optimizer.lr=0.05", sets=("render.aspect=\"9:16\"", "render.fps=7"))[0]
    good = variant_jobs(spec, "optimizer.lr=0.01")[0]
    videos = spec.parent / "media" / "videos"
    (videos / f"{bad['name']}.mp4").mkdir(parents=True)
    (videos / f"{bad['name']}.mp4" / "mine.txt").write_text("kept")
    (bad_done, bad_record, bad_error), (good_done, good_record, good_error) = warm([bad, good])
    assert bad_done["name"] == bad["name"] and bad_record is None
    assert bad_error is not None and bad_error.count("\n") == 0 and "is a directory" in bad_error, bad_error
    assert (videos / f"{bad['name']}.mp4" / "mine.txt").read_text() == "kept"
    assert good_error is None and good_record is not None and good_done["name"] == good["name"]
    assert (good_record["jobs"], good_record["renders"]) == (2, 1)  # the same worker went on
    assert (good_record["width"], good_record["height"], good_record["fps"]) == (854, 480, 5.0)
    frames = read_frames(Path(good_record["video"]))
    assert np.array_equal(frames, cold(good, tmp_path / "cold"))
    assert not [p for p in (spec.parent / "media").rglob("*") if "partial" in p.name or "@" in p.name]


def test_a_worker_that_crashed_or_was_killed_is_replaced(spec: Path) -> None:
    from gdscenes.production.job import JobError, close_workers, current_worker, run_isolated

    first, second, third = variant_jobs(spec, "optimizer.lr=0.01,0.02,0.03")
    try:
        one = run_isolated(first)
        worker = current_worker()
        assert worker is not None and worker.process.pid == one["pid"]
        worker.process.kill()  # killed between two variants
        worker.process.wait()
        two = run_isolated(second)
        assert two["pid"] != one["pid"] and two["renders"] == 1
        # an error that is not a bad value nor a refused file: the worker answers, then exits
        with pytest.raises(JobError) as failed:
            run_isolated({"name": "broken", "raw": {"render": {}}, "media_dir": 3.5})
        assert str(failed.value).startswith("broken: ") and "\n" not in str(failed.value)
        three = run_isolated(third)
        assert three["pid"] not in (one["pid"], two["pid"]) and Path(three["video"]).is_file()
    finally:
        close_workers()
    assert wait_for(lambda: gone({one["pid"], two["pid"], three["pid"]}))


def test_the_worker_loop_answers_one_line_per_job(spec: Path) -> None:
    """The protocol itself: a job per line in, ``{"record"}`` or ``{"error"}`` per line out, exit at the end."""
    good = variant_jobs(spec, "optimizer.lr=0.01")[0]
    lines = json.dumps(dict(good, quiet=True)) + "\n" + json.dumps({"name": "a/b", "raw": {}}) + "\n"
    lines += json.dumps(dict(good, quiet=True)) + "\n"
    done = subprocess.run([sys.executable, "-m", "gdscenes.production.job", "--serve"], input=lines,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [sorted(a) for a in answers] == [["record"], ["error", "exits"], ["record"]] and answers[1]["exits"] is False
    assert answers[1]["error"].startswith("ValueError: output name 'a/b' is not a plain file name")
    assert [a["record"]["renders"] for a in (answers[0], answers[2])] == [1, 2]  # (the failed job is not a render)
    assert answers[0]["record"]["pid"] == answers[2]["record"]["pid"]


def wait_for(condition: Any, limit: float = 60.0) -> bool:
    import time

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def test_a_dask_worker_keeps_one_warm_process_for_its_tasks(spec: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from gdscenes.production.distributed import DaskBackend
    from gdscenes.production.job import close_workers

    todo = variant_jobs(spec, "optimizer.lr=0.01,0.02")
    try:
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
            with distributed.Client(cluster) as client:
                done = list(DaskBackend(client=client).results(todo))
    finally:
        close_workers()  # (this process is the Dask worker here: its warm process ends in order)
    assert [error for _, _, error in done] == [None, None]
    records = [record for _, record, _ in done if record is not None]
    assert len({r["pid"] for r in records}) == 1 and sorted(r["renders"] for r in records) == [1, 2]
    for record in records:  # the videos came back into the media folder
        assert Path(record["video"]).parent == spec.parent / "media" / "videos" and read_frames(Path(record["video"])).size
    assert wait_for(lambda: gone({r["pid"] for r in records}))
    assert list((tmp_path / "tmp").iterdir()) == []


# -- the sweep's own process: validated by the warm worker, no manim here ---------------------------
def cli_in_child(*argv: str) -> tuple[int, list[str], str]:
    """``gdscenes ARGV`` run in a fresh Python process: its exit status, the manim and lesson modules it
    imported, and its standard error."""
    code = ("import json, sys\nfrom gdscenes.cli.main import main\n"
            f"try:\n    rc = main({list(argv)!r})\nexcept SystemExit as stop:\n    rc = stop.code\n"
            "lessons = [m for m in sys.modules if m == 'manim' or m.startswith('manim.')\n"
            "           or (m.startswith('gdscenes.scenes.') and m != 'gdscenes.scenes.registry')]\n"
            "print(json.dumps([rc, sorted(lessons)]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    rc, imported = json.loads(done.stdout.splitlines()[-1])
    return rc, imported, done.stderr


def test_the_sweep_process_imports_neither_manim_nor_the_lessons(spec: Path) -> None:
    rc, imported, err = cli_in_child("sweep", str(spec), "--vary", "optimizer.lr=0.01,0.02", "--jobs", "1")
    assert rc == 0, err[-2000:]
    assert imported == []
    # what it recorded is what validating the variants here (manim imported) gives
    outputs = json.loads((spec.parent / "media" / "videos" / "tiny.manifest.json").read_text())["outputs"]
    here = sweep.expand(spec, ["optimizer.lr=0.01,0.02"], same_camera=True)
    assert sorted(outputs) == sorted(v.name for v in here)
    for v in here:
        assert outputs[v.name]["params"] == json.loads(json.dumps(sweep.full_parameters(v.spec)))
        assert outputs[v.name]["varied"] == v.values and outputs[v.name]["status"] == "ok"


def test_a_bad_value_the_worker_finds_is_one_line_with_exit_status_2(spec: Path) -> None:
    with pytest.raises(ValueError) as here:  # what validating here says
        sweep.expand(spec, ["optimizer.lr=0.01,-1"], same_camera=True)
    rc, imported, err = cli_in_child("sweep", str(spec), "--vary", "optimizer.lr=0.01,-1", "--jobs", "1")
    assert (rc, imported) == (2, [])
    assert err == f"gdscenes: error: {here.value}\n"
    assert not (spec.parent / "media").exists()  # nothing written


def test_the_worker_that_validated_the_sweep_renders_it(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gdscenes.production import job

    started: list[str] = []
    real = job.Worker.__init__

    def counted(self: Any, kind: str, *command: Any) -> None:
        started.append(kind)
        real(self, kind, *command)

    monkeypatch.setattr(job.Worker, "__init__", counted)
    try:
        variants = sweep.expand_warm(spec, ["optimizer.lr=0.01,0.02"], same_camera=True)
        here = sweep.expand(spec, ["optimizer.lr=0.01,0.02"], same_camera=True)
        assert [(v.name, v.values, v.spec.raw, v.spec.render, v.spec.export) for v in variants] == \
            [(v.name, v.values, v.spec.raw, v.spec.render, v.spec.export) for v in here]
        assert [v.seconds for v in variants] == [sweep.clip_seconds(v.spec) for v in here]
        assert len(started) == 1 and len(job._SPARES) == 1
        result = sweep.run(variants, sweep.LocalBackend(1))
    finally:
        job.close_spares()
    assert sorted(result.rendered) == sorted(v.name for v in here) and not result.failed
    assert len(started) == 1  # no second start-up: the validating worker rendered both
    assert not job._SPARES


def test_a_spec_the_worker_cannot_be_sent_is_validated_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gdscenes.production.spec import SpecError

    path = tmp_path / "dated.toml"
    path.write_text('[scene]\nnote = 1979-05-27\n')  # a TOML date: no JSON for it
    monkeypatch.setattr(sweep, "Worker", None)  # (none may start)
    with pytest.raises(SpecError) as here:
        sweep.expand(path, ["optimizer.lr=0.01"])
    with pytest.raises(SpecError) as warm:
        sweep.expand_warm(path, ["optimizer.lr=0.01"])
    assert str(warm.value) == str(here.value) and "scene.note" in str(here.value)
