#!/usr/bin/env python3
"""Brown word clusters for the CoNLL-2003 voting members (evaluation only; see
data/clusters/README.md, "Brown clusters").

Reads `en_lexeme_cluster.json.gz` from the PyPI wheel `spacy-lookups-data` 1.0.5 (MIT): a
map of 1,000,001 words to Brown-cluster bit paths stored as integers, the path read from
the lowest bit up (spaCy's `int(path[::-1], 2)`), 0 for a word without a cluster (1,000
clusters over 190,129 words). Writes `brown.tsv` in the layout of `clusters.tsv`
(`word<TAB>id<TAB>id<TAB>id<TAB>id`, sorted by word, UTF-8, no header): path prefixes of
4, 8 and 12 bits, and the whole path (numbered 0..999 in path order), words with a cluster
only.

Usage:
  pip download --no-deps spacy-lookups-data==1.0.5 -d /tmp/wheel
  python3 scripts/brown-clusters.py --wheel /tmp/wheel/spacy_lookups_data-1.0.5-py2.py3-none-any.whl \
      -o data/clusters
Standard library only; deterministic (sorted output).
"""
import argparse
import gzip
import json
import os
import zipfile

MEMBER = "spacy_lookups_data/data/en_lexeme_cluster.json.gz"


def prefix(path, bits):
    return path & ((1 << bits) - 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("-o", "--out", required=True, help="output folder")
    a = ap.parse_args()
    with zipfile.ZipFile(a.wheel) as z:
        paths = json.loads(gzip.decompress(z.read(MEMBER)))
    paths = {w: p for w, p in paths.items() if p and "\t" not in w and "\n" not in w}
    whole = {p: i for i, p in enumerate(sorted(set(paths.values())))}
    with open(os.path.join(a.out, "brown.tsv"), "w", encoding="utf-8", newline="\n") as o:
        for w in sorted(paths):
            p = paths[w]
            o.write(f"{w}\t{prefix(p, 4)}\t{prefix(p, 8)}\t{prefix(p, 12)}\t{whole[p]}\n")


if __name__ == "__main__":
    main()
