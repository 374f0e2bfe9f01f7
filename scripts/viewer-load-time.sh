#!/usr/bin/env bash
# Time the HTML viewer on a synthetic graph of N entities (default 5000) and 2N relations:
# writes the facts, merges them, exports the page and loads it in headless Chromium
# (tests/consumers/viewer_check.mjs), printing the page size and the load time (from
# navigation until the layout has run). Needs scripts/install-test-deps.sh first.
# Usage: bash scripts/viewer-load-time.sh [N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-5000}"
KITH="${KITH_BIN:-$ROOT/target/release/kith}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 - "$N" >"$WORK/facts.jsonl" <<'PY'
import json, random, sys
n = int(sys.argv[1])
rng = random.Random(7)
kinds = ["Person", "Organization", "Country", "Location", "Event", "Role"]
sentence = "Entity one met entity two in the city."
entities = [{"kind": kinds[i % len(kinds)], "name": f"Entity {i:05d}", "aliases": [],
             "mentions": [{"doc": "synthetic", "sentence": i, "span": {"start": 0, "end": 10},
                           "text": "Entity one", "confidence": 0.9}]} for i in range(n)]
relations = []
for i in range(2 * n):
    # Preferential attachment-ish: a few hubs, many leaves.
    a = rng.randrange(n)
    b = int(rng.paretovariate(1.2)) % n if i % 3 else rng.randrange(n)
    if a == b:
        continue
    relations.append({"subject": a, "object": b, "predicate": ["meet", "works-for", "located-in", "support"][i % 4],
                      "class": None, "polarity": "affirmed", "modality": "asserted", "confidence": 0.7,
                      "evidence": {"doc": "synthetic", "sentence": i % n, "span": {"start": 0, "end": len(sentence)},
                                   "sentence_text": sentence, "confidence": 0.7}})
doc = {"producer": "synthetic", "document": {"id": "synthetic", "source": "synthetic", "chars": 1000, "sentences": 2 * n},
       "entities": entities, "relations": relations}
print(json.dumps(doc))
PY
"$KITH" merge "$WORK/facts.jsonl" -o "$WORK/g.json"
"$KITH" export "$WORK/g.json" --format html -o "$WORK/g.html"
echo "page: $(du -h "$WORK/g.html" | cut -f1)"
(cd "$ROOT/tests/consumers" && node viewer_check.mjs "$WORK/g.html" "$WORK/shot.png") |
    python3 -c 'import json,sys; o=json.load(sys.stdin); print("entities %d, relations %d, console errors %d, load %d ms" % (o["entities"], o["relations"], len(o["errors"]), o["load_ms"]))'
