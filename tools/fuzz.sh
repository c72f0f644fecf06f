#!/usr/bin/env bash
# Coverage-guided fuzzing of every @FuzzTest target with Jazzer, one target per JVM (README "Reliability").
#
#   tools/fuzz.sh [--time 60s] [--runs N] [FILTER]     (--runs: stop a target after N executions)
#
# FILTER is a substring of "Class#method" (default: all targets). Each target starts from its inputs folder
# (src/test/resources/<package>/<Class>Inputs/<method>/, which is also what the default suite replays) plus the
# generated corpus in .cifuzz-corpus/ (git-ignored), which this script first seeds from testdata/ where that has files
# of the target's format. A finding fails the run; Jazzer saves the input as crash-<sha1> in the inputs folder, so
# that, once fixed, it is replayed by every `mvn test` as a regression input.
# Writes target/fuzz/summary.tsv (target, executions, seconds, result) and prints it.
set -uo pipefail
cd "$(dirname "$0")/.."
time_limit=60s
runs=""
filter=""
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time_limit="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) filter="$1"; shift ;;
  esac
done
mkdir -p target/fuzz
summary=target/fuzz/summary.tsv
printf 'target\texecutions\tseconds\tresult\n' > "$summary"

# Targets: every @FuzzTest method, as Class#method.
targets=$(grep -rl '@FuzzTest' src/test/java | sort | while read -r f; do
  cls=$(echo "${f#src/test/java/}" | sed 's#/#.#g; s#\.java$##')
  grep -A1 '@FuzzTest' "$f" | sed -n 's/.*void \([A-Za-z0-9_]*\)(.*/\1/p' | while read -r m; do echo "$cls#$m"; done
done)

seed() { # seed DIR FILES...: copies files into a target's generated corpus
  local dir=".cifuzz-corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$dir/$(basename "$f")"; done
}
seed org.lovt.data.dicom.DicomFileFuzzTest/dicom testdata/data/dicom/*.dcm
seed org.lovt.data.dicom.DicomFileFuzzTest/dicomToUint8 testdata/data/dicom/*.dcm
seed org.lovt.data.datasets.prepare.ImageCodecFuzzTest/image $(find testdata/data/mimic-cxr-sample -name '*.jpg' | head -4)
seed org.lovt.config.ConfigFuzzTest/yaml $(find configs -name '*.yaml')
seed org.lovt.data.datasets.mimic.MimicFuzzTest/report $(find testdata/data/mimic-cxr-sample -name '*.txt' | head -8)

mvn -B -q -o test-compile >/dev/null 2>&1 || mvn -B -q test-compile || exit 1
failed=0
for t in $targets; do
  case "$t" in *"$filter"*) ;; *) continue ;; esac
  log="target/fuzz/${t//#/.}.log"
  echo "fuzzing $t for $time_limit${runs:+ or $runs runs} (log: $log)"
  start=$(date +%s)
  env JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$time_limit" ${runs:+JAZZER_MAX_EXECUTIONS=$runs} mvn -B -o test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  execs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $2}')
  fuzz_secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $5}')
  if [ $rc -eq 0 ]; then result=ok; else result="FINDING (see $log)"; failed=1; fi
  printf '%s\t%s\t%s\t%s\n' "$t" "${execs:-?}" "${fuzz_secs:-$secs}" "$result" >> "$summary"
done
column -t -s $'\t' "$summary"
exit $failed
