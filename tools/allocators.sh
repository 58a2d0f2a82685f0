#!/usr/bin/env bash
# Times attention blocks and a tiny UNet's step under each native allocator the launcher can
# run on: glibc as it comes, glibc with the launcher's tunables (what a fresh machine runs), and
# tcmalloc when it is installed. The allocators take turns inside every round, so load from other
# work touches each alike; the table gives each cell's median time and peak resident memory over
# the rounds, and its time over tcmalloc's.  usage: tools/allocators.sh [ROUNDS [NAME]]: ROUNDS
# (default 3) of every cell, or of the cells whose name contains NAME
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
only="${2:-}"
./attnbench backends >/dev/null # builds the launcher's classpath once, outside the timings

conditions=("glibc" "glibc+tunables")
[[ -f /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 ]] && conditions+=("tcmalloc")
block=(attention --grid 64x64 --channels 320 --heads 8 --repeat 5)
large=(attention --grid 128x128 --channels 320 --heads 8 --repeat 3) # SD 1.5's level 1 at 1024 px
cells=(
  "ORT dense (naive)|${block[*]} --backend onnxruntime --variant dense"
  "DJL dense (naive)|${block[*]} --backend djl --variant dense"
  "ORT ToDo f=2|${block[*]} --backend onnxruntime --variant todo:factor=2"
  "DJL ToDo f=2|${block[*]} --backend djl --variant todo:factor=2"
  "DJL ToDo f=2 fused|${block[*]} --backend djl --variant todo:factor=2,kernel=fused"
  "ORT dense fused|${block[*]} --backend onnxruntime --variant dense:kernel=fused"
  "ORT tiny UNet step, 256 px|unet --model tiny --height 256 --width 256 --steps 6 --backend onnxruntime"
  "ORT ToDo f=2 fused, 128x128|${large[*]} --backend onnxruntime --variant todo:factor=2,kernel=fused"
  "ORT dense fused, 128x128|${large[*]} --backend onnxruntime --variant dense:kernel=fused"
)
for i in "${!cells[@]}"; do [[ "${cells[$i]%%|*}" == *"$only"* ]] || unset 'cells[i]'; done

run() { # condition, arguments: prints the cell's median in ms and its peak resident memory in MB
  local env=()
  case "$1" in
    glibc) env=(ATTNBENCH_NO_TCMALLOC=1 ATTNBENCH_NO_TUNABLES=1) ;;
    glibc+tunables) env=(ATTNBENCH_NO_TCMALLOC=1) ;;
    tcmalloc) env=() ;;
  esac
  shift
  env "${env[@]}" GLIBC_TUNABLES= ./attnbench "$@" 2>/dev/null |
    awk '/^median_ms:/ {ms = $2} /^step_s_median:/ {ms = $2 * 1000} /^peak_rss_mb:/ {mb = $2} END {print ms, mb}'
}

declare -A times rss
for ((r = 1; r <= rounds; r++)); do
  for cell in "${cells[@]}"; do
    for c in "${conditions[@]}"; do
      read -r ms mb <<<"$(run "$c" ${cell#*|})"
      times["${cell%%|*}|$c"]+="$ms "
      rss["${cell%%|*}|$c"]+="$mb "
      echo "round $r/$rounds  ${cell%%|*}  $c: $ms ms, peak $mb MB" >&2
    done
  done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
printf '| cell (median time, peak resident memory) |'; for c in "${conditions[@]}"; do printf ' %s |' "$c"; done
[[ " ${conditions[*]} " == *" tcmalloc "* ]] && printf ' glibc / tcmalloc | glibc+tunables / tcmalloc |'
printf '\n|---|'; for c in "${conditions[@]}"; do printf -- '---|'; done
[[ " ${conditions[*]} " == *" tcmalloc "* ]] && printf -- '---|---|'
echo
for cell in "${cells[@]}"; do
  name="${cell%%|*}"
  printf '| %s |' "$name"
  declare -A med=()
  for c in "${conditions[@]}"; do
    med[$c]="$(echo "${times[$name|$c]}" | median)"
    printf ' %.0f ms, %.0f MB |' "${med[$c]}" "$(echo "${rss[$name|$c]}" | median)"
  done
  if [[ -n "${med[tcmalloc]:-}" ]]; then
    awk -v a="${med[glibc]}" -v b="${med[glibc+tunables]}" -v t="${med[tcmalloc]}" 'BEGIN {printf " %.2fx | %.2fx |", a / t, b / t}'
  fi
  echo
done
