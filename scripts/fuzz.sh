#!/usr/bin/env bash
# Runs Kith's fuzz targets (fuzz/, cargo fuzz) for SECONDS each, from the committed seeds
# in fuzz/seeds/TARGET plus whatever earlier runs left in fuzz/corpus/TARGET (not in git).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 20 s, every target
#
# Installs what it needs when missing (idempotent): the nightly toolchain (libFuzzer's
# instrumentation needs it) and cargo-fuzz. Built without a sanitizer (`-s none`): the code
# the targets reach has no `unsafe` (the one mmap is bypassed: models are read from bytes),
# so AddressSanitizer would find nothing a panic does not, at half the executions; debug
# assertions and overflow checks stay on. A crash stops the run with a non-zero status and
# leaves the input in fuzz/artifacts/TARGET/ (rerun it: cargo +nightly fuzz run -s none
# TARGET fuzz/artifacts/TARGET/crash-...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"

SECONDS_PER_TARGET="${1:-20}"
shift || true

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build -s none
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    # -timeout: an input that takes 30 s is a finding (the readers and the pipeline are
    # linear); -rss_limit_mb: so is one that needs 2 GB.
    if ! cargo +nightly fuzz run -s none "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=30 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    echo "fuzz: $target: ${runs:-?} executions in ${SECONDS_PER_TARGET} s, no failure"
done
