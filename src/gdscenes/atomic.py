"""The one rule for every file gdscenes writes, in one place.

* A file is written whole or not at all: into a private temporary file in the
  target's folder, then renamed over the target (:func:`replace_into`,
  :func:`write_text`, :func:`move_into`). A failure leaves the target as it was
  and no temporary file behind.
* A target that is a symbolic link is written through: the link stays and the
  regular file it points to is replaced. A directory, device, FIFO or socket is
  refused (:class:`OutputError`, one line naming the path).
* One writer per output: :func:`output_lock` holds an ``flock`` on
  ``.<name>.lock`` next to the output for as long as the output is being made;
  a second process asking for the same lock fails at once with a one-line
  :class:`OutputBusy` (it does not wait). :func:`file_lock` (blocking, held for
  milliseconds) guards read-modify-write of shared files such as a manifest.
* Scratch space is a private folder (:func:`private_folder`) that holds an
  ``flock`` on its own owner file while its process lives; it is removed when
  its ``with`` block ends, and a folder left behind by a killed process (its
  lock free) is removed by the next run that makes one in the same place.
  Nothing else is ever removed.
* SIGTERM unwinds like Ctrl-C (:func:`signals_unwind`), so those folders are
  cleaned up; a child process can ask to get SIGTERM when its parent dies
  (:func:`die_with_parent`).

Every error is an :class:`OutputError` (a ``ValueError``), which the command
line prints as one line with exit status 2.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TextIO

if sys.platform != "win32":
    import fcntl
else:  # pragma: no cover - no flock: locks are no-ops
    fcntl = None  # type: ignore[assignment]

#: The file in a private folder whose ``flock`` says its owner is alive.
OWNER = ".gdscenes-owner"

_UMASK = os.umask(0o022)
os.umask(_UMASK)


class OutputError(ValueError):
    """A file or folder that cannot be written; the message is one line naming the path."""


class OutputBusy(OutputError):
    """Another process is writing the same output."""


def explain(error: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """``"cannot write PATH: No space left on device"`` for an ``OSError``."""
    where = path if path is not None else (error.filename or "?")
    reason = error.strerror or str(error) or type(error).__name__
    return f"cannot write {where}: {reason}"


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, words in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                        (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return words
    return "not a regular file"


def writable_target(target: str | os.PathLike[str]) -> Path:
    """The regular file that writing ``target`` replaces: ``target``, or the file its symbolic link points to.

    :class:`OutputError` when that is a directory, device, FIFO or socket, or the link loops."""
    path = Path(target)
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real  # a new file (or a link to one not made yet)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise OutputError(f"cannot write {path}: it is a symbolic link that loops") from None
        raise OutputError(explain(error, path)) from None
    kind = _kind(mode)
    if kind:
        raise OutputError(f"cannot write {path}: it is {kind}, not a regular file")
    return real


def make_folder(folder: str | os.PathLike[str]) -> Path:
    """``folder`` and its parents made where missing; :class:`OutputError` (one line) if that cannot be done."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"cannot write into {path}: it is not a folder") from None
    except OSError as error:
        raise OutputError(f"cannot create the folder {error.filename or path}: {error.strerror or error}") from None
    return path


def _check_folder(target: Path, real: Path, make: bool) -> None:
    if make:
        make_folder(real.parent)
    elif not real.parent.is_dir():
        raise OutputError(f"cannot write {target}: the folder {real.parent} does not exist")


def _mode_for(real: Path) -> int:
    try:
        return os.stat(real).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def replace_into(target: str | os.PathLike[str], write: Callable[[Path], object], make: bool = False) -> Path:
    """Call ``write(temp_path)`` on a private temporary file next to ``target``, then rename it over ``target``.

    ``make``: create the target's folder where missing (else a missing folder is an error).
    A failure leaves ``target`` as it was and no temporary file behind; an ``OSError``
    becomes a one-line :class:`OutputError`. Returns ``target``."""
    path = Path(target)
    real = writable_target(path)
    _check_folder(path, real, make)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{real.name}.partial-{os.getpid()}-", suffix=real.suffix,
                                        dir=real.parent)
        os.close(handle)
    except OSError as error:
        raise OutputError(explain(error, path)) from None
    temp = Path(name)
    try:
        write(temp)
        os.chmod(temp, _mode_for(real))
        os.replace(temp, real)
    except OSError as error:
        raise OutputError(explain(error, path)) from error
    finally:
        temp.unlink(missing_ok=True)
    return path


