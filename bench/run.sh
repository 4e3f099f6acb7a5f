#!/usr/bin/env bash
# Builds the benchmark jar and runs every benchmark in one JMH run, sized for a 2-core machine
# (one fork, one thread, ~3 minutes), then prints ns/op, B/op and the ratios against the targets.
#
#   bench/run.sh                       build, measure, summarize
#   bench/run.sh 'NetzNoe'             extra arguments go to JMH (here: a benchmark filter)
#   SKIP_BUILD=1 bench/run.sh          reuse bench/target/benchmarks.jar
#
# Results: bench/target/jmh/results.json (JMH) and reading-size.jsonl (the readings' own size).
set -euo pipefail

cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
OUT=bench/target/jmh

if [[ -z ${SKIP_BUILD:-} ]]; then
    # -am: the runtime, generator and CLI the decoders come from, as they are in this tree; no clean,
    # other builds may share the tree
    mvn -q install -DskipTests -pl bench -am
fi
mkdir -p "$OUT"

# other work on this machine skews the numbers: say so next to them
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'; }
LOAD_BEFORE=$(load)

# the bytes each returned reading owns, to tell them from the decoder's own overhead
"$JAVA" -Djdk.attach.allowAttachSelf=true -cp bench/target/benchmarks.jar org.meterspec.bench.ReadingSize \
    | grep '^{' > "$OUT/reading-size.jsonl"

# one fork and one thread: a 2-core machine has one core for the benchmark, one for the JVM's GC
# and compiler threads. Gurux needs ~6 s to reach steady state, hence 4 x 2 s of warmup. -foe: a failed
# setup check stops the run instead of leaving a hole in the table.
"$JAVA" -jar bench/target/benchmarks.jar -f 1 -t 1 -wi 4 -w 2s -i 5 -r 2s -prof gc -foe true \
    -rf json -rff "$OUT/results.json" "$@" 2>&1 | tee "$OUT/jmh.log" \
    | grep --line-buffered -E '^(# Benchmark:|Iteration|<failure>|.*Exception)'

echo "load average (1 min) before: $LOAD_BEFORE, after: $(load) (on 2 cores, above ~1 means contention)"
if command -v python3 > /dev/null; then
    python3 bench/summarize.py "$OUT/results.json" "$OUT/reading-size.jsonl"
else
    echo "python3 not found: see JMH's own table at the end of $OUT/jmh.log" >&2
    tail -n 45 "$OUT/jmh.log"
fi
