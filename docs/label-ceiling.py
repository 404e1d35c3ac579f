#!/usr/bin/env python3
"""How far structure predicts the per-atom mean E_act, and what more searches per atom would buy.

The activation labels are tails of a per-atom mean over a few converged searches. This script separates what limits
their AUC into the labels' noise (too few searches per atom) and the structure-barrier link itself:

1. Per-atom means of the converged searches (atoms with at least MIN_EVENTS), pooled over the annealed glasses as the
   demo pools them; the within-atom variance of E_act (pooled over atoms) gives the noise of each mean, hence the
   labels' reliability R (true variance / observed variance).
2. Cross-validated gradient-boosted regression (xgboost, the demo's 300 trees of depth 2, rate 0.1; 5 folds x 3) from
   the interstice features to the per-atom mean: r, the out-of-fold correlation with the measured mean, and
   rho = r / sqrt(R), the correlation with the true (infinitely searched) mean. The out-of-fold predictions also
   score the H-Eact / L-Eact tails (top / bottom TAIL of the pooled means) directly.
3. A binormal model of prediction and label turns a correlation c into a tail AUC; at today's searches it is checked
   against the measured AUCs, then projected: c = rho sqrt(R_n) for n converged searches per atom, and the rho the
   paper's 0.942 / 0.888 would need.
4. The same at a matched number of atoms and searches on the 1e13 K/s glasses without anneal (version 1 of the
   search) against random draws of the annealed glasses' atoms: what the anneal changed.

Usage, from the repository's root (runs `./softspot featurize` into OUT_DIR the first time; about a minute on one core):

    python3 docs/label-ceiling.py OUT_DIR
"""
import csv, os, subprocess, sys

import numpy as np
import xgboost
from scipy.stats import rankdata

ANNEALED = ["Cu64Zr36-annealed", "Cu50Zr50-annealed"]   # frames 0 and 1, in the order of the demo
QUENCHED = ["Cu64Zr36", "Cu50Zr50"]                     # 1e13 K/s, no anneal (events of search version 1)
MIN_EVENTS, TAIL, SEED = 5, 0.05, 2019
PAPER = {"H-Eact": 0.942, "L-Eact": 0.888}
rng = np.random.default_rng(SEED)


def features(out_dir, names, tag):
    """Interstice features of the glasses (frame k = names[k]): ids by frame, and the feature matrix."""
    path = f"{out_dir}/interstice-{tag}.csv"
    if not os.path.exists(path):
        subprocess.run(["./softspot", "featurize", *[f"data/glasses/{n}/glass.dump.gz" for n in names], "--out", path],
                       check=True, stdout=subprocess.DEVNULL)
    with open(path) as f:
        r = csv.reader(f)
        next(r)  # the header
        rows = list(r)
    keys = [(int(x[0]), int(x[1])) for x in rows]
    return {k: i for i, k in enumerate(keys)}, np.array([[float(v) for v in x[4:]] for x in rows])


def searches(names):
    """Converged E_act of every atom, in the order of its attempts: {(frame, id): [eV, ...]}."""
    out = {}
    for frame, name in enumerate(names):
        rows = [r for r in csv.DictReader(open(f"data/glasses/{name}/art/events.csv")) if r["converged"] == "1"]
        rows.sort(key=lambda r: (int(r["atom_id"]), int(r["attempt"])))
        for r in rows:
            out.setdefault((frame, int(r["atom_id"])), []).append(float(r["eact"]))
    return out


def reliability(lists):
    """(pooled within-atom variance of one search's E_act, true variance of the per-atom mean, reliability of the means)."""
    means = np.array([np.mean(v) for v in lists])
    within = sum(((np.array(v) - np.mean(v)) ** 2).sum() for v in lists) / sum(len(v) - 1 for v in lists)
    noise = np.mean([within / len(v) for v in lists])
    true = means.var() - noise
    return within, true, true / means.var()


def auc(score, positive):
    """Area under the ROC curve (Mann-Whitney, ties averaged)."""
    ranks, n1 = rankdata(score), positive.sum()
    return (ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * (len(score) - n1))


def out_of_fold(x, y, repeats=3, folds=5):
    """Out-of-fold predictions of the per-atom mean, averaged over repeats of a shuffled k-fold split."""
    pred = np.zeros(len(y))
    for _ in range(repeats):
        fold = rng.permutation(len(y)) % folds
        for k in range(folds):
            model = xgboost.XGBRegressor(n_estimators=300, max_depth=2, learning_rate=0.1, n_jobs=1,
                                         random_state=int(rng.integers(1 << 30)))
            model.fit(x[fold != k], y[fold != k])
            pred[fold == k] += model.predict(x[fold == k]) / repeats
    return pred


def scores(x, lists):
    """(r, tail AUCs of the regression's out-of-fold predictions) for per-atom means of the given searches."""
    y = np.array([np.mean(v) for v in lists])
    p = out_of_fold(x, y)
    high, low = y >= np.quantile(y, 1 - TAIL), y <= np.quantile(y, TAIL)
    return np.corrcoef(p, y)[0, 1], auc(p, high), auc(-p, low)


# the binormal model: the tail AUC of a score correlated c with the label, on common random numbers
_z, _e = rng.standard_normal(400_000), rng.standard_normal(400_000)
_top = _z >= np.quantile(_z, 1 - TAIL)


