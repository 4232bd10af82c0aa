"""Hostile input: every bad value is refused before manim starts, in one line, with exit status 2, writing nothing.

Each case runs the real command line (in this process, or in a child process
where a bug would hang or exhaust memory), then checks three things: the exit
status is 2; standard error is one line, ``gdscenes: error: ...``, naming the
key and the value; and every file in the working folder is byte-identical to
what it was before (an earlier video, CSV and spec stay; nothing new appears).
No case renders: validation fails before any render.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gdscenes.cli.main import main
from gdscenes.production import limits, settings, spec
from gdscenes.production.spec import SpecError, from_sources

HERE = Path(__file__).resolve().parent.parent


# -- the harness -----------------------------------------------------------------
def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, or the kind of anything else."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = "link -> " + os.readlink(path)
        elif path.is_file():
            out[key] = path.read_bytes()
        else:
            out[key] = "folder" if path.is_dir() else "special"
    return out


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding earlier outputs: a video, its sections, a trajectory, a spec."""
    videos = tmp_path / "media" / "videos"
    (videos / "sections" / "descent").mkdir(parents=True)
    (videos / "descent.mp4").write_bytes(b"an earlier video \x00\x01")
    (videos / "sections" / "descent" / "descent_0001.mp4").write_bytes(b"a section")
    (tmp_path / "t.csv").write_text("step,x,y\n0,1,2\n")
    (tmp_path / "clip.toml").write_text('[scene]\nloss = "booth"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> str:
    """Run ``gdscenes argv``; assert exit 2, one ``gdscenes: error:`` line, nothing changed; return the line."""
    before = snapshot(folder)
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    _, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("gdscenes: error: "), err
    assert "Traceback" not in err
    assert snapshot(folder) == before
    return lines[0]


def refused_in_child(folder: Path, *argv: str, timeout: float = 120) -> str:
    """As :func:`refused`, in a child process (a case that would hang or fill memory if it were read)."""
    before = snapshot(folder)
    command = "import sys; from gdscenes.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run([sys.executable, "-c", command, *argv], cwd=folder, capture_output=True,
                            text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(HERE / "src")})
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("gdscenes: error: "), result.stderr
    assert snapshot(folder) == before
    return lines[0]


def names(line: str, *words: str) -> None:
    for word in words:
        assert word in line, line


# -- values ----------------------------------------------------------------------
MEDIA = ("--media-dir", "media")

