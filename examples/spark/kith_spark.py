#!/usr/bin/env python3
"""Build a Kith graph from a JSONL corpus on Apache Spark.

    spark-submit examples/spark/kith_spark.py --input corpus.jsonl --output graph.json \
        [--kith target/release/kith] [--partitions N] [--cooccurrence] [--models DIR]

(or `python examples/spark/kith_spark.py ...` with pyspark installed: local mode,
`--master local[2]` by default). See examples/spark/README.md.

The job is the map/reduce that Kith's design allows:

1. map: the corpus (one article per line) is split into partitions, and every partition is
   piped through `kith extract --compact -` with `RDD.pipe`: the binary gets the partition's
   lines on stdin and writes one compact line of document facts per article on stdout (the
   same facts as a version 1 line in about a third of the bytes: docs/formats.md);
2. reduce: each partition's facts are merged into a partial graph (`kith merge -`) on the
   executor, and the partial graphs are merged pairwise with `treeReduce` (`kith merge A B`).
   Spark's reduce needs an associative and commutative function: `kith merge` is one (any
   sharding, grouping and order gives the same graph), so the result is byte-identical to
   `kith build CORPUS -o GRAPH`.

Bad articles cost only themselves: `kith extract` reports and skips them, and the job
forwards those reports to the driver with the corpus line and the article id. Retried and
speculative tasks cannot duplicate facts: Spark keeps one result per partition, and even
when the same facts reach the merge twice, a document already in the graph is ignored.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

# Every partition's stdin starts with this line: `kith extract -` reads stdin as JSON lines
# only when it starts with `{`, and a partition may start with a malformed line. Kith skips
# it (no text); its report is dropped and the stdin line numbers are shifted back by one.
SENTINEL = '{"id":"kith-spark-sentinel"}'

# The source of a document read from stdin is `-:LINE`. A JSON string that contains these
# characters has its quotes escaped, so the unescaped pattern can only be the `source` key.
SOURCE_RE = re.compile(r'"source":"-:(\d+)"')
# kith's own summary of a run ("kith: 1 input: ...", "kith: 250 inputs: ...").
SUMMARY_RE = re.compile(r"kith: \d+ inputs?: ")
SKIP_RE = re.compile(r"^kith: skipped -:(\d+): (.*)$")
NOTHING = "kith: no document could be processed"
ID_RE = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')

# Run by RDD.pipe on each partition (POSIX sh). `kith extract` exits 1 when no document of
# its input could be processed, which for a partition of only bad lines is not an error:
# accept that, and fail the task (so Spark retries it) on anything else: a crash, a signal,
# an I/O error. Diagnostics are written after the facts, on stdout, where the driver gets
# them; they never interleave with facts (stderr goes to a file while kith runs).
EXTRACT_WRAPPER = r"""
k="$KITH_BIN"
case "$k" in */*) ;; *) if [ -x "./$k" ]; then k="./$k"; fi ;; esac
e="$(mktemp)" || exit 70
"$k" extract --compact -j "$KITH_THREADS" - 2>"$e"
s=$?
if [ "$s" -eq 1 ] && grep -q '^kith: no document could be processed' "$e"; then s=0; fi
if [ "$s" -ne 0 ]; then cat "$e" >&2; rm -f "$e"; exit "$s"; fi
cat "$e"
rm -f "$e"
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="corpus: JSON lines (id, text, optional title, url, published)")
    p.add_argument("--output", "-o", required=True, help="graph file to write (on the driver)")
    p.add_argument("--kith", default=os.environ.get("KITH_BIN", "kith"),
                   help="kith binary: a path that exists on every worker, or a bare name shipped "
                        "with --files (found in the task's working directory) or on PATH")
    p.add_argument("--models", help="models directory for kith (exported as KITH_MODELS)")
    p.add_argument("--master", default=None, help="Spark master when not set by spark-submit (default local[2])")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="Spark setting, when run without spark-submit (repeatable)")
    p.add_argument("--partitions", type=int, default=None, help="minimum number of partitions of the corpus")
    p.add_argument("--source-name", default=None,
                   help="name of the corpus in provenance (`NAME:LINE`); default: --input as given, "
                        "as `kith build` records it")
    p.add_argument("--cooccurrence", action="store_true", help="as kith build --cooccurrence")
    p.add_argument("--simulate-retry", type=int, default=None, metavar="PARTITION",
                   help="testing: deliver this partition's facts and partial graph twice, as a "
                        "retried or speculative task could")
    return p.parse_args(argv)


def merge_to_bytes(kith, inputs, env, cooccurrence, feed=None):
    """`kith merge INPUTS -o TMP` (inputs may be `-`, fed by `feed(stdin)`); the graph's
    bytes, or None when there was no document to merge."""
    with tempfile.TemporaryDirectory(prefix="kith-spark-") as tmp:
        out = os.path.join(tmp, "graph.json")
        args = [kith, "merge"] + (["--cooccurrence"] if cooccurrence else []) + inputs + ["-o", out]
        with tempfile.TemporaryFile(dir=tmp) as err:
            proc = subprocess.Popen(args, stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err, env=env)
            if feed:
                try:
                    feed(proc.stdin)
                finally:
                    proc.stdin.close()
            status = proc.wait()
            err.seek(0)
            message = err.read().decode("utf-8", "replace")
        if status == 0:
            with open(out, "rb") as f:
                return f.read()
        if status == 1 and NOTHING in message:
            return None
        raise RuntimeError(f"kith merge failed ({status}):\n{message}")


def resolve_kith(name):
    """The kith binary in a task: a path, a file shipped with --files, or a name on PATH."""
    if os.sep in name:
        return name
    try:
        from pyspark import SparkFiles
        shipped = SparkFiles.get(name)
        if os.access(shipped, os.X_OK):
            return shipped
    except Exception:
        pass
    if os.access(name, os.X_OK):
        return os.path.abspath(name)
    return name


def finish_partition(index, lines, start, conf):
    """Turn one partition's `kith extract` output into (first line, reports, facts, graph).

    Facts get their corpus provenance back (`-:K` becomes `NAME:LINE`, as `kith build`
    writes it), diagnostics become reports on corpus lines, and the facts are merged into
    a partial graph here, on the executor."""
    kith = resolve_kith(conf["kith"])
    source = conf["source"]
    reports = []
    count = [0]
    copies = 2 if conf["retry"] == index else 1

    def line_of(k):
        return start + int(k) - 2  # stdin line 1 is the sentinel

    def feed(stdin):
        for line in lines:
            if line.startswith("{"):
                m = SOURCE_RE.search(line)
                if m:
                    fixed = json.dumps(f"{source}:{line_of(m.group(1))}", ensure_ascii=False)
                    line = f'{line[:m.start()]}"source":{fixed}{line[m.end():]}'
                data = (line + "\n").encode("utf-8")
                for _ in range(copies):
                    stdin.write(data)
                count[0] += 1
                continue
            m = SKIP_RE.match(line)
            if m:
                if m.group(1) != "1":
                    reports.append((line_of(m.group(1)), m.group(2)))
            elif SUMMARY_RE.match(line) or line == NOTHING:
                continue  # kith's own summary of the partition
            elif line.strip():
                reports.append((None, f"partition {index}: {line}"))

    graph = merge_to_bytes(kith, ["-"], conf["env"], conf["cooccurrence"], feed=feed)
    result = (start, reports, count[0], graph)
    # A retried task's output delivered a second time: same graph, nothing new to count.
    return [result] + [(start, [], 0, graph)] * (copies - 1)


def combine(a, b, conf):
    """Merge two partial results. Associative and commutative like `kith merge`; the
    partial that starts earlier in the corpus goes first, so that a document id found on
    two lines keeps the first line's metadata, as in `kith build`."""
    if b[0] < a[0]:
        a, b = b, a
    graphs = [g for g in (a[3], b[3]) if g is not None]
    if len(graphs) < 2:
        graph = graphs[0] if graphs else None
    else:
        kith = resolve_kith(conf["kith"])
        with tempfile.TemporaryDirectory(prefix="kith-spark-") as tmp:
            paths = []
            for i, g in enumerate(graphs):
                path = os.path.join(tmp, f"part{i}.json")
                with open(path, "wb") as f:
                    f.write(g)
                paths.append(path)
            graph = merge_to_bytes(kith, paths, conf["env"], conf["cooccurrence"])
    return (a[0], a[1] + b[1], a[2] + b[2], graph)


def article_ids(lines, offsets, wanted):
    """The article id of each wanted corpus line (best effort for malformed lines)."""
    wanted = frozenset(wanted)

    def pick(index, it):
        for n, line in enumerate(it, start=offsets[index]):
            if n in wanted:
                try:
                    doc_id = json.loads(line).get("id")
                except Exception:
                    m = ID_RE.search(line)
                    doc_id = m.group(1) if m else None
                yield n, doc_id

    return dict(lines.mapPartitionsWithIndex(pick).collect())


def write_atomically(path, data):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".kith-spark-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv=None):
    args = parse_args(argv)
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("kith").set("spark.ui.showConsoleProgress", "false")
    for setting in args.conf:
        key, _, value = setting.partition("=")
        conf.set(key, value)
    if args.master or not conf.contains("spark.master"):
        conf.setMaster(args.master or "local[2]")
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("ERROR")
    try:
        return run(sc, args)
    finally:
        sc.stop()


def run(sc, args):
    kith = args.kith
    if os.path.isfile(kith) and not os.path.isabs(kith):
        kith = os.path.abspath(kith)
    task_cpus = int(sc.getConf().get("spark.task.cpus", "1"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "KITH_BIN": kith,
        "KITH_THREADS": str(task_cpus),
        "LC_ALL": "C.UTF-8",
    }
    if os.environ.get("TMPDIR"):
        env["TMPDIR"] = os.environ["TMPDIR"]
    if args.models:
        env["KITH_MODELS"] = args.models
    job = {
        "kith": kith,
        "env": env,
        "source": args.source_name or args.input,
        "cooccurrence": args.cooccurrence,
        "retry": args.simulate_retry,
    }

    if os.path.isdir(args.input):
        print("kith-spark: --input must be one JSON lines file (line numbers are provenance)", file=sys.stderr)
        return 2
    lines = sc.textFile(args.input, minPartitions=args.partitions) if args.partitions else sc.textFile(args.input)
    # Corpus line number of each partition's first line (partitions are contiguous runs of
    # lines, in order): one cheap pass over the text.
    counts = lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
    offsets = [1]
    for c in counts[:-1]:
        offsets.append(offsets[-1] + c)

    extracted = (
        lines.mapPartitions(lambda it: _with_sentinel(it))
        .pipe("sh -c " + shlex.quote(EXTRACT_WRAPPER), env=env, checkCode=True)
    )
    partials = extracted.mapPartitionsWithIndex(
        lambda i, it: finish_partition(i, it, offsets[i], job))
    empty = (float("inf"), [], 0, None)
    if partials.getNumPartitions() == 0:
        result = empty
    else:
        result = partials.treeReduce(lambda a, b: combine(a, b, job), depth=2)
    _, reports, facts, graph = result

    ids = article_ids(lines, offsets, [n for n, _ in reports if n is not None]) if reports else {}
    for n, reason in sorted(reports, key=lambda r: (r[0] is None, r[0] or 0, r[1])):
        if n is None:
            print(f"kith-spark: {reason}", file=sys.stderr)
        else:
            doc = ids.get(n)
            what = f" (id {doc})" if doc else ""
            print(f"kith-spark: skipped {job['source']}:{n}{what}: {reason}", file=sys.stderr)
    skipped = sum(1 for n, _ in reports if n is not None)
    print(f"kith-spark: {sum(counts)} lines in {len(counts)} partitions: {facts} documents extracted, "
          f"{skipped} skipped", file=sys.stderr)
    if graph is None:
        print("kith-spark: no document could be processed; graph not written", file=sys.stderr)
        return 1
    write_atomically(args.output, graph)
    print(f"kith-spark: wrote {args.output}", file=sys.stderr)
    return 0


def _with_sentinel(it):
    yield SENTINEL
    yield from it


if __name__ == "__main__":
    sys.exit(main())
