#!/usr/bin/env python3
"""The README's result tables (Table 1 beside the paper, the transfers, the diagnostics) from a demo's results.json.

Usage, from the repository's root, after `./softspot demo`:
    python3 docs/results-tables.py softspot-demo
"""
import json, re, sys

out = sys.argv[1] if len(sys.argv) > 1 else "softspot-demo"
r = json.load(open(f"{out}/results.json", encoding="utf-8"))
md = open(f"{out}/results.md", encoding="utf-8").read()
paper_features = dict(re.findall(r"^\| ([a-z+-]+) \| \d+ \|.*\((\d+(?: \+ \d+)?)\) \|$", md, re.M))
rows = r["rows"]


def row(task, rep):
    return next((x for x in rows if x["task"] == task and x["representation"] == rep), None)


def auc(mean, std):
    return f"{mean:.3f} ± {std:.3f}"


def score(x):
    return auc(x["roc_auc_mean"], x["roc_auc_std"]) if x else "-"


def paper(x):
    return auc(x["paper_roc_auc_mean"], x["paper_roc_auc_std"]) if x and "paper_roc_auc_mean" in x else "-"


print("| Representation | Features (Softspot / paper) | H-Eact: Softspot | H-Eact: paper | L-Eact: Softspot | L-Eact: paper | Plastic 2 % | Plastic 6 % | Plastic 10 % |")
print("|---|---|---|---|---|---|---|---|---|")
for rep in dict.fromkeys(x["representation"] for x in rows):
    h, l = row("H-Eact", rep), row("L-Eact", rep)
    plastic = " | ".join(score(row(t, rep)) for t in ["Plastic-2%", "Plastic-6%", "Plastic-10%"])
    features = next(x["features"] for x in rows if x["representation"] == rep)
    print(f"| {rep} | {features} / {paper_features.get(rep, '-')} | {score(h)} | {paper(h)} | {score(l)} | {paper(l)} | {plastic} |")
print()
transfer = r["transfer"]
reps = list(dict.fromkeys(x["representation"] for x in transfer))
print("| Model | Trained on | Scored on | Label | " + " | ".join(reps) + " |")
print("|---|---|---|---|" + "---|" * len(reps))
for key in dict.fromkeys((x["task"], x["train"], x["test"], x["label"]) for x in transfer):
    cells = []
    for rep in reps:
        x = next(x for x in transfer if (x["task"], x["train"], x["test"], x["label"]) == key and x["representation"] == rep)
        cells.append(auc(x["roc_auc_mean"], x["roc_auc_std"]) if x.get("roc_auc_mean") is not None else "skipped")
    print(f"| {key[0]} | {key[1]} | {key[2]} | {key[3]} | " + " | ".join(cells) + " |")
print()
diagnostics = r.get("diagnostics") or []
if diagnostics:
    def kind(d):
        return d["kind"] + (f" {d['fraction']:g}" if d.get("fraction") is not None else "")
    columns = list(dict.fromkeys(kind(d) for d in diagnostics))
    names = {"participants": "participants", "blocked": "blocked folds", "participants_blocked": "participants, blocked",
             "fewer_atoms": "atoms x", "fewer_searches": "searches x", "regression": "regression"}
    def title(c):
        k, _, f = c.partition(" ")
        return names.get(k, k) + (f" {f}" if f else "")
    curves = {(c["task"], c["representation"]): c for c in r.get("learning_curve") or []}
    print("| Task | Representation | 3 x 5 protocol | " + " | ".join(title(c) for c in columns) + " | per doubling of atoms |")
    print("|---|---|---|" + "---|" * len(columns) + "---|")
    for key in dict.fromkeys((d["task"], d["representation"]) for d in diagnostics):
        main = next(d["main_roc_auc_mean"] for d in diagnostics if (d["task"], d["representation"]) == key)
        cells = []
        for c in columns:
            d = next((d for d in diagnostics if (d["task"], d["representation"]) == key and kind(d) == c), None)
            cells.append("-" if d is None else (f"{d['roc_auc_mean']:.3f}" if d.get("roc_auc_mean") is not None else "skipped"))
        slope = (curves.get(key) or {}).get("atoms_per_doubling")
        print(f"| {key[0]} | {key[1]} | {main:.3f} | " + " | ".join(cells) + f" | {'-' if slope is None else f'{slope:+.3f}'} |")
    rel = r.get("label_reliability")
    if rel:
        print()
        print(f"Split-half reliability of the per-atom mean E_act: {rel['spearman_brown']:.2f} (r = {rel['half_correlation']:.2f} between "
              f"alternate searches, {rel['atoms']} atoms, {rel['mean_searches']:.1f} converged searches each on average).")
