#!/usr/bin/env bash
# Set-up and the two everyday commands, idempotent, for a fresh Debian 12 machine.
#
#   bash dev.sh render   install what is missing, then render the default scene into media/
#   bash dev.sh test     install what is missing, then lint (ruff), check types (mypy) and run the test suite
#   bash dev.sh setup    only install what is missing
#
# Each step is skipped when its result is already there: Debian packages are
# checked with dpkg, the virtual environment (.venv) by a stamp holding the
# hash of pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
  build-essential pkg-config python3-dev python3-venv   # compile pycairo and ManimPango
  libcairo2-dev libpango1.0-dev                          # manim's Cairo renderer and text
  ffmpeg                                                 # video encoding, frame extraction
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm cm-super  # MathTex
  libegl1 libegl-mesa0 libgl1-mesa-dri libgl1            # headless OpenGL (Mesa llvmpipe)
  chromium chromium-driver                               # tests: the HTML slide presenter in headless Chromium
)
VENV=.venv
PY=$VENV/bin/python

say() { printf '\033[1m[gdscenes]\033[0m %s\n' "$*" >&2; }

install_debian_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    [[ $p == \#* ]] && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then return; fi
  local sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_for_venv() {
  # Python >= 3.11 (manim 0.22 needs it); Debian 12's python3 is 3.11.
  for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return
    fi
  done
  say "no Python >= 3.11 found"; exit 1
}

install_venv() {
  local stamp=$VENV/.gdscenes-stamp want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [[ -x $PY && -f $stamp && $(cat "$stamp") == "$want" ]]; then return; fi
  if [[ ! -x $PY ]]; then
    say "creating $VENV"
    "$(python_for_venv)" -m venv "$VENV"
  fi
  say "installing gdscenes (editable) with its test and distributed extras into $VENV"
  "$PY" -m pip install -q --upgrade pip >/dev/null
  "$PY" -m pip install -q -e '.[test,distributed]'
  echo "$want" >"$stamp"
}

setup() {
  install_debian_packages
  install_venv
}

case "${1:-}" in
  setup) setup ;;
  render) setup; shift; exec "$VENV/bin/gdscenes" render descent "$@" ;;
  test) setup; shift
    say "ruff (lint)"; "$PY" -m ruff check src tests bench scenes
    say "mypy (types: strict on core and display, see pyproject.toml)"; "$PY" -m mypy
    # two worker processes; each test module stays in one (its module fixtures render once)
    exec "$PY" -m pytest -n "${GDSCENES_TEST_WORKERS:-2}" --dist loadscope "$@" ;;
  *) echo "usage: bash dev.sh {render|test|setup} [extra arguments]" >&2; exit 2 ;;
esac
