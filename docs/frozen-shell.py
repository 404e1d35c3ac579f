#!/usr/bin/env python3
"""Does the frozen shell of the ART searches decide the activation labels? The same new searches with 13 and 20 A
mobile regions, around the H-Eact and L-Eact atoms of the annealed Cu64Zr36 glass and as many others.

From the repository's root:

    ./softspot label activation --events data/glasses/Cu64Zr36-annealed/art/events.csv data/glasses/Cu50Zr50-annealed/art/events.csv --out OUT/labels.csv
    python3 docs/frozen-shell.py prepare OUT     # OUT/x8.dump (the glass replicated 2 x 2 x 2: a 20 A region fits) and OUT/ids.txt
    for r in 13 20; do
      ./softspot simulate art --structure OUT/x8.dump --elements Cu,Zr --potential CuZr_mm.eam.fs --atoms $(cat OUT/ids.txt) \
          --searches 2 --seed 777 --mobile-radius $r --threads 1 --out OUT/r$r.csv
    done
    python3 docs/frozen-shell.py compare OUT     # also on a partial r20.csv (attempt 0 of every atom comes first)

Seed 777 is not the campaign's, so these searches are new to the labels; the same seed at both radii gives the same
initial pushes (each search's seed depends on the run's seed and the search id), so the two runs compare push by push.
"""
import csv, os, random, sys

import numpy as np

import lammps_dump

GLASS = "data/glasses/Cu64Zr36-annealed/glass.dump.gz"   # frame 0 of the labels


def prepare(out):
    bounds, triclinic, cols, atoms = lammps_dump.read(GLASS)
    if triclinic:
        sys.exit(f"{GLASS}: a triclinic box; this script replicates orthogonal ones")
    n = len(atoms)
    ci, cx = cols.index("id"), [cols.index(c) for c in "xyz"]
    length = [hi - lo for lo, hi in bounds]
    rows = ["ITEM: TIMESTEP", "0", "ITEM: NUMBER OF ATOMS", str(8 * n), "ITEM: BOX BOUNDS pp pp pp"]
    rows += [f"{lo!r} {lo + 2 * L!r}" for (lo, _), L in zip(bounds, length)]
    rows.append("ITEM: ATOMS " + " ".join(cols))
    for image, shift in enumerate((i, j, k) for i in range(2) for j in range(2) for k in range(2)):
        for p in atoms:      # image 0 keeps the ids of the glass, so the labels' atoms are searched in it
            q = list(p)
            q[ci] = str(int(p[ci]) + image * n)
            for d in range(3):
                q[cx[d]] = repr(float(p[cx[d]]) + shift[d] * length[d])
            rows.append(" ".join(q))
    with open(f"{out}/x8.dump", "w") as f:
        f.write("\n".join(rows) + "\n")
    labels = [r for r in csv.DictReader(open(f"{out}/labels.csv")) if r["frame"] == "0" and r["h_eact"] != ""]
    high = [int(r["id"]) for r in labels if r["h_eact"] == "1"]
    low = [int(r["id"]) for r in labels if r["l_eact"] == "1"]
    middle = sorted(random.Random(7).sample([int(r["id"]) for r in labels if r["h_eact"] == "0" and r["l_eact"] == "0"], len(low)))
    with open(f"{out}/groups.csv", "w") as f:
        f.write("id,group\n" + "".join(f"{i},{g}\n" for g, ids in (("H", high), ("L", low), ("other", middle)) for i in ids))
    with open(f"{out}/ids.txt", "w") as f:
        f.write(",".join(map(str, sorted(high + low + middle))))
    print(f"{out}/x8.dump: {8 * n} atoms; {len(high)} H-Eact, {len(low)} L-Eact and {len(middle)} other atoms in {out}/ids.txt")


def compare(out):
    group = {int(r["id"]): r["group"] for r in csv.DictReader(open(f"{out}/groups.csv"))}
    label = {int(r["id"]): float(r["eact_mean"]) for r in csv.DictReader(open(f"{out}/labels.csv")) if r["frame"] == "0" and r["eact_mean"]}
    runs = {}
    for radius in (13, 20):
        path = f"{out}/r{radius}.csv"
        if not os.path.exists(path):
            continue
        runs[radius] = {int(r["search"]): (int(r["atom_id"]), float(r["eact"])) for r in csv.DictReader(open(path)) if r["converged"] == "1"}
        total = sum(1 for _ in open(path)) - 1
        print(f"{radius} A: {total} searches, {len(runs[radius])} converged")
        for g in ("H", "other", "L"):
            e = np.array([x for a, x in runs[radius].values() if group[a] == g])
            print(f"  {g:5s}: {len(e):3d} saddles, mean E_act {e.mean():.3f} +- {e.std() / np.sqrt(len(e)):.3f} eV, median {np.median(e):.3f}")
        pairs = np.array([(label[a], x) for a, x in runs[radius].values() if a in label])
        print(f"  Pearson r between an atom's label mean and one new search: {np.corrcoef(pairs.T)[0, 1]:.3f}")
    if len(runs) == 2:
        both = [s for s in runs[20] if s in runs[13]]
        e = np.array([(runs[13][s][1], runs[20][s][1]) for s in both])
        print(f"pushes converged at both radii: {len(both)}; Pearson r {np.corrcoef(e.T)[0, 1]:.3f}; median E_act 13 A {np.median(e[:, 0]):.3f}, "
              f"20 A {np.median(e[:, 1]):.3f} eV; within 0.05 eV of each other: {np.mean(np.abs(e[:, 0] - e[:, 1]) < 0.05):.0%}")


if len(sys.argv) != 3 or sys.argv[1] not in ("prepare", "compare"):
    sys.exit(__doc__)
os.makedirs(sys.argv[2], exist_ok=True)
(prepare if sys.argv[1] == "prepare" else compare)(sys.argv[2])
