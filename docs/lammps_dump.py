"""The first frame of a LAMMPS dump (plain or gzipped) for the analysis scripts in docs/."""
import gzip


def read(path):
    """(bounds: [(lo, hi)] x 3, triclinic: bool, columns: the ATOMS header's names, rows: each atom's fields as text)."""
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        lines = f.read().split("\n")
    n = int(lines[lines.index("ITEM: NUMBER OF ATOMS") + 1])
    b = next(k for k, l in enumerate(lines) if l.startswith("ITEM: BOX BOUNDS"))
    bounds = [tuple(map(float, lines[b + 1 + d].split()[:2])) for d in range(3)]
    a = next(k for k, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
    return bounds, len(lines[b].split()) > 6, lines[a].split()[2:], [l.split() for l in lines[a + 1:a + 1 + n]]
