#!/usr/bin/env python3
"""Where the events found from an atom happen, and what labels from the events centred on it score.

For every converged search of the annealed glasses' campaign (data/glasses/*-annealed/art): the distance from the
initiating atom within which half of the event's saddle displacement squared lies (r50, minimum image, from
events.moved.csv.gz and the glass), and the share of it farther than 10 A (near the 13 A frozen shell). Prints
the E_act of the events by r50 and by that share, and writes centred-labels.csv: H-Eact / L-Eact (top / bottom
5 % of the per-atom mean E_act pooled over both glasses, as `softspot label activation`) from the events with
r50 < 4 A only, for atoms with at least 4 of them. Usage, from the repository's root:

    python3 docs/event-centres.py OUT_DIR
    ./softspot featurize data/glasses/Cu64Zr36-annealed/glass.dump.gz data/glasses/Cu50Zr50-annealed/glass.dump.gz --out OUT_DIR/interstice.csv
    ./softspot train --features OUT_DIR/interstice.csv --labels OUT_DIR/centred-labels.csv --target h_eact --out OUT_DIR/h   # and l_eact
"""
import csv, gzip, os, sys

import numpy as np

import lammps_dump

GLASSES = ["Cu64Zr36-annealed", "Cu50Zr50-annealed"]   # frames 0 and 1, in the order of the demo
CENTRED, MIN_EVENTS, TAIL = 4.0, 4, 0.05


def glass(path):
    """Positions by id and the orthogonal box lengths of a LAMMPS dump."""
    bounds, _, cols, rows = lammps_dump.read(path)
    i, xyz = cols.index("id"), [cols.index(c) for c in "xyz"]
    return {int(p[i]): np.array([float(p[c]) for c in xyz]) for p in rows}, np.array([hi - lo for lo, hi in bounds])


def searches(name):
    """(atom id, E_act, r50, share of displacement^2 beyond 10 A) of every converged search with moved atoms."""
    base = f"data/glasses/{name}/"
    pos, box = glass(base + "glass.dump.gz")
    events = {int(r["search"]): (int(r["atom_id"]), float(r["eact"]))
              for r in csv.DictReader(open(base + "art/events.csv")) if r["converged"] == "1"}
    moved = {}
    with gzip.open(base + "art/events.moved.csv.gz", "rt") as f:
        for r in csv.DictReader(f):
            if int(r["search"]) in events:
                moved.setdefault(int(r["search"]), []).append((int(r["moved_id"]), float(r["saddle_displacement"])))
    out = []
    for s, (atom, eact) in sorted(events.items()):
        m = moved.get(s)
        if not m:
            continue
        d = np.array([pos[i] - pos[atom] for i, _ in m])
        d -= box * np.round(d / box)
        r = np.linalg.norm(d, axis=1)
        w = np.array([u for _, u in m]) ** 2
        order = np.argsort(r)
        half = r[order][np.searchsorted(np.cumsum(w[order]) / w.sum(), 0.5)]
        out.append((atom, eact, half, w[r > 10].sum() / w.sum()))
    return out


out_dir = sys.argv[1] if len(sys.argv) > 1 else "event-centres"
os.makedirs(out_dir, exist_ok=True)
per_atom = {}
for frame, name in enumerate(GLASSES):
    s = searches(name)
    eact = np.array([x[1] for x in s]); r50 = np.array([x[2] for x in s]); far = np.array([x[3] for x in s])
    print(f"{name}: {len(s)} converged searches; r50 10 / 50 / 90 %: {np.percentile(r50, 10):.2f} / {np.median(r50):.2f} / {np.percentile(r50, 90):.2f} A")
    for lo, hi in [(0, 2), (2, 4), (4, 6), (6, np.inf)]:
        sel = (r50 >= lo) & (r50 < hi)
        print(f"  r50 in [{lo}, {hi}) A: {sel.sum():5d} searches ({sel.mean():6.1%}), median E_act {np.median(eact[sel]):.3f} eV")
    sel = far > 0.02
    print(f"  more than 2 % of the displacement^2 beyond 10 A: {sel.sum()} searches ({sel.mean():.1%}), median E_act {np.median(eact[sel]):.3f} eV"
          f" (the others {np.median(eact[~sel]):.3f} eV)")
    for atom, e, half, _ in s:
        if half < CENTRED:
            per_atom.setdefault((frame, atom), []).append(e)

means = {k: np.mean(v) for k, v in per_atom.items() if len(v) >= MIN_EVENTS}
values = np.array(list(means.values()))
high, low = np.quantile(values, 1 - TAIL), np.quantile(values, TAIL)
with open(f"{out_dir}/centred-labels.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["frame", "id", "eact_mean", "events", "h_eact", "l_eact"])
    for (frame, atom), m in sorted(means.items()):
        w.writerow([frame, atom, repr(m), len(per_atom[(frame, atom)]), int(m >= high), int(m <= low)])
print(f"centred labels (r50 < {CENTRED:g} A, atoms with >= {MIN_EVENTS} such events): {len(means)} atoms, "
      f"H-Eact mean E_act >= {high:.3f} eV, L-Eact <= {low:.3f} eV -> {out_dir}/centred-labels.csv")
