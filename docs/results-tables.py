#!/usr/bin/env python3
"""The README's two result tables (Table 1 beside the paper, and the transfers) from a demo's results.json.

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
    return next(x for x in rows if x["task"] == task and x["representation"] == rep)


def auc(mean, std):
    return f"{mean:.3f} ± {std:.3f}"


def paper(x):
    return auc(x["paper_roc_auc_mean"], x["paper_roc_auc_std"]) if "paper_roc_auc_mean" in x else "-"


print("| Representation | Features (Softspot / paper) | H-Eact: Softspot | H-Eact: paper | L-Eact: Softspot | L-Eact: paper | Plastic 2 % | Plastic 6 % | Plastic 10 % |")
print("|---|---|---|---|---|---|---|---|---|")
for rep in dict.fromkeys(x["representation"] for x in rows):
    h, l = row("H-Eact", rep), row("L-Eact", rep)
    plastic = " | ".join(auc(row(t, rep)["roc_auc_mean"], row(t, rep)["roc_auc_std"]) for t in ["Plastic-2%", "Plastic-6%", "Plastic-10%"])
    print(f"| {rep} | {h['features']} / {paper_features.get(rep, '-')} | {auc(h['roc_auc_mean'], h['roc_auc_std'])} | {paper(h)} | "
          f"{auc(l['roc_auc_mean'], l['roc_auc_std'])} | {paper(l)} | {plastic} |")
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
