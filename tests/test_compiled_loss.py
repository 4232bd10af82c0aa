"""Losses rebuilt from their recorded numpy source (gdscenes.core.losses.compiled): same numbers, no sympy, no trust."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from gdscenes.core.losses import LIBRARY, get_loss
from gdscenes.core.losses.compiled import CompiledLoss, SourceError, load_loss, record
from gdscenes.core.runner import run

EXPRESSIONS = ["x^2 + 3*y^2", "sin(x)*cos(y) + 0.1*x^2", "x^4 - 2*x^2 + 0.3*x", "abs(x) + y^2", "theta0^2 + theta0*theta1",
               "exp(-x^2 - y^2) + log(1 + x^2)"]


@pytest.mark.parametrize("text", sorted(LIBRARY) + EXPRESSIONS)
def test_recorded_loss_computes_the_same_numbers_bit_for_bit(text: str) -> None:
    loss = get_loss(text)
    again = CompiledLoss(json.loads(json.dumps(record(loss))))
    grid = np.meshgrid(*(np.linspace(lo, hi, 13) for lo, hi in loss.domain))
    for method in ("value", "gradient", "hessian"):
        np.testing.assert_array_equal(getattr(again, method)(*grid), getattr(loss, method)(*grid), err_msg=method)
    assert (again.name, again.param_names, again.domain, again.start) == (loss.name, loss.param_names, loss.domain, loss.start)
    assert again.minima == loss.minima and again.saddles == loss.saddles
    a, b = run(loss, "adam", lr=0.05, steps=30), run(again, "adam", lr=0.05, steps=30)
    np.testing.assert_array_equal(a.points, b.points)


def _record(source: str) -> dict[str, object]:
    data = record(get_loss("x^2 + y^2"))
    data["value"] = source
    return data


@pytest.mark.parametrize("source", [
    "def f(x, y):\n    return __import__('os').system('touch PWNED')\n",
    "def f(x, y):\n    return open('PWNED', 'w')\n",
    "def f(x, y):\n    return x.__class__\n",
    "def f(x, y):\n    return load('PWNED')\n",
    "def f(x, y):\n    return [x][0]\n",
    "def f(x, y):\n    return (lambda: x)()\n",
    "def f(x, y):\n    return 'text'\n",
    "def f(x, y):\n    import os\n    return x\n",
    "def f(x, y, z=open('PWNED', 'w')):\n    return x\n",
    "@print\ndef f(x, y):\n    return x\n",
    "def f(x):\n    return x\n",
    "x = 1\ndef f(x, y):\n    return x\n",
])  # fmt: skip
def test_source_that_is_not_plain_arithmetic_is_refused(source: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises((SourceError, SyntaxError)):
        CompiledLoss(_record(source))
    assert not (tmp_path / "PWNED").exists()


def test_a_tampered_or_damaged_cache_record_is_rebuilt_by_sympy(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    first = load_loss("x^2 + 5*y^2")
    (path,) = (tmp_path / "gdscenes" / "losses").glob("*.json")
    assert isinstance(load_loss("x^2 + 5*y^2"), CompiledLoss)
    data = json.loads(path.read_text())
    data["gradient"][0] = "def _lambdifygenerated(x, y):\n    return __import__('os').system('touch PWNED')\n"
    path.write_text(json.dumps(data))
    again = load_loss("x^2 + 5*y^2")
    assert not isinstance(again, CompiledLoss) and not (tmp_path / "PWNED").exists()
    np.testing.assert_array_equal(again.gradient(1.0, 2.0), [2.0, 20.0])  # worked out by hand
    path.write_text("{not json")
    assert load_loss("x^2 + 5*y^2").gradient(1.0, 2.0).tolist() == first.gradient(1.0, 2.0).tolist()
    assert isinstance(load_loss("x^2 + 5*y^2"), CompiledLoss)  # the damaged record was replaced


def _trajectory_twice(tmp_path, loss: str) -> list[tuple[str, str]]:
    code = (
        "import sys\nfrom gdscenes.cli.main import main\n"
        "rc = main(['trajectory', sys.argv[2], '--optimizer', 'nesterov', '--lr', '0.001', '--steps', '20',"
        " '--format', 'csv', '--out', sys.argv[1]])\n"
        "print('sympy' in sys.modules, rc, file=sys.stderr)\n"
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    outputs = []
    for n in range(2):
        out = tmp_path / f"run{n}.csv"
        done = subprocess.run([sys.executable, "-c", code, str(out), loss], env=env, capture_output=True, text=True,
                              check=True)
        outputs.append((done.stderr.strip().splitlines()[-1], out.read_text()))
    return outputs


def test_trajectory_command_needs_no_sympy_the_second_time(tmp_path) -> None:
    outputs = _trajectory_twice(tmp_path, "x^4 + 3*x*y + 2*y^2")
    assert outputs[0][0] == "True 0" and outputs[1][0] == "False 0"
    assert outputs[0][1] == outputs[1][1]


def test_library_losses_ship_compiled_and_need_no_sympy_even_the_first_time(tmp_path) -> None:
    from gdscenes.core.losses.compiled import LIBRARY_CODE, build_library_code

    shipped = json.loads(LIBRARY_CODE.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(build_library_code())), "run: python -m gdscenes.core.losses.compiled"
    outputs = _trajectory_twice(tmp_path, "rosenbrock")
    assert outputs[0][0] == "False 0" and outputs[1][0] == "False 0"
    first = outputs[0][1].splitlines()[1].split(",")
    assert first[1:3] == [repr(v) for v in LIBRARY["rosenbrock"].start]
    expected = run(LIBRARY["rosenbrock"], "nesterov", lr=0.001, steps=20).points[-1, 0]
    last = outputs[0][1].splitlines()[-1].split(",")
    assert [float(v) for v in last[1:3]] == expected.tolist()
