#!/usr/bin/env bash
# Scale benchmark (NOT part of the test suite): documents per second and peak memory of
# `kith extract` and `kith merge` on corpora of 1k, 10k, 100k (and optionally 1M) articles,
# the graph store at each size (size, merge time and memory, cold and warm latency and
# memory of `neighbors`, `path`, `explain`, `stats`, adding 1,000 documents), and the
# Spark job (examples/spark/kith_spark.py) at local[1] vs local[2].
#
#   bash scripts/bench-scale.sh [SIZE...]          # default: 1000 10000 100000
#   KITH_BIN=path/to/kith SPARK_SIZE=10000 MERGE_LIMIT=900 WORK=/tmp/kith-bench bash scripts/bench-scale.sh 1000 1000000
#   MERGE_REPLICATE=10 bash scripts/bench-scale.sh 100000   # also merge 10 copies of the
#       largest size's facts, document ids renamed per copy (1M documents, no 1M extract)
#   STORE=0 ...                                   # skip the graph-store rows
#   REPLICATE_JSON=0 ...   # with MERGE_REPLICATE, build only the store of the copies, no JSON graph
#   ONLY_REPLICATE=1 ...   # with MERGE_REPLICATE and REUSE_FACTS, only the replicated rows
#   QUERY_FROM="Marco Rubio" QUERY_TO="Pakistan"  # the entities the store queries ask about
#   REUSE_FACTS=1 ...   # reuse $WORK/facts-N.jsonl from an earlier run (extract not timed)
#
# Store queries are timed as whole processes (start, open, query, print to /dev/null), in
# milliseconds of wall time: "cold" right after the store's pages are dropped from the OS
# page cache (posix_fadvise DONTNEED on the file, no root needed), "warm" the median of
# five runs after it. "add 1,000" merges 1,000 documents' facts, ids renamed so they are
# new, into the store in place (one transaction).
#
# The corpus is generated into $WORK (default /tmp/kith-bench), never into the repository:
# articles of 8-30 sentences recombined from the project's own data/samples and, when
# present, the unlabelled word forms of permissively licensed text in ../shared/data (GUM
# news, interview, academic, bio and voyage genres, CC-BY/CC-BY-SA; wikigold, CC-BY).
# Smaller corpora are prefixes of the largest. Prints a Markdown table on stdout.
# Needs: python3, GNU time (/usr/bin/time; installed from Debian's `time` if missing),
# and for the Spark rows the test venv (bash scripts/install-test-deps.sh). SPARK_SIZE=0
# skips them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KITH="${KITH_BIN:-$ROOT/target/release/kith}"
WORK="${WORK:-/tmp/kith-bench}"
SHARED="${SHARED_DATA:-$ROOT/../shared/data}"
SPARK_SIZE="${SPARK_SIZE:-10000}"
MERGE_LIMIT="${MERGE_LIMIT:-900}"   # seconds; a slower merge is stopped and reported as such
MERGE_REPLICATE="${MERGE_REPLICATE:-0}"
STORE="${STORE:-1}"
REPLICATE_JSON="${REPLICATE_JSON:-1}"
ONLY_REPLICATE="${ONLY_REPLICATE:-0}"
REUSE_FACTS="${REUSE_FACTS:-0}"
QUERY_FROM="${QUERY_FROM:-Marco Rubio}"
QUERY_TO="${QUERY_TO:-Pakistan}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)
mkdir -p "$WORK"
log() { printf '[bench] %s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (Debian package time)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
fi
[ -x "$KITH" ] || { log "no kith binary at $KITH: cargo build --release first"; exit 1; }

max=0
for n in "${SIZES[@]}"; do [ "$n" -gt "$max" ] && max=$n; done
if [ "$SPARK_SIZE" -gt "$max" ]; then max=$SPARK_SIZE; fi
CORPUS="$WORK/corpus-$max.jsonl"
if [ ! -s "$CORPUS" ]; then
    log "generating $max articles into $CORPUS"
    python3 - "$ROOT/data/samples" "$SHARED" "$max" "$CORPUS.tmp" <<'PY'
import glob, html, json, os, random, re, sys
samples, shared, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def split(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if len(s.strip()) > 15]
own = []
for path in sorted(glob.glob(os.path.join(samples, "*"))):
    raw = open(path, encoding="utf-8").read()
    if path.endswith(".jsonl"):
        for line in raw.splitlines():
            if line.strip():
                own += split(json.loads(line)["text"])
    else:
        if path.endswith((".html", ".htm")):
            raw = html.unescape(re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", raw, flags=re.S))
        own += split(re.sub(r"^#+\s*", "", raw, flags=re.M))
other = []
for genre in ("news", "interview", "academic", "bio", "voyage"):  # CC-BY / CC-BY-SA genres
    for path in sorted(glob.glob(os.path.join(shared, "gum", "*", f"GUM_{genre}_*.conllu"))):
        for line in open(path, encoding="utf-8"):
            if line.startswith("# text = "):
                other.append(line[9:].strip())
wikigold = os.path.join(shared, "wikigold", "wikigold.conll.txt")
if os.path.exists(wikigold):
    words = []
    for line in open(wikigold, encoding="utf-8"):
        parts = line.split()
        if parts:
            words.append(parts[0])
        elif words:
            other.append(" ".join(words)); words = []
other = [s for s in other if len(s) > 15]
rng = random.Random(1)
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        k = rng.randint(8, 30)
        text = " ".join(rng.choice(own) if (not other or rng.random() < 0.3) else rng.choice(other) for _ in range(k))
        f.write(json.dumps({"id": f"bench-{i:07d}", "title": f"Article {i}", "text": text}) + "\n")
print(f"{len(own)} own sentences, {len(other)} shared sentences", file=sys.stderr)
PY
    mv "$CORPUS.tmp" "$CORPUS"
fi

# /usr/bin/time -v CMD...: sets WALL (seconds) and RSS (MiB) from its report.
measure() {
    local report="$WORK/time.txt"
    /usr/bin/time -v "$@" 2>"$report" || { tail -n 30 "$report" >&2; return 1; }
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$report")
    RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$report")
}
# ms CMD...: runs CMD with output discarded; sets MS (wall milliseconds) and QRSS (peak MiB).
ms() {
    local report="$WORK/qtime.txt" start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$report" "$@" >/dev/null 2>"$WORK/q.err" || { cat "$WORK/q.err" >&2; return 1; }
    end=$(date +%s%N)
    MS=$(( (end - start) / 1000000 ))
    QRSS=$(awk '{printf "%.0f", $1/1024}' "$report")
}
# Drop a file's pages from the OS page cache, so the next read is cold.
evict() { python3 -c 'import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$1"; }
# query LABEL CMD...: one cold and five warm runs; appends "cold ms / warm ms / MiB" to QROW.
query() {
    local label=$1 store=$2; shift 2
    evict "$store"
    ms "$@"; local cold=$MS rss=$QRSS runs=()
    for _ in 1 2 3 4 5; do ms "$@"; runs+=("$MS"); done
    local warm; warm=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)
    log "$label: cold $cold ms, warm $warm ms, $rss MiB"
    QROW+=" $cold / $warm / $rss |"
}
store_rows=()
# bench_store LABEL FACTS_CMD: build a store from the facts FACTS_CMD prints, query it, add 1,000.
bench_store() {
    local label=$1 feed=$2 db="$WORK/store.kith"
    rm -f "$db"
    log "store: merge $label documents' facts"
    if ! measure timeout "$MERGE_LIMIT" sh -c "$feed"' | exec "$0" merge - -o "$1"' "$KITH" "$db"; then
        store_rows+=("| $label | stopped after ${MERGE_LIMIT} s | | | | | | | | | |"); return
    fi
    local mw=$WALL mr=$RSS smb
    smb=$(awk -v b="$(stat -c %s "$db")" 'BEGIN { printf "%.0f", b/1048576 }')
    QROW="| $label | $smb | $mw | $mr |"
    query "neighbors" "$db" "$KITH" neighbors "$db" "$QUERY_FROM"
    query "neighbors --depth 2" "$db" "$KITH" neighbors "$db" "$QUERY_FROM" --depth 2
    query "path" "$db" "$KITH" path "$db" "$QUERY_FROM" "$QUERY_TO"
    query "explain" "$db" "$KITH" explain "$db" "$QUERY_FROM"
    query "stats" "$db" "$KITH" stats "$db"
    if [ -n "${3:-}" ] && [ -s "$3" ]; then
        query "neighbors on the JSON graph" "$3" "$KITH" neighbors "$3" "$QUERY_FROM"
    else
        QROW+=" - |"
    fi
    log "store: add 1,000 documents to $label"
    sh -c "$feed | head -n 1000" | sed 's/"bench-/"bench-add-/g' >"$WORK/add.jsonl"
    measure "$KITH" merge "$WORK/add.jsonl" --into "$db"
    QROW+=" $WALL / $RSS |"
    store_rows+=("$QROW")
    rm -f "$db" "$WORK/add.jsonl"
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n/s; else print "-" }'; }

VERSION="$("$KITH" --version)"
PRODUCER="$(head -n1 "$CORPUS" | "$KITH" extract - 2>/dev/null | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["producer"])')"
log "$VERSION; producer: $PRODUCER"

rows=()
for n in "${SIZES[@]}"; do
    [ "$ONLY_REPLICATE" = 1 ] && [ "$MERGE_REPLICATE" -gt 1 ] && break
    c="$WORK/corpus-$n.jsonl"
    [ -s "$c" ] || head -n "$n" "$CORPUS" >"$c"
    mb=$(awk -v b="$(stat -c %s "$c")" 'BEGIN { printf "%.0f", b/1048576 }')
    if [ "$REUSE_FACTS" = 1 ] && [ -s "$WORK/facts-$n.jsonl" ]; then
        log "reusing $WORK/facts-$n.jsonl"
        ew=- er=-
    else
        log "extract $n articles ($mb MiB)"
        measure sh -c 'exec "$0" extract "$1" >"$2"' "$KITH" "$c" "$WORK/facts-$n.jsonl"
        ew=$WALL er=$RSS
    fi
    fmb=$(awk -v b="$(stat -c %s "$WORK/facts-$n.jsonl")" 'BEGIN { printf "%.0f", b/1048576 }')
    log "merge $n documents' facts ($fmb MiB)"
    rm -f "$WORK/graph-$n.json"
    if measure timeout "$MERGE_LIMIT" "$KITH" merge "$WORK/facts-$n.jsonl" -o "$WORK/graph-$n.json"; then
        mw=$WALL mr=$RSS
        gmb=$(awk -v b="$(stat -c %s "$WORK/graph-$n.json")" 'BEGIN { printf "%.0f", b/1048576 }')
        rows+=("| $n | $mb | $ew | $(rate "$n" "$ew") | $er | $fmb | $mw | $(rate "$n" "$mw") | $mr | $gmb |")
    else
        log "merge of $n documents stopped after ${MERGE_LIMIT}s"
        rows+=("| $n | $mb | $ew | $(rate "$n" "$ew") | $er | $fmb | > $MERGE_LIMIT (stopped) | < $(rate "$n" "$MERGE_LIMIT") | ? | - |")
    fi
    if [ "$STORE" = 1 ]; then
        bench_store "$n" "cat '$WORK/facts-$n.jsonl'" "$WORK/graph-$n.json"
    fi
    [ "$n" -eq "$max" ] && [ "$MERGE_REPLICATE" -gt 1 ] || [ "$REUSE_FACTS" = 1 ] || rm -f "$WORK/facts-$n.jsonl"
done

if [ "$MERGE_REPLICATE" -gt 1 ]; then
    n=$((max * MERGE_REPLICATE))
    log "merge $MERGE_REPLICATE renamed copies of $max documents' facts ($n documents, from stdin)"
    rm -f "$WORK/graph-$n.json"
    if [ "$REPLICATE_JSON" = 0 ]; then
        rows+=("| $n ($MERGE_REPLICATE× $max, ids renamed) | - | - | - | - | - | not run (REPLICATE_JSON=0) | - | - | - |")
    elif measure timeout "$((MERGE_LIMIT * MERGE_REPLICATE))" sh -c \
        'for i in $(seq 1 "$2"); do sed "s/\"bench-/\"bench-r$i-/g" "$1"; done | exec "$0" merge - -o "$3"' \
        "$KITH" "$WORK/facts-$max.jsonl" "$MERGE_REPLICATE" "$WORK/graph-$n.json"; then
        gmb=$(awk -v b="$(stat -c %s "$WORK/graph-$n.json")" 'BEGIN { printf "%.0f", b/1048576 }')
        rows+=("| $n ($MERGE_REPLICATE× $max, ids renamed) | - | - | - | - | - | $WALL | $(rate "$n" "$WALL") | $RSS | $gmb |")
    else
        rows+=("| $n ($MERGE_REPLICATE× $max, ids renamed) | - | - | - | - | - | stopped | - | ? | - |")
    fi
    rm -f "$WORK/graph-$n.json"
    if [ "$STORE" = 1 ]; then
        bench_store "$n ($MERGE_REPLICATE× $max)" \
            "for i in \$(seq 1 $MERGE_REPLICATE); do sed \"s/\\\"bench-/\\\"bench-r\$i-/g\" '$WORK/facts-$max.jsonl'; done"
    fi
    [ "$REUSE_FACTS" = 1 ] || rm -f "$WORK/facts-$max.jsonl"
fi

spark_rows=()
if [ "$SPARK_SIZE" -gt 0 ]; then
    c="$WORK/corpus-$SPARK_SIZE.jsonl"
    [ -s "$c" ] || head -n "$SPARK_SIZE" "$CORPUS" >"$c"
    "$KITH" build "$c" -o "$WORK/build-$SPARK_SIZE.json" 2>/dev/null
    for master in 'local[1]' 'local[2]'; do
        log "spark $master on $SPARK_SIZE articles"
        start=$(date +%s.%N)
        SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$ROOT/.venv/bin/python" "$ROOT/.venv/bin/python" \
            "$ROOT/examples/spark/kith_spark.py" --input "$c" --output "$WORK/spark.json" --kith "$KITH" \
            --master "$master" --partitions 8 --conf spark.ui.enabled=false \
            --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 2>"$WORK/spark.log" \
            || { cat "$WORK/spark.log" >&2; exit 1; }
        wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b-a }')
        same=no; cmp -s "$WORK/spark.json" "$WORK/build-$SPARK_SIZE.json" && same=yes
        spark_rows+=("| $master | $SPARK_SIZE | $wall | $(rate "$SPARK_SIZE" "$wall") | $same |")
    done
fi

echo "$VERSION; producer \`$PRODUCER\`; $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%d)"
echo
echo "| articles | corpus MiB | extract s | extract docs/s | extract peak RSS MiB | facts MiB | merge s | merge docs/s | merge peak RSS MiB | graph MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
if [ ${#store_rows[@]} -gt 0 ]; then
    echo
    echo "Graph store (\`kith merge FACTS -o store.kith\`); queries about \"$QUERY_FROM\" (path to \"$QUERY_TO\"): cold ms / warm ms / peak RSS MiB"
    echo
    echo "| articles | store MiB | merge s | merge peak RSS MiB | neighbors | neighbors --depth 2 | path | explain | stats | neighbors, JSON graph | add 1,000 docs: s / peak RSS MiB |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${store_rows[@]}"
fi
if [ ${#spark_rows[@]} -gt 0 ]; then
    echo
    echo "| Spark master | articles | wall s (incl. JVM start) | docs/s | graph = kith build |"
    echo "|---|---:|---:|---:|---|"
    printf '%s\n' "${spark_rows[@]}"
fi
