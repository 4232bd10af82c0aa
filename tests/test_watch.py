"""``gdscenes render SPEC --watch`` (issue 17): a save renders again, a bad save is one line and keeps
the video, Ctrl-C ends it; a changed lesson module is executed again and its lessons re-registered."""

from __future__ import annotations

import importlib.util
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import read_frames

TINY = """
[scene]
start = [-0.5, -4.5]
steps = 2
tol = 0.0
resolution = 8
intro_seconds = 0.2
hold_seconds = {hold}

[render]
fps = 5
media_dir = "{media}"
"""


class Lines:
    """The lines a process writes to its stderr, as they come."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def next(self, limit: float = 240.0) -> str:
        """The next non-empty line (a hang fails after ``limit`` seconds, not a timing)."""
        deadline = time.monotonic() + limit
        while True:
            line = self.queue.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, f"the watch ended: {self.seen[-5:]}"
            self.seen.append(line)
            if line.strip():
                return line


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[Path, Lines]]:
    spec = tmp_path / "lesson.toml"
    spec.write_text(TINY.format(hold=0.2, media=tmp_path / "media"))
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp))
    command = [sys.executable, "-c", "import sys; from gdscenes.cli.main import main; sys.exit(main())"]
    process = subprocess.Popen([*command, "render", str(spec), "--watch"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=tmp_path,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        yield spec, Lines(process)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def wrote(line: str) -> Path:
    """The video a ``[HH:MM:SS] wrote PATH (WxH, S s)`` line names."""
    assert " wrote " in line, line
    return Path(line.split(" wrote ", 1)[1].rsplit(" (", 1)[0])


@pytest.mark.render
def test_a_save_renders_again_a_bad_save_keeps_the_video_and_ctrl_c_ends_it(
        watching: tuple[Path, Lines], tmp_path: Path) -> None:
    spec, lines = watching
    video = wrote(lines.next())
    assert video == tmp_path / "media" / "videos" / "lesson_preview.mp4"  # never the finished video's name
    first = read_frames(video)
    # -q l unless told: 854x480; intro 0.2 + 2 steps x 1.5 + hold 0.2 = 3.4 s at 5 fps
    assert first.shape[1:] == (480, 854, 3) and len(first) == 17
    watched = lines.next()
    assert watched.startswith("gdscenes: watching ") and str(spec) in watched and "descent.py" in watched

    # a save with a longer hold: the new video is a second (5 frames) longer, its opening the same
    spec.write_text(TINY.format(hold=1.2, media=tmp_path / "media"))
    assert wrote(lines.next()) == video
    second = read_frames(video)
    assert len(second) == len(first) + 5
    assert (abs(second[0].astype(int) - first[0]).mean()) < 1

    # a bad value: one line naming it, the video untouched, the watch goes on
    before = video.read_bytes()
    spec.write_text(TINY.format(hold=-3, media=tmp_path / "media"))
    line = lines.next()
    assert line.startswith("gdscenes: error: ") and "hold_seconds" in line, line
    time.sleep(1.0)
    assert lines.queue.empty() and video.read_bytes() == before

    # mended: rendered again
    spec.write_text(TINY.format(hold=0.2, media=tmp_path / "media"))
    assert wrote(lines.next()) == video
    assert len(read_frames(video)) == len(first)

    lines.process.send_signal(signal.SIGINT)  # Ctrl-C
    assert lines.process.wait(timeout=60) in (0, 130)
    assert lines.next() == "gdscenes: stopped watching; the last video is kept"
    assert not [p for p in (tmp_path / "media").rglob("*") if "partial" in p.name or "@" in p.name]
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.render
def test_ctrl_c_while_rendering_keeps_the_earlier_video(watching: tuple[Path, Lines], tmp_path: Path) -> None:
    spec, lines = watching
    video = wrote(lines.next())
    before = video.read_bytes()
    lines.next()  # watching ...
    spec.write_text(TINY.format(hold=4.0, media=tmp_path / "media"))
    partial = tmp_path / "media" / "partial"
    deadline = time.monotonic() + 120
    while not any(partial.glob("*@*/partial/*")) and time.monotonic() < deadline:
        time.sleep(0.02)  # until the render has begun writing
    lines.process.send_signal(signal.SIGINT)
    assert lines.process.wait(timeout=60) in (0, 130)
    assert video.read_bytes() == before
    assert not partial.exists() or not any(partial.iterdir())


# -- lesson modules executed again -----------------------------------------------------------
BASE = '''
from gdscenes.scenes.descent import DescentScene
from gdscenes.scenes.registry import lesson


@lesson("watch-probe")
class WatchProbeScene(DescentScene):
    """A lesson for the test."""

    hold_seconds = {hold}
'''

USER = '''
from gdscenes.scenes._watch_probe import WatchProbeScene
from gdscenes.scenes.registry import lesson


@lesson("watch-probe-user")
class WatchProbeUserScene(WatchProbeScene):
    """A lesson built on the other."""
'''


def load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def probe_modules(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    from gdscenes.scenes.registry import SCENES

    base, user = tmp_path / "_watch_probe.py", tmp_path / "_watch_probe_user.py"
    base.write_text(BASE.format(hold=0.25))
    user.write_text(USER)
    try:
        load("gdscenes.scenes._watch_probe", base)
        load("gdscenes.scenes._watch_probe_user", user)
        yield base, user
    finally:
        for name in ("watch-probe", "watch-probe-user"):
            if name in dict.keys(SCENES):
                dict.__delitem__(SCENES, name)
        for module in ("gdscenes.scenes._watch_probe", "gdscenes.scenes._watch_probe_user"):
            sys.modules.pop(module, None)


def test_a_saved_lesson_module_is_run_again_and_its_lessons_registered_anew(probe_modules: tuple[Path, Path]) -> None:
    from gdscenes.production import watch
    from gdscenes.scenes.registry import SCENES

    base, _ = probe_modules
    old, old_user = SCENES["watch-probe"], SCENES["watch-probe-user"]
    assert old.hold_seconds == 0.25 and issubclass(old_user, old)
    assert {m.__name__ for m in watch.lesson_modules("watch-probe-user")} >= {
        "gdscenes.scenes._watch_probe", "gdscenes.scenes._watch_probe_user", "gdscenes.scenes.descent",
        "gdscenes.scenes.lesson"}

    # saved at once, the same size: the source is read again (no stale bytecode), no "name is taken" error;
    # what the warm process kept from the old code's renders is dropped
    from gdscenes.drawing import reuse

    reuse.enable()
    try:
        assert reuse.reuse("probe", lambda: [1.0]) == [1.0] and reuse._KEPT
        base.write_text(BASE.format(hold=0.75))
        order = watch.reload_lessons(["gdscenes.scenes._watch_probe"])
        assert not reuse._KEPT and reuse.enabled()
    finally:
        reuse.enable(False)
    assert order == ["gdscenes.scenes._watch_probe", "gdscenes.scenes._watch_probe_user"]  # the base first
    new, new_user = SCENES["watch-probe"], SCENES["watch-probe-user"]
    assert new is not old and new.hold_seconds == 0.75
    assert new_user is not old_user and issubclass(new_user, new) and new_user.hold_seconds == 0.75

    # a syntax error: raised (the watch prints it as one line), the registered lessons stay
    base.write_text(BASE.format(hold="0.75 +"))
    with pytest.raises(SyntaxError) as error:
        watch.reload_lessons(["gdscenes.scenes._watch_probe"])
    assert watch.error_line(error.value).startswith("_watch_probe.py line ")
    assert SCENES["watch-probe"] is new and SCENES["watch-probe-user"] is new_user


def test_a_bad_name_without_a_file_to_watch_is_an_error_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_cli import run_cli

    code, _, err = run_cli(capsys, "render", "descnet", "--watch")
    assert code == 2 and err.count("\n") == 1 and err.startswith("gdscenes: error: ") and "descent" in err, err
    code, _, err = run_cli(capsys, "render", "descent", "--watch", "--slides")
    assert code == 2 and err == "gdscenes: error: --watch renders previews; it does not go with --slides\n"


def test_a_save_caught_half_way_is_waited_past_not_rendered(tmp_path: Path) -> None:
    """CI once saw the watch render a truncated (empty) spec as the default lesson: ``write_text``
    empties the file before it writes, and a busy machine can look in between."""
    from gdscenes.production.watch import Watcher, stamp

    spec = tmp_path / "lesson.toml"
    spec.write_text(TINY.format(hold=0.2, media=tmp_path / "media"))
    watcher = Watcher({"path": spec}, poll=0.01)
    before = {spec: stamp(spec)}

    def save() -> None:
        with spec.open("w") as file:  # emptied ...
            file.flush()
            time.sleep(0.3)  # (thirty polls: long past the stamps' settling)
            file.write(TINY.format(hold=1.2, media=tmp_path / "media"))  # ... then written

    saving = threading.Thread(target=save)
    saving.start()
    new = watcher.wait(before)
    saving.join()
    assert new == {spec: stamp(spec)} and spec.stat().st_size > 0 and "hold_seconds = 1.2" in spec.read_text()
