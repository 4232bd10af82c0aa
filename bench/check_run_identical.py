"""Before/after check: every optimizer's run() on a few losses gives bit-identical trajectories.

    python bench/check_run_identical.py save  REF.npz    # on the old code
    python bench/check_run_identical.py check REF.npz    # on the new code
"""

from __future__ import annotations

import sys

import numpy as np

from gdscenes.core.losses import LIBRARY
from gdscenes.core.optimizers import OPTIMIZERS
from gdscenes.core.runner import run

LOSSES = ["himmelblau", "rosenbrock", "rastrigin", "saddle", "ill_conditioned", "beale"]


def cases():
    names = [n for n in LOSSES if n in LIBRARY] or list(LIBRARY)[:5]
    rng = np.random.default_rng(7)
    for ln in names:
        loss = LIBRARY[ln]
        (x0, x1), (y0, y1) = loss.domain
        starts = np.column_stack([rng.uniform(x0, x1, 9), rng.uniform(y0, y1, 9)])
        for opt in OPTIMIZERS:
            for lr in (None, 0.05, 3.0):  # 3.0 makes several diverge
                yield f"{ln}/{opt}/{lr}/plain", dict(loss=loss, optimizer=opt, start=starts, lr=lr, steps=60)
            yield f"{ln}/{opt}/tol", dict(loss=loss, optimizer=opt, start=starts, lr=0.02, steps=80, tol=1e-1)
            yield f"{ln}/{opt}/noise", dict(loss=loss, optimizer=opt, start=starts, lr=0.02, steps=40, noise=0.5, seed=3)
            yield f"{ln}/{opt}/single", dict(loss=loss, optimizer=opt, lr=0.01, steps=30)


def flatten(tr):
    out = {"points": tr.points, "losses": tr.losses, "gradients": tr.gradients, "updates": tr.updates,
           "status": tr.status.astype("U9"), "stop_step": tr.stop_step}
    out.update({f"state.{k}": v for k, v in tr.state.items()})
    out.update({f"internals.{k}": v for k, v in tr.internals.items()})
    return out


def main() -> int:
    mode, path = sys.argv[1], sys.argv[2]
    arrays = {}
    for key, kw in cases():
        for name, arr in flatten(run(**kw)).items():
            arrays[f"{key}|{name}"] = arr
    if mode == "save":
        np.savez_compressed(path, **arrays)
        print(f"saved {len(arrays)} arrays")
        return 0
    ref = np.load(path)
    bad = []
    if set(ref.files) != set(arrays):
        bad.append(f"keys differ: {sorted(set(ref.files) ^ set(arrays))[:5]}")
    for k in ref.files:
        if k in arrays:
            a, b = ref[k], arrays[k]
            if a.shape != b.shape or a.dtype.kind != b.dtype.kind or a.tobytes() != np.ascontiguousarray(b, a.dtype).tobytes():
                bad.append(k)
    print(f"compared {len(ref.files)} arrays: {len(bad)} differ")
    for k in bad[:20]:
        print("  ", k)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
