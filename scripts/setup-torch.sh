#!/usr/bin/env bash
# libtorch 2.4.0 for the `transformer` feature (rust-bert 0.23 -> tch 0.17 -> libtorch 2.4.0).
#
# The only libtorch source reachable here is PyPI's torch==2.4.0 (the CUDA build: ~2.6 GB
# to download, ~5 GB installed; it runs on CPU). This script installs it into a cached
# virtual environment OUTSIDE the repository and reuses it when it is already there, so a
# second run takes well under a second.
#
#   bash scripts/setup-torch.sh                 # install if needed, print the environment
#   eval "$(bash scripts/setup-torch.sh)"       # ... and apply it to this shell
#
# Environment: KITH_TORCH_VENV (default ~/.cache/kith/torch-2.4.0), PYTHON (default python3).
# Progress goes to stderr; stdout holds only the `export` lines to evaluate.
set -euo pipefail

_kith_torch_version="2.4.0"
_kith_torch_venv="${KITH_TORCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/kith/torch-$_kith_torch_version}"
_kith_python="${PYTHON:-python3}"

_kith_have_torch() {
    [ -x "$_kith_torch_venv/bin/python" ] &&
        [ "$("$_kith_torch_venv/bin/python" -c 'import torch; print(torch.__version__.split("+")[0])' 2>/dev/null)" = "$_kith_torch_version" ]
}

if _kith_have_torch; then
    echo "setup-torch: reusing torch $_kith_torch_version in $_kith_torch_venv" >&2
else
    echo "setup-torch: installing torch==$_kith_torch_version into $_kith_torch_venv (about 2.6 GB, once)" >&2
    mkdir -p "$(dirname "$_kith_torch_venv")"
    [ -x "$_kith_torch_venv/bin/python" ] || "$_kith_python" -m venv "$_kith_torch_venv"
    "$_kith_torch_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "torch==$_kith_torch_version" >&2
    _kith_have_torch || { echo "setup-torch: torch $_kith_torch_version still not importable from $_kith_torch_venv" >&2; exit 1; }
fi

# tch's build script asks this python for libtorch's location (LIBTORCH_USE_PYTORCH=1);
# the binary then finds libtorch through an rpath (crates/kith-transformer/build.rs).
printf 'export LIBTORCH_USE_PYTORCH=1\n'
printf 'export KITH_TORCH_VENV=%q\n' "$_kith_torch_venv"
printf 'export PATH=%q:"$PATH"\n' "$_kith_torch_venv/bin"
