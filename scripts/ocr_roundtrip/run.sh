#!/usr/bin/env bash
# Real OCR round trip: simulate scans' layout with the crate's simulator (zero
# character noise), render each scan as degraded newspaper column images,
# OCR them with tesseract, and write an evaluation set:
#
#   OUT/pages/<family>/<scan>.txt   OCR text, one printed line per line
#   OUT/truth/<family>.truth.txt    clean paragraphs separated by a blank line
#   OUT/SOURCE.md                   how it was made, per-scan parameters and CER
#   OUT/sim/                        the simulator's output (scan-XXXX.txt, truth.json)
#   OUT/images/<family>/            the column images (with --keep-images)
#
# usage: scripts/ocr_roundtrip/run.sh [--lang zh|en] [--families N] [--seed S]
#            [--jobs J] [--distractors N] [--profile P] [--psm N] [--keep-images]
#            [--simulate-bin PATH] [--no-install] OUT
set -euo pipefail

usage() {
    sed -n '/^# usage:/,/^[^#]/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

lang=en families=20 seed=1 jobs=2 distractors="" profile="" psm=4 keep="" install=1 out="" simbin=""
while [ $# -gt 0 ]; do
    case "$1" in
        --lang) lang=${2:?}; shift 2 ;;
        --families) families=${2:?}; shift 2 ;;
        --seed) seed=${2:?}; shift 2 ;;
        --jobs) jobs=${2:?}; shift 2 ;;
        --distractors) distractors=${2:?}; shift 2 ;;
        --profile) profile=${2:?}; shift 2 ;;
        --psm) psm=${2:?}; shift 2 ;;
        --keep-images) keep=--keep-images; shift ;;
        --simulate-bin) simbin=${2:?}; shift 2 ;;
        --no-install) install=0; shift ;;
        -h|--help) usage ;;
        -*) echo "run.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$out" ] || { echo "run.sh: more than one OUT" >&2; usage; }; out=$1; shift ;;
    esac
done
[ -n "$out" ] || { echo "run.sh: no OUT given" >&2; usage; }
case "$lang" in zh|en) ;; *) echo "run.sh: --lang must be zh or en" >&2; exit 2 ;; esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cmdline="scripts/ocr_roundtrip/run.sh --lang $lang --families $families --seed $seed --jobs $jobs${distractors:+ --distractors $distractors}${profile:+ --profile $profile} --psm $psm${keep:+ $keep}${simbin:+ --simulate-bin $simbin} $out"

# --- 1. what it needs -------------------------------------------------------
debs=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim fonts-noto-cjk
      fonts-dejavu-core fonts-liberation fonts-freefont-ttf)
need_debs() {
    command -v tesseract >/dev/null || return 0
    local langs; langs=$(tesseract --list-langs 2>&1)
    grep -qx eng <<<"$langs" && grep -qx chi_sim <<<"$langs" || return 0
    for f in /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
             /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc \
             /usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf \
             /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf \
             /usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf \
             /usr/share/fonts/truetype/freefont/FreeSerif.ttf; do
        [ -e "$f" ] || return 0
    done
    return 1
}
if need_debs; then
    [ "$install" = 1 ] || { echo "run.sh: missing Debian packages: ${debs[*]} (and --no-install given)" >&2; exit 1; }
    echo "== installing ${debs[*]}"
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${debs[@]}" >/dev/null
fi
venv="$repo/target/ocr-venv"
py="$venv/bin/python"
if ! { [ -x "$py" ] && "$py" -c 'import PIL, numpy' 2>/dev/null; }; then
    [ "$install" = 1 ] || { echo "run.sh: no Python venv with Pillow and numpy at $venv" >&2; exit 1; }
    echo "== making $venv (Pillow, numpy)"
    python3 -m venv "$venv"
    "$py" -m pip install -q --disable-pip-version-check pillow numpy
fi

# --- 2. layout from the simulator -----------------------------------------
if [ -n "$simbin" ]; then
    [ -x "$simbin" ] || { echo "run.sh: --simulate-bin $simbin is not an executable" >&2; exit 1; }
    simver="given binary $simbin"
else
    echo "== building the simulate example"
    simbin="${CARGO_TARGET_DIR:-$repo/target}/release/examples/simulate"
    buildlog=$(mktemp)
    if (cd "$repo" && cargo build -q --release --example simulate) 2>"$buildlog"; then
        simver="built from the work tree at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
        [ -z "$(git -C "$repo" status --porcelain -- src examples 2>/dev/null)" ] || simver+=" (src/ or examples/ modified)"
    elif [ -x "$simbin" ]; then
        echo "run.sh: warning: the simulate example does not build now ($(grep -m1 '^error' "$buildlog")); using the last built $simbin" >&2
        simver="last built binary (the work tree did not build)"
    else
        cat "$buildlog" >&2
        echo "run.sh: the simulate example does not build" >&2
        exit 1
    fi
    rm -f "$buildlog"
fi
sim_args=(--families "$families" --seed "$seed" --lang "$lang" --noise 0)
[ -z "$distractors" ] || sim_args+=(--distractors "$distractors")
if [ -n "$profile" ]; then
    if "$simbin" --help 2>&1 | grep -q -- --profile; then
        sim_args+=(--profile "$profile")
    else
        echo "run.sh: this simulate example has no --profile flag" >&2
        exit 2
    fi
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
# a rerun into the same OUT starts clean (only what this script writes there)
rm -rf "$out/pages" "$out/truth" "$out/images" "$out/sim" "$out/SOURCE.md"
t0=$(date +%s%3N)
"$simbin" "${sim_args[@]}" "$out/sim"
t1=$(date +%s%3N)

# --- 3-5. render, OCR, write the set --------------------------------------
echo "== rendering and OCR ($jobs jobs)"
"$py" "$here/render.py" --sim "$out/sim" --out "$out" --lang "$lang" --seed "$seed" \
    --jobs "$jobs" --psm "$psm" $keep \
    --command "$cmdline" \
    --simulate-command "simulate ${sim_args[*]} OUT/sim" --simulate-version "$simver" \
    --elapsed-sim "$(awk "BEGIN { print ($t1 - $t0) / 1000 }")"
t2=$(date +%s%3N)
echo "== done in $(( (t2 - t0) / 1000 )) s: $out"
