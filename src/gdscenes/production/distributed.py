"""Sweeps on a Dask cluster: ``gdscenes sweep clip.toml --scheduler tcp://host:8786``.

Needs the optional extra (``pip install 'gdscenes[distributed]'``) here and
gdscenes with its system packages (LaTeX, cairo, ffmpeg) on every worker.
Workers need no shared file system: each renders into its own temporary
folder (in a fresh process, as locally) and sends the finished video back;
this machine writes it into the media folder (temporary name, then rename).
dask is imported only when this backend is used.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gdscenes.atomic import replace_into
from gdscenes.production.job import run_isolated
from gdscenes.production.spec import one_line


def remote_render(job: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Run on a worker: render ``job`` in a fresh process; returns its record and its files' bytes."""
    with tempfile.TemporaryDirectory(prefix="gdscenes-worker-") as folder:
        record = run_isolated(dict(job, media_dir=folder))
        files = [record["video"], *record["exports"]]
        return record, {Path(p).name: Path(p).read_bytes() for p in files}


def _write(folder: Path, name: str, data: bytes) -> Path:
    return replace_into(folder / name, lambda temp: temp.write_bytes(data))


class DaskBackend:
    """Runs each job as a task on the cluster at ``address`` (or on a given ``distributed.Client``)."""

    def __init__(self, address: str | None = None, client: Any = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ValueError("--scheduler needs Dask: pip install 'gdscenes[distributed]'") from None
        self.owns_client = client is None
        try:
            self.client = client or Client(address, timeout="10s")
        except OSError as error:
            raise ValueError(f"cannot reach the Dask scheduler {address!r}: {error}") from None
        workers = self.client.scheduler_info().get("workers", {})
        self.parallel = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))

    def results(self, jobs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        try:
            yield from self._results(jobs)
        finally:
            if self.owns_client:
                self.client.close()

    def _results(self, jobs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None, str | None]]:
        from distributed import as_completed

        if not jobs:
            return
        futures = {self.client.submit(remote_render, job, pure=False, key=f"gdscenes-{job['name']}-{id(job)}"): job
                   for job in jobs}
        for future in as_completed(list(futures)):
            job = futures[future]
            try:
                record, files = future.result()
            except Exception as error:  # reported, the others go on
                yield job, None, one_line(error)
                continue
            folder = Path(job["raw"].get("render", {}).get("media_dir", "media")) / "videos"
            folder.mkdir(parents=True, exist_ok=True)
            written = {name: _write(folder, name, data) for name, data in files.items()}
            record = dict(record, video=str(written[Path(record["video"]).name]),
                          exports=[str(written[Path(p).name]) for p in record["exports"]])
            yield job, record, None
