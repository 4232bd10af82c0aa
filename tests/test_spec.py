"""Spec files: parsing, validation (one line naming key and value), precedence, generic scene keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from gdscenes.cli.main import main
from gdscenes.scenes import DescentScene
from gdscenes.production.spec import SpecError, attribute_types, from_sources, load, parse_value, resolve
from gdscenes.production.sweep import expand, parse_vary
from tests.test_cli import run_cli

GOOD = """
[scene]
loss = "booth"
start = [1.0, -2.0]
steps = 7
tol = 0.0
theme = "light"

[optimizer]
name = "momentum"
lr = 0.02
momentum = 0.8

[camera]
zoom = 0.6
screen_offset = [1, 0]

[render]
quality = "l"
fps = 5

[export]
stills = [0.5, "last"]
"""


def write(tmp_path: Path, text: str, name: str = "clip.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_good_spec_becomes_scene_attributes(tmp_path: Path) -> None:
    spec = from_sources(write(tmp_path, GOOD))
    cls = spec.scene_class()
    assert issubclass(cls, DescentScene)
    assert (cls.loss, cls.start, cls.steps, cls.tol, cls.theme) == ("booth", (1.0, -2.0), 7, 0.0, "light")
    assert (cls.optimizer, cls.lr, cls.hyperparams) == ("momentum", 0.02, {"momentum": 0.8})
    assert (cls.orbit.zoom, cls.orbit.screen_offset, cls.orbit.phi) == (0.6, (1.0, 0.0), DescentScene.orbit.phi)
    assert spec.render["quality"] == "l" and spec.render["fps"] == 5.0 and spec.render["renderer"] == "auto"
    assert spec.export["stills"] == (0.5, "last")
    # the defaults of the class are untouched
    assert DescentScene.loss == "himmelblau" and DescentScene.orbit.zoom == 0.74
    assert spec.output_name() == "clip"


def test_the_example_from_init_is_a_valid_spec(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "example.toml"
    assert run_cli(capsys, "init", str(target))[0] == 0
    spec = from_sources(target)
    assert spec.scene == "descent" and spec.settings["loss"] == "himmelblau"
    before = target.read_text()
    target.write_text("# mine\n")
    code, _, err = run_cli(capsys, "init", str(target))
    assert code == 2 and "--force" in err and target.read_text() == "# mine\n"
    assert run_cli(capsys, "init", str(target), "--force")[0] == 0
    assert target.read_text() == before


@pytest.mark.parametrize(
    ("sets", "words"),
    [
        (["optimizer.lrr=0.1"], ["optimizer.lrr", "did you mean 'lr'"]),
        (["scene.stpes=3"], ["scene.stpes", "did you mean 'steps'"]),
        (["camera.zom=0.5"], ["camera.zom", "did you mean 'zoom'"]),
        (["rendr.quality=l"], ["rendr", "did you mean 'render'"]),
        (["render.qualty=l"], ["render.qualty", "did you mean 'quality'"]),
        (["scene.steps=many"], ["scene.steps", "'many'", "an integer"]),
        (["scene.start=[1]"], ["scene.start", "[1]", "a list of 2"]),
        (["render.quality=z"], ["render.quality", "'z'", "l, m, h, p, k"]),
        (["render.fps=-3"], ["render.fps", "-3", "from 1 to 240"]),
        (["optimizer.name=adamm"], ["optimizer.name", "'adamm'", "did you mean 'adam'"]),
        (["optimizer.momentun=0.9"], ["optimizer.momentun", "did you mean 'momentum'"]),
        (["optimizer.name=momentum", "optimizer.momentum=high"], ["optimizer.momentum", "'high'", "a number"]),
        (["scene.name=desent"], ["scene.name", "'desent'", "did you mean 'descent'"]),
        (["scene.name=[1]"], ["scene.name", "[1]", "a string"]),
        (["optimizer.lr=-1"], ["-1"]),
        (["scene.start=900,0"], ["900"]),
        (["scene.loss=x^^2"], ["x^^2"]),
        (["export.stills=[\"end\"]"], ["export.stills", "'end'", "last"]),
        (["render.duration=1"], ["render.duration", "1", "at least 2 s"]),
    ],
)
def test_bad_values_are_one_line_naming_key_value_and_what_is_allowed(sets: list[str], words: list[str]) -> None:
    with pytest.raises(SpecError) as caught:
        from_sources(None, sets=sets)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_bad_spec_files_are_one_line_cli_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = write(tmp_path, "[scene\nloss = 1", "broken.toml")
    code, _, err = run_cli(capsys, "render", str(broken))
    assert code == 2 and err.startswith("gdscenes: error: ") and "broken.toml" in err and len(err.splitlines()) == 1
    code, _, err = run_cli(capsys, "render", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err
    code, _, err = run_cli(capsys, "render", str(write(tmp_path, "[scene]\nlos = 'booth'\n")))
    assert code == 2 and "did you mean 'loss'" in err
    assert not (tmp_path / "media").exists()


def test_precedence_defaults_then_file_then_flags_then_set(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert from_sources(None).scene_class().lr == DescentScene.lr  # class default
    assert from_sources(path).scene_class().lr == 0.02  # file
    flags = [("optimizer.lr", 0.03), ("scene.steps", 4)]
    spec = from_sources(path, flags)
    assert (spec.scene_class().lr, spec.scene_class().steps) == (0.03, 4)  # flags over the file
    spec = from_sources(path, flags, ["optimizer.lr=0.04"])
    assert (spec.scene_class().lr, spec.scene_class().steps) == (0.04, 4)  # --set over flags
    assert spec.scene_class().hyperparams == {"momentum": 0.8}  # untouched keys stay from the file
    assert spec.output_name() == "clip_lr0.04_steps4"


def test_cli_flags_and_set_reach_the_spec(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def fake_run(job: dict[str, Any], spec: Any = None) -> dict[str, Any]:
        seen.update(job)
        assert spec is not None and spec.raw == job["raw"]  # (validated once, handed on)
        return {"video": "v.mp4", "width": 1, "height": 1, "fps": 1.0, "seconds": 0.0, "exports": []}

    monkeypatch.setattr("gdscenes.production.job.run", fake_run)
    path = write(tmp_path, GOOD)
    code, _, err = run_cli(capsys, "render", str(path), "--lr", "0.05", "--start", "-1,-2", "--set", "optimizer.lr=0.07")
    assert code == 0, err
    spec = resolve(seen["raw"])
    assert spec.settings["lr"] == 0.07 and spec.settings["start"] == (-1.0, -2.0) and spec.settings["steps"] == 7
    assert seen["name"] == "clip_lr0.07_start-1_-2"
    # the plain scene-name form keeps its old names
    assert run_cli(capsys, "render", "descent", "--loss", "booth", "--lr", "0.05", "--steps", "2", "--tol", "0")[0] == 0
    assert seen["name"] == "descent_booth_lr0.05_steps2_tol0"


def test_duration_paces_the_steps() -> None:
    # Himmelblau from its default start with lr 0.01 and no tol runs all 10 steps: the
    # lesson's opening, pace and hold are scaled to last 6.1 s in all.
    spec = from_sources(None, sets=["scene.steps=10", "scene.tol=none", "render.duration=6.1"])
    cls = spec.scene_class()
    assert cls.duration == pytest.approx(6.1)
    assert cls.clip_seconds(10) == pytest.approx(6.1)


class LessonWithNewKnobs(DescentScene):
    """A lesson another developer adds: new public class attributes."""

    arrows: ClassVar[int] = 3
    caption: ClassVar[str | None] = None
    highlight: ClassVar[tuple[float, float]] = (0.0, 0.0)
    show_grid = True  # no annotation: typed by its default


def test_scene_keys_come_from_the_scene_class(monkeypatch: pytest.MonkeyPatch) -> None:
    from gdscenes.scenes import registry

    monkeypatch.setitem(registry.SCENES, "lesson", LessonWithNewKnobs)
    types = attribute_types(LessonWithNewKnobs)
    assert {"arrows", "caption", "highlight", "show_grid", "loss", "orbit"} <= set(types)
    assert not {"construct", "check", "camera", "renderer"} & set(types)
    spec = from_sources(None, sets=["scene.name=lesson", "scene.arrows=5", "scene.caption=hi",
                                    "scene.highlight=1,2", "scene.show_grid=false"])
    cls = spec.scene_class()
    assert (cls.arrows, cls.caption, cls.highlight, cls.show_grid) == (5, "hi", (1.0, 2.0), False)
    with pytest.raises(SpecError, match=r"scene.arrows = 'x'.*integer"):
        from_sources(None, sets=["scene.name=lesson", "scene.arrows=x"])
    with pytest.raises(SpecError, match=r"scene.show_grid = 1.*true or false"):
        from_sources(None, sets=["scene.name=lesson", "scene.show_grid=1"])
    with pytest.raises(SpecError, match="did you mean 'arrows'"):
        from_sources(None, sets=["scene.name=lesson", "scene.arows=1"])


def test_values_parse_as_toml_else_as_strings() -> None:
    assert parse_value("0.05") == 0.05 and parse_value("true") is True and parse_value("[1, 2]") == [1, 2]
    assert parse_value("adam") == "adam" and parse_value("x^2 + y^2") == "x^2 + y^2"
    assert load is not None


def test_vary_expands_to_the_cartesian_product_with_stable_names(tmp_path: Path) -> None:
    assert parse_vary("optimizer.lr=0.001,0.01") == ("optimizer.lr", [0.001, 0.01])
    assert parse_vary("scene.start=[[1, 2], [3, 4]]") == ("scene.start", [[1, 2], [3, 4]])
    variants = expand(write(tmp_path, GOOD), ["optimizer.lr=0.001,0.01,0.1", "optimizer.name=gd,adam"],
                      sets=["optimizer.momentum=0.5"])
    names = [v.name for v in variants]
    assert len(variants) == 6 and len(set(names)) == 6
    assert names[0] == "clip_momentum0.5_lr0.001_optimizergd" and names[-1] == "clip_momentum0.5_lr0.1_optimizeradam"
    pairs = {(v.spec.scene_class().lr, v.spec.scene_class().optimizer) for v in variants}
    assert pairs == {(lr, o) for lr in (0.001, 0.01, 0.1) for o in ("gd", "adam")}
    # momentum (from --set) does not belong to gd or adam: each variant validated its own hyperparameters
    assert all("momentum" not in v.spec.scene_class().hyperparams for v in variants)
    again = expand(write(tmp_path, GOOD), ["optimizer.lr=0.001,0.01,0.1", "optimizer.name=gd,adam"],
                   sets=["optimizer.momentum=0.5"])
    assert [v.name for v in again] == names
    with pytest.raises(SpecError, match="optimizer.lr = -1"):
        expand(None, ["optimizer.lr=0.1,-1"])
    with pytest.raises(SpecError, match="--vary"):
        expand(None, ["optimizer.lr"])


def test_list_shows_scenes_losses_and_optimizers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "list")
    assert code == 0
    for word in ("scenes:", "descent", "losses:", "himmelblau", "rosenbrock", "optimizers:", "adam", "momentum"):
        assert word in out


def test_doctor_prints_the_install_command_of_what_is_missing(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from gdscenes.production import doctor

    real_which = doctor.shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None if name in ("dvisvgm", "ffmpeg") else real_which(name))
    monkeypatch.setattr(doctor, "GL_PROBE", "raise SystemExit('no EGL display')")
    code, out, _ = run_cli(capsys, "doctor")
    assert code == 1
    assert "sudo apt-get install -y dvisvgm" in out and "sudo apt-get install -y ffmpeg" in out
    assert "libegl1 libegl-mesa0 libgl1-mesa-dri libgl1" in out and "no EGL display" in out
    assert main is not None


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--vary", "optimizer.lr=0.1,-2"), ["optimizer.lr", "-2"]),
        (("--vary", "optimizer.lr"), ["--vary", "TABLE.KEY=VALUE"]),
        (("--vary", "optimzer.lr=0.1"), ["optimzer", "did you mean 'optimizer'"]),
        (("--vary", "optimizer.lr=0.1", "--vary", "optimizer.lr=0.2"), ["twice"]),
        (("--jobs", "0"), ["--jobs", "0"]),
    ],
)
def test_bad_sweeps_fail_before_rendering(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          argv: tuple[str, ...], words: list[str]) -> None:
    code, _, err = run_cli(capsys, "sweep", str(write(tmp_path, GOOD)), "--set", f"render.media_dir={tmp_path}/m", *argv)
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("gdscenes: error: "), err
    for word in words:
        assert word in err
    assert not (tmp_path / "m").exists()


class ComparisonLesson(LessonWithNewKnobs):
    """Like a lesson that compares runs: no ``lr`` or ``hyperparams``, ``check()`` returns runs."""

    fractions: ClassVar[tuple] = (0.5, 1.0)  # type: ignore[type-arg]
    lr = None  # shadowed below: this lesson has no lr setting of its own

    @classmethod
    def check(cls) -> Any:
        from types import SimpleNamespace

        from gdscenes.core.runner import run
        from gdscenes.core.losses import get_loss

        loss = get_loss("quadratic_bowl")
        return [SimpleNamespace(trajectory=run(loss, cls.optimizer, start=(1.0, 1.0), lr=0.4 * f, steps=k, tol=None))
                for f, k in zip(cls.fractions, (4, 8), strict=False)]


def test_lessons_that_compare_runs_work_in_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    from gdscenes.production.job import summary
    from gdscenes.scenes import registry
    from gdscenes.production.spec import trajectories

    monkeypatch.setitem(registry.SCENES, "compare", ComparisonLesson)
    monkeypatch.delattr(DescentScene, "hyperparams")
    monkeypatch.delattr(ComparisonLesson, "lr")
    monkeypatch.delattr(DescentScene, "lr")
    spec = from_sources(None, sets=["scene.name=compare", "scene.fractions=[0.25, 0.75]", "optimizer.name=adam",
                                    "render.duration=10.1"])
    cls = spec.scene_class()
    assert cls.fractions == (0.25, 0.75) and cls.optimizer == "adam"
    # the longer run shows 8 steps: the clip of 8 steps lasts 10.1 s
    assert cls.clip_seconds(8) == pytest.approx(10.1)
    found = trajectories(cls.check())
    assert [int(t.n_steps) for t in found] == [4, 8]
    assert [row["steps"] for row in summary(found)["runs"]] == [4, 8]
    with pytest.raises(SpecError, match="optimizer.lr is not allowed"):
        from_sources(None, sets=["scene.name=compare", "optimizer.lr=0.1"])
    with pytest.raises(SpecError, match="scene.fractions = 3"):
        from_sources(None, sets=["scene.name=compare", "scene.fractions=3"])


def test_a_sweep_sees_every_variant_from_the_lessons_camera_unless_told_otherwise() -> None:
    from gdscenes.scenes.descent import DescentScene
    from gdscenes.production.sweep import expand

    raw = {"scene": {"name": "descent"}}
    alone = expand(None, ["optimizer.lr=0.01,0.02"], raw=raw)
    grid = expand(None, ["optimizer.lr=0.01,0.02"], raw=raw, same_camera=True)
    assert DescentScene.orbit.keep_in_sight  # (the lesson turns its camera by default)
    assert [v.name for v in grid] == [v.name for v in alone]  # same files
    assert all(v.spec.scene_class().orbit.keep_in_sight for v in alone)
    assert not any(v.spec.scene_class().orbit.keep_in_sight for v in grid)
    # Given in the spec, with --set or with --vary, it stays as given.
    kept = expand(None, ["optimizer.lr=0.01,0.02"], sets=["camera.keep_in_sight=true"], raw=raw, same_camera=True)
    assert all(v.spec.scene_class().orbit.keep_in_sight for v in kept)
    varied = expand(None, ["camera.keep_in_sight=true,false"], raw=raw, same_camera=True)
    assert [v.spec.scene_class().orbit.keep_in_sight for v in varied] == [True, False]


def test_dotted_keys_reach_nested_tables_like_optimizer_schedule() -> None:
    from gdscenes.production.spec import SpecError, apply, lookup

    raw = {"optimizer": {"name": "gd", "schedule": {"name": "step", "step_size": 5}}}
    merged = apply(raw, [("optimizer.schedule.name", "cosine"), ("optimizer.schedule.T_max", 20), ("scene.steps", 9)])
    assert merged == {"optimizer": {"name": "gd", "schedule": {"name": "cosine", "step_size": 5, "T_max": 20}},
                      "scene": {"steps": 9}}
    assert raw["optimizer"]["schedule"] == {"name": "step", "step_size": 5}  # the original is untouched
    assert lookup(merged, "optimizer.schedule.T_max") == 20 and lookup(merged, "optimizer.lr") is None
    with pytest.raises(SpecError, match="optimizer.name is a value, not a table"):
        apply(raw, [("optimizer.name.x", 1)])


def test_a_long_path_in_a_message_keeps_its_file_name(tmp_path: Path) -> None:
    """A message quotes at most 200 characters of a path (80 of another value): a longer one loses its middle,
    not its file name."""
    from gdscenes.production.limits import SpecError, read_text
    from gdscenes.suggest import shorten

    deep = tmp_path / ("a-long-folder-name-" * 13) / "lesson.toml"
    deep.parent.mkdir()
    deep.parent.joinpath("lesson.toml").mkdir()  # (a folder: refused, named)
    with pytest.raises(SpecError) as error:
        read_text(deep)
    quoted = str(error.value).split("spec file ", 1)[1].split(" is a folder")[0]
    assert len(quoted) == 200 and quoted.startswith(repr(str(deep))[:99]) and quoted.endswith("/lesson.toml'")
    assert shorten("a" * 50 + "b" * 50) == "a" * 39 + "..." + "b" * 38
