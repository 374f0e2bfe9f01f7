"""End-to-end test of examples/spark/kith_spark.py: the Spark job (pyspark, local mode)
gives a graph byte-identical to `kith build` on the same corpus, reports bad lines with
their line and id, and a partition delivered twice (a retried task) changes nothing.

Run by scripts/test.sh: KITH_BIN=target/release/kith .venv/bin/pytest tests/spark
"""

import html.parser
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
JOB = ROOT / "examples" / "spark" / "kith_spark.py"
KITH = os.environ.get("KITH_BIN", str(ROOT / "target" / "release" / "kith"))

# Fast, offline Spark: no UI, loopback only, few shuffle partitions.
SPARK_CONF = [
    "spark.ui.enabled=false",
    "spark.sql.shuffle.partitions=2",
    "spark.driver.host=127.0.0.1",
    "spark.driver.bindAddress=127.0.0.1",
]


class _Text(html.parser.HTMLParser):
    """Paragraph text of the sample HTML page (a corpus line needs plain text)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "nav", "header", "footer"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "nav", "header", "footer"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(" ".join(data.split()))


def sample_articles():
    articles = []
    for line in (SAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            articles.append(json.loads(line))
    for name in ("rubio-calls.txt", "state-department-briefing.md"):
        text = (SAMPLES / name).read_text(encoding="utf-8")
        text = re.sub(r"^#+\s*", "", text, flags=re.M)
        articles.append({"id": name, "text": text})
    parser = _Text()
    parser.feed((SAMPLES / "defence-minister-interview.html").read_text(encoding="utf-8"))
    articles.append({"id": "defence-minister-interview.html", "text": "\n\n".join(parser.parts)})
    return articles


def build_corpus(path):
    """~120 lines: the samples, synthetic recombinations of their sentences, and bad lines.
    Returns {what: line number} for the bad lines."""
    articles = sample_articles()
    sentences = sorted({s.strip() for a in articles for s in re.split(r"(?<=[.!?])\s+", a["text"]) if s.strip()})
    rng = random.Random(6)
    lines = []
    for a in articles:
        lines.append(json.dumps(a, ensure_ascii=False))
    for i in range(110):
        doc = {"id": f"syn-{i:03d}", "text": " ".join(rng.sample(sentences, rng.randint(1, 5)))}
        if i % 3 == 0:
            doc["title"] = f"Synthetic article {i}"
        if i % 4 == 0:
            doc["published"] = f"2025-05-{1 + i % 28:02d}"
        if i % 7 == 0:
            del doc["id"]  # id from the text hash
        lines.append(json.dumps(doc, ensure_ascii=i % 2 == 0))
    bad = {}
    # Line 1 is not JSON at all: the first partition then starts with a bad line.
    lines.insert(0, "this line is not JSON")
    bad["not-json"] = 1
    lines.insert(40, '{"id": "broken-1", "title": "Cut off", "text": "Marco Rubio spoke with')
    bad["broken-1"] = 41
    lines.insert(80, '{"id": "empty-1", "text": ""}')
    bad["empty-1"] = 81
    # The same article again, far from the first copy (likely another partition).
    lines.append(lines[5])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


def kith(*args):
    return subprocess.run([KITH, *args], capture_output=True, text=True, check=True)


def spark(corpus, output, master, partitions, *extra):
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable,
               PYSPARK_DRIVER_PYTHON=sys.executable)
    args = [sys.executable, str(JOB), "--input", str(corpus), "--output", str(output), "--kith", KITH,
            "--master", master, "--partitions", str(partitions), *extra]
    for c in SPARK_CONF:
        args += ["--conf", c]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("spark")
    path = d / "corpus.jsonl"
    bad = build_corpus(path)
    build = d / "build.json"
    kith("build", str(path), "-o", str(build))
    build_co = d / "build-cooccurrence.json"
    kith("build", "--cooccurrence", str(path), "-o", str(build_co))
    return d, path, bad, build.read_bytes(), build_co.read_bytes()


def test_local2_equals_build_and_reports_bad_lines(corpus):
    d, path, bad, build, _ = corpus
    out = d / "spark2.json"
    log = spark(path, out, "local[2]", 4)
    assert out.read_bytes() == build
    assert f"skipped {path}:{bad['not-json']}: malformed JSON" in log, log
    assert f"skipped {path}:{bad['broken-1']} (id broken-1): malformed JSON" in log, log
    assert f"skipped {path}:{bad['empty-1']} (id empty-1): empty" in log, log
    assert "3 skipped" in log, log


def test_local1_cooccurrence_equals_build(corpus):
    d, path, _, _, build_co = corpus
    out = d / "spark1.json"
    spark(path, out, "local[1]", 3, "--cooccurrence")
    assert out.read_bytes() == build_co


def test_retried_partition_changes_nothing(corpus):
    d, path, _, build, _ = corpus
    out = d / "retry.json"
    spark(path, out, "local[2]", 5, "--simulate-retry", "2")
    assert out.read_bytes() == build
    # And re-merging the graph with itself, as a re-run job folding into it would.
    again = d / "again.json"
    kith("merge", str(out), str(out), "-o", str(again))
    assert again.read_bytes() == build
