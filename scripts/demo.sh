#!/usr/bin/env bash
# The main job on the sample articles: build the graph, write every export (the HTML
# viewer included) and two diagrams.
# Usage: bash scripts/demo.sh [OUT_DIR]   (default: out/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
mkdir -p "$out"
cargo build --release --quiet
kith=target/release/kith

"$kith" build data/samples -o "$out/graph.json"
for format in dot graphml gexf jsonld cypher; do
  "$kith" export "$out/graph.json" --format "$format" -o "$out/graph.$format"
done
"$kith" export "$out/graph.json" --format neo4j-csv -o "$out/neo4j-csv"
"$kith" export "$out/graph.json" --format html -o "$out/graph.html"
"$kith" render "$out/graph.json" -o "$out/graph.svg"
"$kith" render "$out/graph.json" --focus "Marco Rubio" --depth 2 -o "$out/rubio.svg"
echo
"$kith" stats "$out/graph.json"
echo
"$kith" neighbors "$out/graph.json" "Marco Rubio"
echo
echo "Graph, exports and diagrams are in $out/"