VALUES = [
    # (arguments after "render descent", words the line must hold)
    (("--fps", "100000"), ("render.fps", "100000", "1 to 240")),
    (("--fps", "0"), ("render.fps", "0", "1 to 240")),
    (("--fps", "nan"), ("render.fps", "nan", "1 to 240")),
    (("--fps", "inf"), ("render.fps", "inf")),
    (("--duration", "1e9"), ("render.duration", "1000000000", "3600")),
    (("--duration", "0"), ("render.duration", "0", "> 0")),
    (("--duration", "-5"), ("render.duration", "-5")),
    (("--duration", "nan"), ("render.duration", "nan")),
    (("--set", "scene.seconds_per_step=nan"), ("scene.seconds_per_step", "nan")),
    (("--set", "scene.seconds_per_step=0"), ("scene.seconds_per_step", "0", "> 0")),
    (("--set", "scene.seconds_per_step=inf"), ("scene.seconds_per_step", "inf")),
    (("--set", "scene.seconds_per_step=1e9"), ("scene.seconds_per_step", "1000000000")),
    (("--set", "scene.hold_seconds=-1"), ("scene.hold_seconds", "-1")),
    (("--set", "scene.hold_seconds=nan"), ("scene.hold_seconds", "nan")),
    (("--set", "scene.hold_seconds=1e9"), ("scene.hold_seconds", "1000000000")),
    (("--set", "scene.intro_seconds=inf"), ("scene.intro_seconds", "inf")),
    (("--set", "scene.intro_seconds=-0.5"), ("scene.intro_seconds", "-0.5")),
    (("--set", "scene.max_roll_seconds=0"), ("scene.max_roll_seconds", "0")),
    (("--set", "camera.zoom=0"), ("camera.zoom", "0", "> 0")),
    (("--set", "camera.zoom=-1"), ("camera.zoom", "-1")),
    (("--set", "camera.zoom=nan"), ("camera.zoom", "nan")),
    (("--set", "camera.zoom=inf"), ("camera.zoom", "inf")),
    (("--set", "camera.phi=nan"), ("camera.phi", "nan", "0 to 180")),
    (("--set", "camera.phi=-10"), ("camera.phi", "-10")),
    (("--set", "camera.phi=inf"), ("camera.phi", "inf")),
    (("--set", "camera.theta_rate=1e9"), ("camera.theta_rate", "1000000000")),
    (("--set", "camera.screen_offset=[nan, 0]"), ("camera.screen_offset", "nan")),
    (("--set", "scene.domain=[[0,0],[0,0]]"), ("scene.domain", "(0.0, 0.0)", "xmin, xmax")),
    (("--set", "scene.domain=[[1,-1],[0,1]]"), ("scene.domain", "(1.0, -1.0)")),
    (("--set", "scene.domain=[[0,nan],[0,1]]"), ("scene.domain", "nan")),
    (("--set", "scene.domain=[[-1e300,1e300],[0,1]]"), ("scene.domain", "1e+300")),
    (("--set", 'scene.view_sizes={width="a"}'), ("scene.view_sizes.width", "'a'")),
    (("--set", "scene.view_sizes={width=-1}"), ("scene.view_sizes.width", "-1", "> 0")),
    (("--set", "scene.view_sizes={depth=0}"), ("scene.view_sizes.depth", "0")),
    (("--set", "scene.view_sizes={height=nan}"), ("scene.view_sizes.height", "nan")),
    (("--set", "scene.view_sizes={colour=1}"), ("scene.view_sizes.colour", "width")),
    (("--set", "scene.view_sizes=3"), ("scene.view_sizes", "3")),
    (("--set", "scene.resolution=0"), ("scene.resolution", "0", "4 to 400")),
    (("--set", "scene.resolution=-5"), ("scene.resolution", "-5")),
    (("--set", "scene.resolution=100000"), ("scene.resolution", "100000", "4 to 400")),
    (("--steps", "0"), ("scene.steps", "0", "1 to 1000000")),
    (("--steps", "2000000"), ("scene.steps", "2000000", "1000000")),
    (("--steps", "1000000", "--tol", "0", "--set", "scene.seconds_per_step=0.01"), ("scene.steps", "1000000", "3600")),
    (("--steps", "1000000", "--set", "scene.tol=none", "--set", "scene.seconds_per_step=0.01"),
     ("scene.steps", "1000000", "3600")),
    (("--tol", "nan"), ("scene.tol", "nan")),
    (("--tol", "-1"), ("scene.tol", "-1")),
    (("--lr", "-0.1"), ("optimizer.lr", "-0.1", "> 0")),
    (("--lr", "0"), ("optimizer.lr", "0")),
    (("--lr", "nan"), ("optimizer.lr", "nan")),
    (("--lr", "inf"), ("optimizer.lr", "inf")),
    (("--set", "scene.lr=nan"), ("scene.lr", "nan")),
    (("--start", "nan,0"), ("scene.start", "nan")),
    (("--start", "inf,0"), ("scene.start", "inf")),
    (("--optimizer", "momentum", "--momentum", "nan"), ("momentum", "nan")),
    (("--set", "export.gif_fps=1e-9"), ("export.gif_fps", "1e-09", "0.1 to 50")),
    (("--set", "export.gif_fps=inf"), ("export.gif_fps", "inf")),
    (("--set", "export.gif_fps=0"), ("export.gif_fps", "0")),
    (("--set", "export.gif_width=1000000000"), ("export.gif_width", "1000000000", "16 to 3840")),
    (("--set", "export.gif_width=0"), ("export.gif_width", "0")),
    (("--set", "export.stills=[nan]"), ("export.stills", "nan")),
    (("--set", "export.stills=[inf]"), ("export.stills", "inf")),
    (("--set", "export.stills=[-1]"), ("export.stills", "-1")),
    (("--set", "export.stills=[9999]"), ("export.stills", "9999", "clip's length")),
    (("--set", "export.stills=[30]"), ("export.stills", "30", "23.6872 s")),  # the default clip: see below
    (("--set", f"export.stills=[{', '.join(['1'] * 101)}]"), ("export.stills", "101", "100")),
    (("--media-dir", ""), ("render.media_dir", "''")),
    (("--media-dir", "/dev/null"), ("render.media_dir", "/dev/null", "/proc")),
    (("--media-dir", "/proc/self"), ("render.media_dir", "/proc/self")),
    (("--media-dir", "/sys/kernel"), ("render.media_dir", "/sys/kernel")),
    (("--media-dir", "t.csv"), ("render.media_dir", "t.csv", "not a folder")),
    (("--set", "scene.loss=1"), ("scene.loss", "1", "a string")),
]


