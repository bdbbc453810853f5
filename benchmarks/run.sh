#!/usr/bin/env bash
# Runs Hawkeye's benchmarks from the module's classpath (no uber-jar needed).
#
#   benchmarks/run.sh jmh [JMH args...]          # default: -f 1 -wi 2 -i 3 -w 2s -r 3s, all benchmarks
#   benchmarks/run.sh jmh SketchInsert -prof stack
#   benchmarks/run.sh throughput [--events N] [--partitions P] [--parallelism K] [--rate R] [--runs N]
#                                [--jobs baseline,pipeline,detection,call-edges] [--client-spans SHARE] [--warmup] [--keep]
#   benchmarks/run.sh detect-cpu [--warmup-ms 2000] [--round-ms 1000] [--rounds 5] [name-substring...]
#                                 # DetectBenchmark's operations in thread CPU time (for a loaded machine)
#   benchmarks/run.sh json-cpu [--warmup-ms 2000] [--round-ms 1000] [--rounds 7]
#                                 # RecordJsonBenchmark's operations (output-record JSON) in thread CPU time
#
# Builds benchmarks (and udfs, jobs) first unless HAWKEYE_BENCH_NO_BUILD=1. Extra JVM options for the
# throughput harness: HAWKEYE_BENCH_JAVA_OPTS (default -Xms2g -Xmx4g).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
cd "$repo"

if [[ "${HAWKEYE_BENCH_NO_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
fi
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"

cmd="${1:-}"
shift || true
case "$cmd" in
  jmh)
    if [[ $# -eq 0 ]]; then
      set -- -f 1 -wi 2 -i 3 -w 2s -r 3s
    fi
    echo "# uptime: $(uptime)"
    exec java -cp "$cp" org.openjdk.jmh.Main "$@"
    ;;
  throughput)
    echo "# uptime: $(uptime)"
    # shellcheck disable=SC2086
    exec java ${HAWKEYE_BENCH_JAVA_OPTS:--Xms2g -Xmx4g} -cp "$cp" \
      -Dlog4j2.configurationFile="$here/src/main/resources/log4j2-bench.properties" \
      io.hawkeye.benchmarks.PipelineThroughput "$@"
    ;;
  detect-cpu)
    echo "# uptime: $(uptime)"
    exec java -Xmx2g -cp "$cp" io.hawkeye.benchmarks.DetectCpuTime "$@"
    ;;
  json-cpu)
    echo "# uptime: $(uptime)"
    exec java -Xmx1g -cp "$cp" io.hawkeye.benchmarks.RecordJsonCpuTime "$@"
    ;;
  *)
    echo "usage: $0 jmh [JMH args...] | throughput [--events N] [--partitions P] [--parallelism K] [--rate R]" \
      "[--runs N] [--jobs baseline,pipeline,detection] [--warmup] [--keep] | detect-cpu [args] | json-cpu [args]" >&2
    exit 2
    ;;
esac