def binormal_auc(c):
    return auc(c * _z + np.sqrt(1 - c * c) * _e, _top)


def binormal_c(target):
    lo, hi = 0.0, 0.999
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if binormal_auc(mid) < target else (lo, mid)
    return (lo + hi) / 2


out_dir = sys.argv[1] if len(sys.argv) > 1 else "label-ceiling"
os.makedirs(out_dir, exist_ok=True)

index, x_all = features(out_dir, ANNEALED, "annealed")
per_atom = {k: v for k, v in searches(ANNEALED).items() if len(v) >= MIN_EVENTS}
keys = sorted(per_atom)
lists = [per_atom[k] for k in keys]
x = x_all[[index[k] for k in keys]]
n_mean = np.mean([len(v) for v in lists])
within, true, rel = reliability(lists)
r, auc_h, auc_l = scores(x, lists)
rho = r / np.sqrt(rel)
print(f"annealed glasses: {len(keys)} atoms with >= {MIN_EVENTS} converged searches ({n_mean:.1f} on average); one search's "
      f"E_act scatters by {np.sqrt(within):.3f} eV around its atom's mean, the true means by {np.sqrt(true):.3f} eV: "
      f"reliability of the means R = {rel:.2f}")
print(f"interstice regression (out of fold): r = {r:.3f} with the measured mean, rho = r / sqrt(R) = {rho:.3f} with the true mean")
print(f"its out-of-fold predictions score H-Eact {auc_h:.3f}, L-Eact {auc_l:.3f}; the binormal model at c = r gives "
      f"{binormal_auc(r):.3f}")

half = [v[: len(v) // 2] for v in lists]
r_half, auc_h_half, auc_l_half = scores(x, half)
_, _, rel_half = reliability([v for v in half if len(v) >= 2])
print(f"check, the first half of each atom's searches: R = {rel_half:.2f}, r = {r_half:.3f}, rho = {r_half / np.sqrt(rel_half):.3f}; "
      f"tails {auc_h_half:.3f} / {auc_l_half:.3f}, the binormal model at c = r gives {binormal_auc(r_half):.3f}")

curve = []
for share in [0.25, 0.5]:
    rs = []
    for _ in range(3):
        pick = rng.choice(len(keys), int(share * len(keys)), replace=False)
        rs.append(scores(x[pick], [lists[i] for i in pick])[0])
    curve.append((share, np.mean(rs)))
curve.append((1.0, r))
slope = np.polyfit(np.log2([s for s, _ in curve]), [v for _, v in curve], 1)[0]
print("atoms x " + ", ".join(f"{s:g}: r = {v:.3f}" for s, v in curve) + f"  (+{slope:.3f} in r per doubling of the atoms)")

print("\nprojection (binormal, this rho, these atoms): converged searches per atom -> reliability, c, tail AUC")
for n in [round(n_mean, 1), 10, 20, 50, np.inf]:
    r_n = true / (true + within / n)
    print(f"  {n:>5}: R = {r_n:.2f}, c = {rho * np.sqrt(r_n):.3f}, AUC {binormal_auc(rho * np.sqrt(r_n)):.3f}")
for task, target in PAPER.items():
    c = binormal_c(target)
    r50 = true / (true + within / 50)
    print(f"  the paper's {task} {target}: c = {c:.3f}, i.e. rho = {c / np.sqrt(r50):.3f} at 50 searches per atom "
          f"with this scatter (rho <= 1: {'possible' if c / np.sqrt(r50) <= 1 else 'impossible'})")

# what the anneal changed: the same numbers on the 1e13 K/s glasses without anneal, at a matched number of atoms and
# searches (the first MIN_EVENTS converged searches of each atom), against random draws of the annealed atoms
index_q, xq_all = features(out_dir, QUENCHED, "1e13")
quenched = {k: v[:MIN_EVENTS] for k, v in searches(QUENCHED).items() if len(v) >= MIN_EVENTS}
kq = sorted(quenched)
lq = [quenched[k] for k in kq]
xq = xq_all[[index_q[k] for k in kq]]
_, _, rel_q = reliability(lq)
rq = scores(xq, lq)
print(f"\n1e13 K/s glasses without anneal (search version 1): {len(kq)} atoms, first {MIN_EVENTS} converged searches each: "
      f"R = {rel_q:.2f}, r = {rq[0]:.3f}, rho = {rq[0] / np.sqrt(rel_q):.3f}, tails {rq[1]:.3f} / {rq[2]:.3f}")
draws = []
for _ in range(10):
    pick = rng.choice(len(keys), len(kq), replace=False)
    sub = [lists[i][:MIN_EVENTS] for i in pick]
    _, _, rel_a = reliability(sub)
    ra = scores(x[pick], sub)
    draws.append((rel_a, ra[0], ra[0] / np.sqrt(rel_a), ra[1], ra[2]))
d = np.array(draws)
print(f"annealed glasses, 10 draws of {len(kq)} atoms, first {MIN_EVENTS} converged searches each: "
      f"R = {d[:, 0].mean():.2f} +- {d[:, 0].std():.2f}, r = {d[:, 1].mean():.3f} +- {d[:, 1].std():.3f}, "
      f"rho = {d[:, 2].mean():.3f} +- {d[:, 2].std():.3f}, tails {d[:, 3].mean():.3f} / {d[:, 4].mean():.3f}")