@pytest.mark.parametrize(("args", "words"), VALUES, ids=[" ".join(a)[:60] for a, _ in VALUES])
def test_a_bad_value_is_refused_in_one_line_and_nothing_is_written(
        capsys: pytest.CaptureFixture[str], work: Path, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    args = args if "--media-dir" in args else (*args, *MEDIA)
    names(refused(capsys, work, "render", "descent", *args), *words)


def test_the_default_clip_is_as_long_as_the_stills_check_says() -> None:
    # The descent lesson (Himmelblau from (-0.5, -4.5), gd at lr 0.01, tol 1e-3) stops at step 15; its clip
    # is the opening 6.5 s + 15 steps at the voice pace (14.187 s) + hold 3 s = 23.687 s (a still up to
    # 0.25 s past the end is allowed: each animation ends on a whole frame).
    from gdscenes.display.timeline import voice_pace

    resolved = from_sources(None, sets=["export.stills=[23.9]"], raw={"scene": {"name": "descent"}})
    assert int(resolved.found[0].stop_step[0]) == 15
    assert spec.clip_length(resolved.scene_class(), 15) == pytest.approx(6.5 + voice_pace(15).sum() + 3.0)
    with pytest.raises(SpecError, match="clip's length, 23.6872 s"):
        from_sources(None, sets=["export.stills=[24]"], raw={"scene": {"name": "descent"}})
    # A long run paced by max_roll_seconds: the valley lesson's later steps are squeezed to fit it.
    valley = from_sources(None, raw={"scene": {"name": "valley"}})
    cls = valley.scene_class()
    roll = voice_pace(4753, max_seconds=cls.max_roll_seconds).sum()
    assert spec.clip_length(cls, 4753) == pytest.approx(cls.intro_seconds + roll + cls.hold_seconds)
    assert spec.clip_length(cls, 4753) < 60


def test_a_title_longer_than_200_characters_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    names(refused(capsys, work, "render", "race", "--set", "scene.title=" + "x" * 300, *MEDIA), "scene.title", "200")


@pytest.mark.parametrize("command", ["sweep", "export", "thumbnail"])
def test_the_other_commands_that_render_check_the_same_values(
        capsys: pytest.CaptureFixture[str], work: Path, command: str) -> None:
    names(refused(capsys, work, command, "descent", "--fps", "nan", *MEDIA), "render.fps", "nan")
    names(refused(capsys, work, command, "descent", "--set", "camera.zoom=0", *MEDIA), "camera.zoom", "0")


# -- every range of every scene that has the attribute ---------------------------
def _scene_cases() -> list[tuple[str, str, object]]:
    from gdscenes.scenes.registry import SCENES

    bad = {"steps": 0, "tol": -1.0, "lr": -1.0, "lrs": {"gd": -1.0}, "seconds_per_step": 0.0, "intro_seconds": -1.0,
           "hold_seconds": 1e9, "max_roll_seconds": -1.0, "resolution": 3, "noise": -1.0, "seed": -1,
           "ellipse_size": 0.0, "arrow_scale": 1e9, "basin_samples": 1000, "basin_steps": 0, "start": (1e9, 0.0),
           "starts": ((1e9, 0.0),), "fractions": (0.0,)}
    cases = []
    for name, cls in sorted(SCENES.items()):
        for attribute in sorted(spec.attribute_types(cls)):
            if attribute in bad:
                cases.append((name, attribute, bad[attribute]))
    return cases


SCENE_CASES = _scene_cases()


@pytest.mark.parametrize(("scene", "attribute", "value"), SCENE_CASES, ids=[f"{s}.{a}" for s, a, _ in SCENE_CASES])
def test_each_scene_attribute_with_a_range_is_checked_for_each_scene(scene: str, attribute: str, value: object) -> None:
    with pytest.raises(SpecError) as caught:
        spec.resolve({"scene": {"name": scene, attribute: value}})
    message = str(caught.value)
    assert f"scene.{attribute}" in message and "\n" not in message
    assert "allowed" in message


def test_lists_longer_than_the_colours_or_balls_are_refused() -> None:
    with pytest.raises(SpecError, match=r"scene.fractions .* has 8 entries; allowed: 1 to 7"):
        spec.resolve({"scene": {"name": "learning-rate", "fractions": [0.1] * 8}})
    with pytest.raises(SpecError, match=r"scene.optimizers .* has 0 entries"):
        spec.resolve({"scene": {"name": "race", "optimizers": []}})


def test_every_shipped_scene_default_lies_in_its_range() -> None:
    from gdscenes.scenes.registry import SCENES

    for name, cls in SCENES.items():
        for attribute in spec.attribute_types(cls):
            limits.check_scene(f"{name}.{attribute}", attribute, getattr(cls, attribute))
        orbit = cls.orbit
        for field_name, allowed in limits.CAMERA.items():
            value = getattr(orbit, field_name)
            for item in value if isinstance(value, tuple) else (value,):
                limits.check(f"{name}.orbit.{field_name}", item, allowed)


def test_ranges_say_what_they_allow() -> None:
    assert limits.Range(1, 240).describe() == "a number from 1 to 240"
    assert limits.Range(0, 3600, low_open=True).describe() == "a number > 0 and <= 3600"
    assert limits.Range(4, 400, integer=True).describe() == "an integer from 4 to 400"
    inside = limits.Range(4, 400, integer=True)
    assert 4 in inside and 400 in inside and 3 not in inside and 401 not in inside and 4.5 not in inside
    assert True not in limits.Range(0, 2) and float("nan") not in limits.Range(-1e300, 1e300)
    assert 0 not in limits.Range(0, 1, low_open=True) and 1e-300 in limits.Range(0, 1, low_open=True)


# -- spec files ------------------------------------------------------------------
def test_a_spec_that_is_a_folder_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "folder.toml").mkdir()
    names(refused(capsys, work, "render", "folder.toml"), "folder.toml", "is a folder")
    names(refused(capsys, work, "render", str(work)), "is a folder")


