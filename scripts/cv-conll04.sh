#!/usr/bin/env bash
# 5-fold cross-validation on CoNLL04 train, for choosing relation settings without dev:
# for each fold k (every fifth sentence from the k-th), train the benchmark NER config
# (models/configs/ner-conll04.toml) and the in-memory relation classifier on the other
# four folds, score fold k, and sum the counts. CoNLL04 is research-only: everything is
# written under target/cv-conll04 and nothing is shipped.
#   scripts/cv-conll04.sh [--reuse]     (--reuse keeps the fold NER models of a previous run)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kith=${KITH_BIN:-$root/target/release/kith}
data=${KITH_DATA:-$root/../shared/data}
work=$root/target/cv-conll04
mkdir -p "$work"
python3 - "$data/conll04/conll04_train.json" "$work" <<'PY'
import json, sys
sentences = json.load(open(sys.argv[1]))
for k in range(5):
    json.dump([s for i, s in enumerate(sentences) if i % 5 != k], open(f"{sys.argv[2]}/train{k}.json", "w"))
    json.dump([s for i, s in enumerate(sentences) if i % 5 == k], open(f"{sys.argv[2]}/test{k}.json", "w"))
PY
for k in 0 1 2 3 4; do
  # The shipped benchmark config with fold k's training file in place of CoNLL04 train.
  sed -e "s|^data = .*|data = \"$data\"|" \
      -e "s|^output = .*|output = \"$work/ner$k.kmodel\"|" \
      -e "s|^clusters = .*|clusters = \"$root/data/clusters/clusters.tsv\"|" \
      -e "s|path = \"conll04/conll04_train.json\"|path = \"$work/train$k.json\"|" \
      "$root/models/configs/ner-conll04.toml" > "$work/ner$k.toml"
  if [ "${1:-}" != "--reuse" ] || [ ! -f "$work/ner$k.kmodel" ]; then
    # Logs, not /dev/null: a failed fold must say why.
    "$kith" train ner --config "$work/ner$k.toml" > "$work/train$k.log" 2>&1 \
      || { echo "fold $k: training failed, see $work/train$k.log" >&2; exit 1; }
  fi
  "$kith" eval relations "$work/test$k.json" --format conll04 --model "$work/ner$k.kmodel" \
      --classifier-train "$work/train$k.json" --json 2> "$work/eval$k.log" > "$work/scores$k.json" \
    || { echo "fold $k: evaluation failed, see $work/eval$k.log" >&2; exit 1; }
done
python3 - "$work" <<'PY'
import json, sys
totals = {}
for k in range(5):
    v = json.load(open(f"{sys.argv[1]}/scores{k}.json"))
    for name, table in [("rules", v["relations"]), ("classifier", v["classifier_relations"]),
                        ("rules+classifier", v["rules_and_classifier_relations"]), ("entities", v["entities"])]:
        t = totals.setdefault(name, [0, 0, 0])
        for i, key in enumerate(["gold", "predicted", "correct"]):
            t[i] += table["micro"][key]
for name, (gold, pred, right) in totals.items():
    p, r = right / max(pred, 1), right / max(gold, 1)
    f = 2 * p * r / (p + r) if p + r else 0
    print(f"{name:18s} P {100*p:6.2f}  R {100*r:6.2f}  F1 {100*f:6.2f}  (gold {gold}, predicted {pred}, right {right})")
PY
