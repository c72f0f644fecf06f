#!/usr/bin/env bash
# The benchmarks, with the peers in the same run (README "Benchmarks").
#
#   benchmarks/run.sh [--quick] [--rounds N]   the comparison: prints, last, one line per comparison,
#                                              `ratio <benchmark> ours/<peer> = x.xx` and
#                                              `fraction <benchmark> of matmul peak = x.xx`, then the loader's
#                                              `loader ... images/s per core from the cache = x` (and, without
#                                              --quick, the share of a training step spent waiting for data)
#   benchmarks/run.sh --jmh REGEXP [JMH args]  any JMH benchmark of this project (e.g. GraphsVsJava)
#   benchmarks/run.sh --gpu                    GpuSteps on a CUDA GPU (ResNet-50, BERT-base, LoVT steps, fp32 and
#                                              AMP; images/s and fractions of the card's matmul rates); needs the GPU
#                                              build and a system CUDA 13 with cuBLAS and cuDNN 9 (README "GPU")
#
# The comparison runs, per round and back to back, this project's JMH benchmarks (fp32 matmul peak, BERT-base step,
# ResNet-50 train step and inference as the project runs them and composed on the raw bindings: ResNetSteps) and the
# DJL peer (benchmarks/peers: DJL 0.36, PyTorch engine, libtorch 2.7.1, in a JVM and class path of its own), then
# prints the ratios (geometric means over the rounds). --quick: one round with short JMH settings (under ten minutes
# on 2 cores); the default: 3 rounds with JMH's measurement settings of the benchmark classes.
# DJL's libtorch gets the oneDNN cap the project's kernel check chose on this machine (ONEDNN_MAX_CPU_ISA), so that
# both run the same kernels (README "CPU kernel check"). Extra JVM options for the launcher JVMs: BENCH_JAVA_OPTS.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
quick=0
gpu=0
rounds=3
jmh=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; rounds=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --jmh) shift; jmh="$*"; break ;;
    --gpu) gpu=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ $gpu = 1 ]; then
  (cd "$HERE/.." && mvn -q -B -Pgpu -DskipTests install)
  (cd "$HERE" && mvn -q -B -Pgpu package)
  CP="$HERE/target/lovt-benchmarks-0.1.0-SNAPSHOT.jar:$HERE/target/lib/*"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  exec java ${BENCH_JAVA_OPTS:--Xmx8g} -cp "$CP" org.lovt.bench.GpuSteps
fi
(cd "$HERE/.." && mvn -q -B -DskipTests install)
(cd "$HERE" && mvn -q -B package)
CP="$HERE/target/lovt-benchmarks-0.1.0-SNAPSHOT.jar:$HERE/target/lib/*"
if [ -n "$jmh" ]; then
  # shellcheck disable=SC2086
  exec java ${BENCH_JAVA_OPTS:--Xmx8g} -cp "$CP" org.openjdk.jmh.Main $jmh
fi
(cd "$HERE/peers" && mvn -q -B package)
PEERS_CP="$HERE/peers/target/lovt-benchmarks-peers-0.1.0-SNAPSHOT.jar:$HERE/peers/target/lib/*"

cap=$("$HERE/../lovt" doctor --no-matmul 2>/dev/null | sed -n 's/.*ONEDNN_MAX_CPU_ISA=\([A-Z0-9_]*\).*/\1/p' | head -1)
grep -m1 "model name" /proc/cpuinfo || true
grep -m1 "^flags" /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_tile)$' | tr '\n' ' ' || true
echo "(oneDNN cap for both: ${cap:-none})"

opts=()
if [ $quick = 1 ]; then
  opts=(-wi 1 -w 5s -i 2 -r 10s -f 1)
fi
out="$HERE/target/results"
rm -rf "$out" && mkdir -p "$out"
for k in $(seq 1 "$rounds"); do
  echo "round $k of $rounds: this project"
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS:--Xmx8g} -cp "$CP" org.openjdk.jmh.Main \
    'ModelSteps.matmulFp32|ModelSteps.bertBaseTrainStep|ResNetSteps' "${opts[@]}" -rf json -rff "$out/ours-$k.json"
  echo "round $k of $rounds: DJL"
  # shellcheck disable=SC2086
  env DJL_CACHE_DIR="$HERE/peers/target/djl-cache" ${cap:+ONEDNN_MAX_CPU_ISA=$cap} \
    java ${BENCH_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true -cp "$PEERS_CP" org.openjdk.jmh.Main DjlResNet50 \
    "${opts[@]}" -rf json -rff "$out/peers-$k.json"
done
java -cp "$CP" org.lovt.bench.Compare "$out"
echo "loader (one worker per core, full LoVT training transform; details in target/results/loader.txt)"
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:--Xmx8g} -cp "$CP" org.lovt.bench.LoaderThroughput $([ $quick = 1 ] && echo --quick) \
  "$HERE/../testdata/data/mimic-cxr-sample/files" > "$out/loader.txt" 2>&1 || { cat "$out/loader.txt"; exit 1; }
sed -n '/^loader /p' "$out/loader.txt"
# Other benchmarks (run.sh --jmh NAME): GraphsVsJava (native graphs vs Java), SyntheticGeneration (images/s),
# DetectionMetricsBench (mAP + fROC over 10,000 images); PeakFractions (ModelSteps as fractions of the matmul peak):
# java -cp "$CP" org.lovt.bench.PeakFractions. The loader alone (plain main, no JMH; run by the comparison too):
# java -cp "$CP" org.lovt.bench.LoaderThroughput [--quick] [sample files dir] [seconds]
