"""The command line, driven in-process, against numbers worked out by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gdscenes.cli.main import join_negative_values, main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_losses_json_lists_the_library_with_literature_minima(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "losses", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert len(rows) >= 16
    for row in rows.values():
        assert set(row) >= {"name", "expression", "latex", "domain", "minima"}
        for m in row["minima"]:
            assert set(m) == {"x", "y", "f", "kind"}
    himmelblau = rows["himmelblau"]
    assert himmelblau["domain"] == {"x": [-5.0, 5.0], "y": [-5.0, 5.0]}
    assert {(round(m["x"], 4), round(m["y"], 4)) for m in himmelblau["minima"]} == {
        (3.0, 2.0), (-2.8051, 3.1313), (-3.7793, -3.2832), (3.5844, -1.8481)
    }
    assert rows["rosenbrock"]["minima"] == [{"x": 1.0, "y": 1.0, "f": 0.0, "kind": "global"}]


def test_trajectory_csv_first_step_matches_the_hand_computed_gradient(capsys: pytest.CaptureFixture[str]) -> None:
    # Himmelblau at (-0.5, -4.5): df/dx = 4x(x^2+y-11) + 2(x+y^2-7) = 30.5 + 25.5 = 56,
    # df/dy = 2(x^2+y-11) + 4y(x+y^2-7) = -30.5 - 229.5 = -260; one GD step with
    # lr 0.01 goes to (-0.5 - 0.56, -4.5 + 2.6) = (-1.06, -1.9).
    code, out, _ = run_cli(
        capsys, "trajectory", "himmelblau", "--optimizer", "gd", "--lr", "0.01", "--start", "-0.5,-4.5", "--steps", "2"
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "x", "y", "loss", "grad_x", "grad_y", "status"]
    assert len(rows) == 1 + 3
    step0, step1 = [list(map(float, r[:6])) for r in rows[1:3]]
    assert step0[4:] == pytest.approx([56.0, -260.0])
    assert step1[1:3] == pytest.approx([-1.06, -1.9])


def test_trajectory_json_to_file_and_expression_losses(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "t.json"
    code, _, _ = run_cli(
        capsys, "trajectory", "x^2 + 3*y^2", "--optimizer", "adam", "--lr", "0.1", "--start", "1,1",
        "--steps", "5", "--betas", "0.8,0.99", "--format", "json", "--out", str(out_file),
    )
    assert code == 0
    data = json.loads(out_file.read_text())
    assert data["optimizer"] == "adam"
    # Adam's first step moves each coordinate by lr * sign(g) (up to eps).
    first = data["points"][1][0]
    assert first == pytest.approx([0.9, 0.9], abs=1e-6)


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (("trajectory", "himmelblau", "--lr", "-0.1"), "-0.1"),
        (("trajectory", "x^^2", "--lr", "0.1"), "x^^2"),
        (("trajectory", "__import__('os')", "--lr", "0.1"), "__import__"),
        (("trajectory", "himmelbau", "--lr", "0.1"), "himmelblau"),
        (("trajectory", "himmelblau", "--start", "900,0"), "900"),
        (("trajectory", "himmelblau", "--start", "1,2,3"), "1,2,3"),
        (("trajectory", "himmelblau", "--optimizer", "lbfgs"), "lbfgs"),
        (("render", "desent"), "descent"),
        (("render", "descent", "--lr", "-1"), "-1"),
        (("render", "descent", "--loss", "saddle", "--start", "-0.5,-4.5"), "(-0.5, -4.5)"),
    ],
)
def test_bad_values_end_in_one_line_naming_them(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], names: str) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("gdscenes: error: ")
    assert names in lines[0]
    assert "Traceback" not in err


def test_an_error_never_replaces_earlier_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "t.csv"
    assert run_cli(capsys, "trajectory", "booth", "--lr", "0.05", "--out", str(out_file))[0] == 0
    before = out_file.read_bytes()
    assert run_cli(capsys, "trajectory", "booth", "--lr", "-5", "--out", str(out_file))[0] == 2
    assert out_file.read_bytes() == before


def test_negative_numbers_are_values_not_options() -> None:
    assert join_negative_values(["--start", "-0.5,-4.5", "--lr", "1e-3"]) == ["--start=-0.5,-4.5", "--lr=1e-3"]
    assert join_negative_values(["--start", "--lr"]) == ["--start", "--lr"]


def test_the_listing_snapshot_is_what_the_library_gives() -> None:
    """``losses`` and ``list`` read gdscenes/cli/catalog.json; it must equal the live library, optimizers,
    schedules and data (after a change there: ``python -m gdscenes.cli.catalog``)."""
    import json

    from gdscenes.cli import catalog

    assert catalog.load() == json.loads(json.dumps(catalog.build())), "run: python -m gdscenes.cli.catalog"
