#!/usr/bin/env bash
# The README's figures: PNGs of figures of a demo report, rendered by Debian's headless Chromium (the browser the
# tests render reports with). Usage, from the repository's root:
#   ./softspot demo && bash docs/figures/make.sh softspot-demo/report.html
# Each figure is cut out of the report into a page of its own (with the report's styles and, for the 3D view, its
# renderer) and screenshot at the figure's size.
set -euo pipefail
report=${1:-softspot-demo/report.html}
out=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$report" "$work" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
head = html[:html.index("<body>") + len("<body>")]
scripts = "".join(re.findall(r"<script>.*?</script>", html, re.S))
for fid, name in [("auc-H-Eact", "table1-h-eact"), ("roc-H-Eact", "roc-h-eact"), ("eact-spectrum", "eact-spectrum"), ("softness-3d", "softness-3d"),
                  ("qs-auc-strain", "qs-auc-strain"), ("qs-probability", "qs-probability"), ("interp-violins-H-Eact", "interp-violins-h-eact"),
                  ("diagnostics", "diagnostics"), ("learning-curve-atoms", "learning-curve-atoms")]:
    m = re.search(r'<figure id="%s".*?</figure>' % re.escape(fid), html, re.S)
    if not m:
        sys.exit(f"{sys.argv[1]}: no figure {fid} (is it a softspot demo report?)")
    fig = m.group(0)
    size = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', fig) or re.search(r'<canvas width="(\d+)" height="(\d+)"', fig)
    w, h = int(float(size.group(1))) + 40, int(float(size.group(2))) + (200 if fid == "softness-3d" else 150)
    page = head + fig + (scripts if fid == "softness-3d" else "") + "</body></html>"
    open(f"{sys.argv[2]}/{name}.html", "w", encoding="utf-8").write(page)
    open(f"{sys.argv[2]}/{name}.size", "w").write(f"{w},{h}")
PY
for page in "$work"/*.html; do
  name=$(basename "$page" .html)
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$(cat "$work/$name.size")" --screenshot="$out/$name.png" "file://$page" >/dev/null 2>&1
  echo "$out/$name.png"
done
