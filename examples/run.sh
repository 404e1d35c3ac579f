#!/usr/bin/env bash
# Packs the Softspot library (dotnet pack, with its XML documentation), builds the two examples against the package
# only, and runs them on shipped glasses: featurize + label + train + reload + predict on Cu64Zr36, then the softness
# of Cu50Zr50 for OVITO with the saved model. OUT (default: a temporary folder) keeps the package, model and dump.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
# a version of its own, so that NuGet's package cache never serves an older pack under the same number
version="0.1.0-local.$(date +%s%N)"
trap 'rm -rf "$HOME/.nuget/packages/softspot/$version"' EXIT
dotnet pack "$root/src/Softspot" -c Release -o "$out/feed" -p:Version="$version" --nologo -v quiet
for e in FeaturizeAndTrain SoftnessForOvito; do
  dotnet build "$root/examples/$e" -c Release -o "$out/bin/$e" -p:SoftspotVersion="$version" \
    --source "$out/feed" --source https://api.nuget.org/v3/index.json --nologo -v quiet
done
glasses="$root/data/glasses"
dotnet "$out/bin/FeaturizeAndTrain/FeaturizeAndTrain.dll" \
  "$glasses/Cu64Zr36/shear/reference.dump.gz" "$glasses/Cu64Zr36/shear/sheared.dump.gz" "$out/model"
dotnet "$out/bin/SoftnessForOvito/SoftnessForOvito.dll" "$out/model/model.json" "$out/Cu50Zr50-softness.dump" "$glasses/Cu50Zr50/glass.dump.gz"
echo "examples: ok ($out)"
