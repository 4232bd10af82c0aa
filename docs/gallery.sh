#!/usr/bin/env bash
# Re-make the README's gallery: the last frame of every registered scene, rendered
# with the default renderer at 1920x1080, as a 256-colour PNG in docs/img/.
#
#   bash docs/gallery.sh            every scene
#   bash docs/gallery.sh race saddle  only these
set -euo pipefail
cd "$(dirname "$0")/.."
GD=.venv/bin/gdscenes
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if (($# == 0)); then
  mapfile -t names < <(.venv/bin/python -c 'from gdscenes.scenes.registry import SCENES; print("\n".join(SCENES))')
else
  names=("$@")
fi
# Lessons whose last frame shows only the converged end (tiny arrows, "-" rows) are shown mid-run.
declare -A AT=([momentum-inertia]=12 [adam-preconditioner]=12 [derivation]=10)
for name in "${names[@]}"; do
  at=${AT[$name]:-last}
  "$GD" export "$name" -q h --still "$at" --media-dir "$OUT" >"$OUT/log" 2>&1 || { cat "$OUT/log"; exit 1; }
  if [[ $at == last ]]; then still="$OUT/videos/${name}_last.png"; else still="$OUT/videos/${name}_t${at}.png"; fi
  ffmpeg -loglevel error -y -i "$still" -vf "split[a][b];[a]palettegen=max_colors=256[p];[b][p]paletteuse=dither=none" \
    "docs/img/${name//-/_}.png"
  echo "docs/img/${name//-/_}.png"
done
