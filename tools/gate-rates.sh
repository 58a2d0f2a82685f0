#!/usr/bin/env bash
# Measures the gate's false-alarm and detection rates on this machine, from the same gate runs:
# each run of `attnbench gate` on the unchanged tree is judged twice,
#   - against the committed baseline: a regression there is a false alarm;
#   - against a copy of the baseline in which one variant's timed samples are divided by the
#     slowdown, so the unchanged run looks that much slower in every cell of that variant:
#     a pass there is a miss.
# Every LOAD_EVERY-th run (default every second one) has a CPU-bound process beside it
# (sha256sum /dev/zero, one core). Product code is not touched.
#
#   tools/gate-rates.sh [RUNS [OUT]]          take RUNS gate runs (default 20) into OUT, then judge them
#   tools/gate-rates.sh --judge OUT [ARGS]    judge OUT's runs again, ARGS passed to compare (e.g. --spread 5)
#
# Environment: LOAD_EVERY (0: never load), VARIANT (a cell family, default todo), SLOWDOWN (default 1.25),
# BASELINE (default results/baselines/gate). Set ATTNBENCH_JAVA_OPTS=-Djmh.ignoreLock=true on a shared machine.
# OUT/verdicts-VARIANT.tsv gets one line per run; the counts are printed at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
variant="${VARIANT:-todo}"
slowdown="${SLOWDOWN:-1.25}"
load_every="${LOAD_EVERY:-2}"
baseline="${BASELINE:-results/baselines/gate}"

# A copy of the baseline whose $variant cells ran $slowdown times faster, so that the same run
# measured against it is $slowdown times slower there: times divided, speedups multiplied.
slowed_baseline() {
  local to="$1"
  rm -rf "$to"
  cp -r "$baseline" "$to"
  find "$to" -name rows.csv -delete # the rows are read from rows.jsonl; a stale table would mislead
  find "$to" -name rows.jsonl | while read -r f; do
    jq -c --arg fam "$variant" --argjson s "$slowdown" '
      def div: if type == "number" then . / $s else . end;
      def mul: if type == "number" then . * $s else . end;
      if .cell.family == $fam and .status == "ok" then
        .timing.samples_ms |= map(. / $s)
        | .timing |= with_entries(if (.key | endswith("_ms")) and .key != "samples_ms" then .value |= div else . end)
        | .speedup |= with_entries(.value |= mul)
      else . end' "$f" > "$f.tmp"
    mv "$f.tmp" "$f"
  done
}

# A compared value's short name: its cell's label without the variant's parameters, and the metric.
named='def named: (.label | gsub(":[^ ]*"; "")) + " " + .metric; '

# "pass" or "regression: label, label" (or the verdict and exit code when neither) of one comparison.
verdict() {
  local json="$1" rc="$2"
  case "$rc" in
    0) echo pass ;;
    1) echo "regression: $(jq -r "$named"'[.changes[] | select(.regression) | named] | join("; ")' "$json")" ;;
    *) echo "exit $rc" ;;
  esac
}

# How near the unchanged run came to a false alarm: its timed value that moved furthest, as a share
# of that value's limit (100% would fail), e.g. "47% djl ... tome speedup".
closest() {
  jq -r "$named"'[.changes[] | select(.gated and .threshold != null and .ratio != null)
      | {share: ((.ratio | log | fabs) / (.threshold | log)), what: named}]
    | max_by(.share) // empty | "\(.share * 100 | round)% \(.what)"' "$1" 2>/dev/null || echo -
}

judge() {
  local out="$1"; shift
  slowed_baseline "$out/baseline-slowed-$variant"
  local table="$out/verdicts-$variant.tsv"
  printf 'run\tload\tunchanged\tslowed_%s\tclosest\n' "$variant" > "$table"
  local n=0 alarms=0 caught=0 i
  for i in $(ls "$out/runs" | grep -E '^[0-9]+$' | sort -n); do
    dir="$out/runs/$i"
    [[ -f "$dir/rows.jsonl" ]] || continue
    set +e
    ./attnbench compare --baseline "$baseline" --current "$dir" --json "$@" > "$dir.unchanged.json" 2>/dev/null; rc1=$?
    ./attnbench compare --baseline "$out/baseline-slowed-$variant" --current "$dir" --json "$@" > "$dir.slowed-$variant.json" 2>/dev/null; rc2=$?
    set -e
    v1="$(verdict "$dir.unchanged.json" "$rc1")"; v2="$(verdict "$dir.slowed-$variant.json" "$rc2")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$(cat "$dir.load" 2>/dev/null || echo -)" "$v1" "$v2" "$(closest "$dir.unchanged.json")" >> "$table"
    n=$((n + 1))
    [[ "$v1" == pass ]] || alarms=$((alarms + 1))
    [[ "$v2" == regression* ]] && caught=$((caught + 1))
  done
  column -t -s $'\t' "$table"
  # How often each value was flagged: a false alarm's cells, and which of the slowed cells caught it.
  for col in 3 4; do
    echo "flagged in column $(head -1 "$table" | cut -f"$col"), per value, of $n runs:"
    tail -n +2 "$table" | cut -f"$col" | grep '^regression: ' | sed 's/^regression: //' | tr ';' '\n' \
      | sed 's/^ *//' | sort | uniq -c | sed 's/^/  /' || true
  done
  echo "runs: $n; unchanged passed: $((n - alarms))/$n; ${slowdown}x slower $variant failed: $caught/$n"
}

if [[ "${1:-}" == --judge ]]; then
  [[ -d "${2:-}/runs" ]] || { echo "error: --judge needs a folder made by this script (with runs/)" >&2; exit 2; }
  out="$2"; shift 2
  judge "$out" "$@"
  exit 0
fi

runs="${1:-20}"
out="${2:-results/gate-rates/$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out/runs"
for ((i = 1; i <= runs; i++)); do
  load=none
  pid=
  if (( load_every > 0 && i % load_every == 0 )); then
    sha256sum /dev/zero > /dev/null & pid=$!
    load="sha256sum"
  fi
  start=$(date +%s)
  set +e
  ./attnbench gate --out "$out/runs/$i" > "$out/runs/$i.log" 2>&1; rc=$?
  set -e
  [[ -n "$pid" ]] && kill "$pid" && wait "$pid" 2>/dev/null || true
  echo "$load" > "$out/runs/$i.load"
  echo "run $i of $runs: exit $rc, load $load, $(( $(date +%s) - start )) s" | tee -a "$out/progress.txt"
done
judge "$out"
