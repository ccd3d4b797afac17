#!/usr/bin/env bash
# Regenerate README's accuracy table: the real sets, the simulator's default
# and hard profiles in Han and Latin over five seeds, and the OCR round trip
# (when its output is in target/ocr/; `--ocr` runs it first: 2-3 minutes a
# set, ten sets).
#
#   scripts/accuracy.sh [--ocr] [--seeds "1 2 3 4 5"] [--families 200]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="1 2 3 4 5"
families=200
ocr=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ocr) ocr=1 ;;
    --seeds) seeds="$2"; shift ;;
    --families) families="$2"; shift ;;
    *) echo "usage: scripts/accuracy.sh [--ocr] [--seeds \"1 2 3\"] [--families N]" >&2; exit 1 ;;
  esac
  shift
done
cargo build -q --release --example simulate --example eval
sim=target/release/examples/simulate
eval=target/release/examples/eval
out=target/accuracy
mkdir -p "$out"

echo "| set | seeds | families | scans | CER canonical (mean / worst) | best scan | mean scan | WER (best scan) | order error | garbled words | paragraphs doubled / lost | length ÷ longest (mean / max) | families P / R | reconcile |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
$eval --row --each --name '`unlv_bus3b` (real OCR, 3 engines; each page alone)' tests/data/real/unlv_bus3b 2>/dev/null || true
$eval --row --name '`impresso_passim` (real reprints)' tests/data/real/impresso_passim 2>/dev/null || true
for profile in default hard; do
  for lang in zh en; do
    dirs=()
    for s in $seeds; do
      d="$out/sim-$profile-$lang-$s"
      $sim --profile "$profile" --families "$families" --seed "$s" --lang "$lang" "$d" >/dev/null
      dirs+=("$d")
    done
    name="simulated, $profile, $([ $lang = zh ] && echo Han || echo Latin)"
    $eval --row --name "$name" "${dirs[@]}"
  done
done
for lang in zh en; do
  dirs=()
  for s in $seeds; do
    d="target/ocr/$lang-s$s"
    if [ "$ocr" = 1 ]; then
      scripts/ocr_roundtrip/run.sh --lang "$lang" --families 20 --seed "$s" "$d" >&2
    fi
    [ -d "$d/pages" ] && dirs+=("$d")
  done
  if [ ${#dirs[@]} -gt 0 ]; then
    $eval --row --name "OCR round trip, $([ $lang = zh ] && echo Han || echo Latin)" "${dirs[@]}" 2>/dev/null || true
  fi
done
