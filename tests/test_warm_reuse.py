"""A warm process reuses the parts of a landscape it built before (gdscenes.drawing.reuse): each render
still has the frames of a fresh process, whatever changed from the render before (the loss, the
theme, the learning rate), and the reuse is taken where the landscape is the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdscenes.drawing import reuse
from gdscenes.production.spec import resolve
from tests.conftest import read_frames

pytestmark = pytest.mark.render

#: A tiny descent (6 frames at 5 fps, a coarse surface).
TINY: dict[str, Any] = {
    "scene": {"name": "descent", "start": [-0.5, -4.5], "steps": 2, "tol": 0.0, "resolution": 8,
              "intro_seconds": 0.4, "hold_seconds": 0.2},
    "render": {"quality": "l", "fps": 5},
    "camera": {"keep_in_sight": False},
}


def job(name: str, folder: Path, renderer: str, *, loss: str = "himmelblau", lr: float = 0.01,
        theme: str = "dark") -> dict[str, Any]:
    raw = json.loads(json.dumps(TINY))
    raw["scene"].update(loss=loss, theme=theme)
    raw["optimizer"] = {"lr": lr}
    raw["render"].update(renderer=renderer, media_dir=str(folder))
    resolve(raw)  # (a bad spec fails here, not in a child)
    return {"name": name, "raw": raw, "quiet": True}


#: One after the other in one warm worker, each differing from the one before in one thing: the theme,
#: the loss (another loss over the same domain: the key must see the loss itself, not its box), then the
#: first landscape again at another learning rate (taken from what the first render built). Under Cairo
#: (the same keys; slower renders) only the last: what it reuses is drawn as what it builds.
FIRST, LIGHT, ACKLEY, AGAIN = (("first", {}), ("light", {"theme": "light"}), ("ackley", {"theme": "light", "loss": "ackley"}),
                               ("again", {"lr": 0.03}))


@pytest.mark.parametrize(("renderer", "variants"), [("opengl", [FIRST, LIGHT, ACKLEY, AGAIN]), ("cairo", [FIRST, AGAIN])])
def test_consecutive_warm_renders_of_other_landscapes_have_the_frames_of_fresh_processes(
        tmp_path: Path, renderer: str, variants: list[tuple[str, dict[str, Any]]]) -> None:
    jobs = [job(name, tmp_path / "warm", renderer, **settings) for name, settings in variants]
    command = [sys.executable, "-m", "gdscenes.production.job"]
    worker = subprocess.Popen([*command, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    fresh = {}  # each variant but the first also in a fresh process, alongside
    for name, settings in variants[1:]:
        given = tmp_path / f"{name}.json"
        given.write_text(json.dumps(job(name, tmp_path / "cold", renderer, **settings)))
        with given.open() as stdin:
            fresh[name] = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = worker.communicate("".join(json.dumps(j) + "\n" for j in jobs), timeout=300)
    assert worker.returncode == 0, err[-2000:]
    records = [json.loads(line)["record"] for line in out.splitlines()]
    assert [r["renders"] for r in records] == list(range(1, len(jobs) + 1))
    hits = [r["reused"] for r in records]
    # the first landscape again: its contour floor, axes and colour bar (and, under OpenGL, its floor images)
    # reused, besides what a render reuses of its own (its axes made again for the turned camera)
    assert hits[-1] - hits[-2] >= hits[0] + 4, hits
    for j, record in zip(jobs[1:], records[1:]):
        done = fresh[j["name"]]
        stdout, stderr = done.communicate(timeout=300)
        assert done.returncode == 0, stderr[-2000:]
        cold = read_frames(Path(json.loads(stdout)["video"]))
        warm = read_frames(Path(record["video"]))
        assert warm.shape == cold.shape and len(cold) >= 5, (warm.shape, cold.shape)
        assert np.array_equal(warm, cold), (j["name"], np.abs(warm.astype(int) - cold).max())
    # the variants differ from the first render where they should (a part kept under a wrong key would
    # draw the first landscape: its floor is under the whole clip)
    first = read_frames(Path(records[0]["video"]))
    for record in records[1:]:
        assert np.abs(read_frames(Path(record["video"]))[-1].astype(int) - first[-1]).sum() > 0


def test_reuse_gives_a_copy_of_its_own_and_keys_what_it_is_given() -> None:
    reuse.enable()
    try:
        built = []

        def build() -> dict[str, Any]:
            built.append(1)
            return {"points": np.arange(6.0).reshape(2, 3)}

        name = reuse.key("part", np.array([1.0, 2.0]), (0.1, "dark"))
        first, second = reuse.reuse(name, build), reuse.reuse(name, build)
        assert len(built) == 1 and first is not second and first["points"] is not second["points"]
        second["points"][0, 0] = 99.0  # (a render changes its copy) ...
        assert reuse.reuse(name, build)["points"][0, 0] == 0.0  # ... not what the next one gets
        assert reuse.key("part", np.array([1.0, 2.0 + 1e-15]), (0.1, "dark")) != name  # an array by its bytes
        assert reuse.key("part", np.array([1.0, 2.0]), (0.1, "light")) != name
        assert reuse.key("part", np.array([1.0, 2.0], dtype="f4"), (0.1, "dark")) != name
        with pytest.raises(TypeError):
            reuse.key(lambda x: x)  # a function cannot be keyed
    finally:
        reuse.enable(False)
    assert len(reuse.reuse("anything", build)) == 1 and len(built) == 2  # off: built every time


def test_a_warm_process_asks_once_which_renderer_auto_is(monkeypatch: pytest.MonkeyPatch) -> None:
    from gdscenes.production import job as job_module
    from gdscenes.production import render

    answers = ["opengl"]
    asked: list[str] = []
    monkeypatch.setattr(render, "choose_renderer", lambda name: asked.append(name) or answers[0])
    monkeypatch.setattr(job_module, "_CHOSEN", {})
    monkeypatch.delenv("GDSCENES_RENDERER", raising=False)
    monkeypatch.setattr(job_module, "_WARM", False)
    assert job_module.known_renderer("auto") == "auto" and asked == []  # a one-off render: render() asks itself
    monkeypatch.setattr(job_module, "_WARM", True)
    assert [job_module.known_renderer("auto") for _ in range(3)] == ["opengl"] * 3 and asked == ["auto"]
    assert job_module.known_renderer("cairo") == "cairo" and len(asked) == 1  # (a renderer named is kept)
    monkeypatch.setenv("GDSCENES_RENDERER", "cairo")  # another GL environment: asked again
    answers[0] = "cairo"
    assert [job_module.known_renderer("auto") for _ in range(2)] == ["cairo"] * 2 and len(asked) == 3  # (not kept)
