"""Output safety (issue 13): no fault, signal or second process loses or corrupts an output.

One atomic writer (symlinks written through; devices, folders and FIFOs
refused), names that stay in their folder and never collide, one writer per
output (a lock), a manifest merged under a lock, faults (read-only folder,
full disk, missing folder) as one line with nothing half-written left,
signals that clean up, children that die with their sweep, and Dask. Each case
checks the exit status, the one-line message and that earlier outputs are
byte-identical afterwards. Real processes where concurrency or signals matter.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gdscenes import atomic
from gdscenes.production import names
from gdscenes.production.progress import Progress
from tests.test_cli import run_cli

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
#: A render that lasts a few seconds, long enough to be interrupted in the middle.
SLOW = ["--set", "scene.steps=12", "--fps", "15"]


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY.format(media=tmp_path / "media"))
    return path


def last_line(err: str) -> str:
    """The last line of stderr (manim's progress bars end lines with carriage returns)."""
    lines = [line.strip() for line in err.replace("\r", "\n").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (lock files aside) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def leftovers(root: Path) -> list[str]:
    """Temporary files and private folders left under ``root``."""
    found = [p for p in root.rglob("*") if ".partial-" in p.name or "@" in p.name or p.name.startswith("gdscenes-")]
    return sorted(str(p.relative_to(root)) for p in found)


def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment of a real ``gdscenes`` process: its own temporary folder (to look for leftovers)."""
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    return dict(os.environ, TMPDIR=str(temp), PYTHONFAULTHANDLER="1")


def finish(process: subprocess.Popen[str], limit: float = 120.0) -> str:
    """Wait for ``process``; its stderr. A hang fails with every thread's stack (SIGABRT, faulthandler)."""
    try:
        return process.communicate(timeout=limit)[1]
    except subprocess.TimeoutExpired:
        for pid in [*children(process.pid), process.pid]:
            os.kill(pid, signal.SIGABRT)
        raise AssertionError(f"process {process.args} hung:\n{process.communicate(timeout=60)[1][-8000:]}") from None


def gdscenes(tmp_path: Path, *argv: str, stderr: Any = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "gdscenes.cli.main", *argv], stderr=stderr,
                            stdout=subprocess.DEVNULL, text=True, env=cli_env(tmp_path), cwd=tmp_path,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: Any, process: subprocess.Popen[str] | None = None, limit: float = 120.0) -> bool:
    """Poll ``condition()`` until true (or the process ends, or ``limit`` seconds pass: a hang, not a timing)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        if process is not None and process.poll() is not None:
            return bool(condition())
        time.sleep(0.02)
    return False


# -- 1. one writer, one rule ---------------------------------------------------------------
def test_atomic_writes_through_symlinks_and_refuses_other_targets(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    os.chmod(real, 0o600)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    atomic.write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real) and real.read_text() == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600  # the file's mode is kept
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "made.txt")
    atomic.write_text(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "made.txt").read_text() == "made"

    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    to_folder = tmp_path / "to_folder"
    to_folder.symlink_to(folder)
    for target, words in ((folder, "it is a directory"), (fifo, "it is a FIFO"), (Path("/dev/null"), "it is a device"),
                          (loop, "symbolic link that loops"), (to_folder, "it is a directory"),
                          (tmp_path / "missing" / "x.txt", "does not exist")):
        with pytest.raises(atomic.OutputError) as caught:
            atomic.write_text(target, "x")
        message = str(caught.value)
        assert "\n" not in message and str(target) in message and words in message, message
    assert stat.S_ISFIFO(fifo.stat().st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not (tmp_path / "missing").exists() and list(folder.iterdir()) == []

    def full(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(atomic.OutputError, match=r"cannot write .*real.txt: No space left on device"):
        atomic.replace_into(real, full)
    assert real.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["real.txt", "link.txt", "dangling.txt", "made.txt", "folder", "fifo", "loop", "to_folder"])


def test_the_cli_refuses_a_device_folder_fifo_or_missing_folder_as_out(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    keep = tmp_path / "keep.png"
    keep.write_bytes(b"earlier")
    missing = tmp_path / "nowhere" / "t.png"
    for out, words in ((fifo, "it is a FIFO, not a regular file"), (tmp_path, "it is a directory, not a regular file"),
                       (Path("/dev/null"), "it is a device, not a regular file"),
                       (missing, f"the folder {missing.parent} does not exist")):
        code, _, err = run_cli(capsys, "thumbnail", "descent", "--steps", "2", "--out", str(out),
                               "--media-dir", str(tmp_path / "media"))
        assert code == 2 and err == f"gdscenes: error: --out: cannot write {out}: {words}\n", err
    assert stat.S_ISFIFO(fifo.stat().st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert keep.read_bytes() == b"earlier" and not (tmp_path / "media").exists()


# -- 2. names -----------------------------------------------------------------------------
def test_names_stay_readable_when_nothing_is_lost_and_get_a_hash_when_something_is() -> None:
    name = names.output_name
    # simple names are as before
    assert name("clip", [("optimizer.lr", 0.05), ("camera.zoom", 0.6)]) == "clip_lr0.05_zoom0.6"
    assert name("clip", [("optimizer.lr", 0.07), ("scene.start", "-1,-2")]) == "clip_lr0.07_start-1_-2"
    assert name("tiny", [("scene.loss", "six_hump_camel"), ("optimizer.name", "adam")]) == "tiny_six_hump_camel_optimizeradam"
    # the slug drops characters: a hash tells the values apart
    pairs = [("(x+y)^2", "(x+y)*2"), ("x*y", "x/y"), ("x^2*y", "x^2/y")]
    for a, b in pairs:
        na, nb = name("descent", [("scene.loss", a)]), name("descent", [("scene.loss", b)])
        assert na != nb and na.rsplit("_", 1)[0] == nb.rsplit("_", 1)[0], (na, nb)
        assert len(na.rsplit("_", 1)[1]) == 8
    # a number printed shorter than it is
    assert name("d", [("optimizer.lr", 0.1234567)]) != name("d", [("optimizer.lr", 0.1234568)])
    # chosen names: never a folder, never hidden, never outside
    chosen = [name("d", [], explicit) for explicit in ("..", ".", "../x", "a/b", "/etc/passwd", ".hidden")]
    assert len(set(chosen)) == len(chosen)
    for text in chosen:
        assert names.slug(text) == text and not text.startswith(".") and "/" not in text
    assert name("d", [], "my-clip_1.0") == "my-clip_1.0"  # a safe name is kept as given


def test_sweep_names_do_not_depend_on_the_order_of_values_and_duplicates_are_an_error(
        capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    from gdscenes.production import sweep

    start = ["scene.start=[1, 2]"]
    one = sweep.expand(spec, ["scene.loss=(x+y)^2,(x+y)*2", "optimizer.lr=0.01,0.02"], sets=start)
    other = sweep.expand(spec, ["scene.loss=(x+y)*2,(x+y)^2", "optimizer.lr=0.02,0.01"], sets=start)
    assert len({v.name for v in one}) == 4
    assert {v.name: v.values for v in one} == {v.name: v.values for v in other}
    for text in ("optimizer.lr=0.1,0.1", "scene.loss=himmelblau,himmelblau", "optimizer.lr=0.1,1e-1"):
        code, _, err = run_cli(capsys, "sweep", str(spec), "--vary", text)
        assert code == 2 and err.count("\n") == 1 and "gdscenes: error: --vary gives the variant" in err, err
        assert "twice" in err
    assert not (spec.parent / "media").exists()


@pytest.mark.render
def test_name_dot_or_dotdot_with_sections_touches_no_other_output(
        capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    code, _, err = run_cli(capsys, "render", str(spec), "--sections")
    assert code == 0, err
    videos = spec.parent / "media" / "videos"
    assert len(list((videos / "sections" / "tiny").glob("tiny_*.mp4"))) == 4
    earlier = snapshot(spec.parent / "media")
    made = []
    for chosen in ("..", "."):
        code, _, err = run_cli(capsys, "render", str(spec), "--sections", "--name", chosen)
        assert code == 0, err
        made.append(err.split("wrote ")[1].split(" (")[0])
    assert all(Path(p).parent == videos and Path(p).name.startswith("scene_") for p in made) and made[0] != made[1]
    after = snapshot(spec.parent / "media")
    assert {k: v for k, v in after.items() if k in earlier} == earlier  # every earlier file, byte for byte
    for p in made:
        assert len(list((videos / "sections" / Path(p).stem).glob("*.mp4"))) == 4
    assert leftovers(spec.parent / "media") == []


# -- 3. one writer per output, the manifest ----------------------------------------------
def test_a_render_of_a_name_another_process_is_writing_fails_with_one_line(
        capsys: pytest.CaptureFixture[str], spec: Path) -> None:
    videos = spec.parent / "media" / "videos"
    videos.mkdir(parents=True)
    (videos / "tiny.mp4").write_bytes(b"earlier video")
    # another process holds the lock: an flock on its own open file (as a second process would)
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
                               "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(600)",
                               str(videos / ".tiny.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code, _, err = run_cli(capsys, "render", str(spec))
    finally:
        holder.kill()
        holder.wait()
    assert code == 2, err
    assert last_line(err) == (f"gdscenes: error: another gdscenes process is writing 'tiny' in {videos} "
                              f"(it holds {videos / '.tiny.lock'}); wait for it to finish or choose another --name")
    assert (videos / "tiny.mp4").read_bytes() == b"earlier video"
    assert leftovers(spec.parent / "media") == []


@pytest.mark.render
def test_two_real_renders_of_one_name_never_splice(tmp_path: Path, spec: Path) -> None:
    losses = ("rosenbrock", "himmelblau")
    earlier = spec.parent / "media" / "videos" / "earlier.mp4"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"an earlier video")
    # what each gives alone (renders are deterministic: the same bytes every time), and the two at once
    alone = [gdscenes(tmp_path, "render", str(spec), "--loss", loss, "--start", "1,2", "--name", "same",
                      "--media-dir", str(tmp_path / f"alone_{loss}")) for loss in losses]
    both = [gdscenes(tmp_path, "render", str(spec), "--loss", loss, "--start", "1,2", "--name", "same") for loss in losses]
    for process in alone:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    expected = {hashlib.sha256((tmp_path / f"alone_{loss}" / "videos" / "same.mp4").read_bytes()).hexdigest()
                for loss in losses}
    assert len(expected) == 2
    results = [(process.communicate(timeout=300)[1], process.returncode)[::-1] for process in both]
    for code, err in results:
        assert code == 0 or (code == 2 and "another gdscenes process is writing 'same'" in last_line(err)), err
    assert any(code == 0 for code, _ in results)
    video = spec.parent / "media" / "videos" / "same.mp4"
    assert hashlib.sha256(video.read_bytes()).hexdigest() in expected  # one render's video, whole
    assert earlier.read_bytes() == b"an earlier video"
    assert leftovers(spec.parent / "media") == [] and leftovers(tmp_path / "tmp") == []


MERGER = """
import sys, time
from pathlib import Path
from gdscenes.production.sweep import update_manifest
path, who, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
for i in range(40):
    update_manifest(path, "v", lambda entries, i=i: entries.__setitem__(f"{who}{i}", {"status": "ok", "n": i}))
"""


def test_two_sweeps_writing_one_manifest_keep_every_entry(tmp_path: Path) -> None:
    from gdscenes.production.sweep import read_manifest, update_manifest

    path = tmp_path / "videos" / "clip.manifest.json"
    update_manifest(path, "v", lambda entries: entries.__setitem__("earlier", {"status": "ok"}))
    go = tmp_path / "go"
    writers = [subprocess.Popen([sys.executable, "-c", MERGER, str(path), who, str(go)]) for who in "ab"]
    go.touch()
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    entries = read_manifest(path, strict=True)
    assert sorted(entries) == sorted(["earlier"] + [f"{w}{i}" for w in "ab" for i in range(40)])
    assert [p.name for p in path.parent.iterdir() if ".partial-" in p.name] == []


class FakeBackend:
    """Renders nothing: writes a stand-in video per job (what a finished render leaves)."""

    parallel = 1

    def __init__(self) -> None:
        self.names: list[str] = []

    def results(self, jobs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        from gdscenes.production.job import sha256

        for job in jobs:
            self.names.append(job["name"])
            video = Path(job["raw"]["render"]["media_dir"]) / "videos" / f"{job['name']}.mp4"
            video.parent.mkdir(parents=True, exist_ok=True)
            video.write_bytes(job["name"].encode())
            yield job, {"video": str(video), "sha256": sha256(video), "summary": {}, "seconds": 1.0, "exports": []}, None


@pytest.mark.parametrize("damage", [b"{not json", b"[1, 2]", b'{"format": "gdscenes.production.sweep", "outputs": [1]}',
                                    b'{"format": "gdscenes.production.sweep", "outputs": {"a": {"video": 3}}}',
                                    b"\xff\xfe{}", b'{"format": "something else"}'])
def test_a_damaged_manifest_is_reported_kept_as_bak_and_rebuilt(
        capsys: pytest.CaptureFixture[str], spec: Path, damage: bytes) -> None:
    from gdscenes.production import sweep

    variants = sweep.expand(spec, ["optimizer.lr=0.01,0.02"], same_camera=True)
    path = sweep.manifest_path(variants)
    path.parent.mkdir(parents=True)
    path.write_bytes(damage)
    backend = FakeBackend()
    result = sweep.run(variants, backend, Progress(2, 1, io.StringIO()))
    err = capsys.readouterr().err
    assert sorted(result.rendered) == ["tiny_lr0.01", "tiny_lr0.02"]
    lines = [line for line in err.splitlines() if "damaged" in line]
    assert len(lines) == 1 and lines[0].startswith(f"gdscenes: warning: the manifest {path} is damaged (")
    assert lines[0].endswith(f"; kept it as {path}.bak and rebuilt it")
    assert Path(f"{path}.bak").read_bytes() == damage
    assert sorted(sweep.read_manifest(path, strict=True)) == ["tiny_lr0.01", "tiny_lr0.02"]
    # the next run finds it whole: nothing to do, nothing reported
    again = sweep.run(variants, FakeBackend(), Progress(2, 1, io.StringIO()))
    assert sorted(again.skipped) == ["tiny_lr0.01", "tiny_lr0.02"] and "damaged" not in capsys.readouterr().err


# -- 4. faults ----------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs (root only: the only way here to get a folder that is full or read-only for root)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (a full disk and a read-only folder that binds root)")
    where = tmp_path / "disk"
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


@pytest.mark.render
def test_a_read_only_folder_is_one_line_and_with_nothing_to_render_no_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, small_disk: Path) -> None:
    from gdscenes.production import sweep

    path = tmp_path / "tiny.toml"
    media = small_disk / "media"
    path.write_text(TINY.format(media=media))
    varies = ["optimizer.lr=0.01,0.02"]
    sweep.run(sweep.expand(path, varies, same_camera=True), FakeBackend(), Progress(2, 1, io.StringIO()))
    earlier = snapshot(media)
    read_only(small_disk)
    code, _, err = run_cli(capsys, "sweep", str(path), "--vary", varies[0])  # everything is done: nothing written
    assert code == 0 and last_line(err).startswith("gdscenes: sweep: 0 rendered, 2 unchanged, 0 failed"), err
    code, _, err = run_cli(capsys, "sweep", str(path), "--vary", "optimizer.lr=0.03")
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"gdscenes: error: cannot lock {media / 'videos'}") and "Read-only file system" in err
    code, _, err = run_cli(capsys, "render", str(path))
    assert code == 2 and last_line(err) == (f"gdscenes: error: cannot lock {media / 'videos' / '.tiny.lock'}: "
                                            "Read-only file system"), err
    assert snapshot(media) == earlier


@pytest.mark.render
def test_a_full_disk_is_one_line_and_leaves_nothing_half_written(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, small_disk: Path) -> None:
    media = small_disk / "media"
    (media / "videos").mkdir(parents=True)
    (media / "videos" / "tiny.mp4").write_bytes(b"earlier video")
    filler = small_disk / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill the disk, then give back a little: a render does not fit
    try:
        while os.write(handle, b"\1" * 4096):
            pass
    except OSError:
        pass
    os.close(handle)
    os.truncate(filler, filler.stat().st_size - 24 * 1024)
    path = tmp_path / "tiny.toml"
    path.write_text(TINY.format(media=media))
    code, _, err = run_cli(capsys, "render", str(path))
    assert code == 2, err
    line = last_line(err)
    assert line.startswith(f"gdscenes: error: cannot render 'tiny' into {media / 'videos'}: No space left on device"), line
    assert (media / "videos" / "tiny.mp4").read_bytes() == b"earlier video"
    assert leftovers(small_disk) == [] and not (media / "partial").exists()


# -- 5. signals -----------------------------------------------------------------------------
@pytest.mark.render
@pytest.mark.parametrize(("sent", "status", "words"), [(signal.SIGTERM, 143, "gdscenes: terminated"),
                                                       (signal.SIGINT, 130, "gdscenes: interrupted")])
def test_sigterm_and_sigint_stop_a_sweep_and_clean_up(tmp_path: Path, spec: Path, sent: int, status: int,
                                                        words: str) -> None:
    videos = spec.parent / "media" / "videos"
    videos.mkdir(parents=True)
    (videos / "earlier.mp4").write_bytes(b"an earlier video")
    sweep = gdscenes(tmp_path, "sweep", str(spec), "--jobs", "1", "--vary", "optimizer.lr=0.01,0.02", *SLOW)
    partial = spec.parent / "media" / "partial"
    assert wait_for(lambda: any(partial.glob("*@*/partial/*")), sweep), "the render never started"
    renders = children(sweep.pid)
    assert len(renders) == 1 and any((tmp_path / "tmp").glob("gdscenes-caches-*"))
    sweep.send_signal(sent)  # to the sweep only: it stops its render
    err = finish(sweep)
    assert sweep.returncode == status and last_line(err).startswith(words), err[-500:]
    assert wait_for(lambda: not alive(renders[0]))
    assert leftovers(tmp_path / "tmp") == [] and leftovers(spec.parent / "media") == []
    assert (videos / "earlier.mp4").read_bytes() == b"an earlier video"


@pytest.mark.render
def test_after_sigkill_of_a_sweep_its_render_dies_and_the_next_run_resumes(tmp_path: Path, spec: Path) -> None:
    argv = ["sweep", str(spec), "--jobs", "1", "--vary", "optimizer.lr=0.01,0.02", *SLOW]
    videos = spec.parent / "media" / "videos"
    videos.mkdir(parents=True)
    (videos / "earlier.mp4").write_bytes(b"an earlier video")
    # (the sweep's stderr, which its render inherits, goes to a file: a pipe nobody reads would fill
    # and block the render's own writes, so that it could not even report its termination)
    with (tmp_path / "sweep-stderr.txt").open("w") as log:
        sweep = gdscenes(tmp_path, *argv, stderr=log)
    partial = spec.parent / "media" / "partial"
    assert wait_for(lambda: any(partial.glob("*@*/partial/*")), sweep), "the render never started"
    (render,) = children(sweep.pid)
    sweep.kill()
    sweep.wait()
    assert wait_for(lambda: not alive(render)), "the render outlived its sweep"
    assert (videos / "earlier.mp4").read_bytes() == b"an earlier video"
    manifest = videos / "tiny.manifest.json"
    done = set(json.loads(manifest.read_text())["outputs"]) if manifest.exists() else set()
    earlier = {name: (videos / f"{name}.mp4").read_bytes() for name in done}
    again = gdscenes(tmp_path, *argv)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    # (the killed render's private folders are removed by the next run: their owner is gone)
    assert leftovers(tmp_path / "tmp") == [] and leftovers(spec.parent / "media") == []
    assert last_line(err).startswith(f"gdscenes: sweep: {2 - len(done)} rendered, {len(done)} unchanged, 0 failed")
    assert {name: (videos / f"{name}.mp4").read_bytes() for name in done} == earlier
    assert sorted(json.loads(manifest.read_text())["outputs"]) == ["tiny_steps12_lr0.01", "tiny_steps12_lr0.02"]


# -- 6. Dask ----------------------------------------------------------------------------------
@pytest.fixture
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local:
        with distributed.Client(local) as client:
            yield client


@pytest.mark.render
def test_dask_brings_section_videos_back_with_their_variant(spec: Path, cluster: Any) -> None:
    from gdscenes.production import sweep
    from gdscenes.production.distributed import DaskBackend

    variants = sweep.expand(spec, [], sets=["render.sections=true"], same_camera=True)
    result = sweep.run(variants, DaskBackend(client=cluster), Progress(1, 1, io.StringIO()))
    assert result.rendered == ["tiny"] and not result.failed
    videos = spec.parent / "media" / "videos"
    entry = sweep.read_manifest(result.manifest)["tiny"]
    index = json.loads((videos / "sections" / "tiny" / "tiny.json").read_text())
    assert [s["name"] for s in index] == ["intro", "step 1", "step 2", "result"]
    assert sorted(entry["sections"]) == sorted([f"sections/tiny/{s['video']}" for s in index] + ["sections/tiny/tiny.json"])
    for s in index:  # each section video came back whole
        from tests.conftest import read_frames

        assert len(read_frames(videos / "sections" / "tiny" / s["video"])) == int(s["nb_frames"])
    assert entry["exports"] == ["tiny.sections.json"] and (videos / "tiny.sections.json").is_file()


def test_dask_without_a_worker_is_one_line(capsys: pytest.CaptureFixture[str], spec: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("GDSCENES_DASK_WORKER_TIMEOUT", "0.5")
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as local:
        address = local.scheduler_address
        code, _, err = run_cli(capsys, "sweep", str(spec), "--vary", "optimizer.lr=0.01", "--scheduler", address)
    assert code == 2 and err.count("\n") == 1, err
    assert err == (f"gdscenes: error: no Dask worker joined the scheduler {address} within 0.5 s; "
                   f"start one with: dask worker {address}\n")
    assert not (spec.parent / "media").exists()


def test_a_lost_task_is_retried_and_its_temporary_files_are_removed(
        spec: Path, cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from gdscenes.production import distributed, sweep
    from gdscenes.production.job import sha256

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    # a folder of a worker that was killed: made by a process that ended without cleaning up
    subprocess.run([sys.executable, "-c", "import os, sys; from gdscenes.atomic import private_folder; "
                    "made = private_folder(sys.argv[1], 'gdscenes-worker-'); print(made.__enter__()); os._exit(0)", str(temp)],
                   check=True, capture_output=True)
    (stale,) = temp.glob("gdscenes-worker-*")
    tries: list[Path] = []

    def flaky(job: dict[str, Any]) -> dict[str, Any]:
        folder = Path(job["media_dir"])
        tries.append(folder)
        video = folder / "videos" / f"{job['name']}.mp4"
        video.parent.mkdir(parents=True)
        video.write_bytes(b"video of " + job["name"].encode())
        if len(tries) == 1:
            raise RuntimeError("worker lost")
        return {"name": job["name"], "video": str(video), "sha256": sha256(video), "summary": {}, "exports": [],
                "sections": [], "seconds": 0.1}

    monkeypatch.setattr(distributed, "run_isolated", flaky)
    variants = sweep.expand(spec, ["optimizer.lr=0.01"], same_camera=True)
    result = sweep.run(variants, distributed.DaskBackend(client=cluster), Progress(1, 1, io.StringIO()))
    assert result.rendered == ["tiny_lr0.01"] and len(tries) == 2
    assert (spec.parent / "media" / "videos" / "tiny_lr0.01.mp4").read_bytes() == b"video of tiny_lr0.01"
    assert not stale.exists() and not any(t.exists() for t in tries) and list(temp.iterdir()) == []


def test_a_private_folder_is_removed_only_once_its_owner_is_gone(tmp_path: Path) -> None:
    with atomic.private_folder(tmp_path, "gdscenes-x-") as mine:
        (mine / "work").write_text("busy")
        other = subprocess.run([sys.executable, "-c", "import sys; from gdscenes.atomic import remove_stale; "
                                "print(len(remove_stale(sys.argv[1], 'gdscenes-x-')))", str(tmp_path)],
                               capture_output=True, text=True, check=True)
        assert other.stdout.strip() == "0" and (mine / "work").read_text() == "busy"  # its owner lives
    assert not mine.exists()
    user = tmp_path / "gdscenes-x-user"  # a folder gdscenes did not make: never touched
    user.mkdir()
    (user / "data").write_text("keep")
    assert atomic.remove_stale(tmp_path, "gdscenes-x-") == [] and (user / "data").read_text() == "keep"