def test_a_spec_that_is_a_fifo_is_refused_without_blocking(work: Path) -> None:
    os.mkfifo(work / "pipe.toml")
    names(refused_in_child(work, "render", "pipe.toml", timeout=60), "pipe.toml", "a FIFO")
    os.mkfifo(work / "pipe")
    names(refused_in_child(work, "render", "pipe", timeout=60), "'pipe'", "a FIFO")


def test_a_spec_that_is_dev_zero_is_refused_without_reading_it(work: Path) -> None:
    names(refused_in_child(work, "render", "/dev/zero", timeout=60), "/dev/zero", "a device")
    names(refused_in_child(work, "sweep", "/dev/zero", "--vary", "optimizer.lr=0.1,0.2", timeout=60), "/dev/zero")


def test_a_symlink_loop_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "a.toml").symlink_to("b.toml")
    (work / "b.toml").symlink_to("a.toml")
    names(refused(capsys, work, "render", "a.toml"), "a.toml", "loop")


def test_a_spec_over_the_size_limit_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "big.toml").write_text("# " + "x" * limits.MAX_SPEC_BYTES + "\n[scene]\n")
    names(refused(capsys, work, "render", "big.toml"), "big.toml", "larger than 1048576 bytes")


def test_a_spec_that_is_not_utf8_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "latin.toml").write_bytes(b'[scene]\nloss = "caf\xe9"\n')
    names(refused(capsys, work, "render", "latin.toml"), "latin.toml", "not UTF-8")


