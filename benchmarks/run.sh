#!/usr/bin/env bash
# Runs the JMH benchmarks and prints each model step as a fraction of the fp32 matmul peak measured in the same run.
# Usage: benchmarks/run.sh [JMH regexp, default: all]   (extra JVM options: BENCH_JAVA_OPTS)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(cd "$HERE/.." && mvn -q -B -DskipTests install)
(cd "$HERE" && mvn -q -B package)
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx8g} -cp "$HERE/target/lovt-benchmarks-0.1.0-SNAPSHOT.jar:$HERE/target/lib/*" \
  org.lovt.bench.PeakFractions "$@"
# The native-graph comparison: java -cp ... org.openjdk.jmh.Main GraphsVsJava
# Synthetic image generation (images/s, one thread): java -cp ... org.openjdk.jmh.Main SyntheticGeneration
# Detection mAP + fROC over 10,000 images (ms per split): java -cp ... org.openjdk.jmh.Main DetectionMetricsBench
# Loader throughput (plain main, no JMH): java -cp ... org.lovt.bench.LoaderThroughput [sample files dir] [seconds]
