"""Every ```python snippet of README.md runs (each in a fresh namespace, in an empty folder).

A snippet that must not run is marked by the HTML comment ``<!-- no-test -->``
on the line (or the last non-blank line) before its opening fence.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SKIP = "<!-- no-test -->"


def snippets(text: str) -> list[tuple[int, str]]:
    """``(line, code)`` of every python block not marked :data:`SKIP`."""
    found = []
    for match in FENCE.finditer(text):
        before = [line for line in text[: match.start()].splitlines() if line.strip()]
        if before and before[-1].strip() == SKIP:
            continue
        found.append((text.count("\n", 0, match.start()) + 1, match.group(1)))
    return found


def test_the_extractor_finds_blocks_and_honours_the_marker() -> None:
    text = "a\n```python\nx = 1\n```\n<!-- no-test -->\n\n```python\nraise SystemExit\n```\n```bash\nls\n```\n"
    assert snippets(text) == [(2, "x = 1\n")]


SNIPPETS = snippets(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_snippets() -> None:
    assert len(SNIPPETS) >= 4
    assert any("import gdscenes as gd" in code for _, code in SNIPPETS)


@pytest.mark.render
@pytest.mark.parametrize(("line", "code"), SNIPPETS, ids=[f"README.md:{line}" for line, _ in SNIPPETS])
def test_snippet_runs(line: int, code: str, tmp_path: Path) -> None:
    """Each snippet in a fresh Python, in an empty folder, with the renderer a user gets (OpenGL where it works)."""
    env = {k: v for k, v in os.environ.items() if k != "GDSCENES_RENDERER"}
    done = subprocess.run([sys.executable, "-c", compile_check(code, line)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"README.md:{line}\n{done.stderr[-3000:]}"


def compile_check(code: str, line: int) -> str:
    """``code`` as it runs in the child, its tracebacks naming the README's line."""
    compile(code, f"README.md:{line}", "exec")  # (a syntax error fails here, naming the line)
    return f"exec(compile({code!r}, 'README.md:{line}', 'exec'), {{'__name__': '__main__'}})"