def test_a_missing_or_unreadable_spec_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    names(refused(capsys, work, "render", "missing.toml"), "missing.toml", "does not exist")
    (work / "dangling.toml").symlink_to("nowhere.toml")
    names(refused(capsys, work, "render", "dangling.toml"), "dangling.toml", "does not exist")


def test_deep_nesting_is_refused_without_recursion_error(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    depth = 100_000
    (work / "deep.toml").write_text("[scene]\nstart = " + "[" * depth + "]" * depth + "\n")
    names(refused(capsys, work, "render", "deep.toml"), "deep.toml", "too deep")
    (work / "deep2.toml").write_text("[scene]\nstart = " + "[" * 40 + "]" * 40 + "\n")  # parses, but deeper than 16
    names(refused(capsys, work, "render", "deep2.toml"), "deep2.toml", "16")
    names(refused(capsys, work, "render", "descent", "--set", "scene.start=" + "[" * depth + "]" * depth), "too deep")
    names(refused(capsys, work, "sweep", "descent", "--vary", "scene.start=" + "[" * depth + "]" * depth), "too deep")
    with pytest.raises(SpecError, match="16"):
        spec.resolve({"scene": {"name": "descent", "hyperparams": json.loads("[" * 40 + "]" * 40)}})


def test_a_name_too_long_for_a_path_is_refused_in_one_short_line(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    line = refused(capsys, work, "render", "x" * 5000)
    names(line, "spec file", "file name too long")
    assert len(line) < 300


def test_export_refuses_a_still_that_is_not_a_finite_time(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    names(refused(capsys, work, "export", "descent", "--still", "nan", *MEDIA), "--still", "nan")
    names(refused(capsys, work, "export", "descent", "--still", "9999", *MEDIA), "export.stills", "9999")


def test_a_spec_of_the_wrong_shape_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "shape.toml").write_text("scene = 3\n")
    names(refused(capsys, work, "render", "shape.toml"), "scene", "must be a table")
    (work / "nan.toml").write_text("[render]\nfps = nan\n")
    names(refused(capsys, work, "render", "nan.toml"), "render.fps", "nan")


# -- paths of the commands -------------------------------------------------------
def test_init_onto_a_folder_or_into_a_missing_folder_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "here").mkdir()
    names(refused(capsys, work, "init", "here"), "cannot write here", "a directory")
    names(refused(capsys, work, "init", "here", "--force"), "cannot write here", "a directory")
    names(refused(capsys, work, "init", "missing/x.toml"), "missing/x.toml", "does not exist")
    names(refused(capsys, work, "init", "clip.toml"), "clip.toml", "--force")
    os.mkfifo(work / "pipe.toml")
    names(refused(capsys, work, "init", "pipe.toml", "--force"), "pipe.toml", "FIFO")


def test_init_writes_through_a_symlink_to_a_file(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    (work / "real.toml").write_text("# mine\n")
    (work / "link.toml").symlink_to("real.toml")
    assert main(["init", "link.toml", "--force"]) == 0
    assert (work / "link.toml").is_symlink()
    assert (work / "real.toml").read_text().startswith("# A gdscenes spec")
    capsys.readouterr()
    (work / "dangling.toml").symlink_to("nowhere.toml")
    names(refused(capsys, work, "init", "dangling.toml"), "dangling.toml", "symbolic link to nothing")
    (work / "loop.toml").symlink_to("loop.toml")
    names(refused(capsys, work, "init", "loop.toml", "--force"), "loop.toml", "loops")


@pytest.mark.parametrize(("args", "words"), [
    (("--out", "missing/t.csv"), ("--out", "missing/t.csv", "does not exist")),
    (("--out", "."), ("--out", "cannot write .", "a directory")),
    (("--out", "/dev/null"), ("--out", "/dev/null", "a device")),
    (("--out", ""), ("--out", "''")),
    (("--steps", "0"), ("--steps", "0", "1 to 1000000")),
    (("--steps", "-3"), ("--steps", "-3")),
    (("--steps", "2000000"), ("--steps", "2000000")),
    # (these the descent loop and the optimizers check, in the same one-line form)
    (("--lr", "nan"), ("learning rate", "nan", "finite")),
    (("--lr", "-1"), ("learning rate", "-1", "positive")),
    (("--tol", "inf"), ("tol", "inf", ">= 0")),
    (("--noise", "nan"), ("noise", "nan", ">= 0")),
    (("--noise", "-1"), ("noise", "-1")),
    (("--seed", "-1"), ("seed", "-1", "non-negative")),
    (("--momentum", "nan", "--optimizer", "momentum"), ("momentum", "nan", "finite")),
    (("--betas", "nan,0.9", "--optimizer", "adam"), ("beta1", "nan")),
    (("--start", "nan,0"), ("start", "nan", "not finite")),
])
def test_trajectory_refuses_bad_options_before_it_runs(
        capsys: pytest.CaptureFixture[str], work: Path, args: tuple[str, ...], words: tuple[str, ...]) -> None:
    names(refused(capsys, work, "trajectory", "booth", *args), *words)


def test_trajectory_steps_are_the_steps_asked_for(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    assert main(["trajectory", "booth", "--steps", "1", "--tol", "0"]) == 0
    out, _ = capsys.readouterr()
    assert len(out.strip().splitlines()) == 1 + 2  # header, step 0, step 1 (not the default 100)


def test_thumbnail_out_into_a_missing_folder_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    names(refused(capsys, work, "thumbnail", "descent", "--out", "missing/t.png"), "missing/t.png", "does not exist")


# -- sweeps ----------------------------------------------------------------------
def test_a_million_variant_product_is_refused_before_any_is_made(
        capsys: pytest.CaptureFixture[str], work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gdscenes.production import sweep

    def never(*_: object, **__: object) -> None:
        raise AssertionError("the product was expanded")

    monkeypatch.setattr(sweep, "expand", never)
    monkeypatch.setattr(sweep, "parse_vary", never)
    tens = ",".join(str(0.001 * (i + 1)) for i in range(10))
    varies = [a for key in ("optimizer.lr", "scene.steps", "scene.tol", "camera.zoom", "camera.phi", "camera.theta")
              for a in ("--vary", f"{key}={tens}")]
    line = refused(capsys, work, "sweep", "descent", *varies, *MEDIA)
    names(line, "10 x 10 x 10 x 10 x 10 x 10 = 1000000 variants", "at most 1000", "--max-variants")
    line = refused(capsys, work, "sweep", "descent", "--vary", "scene.start=[[1, 2], [3, 4], [0, 0]]",
                   "--max-variants", "2", *MEDIA)
    names(line, "3 variants", "at most 2")


def test_max_variants_lets_a_larger_product_through_to_validation(
        capsys: pytest.CaptureFixture[str], work: Path) -> None:
    # 2 x 2 = 4 variants, allowed by --max-variants 4; the bad value is then found by validation.
    line = refused(capsys, work, "sweep", "descent", "--vary", "optimizer.lr=0.01,-1", "--vary", "scene.steps=3,4",
                   "--max-variants", "4", *MEDIA)
    names(line, "optimizer.lr", "-1")


@pytest.mark.parametrize(("args", "words"), [
    (("--jobs", "0"), ("--jobs", "0", "1 to 256")),
    (("--jobs", "100000"), ("--jobs", "100000")),
    (("--max-variants", "0"), ("--max-variants", "0")),
    (("--vary", "optimizer.lr=nan,0.1"), ("optimizer.lr", "nan")),
    (("--vary", "scene.resolution=40,0"), ("scene.resolution", "0")),
])
def test_sweep_options_are_checked(capsys: pytest.CaptureFixture[str], work: Path, args: tuple[str, ...],
                                   words: tuple[str, ...]) -> None:
    names(refused(capsys, work, "sweep", "descent", *args, *MEDIA), *words)


# -- the command line starts without manim ---------------------------------------
LIGHT = [["--help"], ["losses"], ["losses", "--json"], ["list"], ["trajectory", "booth", "--steps", "2"],
         ["init", "x.toml"], ["render", "--help"], ["sweep", "--help"]]


@pytest.mark.parametrize("argv", LIGHT, ids=[" ".join(a) for a in LIGHT])
def test_commands_that_do_not_render_do_not_import_manim(tmp_path: Path, argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from gdscenes.cli.main import main\n"
        "try:\n"
        f"    code = main({argv!r})\n"
        "except SystemExit as e:\n"
        "    code = e.code\n"
        "heavy = sorted(m for m in sys.modules if m in ('manim', 'sympy', 'gdscenes.drawing')\n"
        "               or m.startswith('gdscenes.scenes.') and m != 'gdscenes.scenes.registry')\n"
        "print('MODULES', ','.join(heavy), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(HERE / "src")})
    assert result.returncode == 0, result.stderr
    loaded = result.stderr.strip().splitlines()[-1].removeprefix("MODULES ").split(",")
    assert "manim" not in loaded and "gdscenes.drawing" not in loaded
    assert not [m for m in loaded if m.startswith("gdscenes.scenes.")]  # (the lessons are listed from their source)
    if argv[0] != "trajectory":
        assert "sympy" not in loaded  # (listings come from gdscenes.cli.catalog's snapshot; trajectory needs sympy)


def test_reading_and_checking_a_spec_file_needs_no_manim(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from gdscenes.production import spec\n"
        f"spec.load({str(tmp_path / 'c.toml')!r}); spec.render_keys()\n"
        "print('manim' in sys.modules)\n"
    )
    (tmp_path / "c.toml").write_text('[render]\nfps = 30\n')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(HERE / "src")})
    assert result.stdout.strip() == "False", result.stderr


# -- the manim-free copies agree with what they copy -----------------------------
def test_the_quality_table_is_manims() -> None:
    from manim.constants import QUALITIES

    assert settings.QUALITIES == {name: q for name, q in QUALITIES.items() if q["flag"]}
    assert settings.quality_order() == ("l", "m", "h", "p", "k")


def test_render_and_drawing_take_their_choices_from_the_manim_free_modules() -> None:
    from gdscenes.display.camera_presets import CAMERA_PRESETS
    from gdscenes.drawing import camera
    from gdscenes.production import render

    assert camera.CAMERA_PRESETS is CAMERA_PRESETS
    assert render.ASPECTS is settings.ASPECTS and render.RENDERERS is settings.RENDERERS
    assert render.QUALITY_FLAGS is settings.QUALITY_FLAGS and render.ALPHA_FORMATS is settings.ALPHA_FORMATS


def test_a_one_parameter_loss_in_a_surface_lesson_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    names(refused(capsys, work, "render", "descent", "--loss", "x^2", *MEDIA), "'x^2'", "1 parameter (x)", "two parameters")
