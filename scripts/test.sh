#!/usr/bin/env bash
# The one test command: installs the real consumers, runs the Rust tests, builds the
# release binary and feeds its exports to the consumers (tests/consumers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "installing test dependencies"
bash scripts/install-test-deps.sh

step "cargo test --workspace --release"
cargo test --workspace --release

step "cargo build --release"
cargo build --release

step "consumer tests (pytest tests/consumers)"
export KITH_BIN="${KITH_BIN:-$ROOT/target/release/kith}"
PYTHONDONTWRITEBYTECODE=1 .venv/bin/pytest -p no:cacheprovider tests/consumers -q

step "Spark job tests (pytest tests/spark: pyspark local mode)"
SPARK_LOCAL_IP=127.0.0.1 PYTHONDONTWRITEBYTECODE=1 .venv/bin/pytest -p no:cacheprovider tests/spark -q
