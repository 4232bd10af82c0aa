"""Trajectory container: convenience accessors, CSV / JSON export, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import os

import numpy as np
import pytest

from gdscenes.atomic import OutputError
from gdscenes.core.runner import run
from gdscenes.core.trajectory import CSV_COLUMNS, Trajectory


class Quadratic:
    """Stand-in loss f = (a x^2 + b y^2) / 2."""

    name = "quad"
    domain = ((-3.0, 3.0), (-3.0, 3.0))
    start = (2.0, -1.5)

    def __init__(self, a=1.0, b=4.0):
        self.a, self.b = a, b

    def value(self, x, y):
        return 0.5 * (self.a * np.asarray(x) ** 2 + self.b * np.asarray(y) ** 2)

    def gradient(self, x, y):
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        return np.stack([self.a * x, self.b * y], axis=-1)


@pytest.fixture
def single():
    return run(Quadratic(), "adam", start=(2.0, -1.5), lr=0.1, steps=12)


@pytest.fixture
def batch():
    # start 0 converges at step 0 (tol); start 1 diverges (lr*b = 4 > 2(1 + 0.9));
    # start 2 moves slowly along x (lr*a = 0.1) and runs out of steps
    return run(
        Quadratic(a=0.1, b=4.0),
        "momentum",
        start=[[0.0, 1e-9], [2.0, 2.0], [0.1, 0.0]],
        lr=1.0,
        steps=9,
        tol=1e-6,
        bound=((-4.0, 4.0), (-4.0, 4.0)),
    )


def test_convenience(single, batch):
    assert single.n_starts == 1 and single.n_steps == 12
    assert batch.n_starts == 3 and batch.n_steps == 9
    np.testing.assert_array_equal(batch.final_points, batch.points[-1])
    np.testing.assert_array_equal(batch.final_losses, batch.losses[-1])
    np.testing.assert_array_equal(batch.starts, [[0.0, 1e-9], [2.0, 2.0], [0.1, 0.0]])
    assert batch.status.tolist() == ["converged", "diverged", "max_steps"]

    summ = batch.summary()
    assert [s["status"] for s in summ] == batch.status.tolist()
    assert [s["stop_step"] for s in summ] == batch.stop_step.tolist()
    assert summ[1]["start"] == (2.0, 2.0)
    assert summ[2]["final_point"] == tuple(batch.points[-1, 2].tolist())
    assert summ[2]["final_loss"] == float(batch.losses[-1, 2])
    assert set(summ[0]) == {"index", "start", "final_point", "final_loss", "status", "stop_step"}
    json.dumps(summ)  # plain Python values only

    one = batch.single(1)
    assert one.n_starts == 1 and one.status.tolist() == ["diverged"]
    np.testing.assert_array_equal(one.points[:, 0], batch.points[:, 1])
    np.testing.assert_array_equal(one.state["velocity"][:, 0], batch.state["velocity"][:, 1])
    np.testing.assert_array_equal(batch.single(-1).points[:, 0], batch.points[:, 2])
    with pytest.raises(IndexError):
        batch.single(3)

    k = int(batch.stop_step[1])
    np.testing.assert_array_equal(batch.path(1), batch.points[: k + 1, 1])
    assert len(batch.path(2)) == 10


def test_csv_single_start(single, tmp_path):
    text = single.to_csv()
    lines = text.splitlines()
    assert lines[0] == "step,x,y,loss,grad_x,grad_y,status"
    assert tuple(lines[0].split(",")) == CSV_COLUMNS
    assert len(lines) == 1 + 13  # header + steps + 1 rows
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["step"]) for r in rows] == list(range(13))
    for k in (0, 5, 12):
        assert float(rows[k]["x"]) == single.points[k, 0, 0]
        assert float(rows[k]["y"]) == single.points[k, 0, 1]
        assert float(rows[k]["loss"]) == single.losses[k, 0]
        assert float(rows[k]["grad_x"]) == single.gradients[k, 0, 0]
        assert float(rows[k]["grad_y"]) == single.gradients[k, 0, 1]
    assert [r["status"] for r in rows] == ["running"] * 12 + ["max_steps"]

    path = tmp_path / "run.csv"
    assert single.to_csv(path) == text
    assert path.read_text() == text


def test_csv_many_starts(batch):
    text = batch.to_csv()
    lines = text.splitlines()
    assert lines[0] == "start,step,x,y,loss,grad_x,grad_y,status"
    assert len(lines) == 1 + 3 * 10
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [int(r[0]) for r in rows] == [i for i in range(3) for _ in range(10)]
    assert [int(r[1]) for r in rows] == list(range(10)) * 3
    assert float(rows[10 + 4][2]) == batch.points[4, 1, 0]
    assert "nan" not in text.lower() and "inf" not in text.lower()
    # status per row: running until the stop step, then the start's final status
    for i in range(3):
        k = int(batch.stop_step[i])
        column = [r[7] for r in rows[10 * i : 10 * (i + 1)]]
        assert column == ["running"] * k + [str(batch.status[i])] * (10 - k)
    assert [r[7] for r in rows[:10]] == ["converged"] * 10  # converged at step 0
    assert [r[7] for r in rows[20:]] == ["running"] * 9 + ["max_steps"]


def assert_same(a: Trajectory, b: Trajectory) -> None:
    for name in ("points", "losses", "gradients", "updates", "status", "stop_step"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.shape == y.shape and x.dtype.kind == y.dtype.kind
        np.testing.assert_array_equal(x, y)
    assert a.state.keys() == b.state.keys()
    for k in a.state:
        np.testing.assert_array_equal(a.state[k], b.state[k])
    assert a.optimizer == b.optimizer and a.loss_name == b.loss_name
    assert a.hyperparams == b.hyperparams and a.tol == b.tol and a.bound == b.bound


@pytest.mark.parametrize("which", ["single", "batch"])
def test_json_round_trip(which, request, tmp_path):
    t = request.getfixturevalue(which)
    text = t.to_json()
    data = json.loads(text)
    for key in ("loss_name", "optimizer", "hyperparams", "status", "stop_step"):
        assert key in data
    assert data["optimizer"] == t.optimizer and data["loss_name"] == "quad"
    assert data["status"] == t.status.tolist()
    assert np.asarray(data["points"]).shape == t.points.shape

    assert_same(Trajectory.from_json(text), t)
    path = tmp_path / "traj.json"
    assert t.to_json(path) == text
    back = Trajectory.from_json(path)
    assert_same(back, t)
    assert_same(Trajectory.from_json(str(path)), t)
    if which == "single":
        assert back.hyperparams["betas"] == (0.9, 0.999)  # tuples survive


def test_json_round_trip_gd_has_empty_state(tmp_path):
    t = run(Quadratic(), "gd", lr=0.1, steps=3)
    assert t.state == {}
    assert_same(Trajectory.from_json(t.to_json()), t)


def test_atomic_write_keeps_old_file_on_failure(single, tmp_path, monkeypatch):
    path = tmp_path / "out.json"
    single.to_json(path)
    before = path.read_text()

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match=f"cannot write {path}: disk full"):  # one line naming the file
        single.to_csv(path)
    monkeypatch.undo()
    assert path.read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["out.json"]  # no temp file left behind


def test_unserialisable_trajectory_does_not_touch_file(single, tmp_path):
    path = tmp_path / "out.json"
    single.to_json(path)
    before = path.read_text()
    bad = single.single(0)
    bad.losses[3, 0] = np.nan
    with pytest.raises(ValueError):
        bad.to_json(path)
    assert path.read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["out.json"]


def test_constructor_checks_shapes(single):
    kw = dict(
        points=single.points, losses=single.losses, gradients=single.gradients,
        updates=single.updates, status=single.status, stop_step=single.stop_step,
        state=single.state, optimizer="adam", hyperparams=single.hyperparams, loss_name="quad",
    )
    Trajectory(**kw)
    with pytest.raises(ValueError, match="updates"):
        Trajectory(**{**kw, "updates": single.updates[1:]})
    with pytest.raises(ValueError, match="losses"):
        Trajectory(**{**kw, "losses": single.losses[:, 0]})
    with pytest.raises(ValueError, match="status"):
        Trajectory(**{**kw, "status": np.array(["exploded"])})
    with pytest.raises(ValueError, match="points"):
        Trajectory(**{**kw, "points": single.points[..., 0]})
    with pytest.raises(ValueError, match="format"):
        Trajectory.from_dict({**json.loads(single.to_json()), "format": "other"})