def _write_synced(data: bytes) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        with open(temp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return write


def write_bytes(target: str | os.PathLike[str], data: bytes, make: bool = False) -> Path:
    """``data`` into ``target``, whole or not at all (see :func:`replace_into`)."""
    return replace_into(target, _write_synced(data), make)


def write_text(target: str | os.PathLike[str], text: str, make: bool = False) -> Path:
    """``text`` (UTF-8) into ``target``, whole or not at all (see :func:`replace_into`)."""
    return replace_into(target, _write_synced(text.encode("utf-8")), make)


def move_into(source: str | os.PathLike[str], target: str | os.PathLike[str], make: bool = False) -> Path:
    """Rename the finished file ``source`` onto ``target`` (same rules as :func:`replace_into`;
    copied through a temporary file when the two are on different file systems)."""
    path = Path(target)
    real = writable_target(path)
    _check_folder(path, real, make)
    try:
        os.replace(source, real)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise OutputError(explain(error, path)) from error
        replace_into(path, lambda temp: shutil.copyfile(source, temp))
        Path(source).unlink(missing_ok=True)
    return path


# -- locks ---------------------------------------------------------------------------
_HELD: dict[str, int] = {}
_HELD_GUARD = threading.Lock()


def _open_lock(path: Path) -> int:
    try:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        return os.open(path, flags, 0o666 & ~_UMASK)  # (a lock file planted as a link is refused)
    except OSError as error:
        raise OutputError(f"cannot lock {path}: {error.strerror or error}") from None


@contextmanager
def output_lock(folder: str | os.PathLike[str], name: str) -> Iterator[Path]:
    """Hold ``<folder>/.<name>.lock`` exclusively while the output ``name`` is made.

    Another process holding it: :class:`OutputBusy` at once (one line; no waiting).
    The same process may take it again inside (a render inside a job)."""
    path = Path(folder) / f".{name}.lock"
    make_folder(path.parent)
    key = os.path.realpath(path)
    with _HELD_GUARD:
        if key in _HELD:
            _HELD[key] += 1
            held = True
        else:
            held = False
    if held:
        try:
            yield path
        finally:
            with _HELD_GUARD:
                _HELD[key] -= 1
        return
    handle = _open_lock(path)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputBusy(f"another gdscenes process is writing {name!r} in {path.parent} "
                                 f"(it holds {path}); wait for it to finish or choose another --name") from None
        with _HELD_GUARD:
            _HELD[key] = 1
        try:
            yield path
        finally:
            with _HELD_GUARD:
                del _HELD[key]
    finally:
        os.close(handle)  # (releases the flock; the lock file stays: removing it would race)


@contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Wait for, then hold, an exclusive ``flock`` on ``.<name>.lock`` next to ``path``
    (for a read-modify-write of ``path`` that lasts milliseconds)."""
    target = Path(path)
    handle = _open_lock(target.with_name(f".{target.name}.lock"))
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


# -- private folders -----------------------------------------------------------------
_LIVE: set[Path] = set()


def _owner_is_gone(folder: Path) -> bool:
    """Whether ``folder`` is a private folder whose owner process has ended (its lock is free)."""
    if folder.is_symlink() or not (folder / OWNER).is_file() or fcntl is None:
        return False
    try:
        handle = os.open(folder / OWNER, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return False
    os.close(handle)
    return True


def remove_stale(parent: str | os.PathLike[str], prefix: str) -> list[Path]:
    """Remove the private folders ``<parent>/<prefix>*`` whose owner process has ended; returns them.

    Only folders made by :func:`private_folder` (they hold its owner file) are
    considered, and only those whose owner's ``flock`` is free."""
    removed: list[Path] = []
    try:
        children = list(Path(parent).glob(f"{prefix}*"))
    except OSError:
        return removed
    for child in children:
        if child.is_dir() and _owner_is_gone(child):
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


@contextmanager
def private_folder(parent: str | os.PathLike[str] | None = None, prefix: str = "gdscenes-") -> Iterator[Path]:
    """A new folder ``<parent>/<prefix>XXXX`` (``parent``: the system's temporary folder) owned by
    this process, removed with everything in it when the block ends (also on Ctrl-C and SIGTERM).

    Folders of the same prefix left by processes that were killed are removed first."""
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    remove_stale(where, prefix)
    for attempt in range(3):  # (another process may remove an empty parent meanwhile)
        make_folder(where)
        try:
            folder = Path(tempfile.mkdtemp(prefix=prefix, dir=where))
            break
        except FileNotFoundError:
            if attempt == 2:
                raise OutputError(f"cannot create a folder in {where}: it keeps disappearing") from None
        except OSError as error:
            raise OutputError(f"cannot create a folder in {where}: {error.strerror or error}") from None
    handle = -1
    try:
        # the owner file appears already locked: a cleaner never sees it unlocked while we live
        handle, temp = tempfile.mkstemp(prefix=".owner-", dir=folder)
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.replace(temp, folder / OWNER)
    except OSError as error:
        if handle >= 0:
            os.close(handle)
        shutil.rmtree(folder, ignore_errors=True)
        raise OutputError(explain(error, folder)) from None
    _LIVE.add(folder)
    try:
        yield folder
    finally:
        _LIVE.discard(folder)
        shutil.rmtree(folder, ignore_errors=True)
        os.close(handle)


class RefusedFile(ValueError):
    """A file that :func:`read_regular_text` will not read; the message is the reason, without the name
    (``"is a FIFO; allowed: a regular file"``), for the caller to put after its own words for the file."""


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return (error.strerror or str(error) or type(error).__name__).lower()


def _check_regular(info: os.stat_result, limit: int) -> None:
    kind = _kind(info.st_mode)
    if kind == "a directory":
        raise RefusedFile("is a folder; allowed: a regular file")
    if kind:
        raise RefusedFile(f"is {kind}; allowed: a regular file")
    if info.st_size > limit:
        raise RefusedFile(f"is larger than {limit} bytes ({info.st_size}); allowed: at most {limit}")


def read_regular_text(path: str | os.PathLike[str], limit: int, encoding: str = "utf-8") -> str:
    """The text of the regular file ``path``, at most ``limit`` bytes; :class:`RefusedFile` otherwise.

    A folder, FIFO, socket or device is refused without being opened for
    reading (a FIFO would block, ``/dev/zero`` never ends), and so is a loop of
    symbolic links; the file is checked again once open (it may have been
    swapped since), and read no further than one byte over ``limit``.
    """
    name = os.fspath(path)
    try:
        _check_regular(os.stat(name), limit)
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise RefusedFile("does not exist") from None
    except OSError as error:
        raise RefusedFile(f"cannot be read: {_reason(error)}") from None
    try:
        _check_regular(os.fstat(fd), limit)
        data = read_at_most(fd, limit)
    except OSError as error:
        raise RefusedFile(f"cannot be read: {_reason(error)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise RefusedFile(f"is larger than {limit} bytes; allowed: at most {limit}")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise RefusedFile(f"is not UTF-8 text (byte {error.start})") from None


def read_at_most(fd: int, limit: int) -> bytes:
    """The bytes of open file ``fd``, read until its end or until more than ``limit`` came
    (so a caller sees a file over its limit without reading it whole: ``len(result) > limit``)."""
    chunks, size = [], 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 16, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


# -- signals -------------------------------------------------------------------------
class Terminated(SystemExit):
    """SIGTERM, raised in the main thread so that ``finally`` blocks clean up; exits with status 143."""


_UNWINDING = threading.Event()


def _raise_terminated(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # (once: the unwinding is not interrupted again)
    _UNWINDING.set()
    try:  # (os.write: the main thread may be inside a write to sys.stderr)
        os.write(2, b"\ngdscenes: terminated; finished outputs are kept\n")
    except OSError:
        pass
    raise Terminated(128 + signum)


def exit_stopped(status: int, *streams: TextIO | None) -> NoReturn:
    """End a process that was stopped (Ctrl-C, SIGTERM) once its ``finally`` blocks have cleaned up:
    flush ``streams`` (and stdout, stderr), then exit at once. manim's movie encoder thread (not a daemon)
    may be left waiting for frames, and the interpreter would wait for it at exit."""
    for stream in (*streams, sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(status)


def terminating() -> bool:
    """Whether a SIGTERM has been received inside :func:`signals_unwind` (true until the block ends, even if
    the :class:`Terminated` it raised was swallowed on the way, e.g. by a ``__del__``)."""
    return _UNWINDING.is_set()


_INTERRUPTED = threading.Event()


def _raise_interrupt(signum: int, frame: object) -> None:
    _INTERRUPTED.set()
    raise KeyboardInterrupt


def stop_if_asked() -> None:
    """Raise what a Ctrl-C or SIGTERM received inside :func:`signals_unwind` raised, if it was swallowed on the
    way (raised inside a finalizer or a weak reference's callback during a garbage collection, Python prints
    "Exception ignored" and goes on): before a render publishes its output, and while a ``--watch`` waits."""
    if _UNWINDING.is_set():
        raise Terminated(143)
    if _INTERRUPTED.is_set():
        raise KeyboardInterrupt


@contextmanager
def signals_unwind() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (a ``SystemExit``) like Ctrl-C raises
    ``KeyboardInterrupt``, so temporary folders and child processes are cleaned up on the way out. Both
    are also remembered (:func:`terminating`, :func:`stop_if_asked`), for when the exception is swallowed.

    Only in the main thread, and only where SIGTERM still has its default action (Ctrl-C: Python's)."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    interrupt = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if interrupt:
        signal.signal(signal.SIGINT, _raise_interrupt)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGTERM) == _raise_terminated or _UNWINDING.is_set():
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if interrupt and signal.getsignal(signal.SIGINT) is _raise_interrupt:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        _UNWINDING.clear()
        _INTERRUPTED.clear()


def die_with_parent(parent: int | None) -> None:
    """Ask Linux to kill this process when the thread that started it ends (``prctl(PR_SET_PDEATHSIG)``,
    SIGKILL: a parent that ends in order stops its children itself first, so this only fires after the
    parent was killed; the private folders left then are removed by the next run); exit at once if that
    parent (pid ``parent``) is already gone."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        raise Terminated(143)
