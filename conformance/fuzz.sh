#!/usr/bin/env bash
# A long fuzz campaign: every example spec's C decoder under libFuzzer (ASan, UBSan, the invariants
# of docs/SECURITY.md) for SECONDS each, then the Java decoders under Jazzer. A crash fails the run
# and is kept beside the seeds (conformance/src/test/resources/fuzz/<meter>/regression-*), so the
# normal test run replays it from then on: commit it with the fix.
#
#   conformance/fuzz.sh [SECONDS]      (default 300 per spec)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
mvn -B -q verify -pl conformance -am -Dtest=CFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmeterspec.fuzz.seconds="$seconds" -Dmeterspec.fuzz.report=true
JAZZER_FUZZ=1 mvn -B -q verify -pl conformance -am -Dtest='JavaFuzzTest#anyBytesGiveTypedResultsWhateverTheChunks' \
    -Dsurefire.failIfNoSpecifiedTests=false
