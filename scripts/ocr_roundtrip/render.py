#!/usr/bin/env python3
"""Render simulated scans as newspaper column images, OCR them with tesseract,
and write an evaluation set (pages/, truth/, SOURCE.md).

Usage (normally called by run.sh):

    render.py --sim SIM_DIR --out OUT --lang zh|en --seed S [--jobs J]
              [--keep-images] [--psm N] [--command TEXT]
    render.py --cer OUT        # only re-measure the per-scan CER of a finished set

SIM_DIR is the output of `cargo run --release --example simulate` (scan-XXXX.txt
files and truth.json, schema reprint-sim/1). Every rendering parameter of a
scan is drawn from random.Random seeded by (lang, seed, scan name), so a seed
gives the same images whatever the order or parallelism.
"""

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# ---------------------------------------------------------------------------
# Fonts

NOTO = "/usr/share/fonts/opentype/noto"
HAN_FONTS = [
    # (label, path, face name in the collection)
    ("Noto Serif CJK SC", f"{NOTO}/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    ("Noto Sans CJK SC", f"{NOTO}/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
]
HAN_BOLD = [
    f"{NOTO}/NotoSansCJK-Bold.ttc",
    f"{NOTO}/NotoSerifCJK-Bold.ttc",
]
TT = "/usr/share/fonts/truetype"
LATIN_FONTS = [
    # (label, regular, bold, italic); serif faces weighted up in the draw
    ("Liberation Serif", f"{TT}/liberation/LiberationSerif-Regular.ttf",
     f"{TT}/liberation/LiberationSerif-Bold.ttf", f"{TT}/liberation/LiberationSerif-Italic.ttf"),
    ("FreeSerif", f"{TT}/freefont/FreeSerif.ttf",
     f"{TT}/freefont/FreeSerifBold.ttf", f"{TT}/freefont/FreeSerifItalic.ttf"),
    ("DejaVu Serif Condensed", f"{TT}/dejavu/DejaVuSerifCondensed.ttf",
     f"{TT}/dejavu/DejaVuSerifCondensed-Bold.ttf", f"{TT}/dejavu/DejaVuSerifCondensed-Italic.ttf"),
    ("Liberation Sans Narrow", f"{TT}/liberation/LiberationSansNarrow-Regular.ttf",
     f"{TT}/liberation/LiberationSansNarrow-Bold.ttf", f"{TT}/liberation/LiberationSansNarrow-Italic.ttf"),
]
LATIN_WEIGHTS = [4, 3, 2, 1]

_face_index = {}


def face_index(path, want):
    """Index of the face named `want` in a font collection (0 for plain files)."""
    key = (path, want)
    if key not in _face_index:
        found = 0
        if path.endswith(".ttc"):
            for i in range(16):
                try:
                    f = ImageFont.truetype(path, 12, index=i)
                except OSError:
                    break
                if f.getname()[0] == want:
                    found = i
                    break
        _face_index[key] = found
    return _face_index[key]


def load(path, size, want=None):
    if want is None and path.endswith(".ttc"):
        want = "Noto Sans CJK SC" if "Sans" in path else "Noto Serif CJK SC"
    idx = face_index(path, want) if want else 0
    return ImageFont.truetype(path, size, index=idx)


def check_fonts():
    missing = [p for _, p, _ in HAN_FONTS] + HAN_BOLD + [p for f in LATIN_FONTS for p in f[1:]]
    missing = [p for p in missing if not os.path.exists(p)]
    if missing:
        sys.exit("render.py: missing fonts (run run.sh, which installs them):\n  " + "\n  ".join(missing))


# ---------------------------------------------------------------------------
# Parameters of one scan


def scan_params(lang, seed, scan):
    r = random.Random(f"reprint-ocr/{lang}/{seed}/{scan}")
    p = {"seed": r.getrandbits(63)}
    p["dpi"] = r.choice([150, 200, 200, 240, 300, 300])
    if lang == "zh" and p["dpi"] == 150:
        # chi_sim falls off a cliff below about 20 px a character (8.5 pt at
        # 150 dpi reads at 35-50% CER, at 180 dpi at about 5%)
        p["dpi"] = 180
    if lang == "zh":
        p["font"] = r.choice(range(len(HAN_FONTS)))
        p["pt"] = round(r.uniform(8.5, 11.0), 1)
        p["cols"] = r.randint(12, 18)  # characters a line
        p["indent"] = 2 if r.random() < 0.85 else 0  # characters
        p["hyphenate"] = False
        p["justify"] = True
    else:
        p["font"] = r.choices(range(len(LATIN_FONTS)), LATIN_WEIGHTS)[0]
        p["pt"] = round(r.uniform(8.0, 10.5), 1)
        p["cols"] = r.randint(30, 50)
        p["indent"] = round(r.choice([0, 1.0, 1.5, 1.5, 2.0]), 1)  # em
        p["hyphenate"] = r.random() < 0.6
        p["justify"] = r.random() < 0.7
    p["leading"] = round(r.uniform(1.15, 1.45), 2)
    p["para_gap"] = round(r.choice([0.0, 0.0, 0.0, 0.2, 0.4, 0.6]), 1)  # extra lines
    p["lines_per_column"] = r.randint(40, 80)
    # Degradations.
    p["blur"] = round(r.uniform(0.25, 1.0), 2)  # gaussian radius, in 300-dpi pixels
    p["ink"] = r.choice(["normal", "normal", "heavy", "light"])
    p["uneven"] = round(r.uniform(0.0, 0.45), 2)  # depth of the low-frequency ink fade
    p["paper"] = r.randint(205, 248)  # background grey
    p["salt_pepper"] = round(r.uniform(0.0002, 0.003), 4)  # fraction of pixels flipped
    p["speckle"] = r.randint(0, 30)  # dark blots per column
    p["skew"] = round(r.uniform(-1.2, 1.2), 2)  # degrees
    p["jpeg"] = r.randint(15, 55)
    # resolution loss before upsampling back, never below an effective 130 dpi
    p["downsample"] = round(max(r.choice([1.0, 1.0, 0.8, 0.65]), min(1.0, 130 / p["dpi"])), 2)
    p["photo"] = r.random() < 0.5  # a halftone photo above captions
    return p


# ---------------------------------------------------------------------------
# Line breaking

HAN_NO_START = set("，。、；：？！）》」』”’％,.;:?!)%·…—")
HAN_NO_END = set("（《「『“‘(")


def wrap_han(text, font, width, first_indent):
    """Break at any character; keep closing punctuation off line starts."""
    lines, cur, w = [], "", first_indent
    for ch in text:
        cw = font.getlength(ch)
        if cur and w + cw > width + 0.01:
            if ch in HAN_NO_START:
                # hang it at the end of the line (overflow a little, as printers do)
                cur += ch
                lines.append(cur)
                cur, w = "", 0.0
                continue
            if cur[-1] in HAN_NO_END and len(cur) > 1:
                lines.append(cur[:-1])
                cur = cur[-1]
                w = font.getlength(cur)
            else:
                lines.append(cur)
                cur, w = "", 0.0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


VOWELS = set("aeiouyAEIOUY")
NO_SPLIT = {"th", "ch", "sh", "ph", "wh", "ck", "gh", "qu"}


def hyphen_split(word, font, room):
    """Split `word` so that its head plus a hyphen fits `room`; None if no good
    split. Cuts at a hyphen the word has, else between two consonants (not a
    digraph) or before a consonant-vowel pair, leaving at least 2 letters
    before and 3 after."""
    if not word.isascii():
        return None
    for cut in range(len(word) - 1, 1, -1):
        head, tail = word[:cut], word[cut:]
        if sum(c.isalpha() for c in tail) < 3 or sum(c.isalpha() for c in head) < 2:
            continue
        if head.endswith("-") and tail[0].isalpha():
            if font.getlength(head) <= room:
                return head, tail
            continue
        if not (head[-1].isalpha() and tail[0].isalpha() and head[-2].isalpha() and tail[1:2].isalpha()):
            continue
        x, y, z = head[-1], tail[0], tail[1]
        cc = x not in VOWELS and y not in VOWELS and (x + y).lower() not in NO_SPLIT
        vcv = x in VOWELS and y not in VOWELS and z in VOWELS
        if (cc or vcv) and font.getlength(head + "-") <= room:
            return head + "-", tail
    return None


def wrap_latin(text, font, width, first_indent, hyphenate):
    """Word wrap at spaces; optionally hyphenate a long word that would start the next line."""
    words = text.split(" ")
    lines, cur, indent = [], [], first_indent
    space = font.getlength(" ")
    i = 0
    while i < len(words):
        word = words[i]
        line_w = font.getlength(" ".join(cur)) if cur else 0.0
        need = line_w + (space if cur else 0.0) + font.getlength(word)
        if indent + need <= width or not cur:
            if not cur and indent + font.getlength(word) > width:
                # a word longer than the column: cut it hard
                split = hyphen_split(word, font, width - indent)
                if split:
                    lines.append(([split[0]], indent))
                    words[i] = split[1]
                    indent = 0.0
                    continue
            cur.append(word)
            i += 1
            continue
        if hyphenate:
            room = width - indent - line_w - space
            split = hyphen_split(word, font, room)
            if split:
                cur.append(split[0])
                words[i] = split[1]
        lines.append((cur, indent))
        cur, indent = [], 0.0
    if cur:
        lines.append((cur, indent))
    return lines


# ---------------------------------------------------------------------------
# Drawing


class Column:
    """Rows of drawing operations, cut into column images later."""

    def __init__(self):
        self.rows = []  # (height, draw(img_draw, img, x0, y) callable)


def layout_scan(text, debris, p, lang):
    """Turn a scan's text into a list of rows: (height_px, painter)."""
    px = max(8, round(p["pt"] * p["dpi"] / 72))
    scale = p["dpi"] / 300
    r = random.Random(p["seed"])
    if lang == "zh":
        _, path, want = HAN_FONTS[p["font"]]
        font = load(path, px, want)
        small = load(path, max(8, round(px * 0.85)), want)
        bold = load(HAN_BOLD[p["font"]], px)
        width = round(p["cols"] * font.getlength("中"))
        italic = small
    else:
        _, reg, b, it = LATIN_FONTS[p["font"]]
        font = ImageFont.truetype(reg, px)
        small = ImageFont.truetype(reg, max(8, round(px * 0.85)))
        bold = ImageFont.truetype(b, px)
        italic = ImageFont.truetype(it, max(8, round(px * 0.9)))
        sample = "the quick brown fox jumps over a lazy dog, 1984; Mr Smith said."
        width = round(p["cols"] * font.getlength(sample) / len(sample))
    line_h = round(px * p["leading"])
    rows = []

    def text_row(s, f, x=0, justify_words=None, align="left", h=line_h):
        def paint(d, img, x0, y, s=s, f=f, x=x, words=justify_words, align=align):
            if words is not None and len(words) > 1:
                total = sum(f.getlength(w) for w in words)
                gap = (width - x - total) / (len(words) - 1)
                xx = x0 + x
                for w in words:
                    d.text((xx, y), w, font=f, fill=0)
                    xx += f.getlength(w) + gap
                return
            lw = f.getlength(s)
            if align == "center":
                xx = x0 + (width - lw) / 2
            elif align == "right":
                xx = x0 + width - lw
            else:
                xx = x0 + x
            d.text((xx, y), s, font=f, fill=0)
        rows.append((h, paint))

    def rule_row():
        def paint(d, img, x0, y):
            d.line((x0, y + line_h // 4, x0 + width, y + line_h // 4), fill=0, width=max(1, round(2 * scale)))
        rows.append((line_h // 2, paint))

    def block_row(kind):
        # a halftone photo or a QR code: squares of ink, read by OCR as whatever it likes
        if kind == "qr":
            n = 21
            cell = max(2, round(6 * scale))
            side = n * cell
            bits = [[r.random() < 0.5 for _ in range(n)] for _ in range(n)]
            for (a, b) in ((0, 0), (0, n - 7), (n - 7, 0)):
                for i in range(7):
                    for j in range(7):
                        bits[a + i][b + j] = i in (0, 6) or j in (0, 6) or (2 <= i <= 4 and 2 <= j <= 4)

            def paint(d, img, x0, y):
                for i in range(n):
                    for j in range(n):
                        if bits[i][j]:
                            d.rectangle((x0 + j * cell, y + i * cell, x0 + (j + 1) * cell - 1,
                                         y + (i + 1) * cell - 1), fill=0)
            rows.append((side + line_h // 3, paint))
        else:
            h = round(width * r.uniform(0.45, 0.7))
            dots = max(3, round(7 * scale))
            tone = np.random.default_rng(r.getrandbits(32))
            field = tone.random((h // dots + 2, width // dots + 2))
            # smooth the field so the photo has shapes
            k = np.ones((3, 3)) / 9
            for _ in range(3):
                f = np.pad(field, 1, mode="edge")
                field = sum(f[i:i + field.shape[0], j:j + field.shape[1]] * k[i, j]
                            for i in range(3) for j in range(3))

            def paint(d, img, x0, y):
                for i in range(field.shape[0]):
                    for j in range(field.shape[1]):
                        rad = dots * 0.6 * field[i, j]
                        cx, cy = x0 + j * dots, y + i * dots
                        if cy + rad >= y + h or cx + rad >= x0 + width:
                            continue
                        d.ellipse((cx - rad, cy - rad, cx + rad, cy + rad), fill=0)
            rows.append((h + line_h // 3, paint))

    # Which byte ranges are debris, and of what kind.
    data = text.encode("utf-8")
    kinds = {}
    for db in debris:
        kinds[(db["start"], db["end"])] = db["kind"]

    pos = 0
    first_para = True
    for block in text.split("\n\n"):
        block_start = pos
        pos += len(block.encode("utf-8")) + 2
        if not block.strip():
            continue
        line_pos = block_start
        for line in block.split("\n"):
            start = line_pos
            end = start + len(line.encode("utf-8"))
            line_pos = end + 1
            kind = kinds.get((start, end))
            if kind is None:
                # inside a debris range that spans several lines?
                for (a, b), k in kinds.items():
                    if a <= start and end <= b:
                        kind = k
            if kind is None:
                # body paragraph
                indent_px = (p["indent"] * font.getlength("中") if lang == "zh"
                             else p["indent"] * px) if not first_para or r.random() < 0.5 else 0.0
                first_para = False
                if lang == "zh":
                    lines = wrap_han(line, font, width, indent_px)
                    for k, ln in enumerate(lines):
                        text_row(ln, font, x=indent_px if k == 0 else 0)
                else:
                    # fullwidth punctuation (the simulator's width swaps) is not in
                    # Latin fonts; a Latin page prints it as its halfwidth form
                    line = unicodedata.normalize("NFKC", line)
                    lines = wrap_latin(line, font, width, indent_px, p["hyphenate"])
                    for k, (words, ind) in enumerate(lines):
                        last = k == len(lines) - 1
                        text_row(" ".join(words), font, x=ind,
                                 justify_words=words if p["justify"] and not last else None)
                if p["para_gap"]:
                    rows.append((round(line_h * p["para_gap"]), lambda *a: None))
                continue
            # debris lines get a newspaper's furniture styling
            if kind == "caption" and p["photo"]:
                block_row("photo")
            if kind == "qr-prompt":
                block_row("qr")
            if kind == "furniture":
                rule_row()
            f = {"caption": bold if lang == "zh" else italic,
                 "credit": small, "jump-marker": italic, "qr-prompt": small,
                 "furniture": small}.get(kind, small)
            align = {"credit": "right", "jump-marker": "right" if lang == "en" else "left",
                     "furniture": "center"}.get(kind, "left")
            if lang == "zh":
                parts = wrap_han(line, f, width, 0)
            else:
                line = unicodedata.normalize("NFKC", line)
                parts = [" ".join(ws) for ws, _ in wrap_latin(line, f, width, 0, False)]
            for ln in parts:
                text_row(ln, f, align=align)
            if kind == "furniture":
                rule_row()
            rows.append((line_h // 3, lambda *a: None))
    return rows, width, line_h


def degrade(img, p, rng):
    """Scanner and newsprint damage on a grayscale page (0 ink, 255 paper)."""
    scale = p["dpi"] / 300
    if p["ink"] == "heavy":
        # ink spreads: thicken strokes (a 3x3 min filter is about one pixel at 300 dpi)
        img = img.filter(ImageFilter.MinFilter(3)) if scale > 0.7 else img
    a = np.asarray(img, dtype=np.float32) / 255.0  # 1 paper, 0 ink
    h, w = a.shape
    ink = 1.0 - a
    if p["ink"] == "light":
        ink = ink * 0.7
    # uneven ink: a smooth random field multiplies the ink
    if p["uneven"] > 0:
        gh, gw = max(2, h // 150), max(2, w // 150)
        coarse = rng.random((gh, gw)).astype(np.float32)
        field = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize(
            (w, h), Image.BICUBIC), dtype=np.float32) / 255.0
        ink = ink * (1.0 - p["uneven"] * field)
    paper = p["paper"] / 255.0
    # paper with a little grain
    grain = rng.normal(0.0, 0.025, (h, w)).astype(np.float32)
    out = paper + grain - ink * (paper - 0.08)
    # speckle: dark blots
    for _ in range(p["speckle"]):
        y, x = rng.integers(0, h), rng.integers(0, w)
        rad = rng.uniform(0.7, 2.2) * max(1.0, scale * 1.5)
        y0, y1 = int(max(0, y - rad)), int(min(h, y + rad + 1))
        x0, x1 = int(max(0, x - rad)), int(min(w, x + rad + 1))
        yy, xx = np.ogrid[y0:y1, x0:x1]
        disc = (yy - y) ** 2 + (xx - x) ** 2 <= rad * rad
        patch = out[y0:y1, x0:x1]
        patch[disc] = np.minimum(patch[disc], rng.uniform(0.1, 0.5))
    out = np.clip(out, 0, 1)
    img = Image.fromarray((out * 255).astype(np.uint8))
    # skew
    if p["skew"]:
        img = img.rotate(p["skew"], resample=Image.BICUBIC, expand=True, fillcolor=p["paper"])
    # blur (radius given for 300 dpi)
    if p["blur"] > 0:
        img = img.filter(ImageFilter.GaussianBlur(p["blur"] * scale))
    # resolution loss
    if p["downsample"] < 1.0:
        w, h = img.size
        small = img.resize((max(1, round(w * p["downsample"])), max(1, round(h * p["downsample"]))), Image.BILINEAR)
        img = small.resize((w, h), Image.BILINEAR)
    # salt and pepper
    a = np.asarray(img).copy()
    n = int(a.size * p["salt_pepper"])
    if n:
        ys = rng.integers(0, a.shape[0], n)
        xs = rng.integers(0, a.shape[1], n)
        a[ys, xs] = np.where(rng.random(n) < 0.5, 0, 255)
    img = Image.fromarray(a)
    return img


def jpeg_roundtrip(img, quality, path):
    img.save(path, "JPEG", quality=quality)
    return Image.open(path).convert("L")


def render_scan(text, debris, p, lang):
    """Column images (PIL, grayscale) of one scan."""
    rows, width, line_h = layout_scan(text, debris, p, lang)
    rng = np.random.default_rng(p["seed"])
    margin = round(line_h * 1.2)
    # cut into columns of about lines_per_column text lines
    limit = p["lines_per_column"] * line_h
    columns, cur, hsum = [], [], 0
    for row in rows:
        if cur and hsum + row[0] > limit:
            columns.append(cur)
            cur, hsum = [], 0
        cur.append(row)
        hsum += row[0]
    if cur:
        columns.append(cur)
    images = []
    for col in columns:
        H = sum(h for h, _ in col) + 2 * margin
        W = width + 2 * margin + round(line_h * 0.5)  # right overhang for hung punctuation
        img = Image.new("L", (W, H), 255)
        d = ImageDraw.Draw(img)
        y = margin
        for h, paint in col:
            paint(d, img, margin, y)
            y += h
        images.append(degrade(img, p, rng))
    return images


# ---------------------------------------------------------------------------
# One scan: render, OCR


def tesseract_lang(lang):
    return "chi_sim" if lang == "zh" else "eng"


def work(task):
    lang, psm, keep, tmp, scan, fam_dir, text, debris, p = task
    t0 = time.time()
    images = render_scan(text, debris, p, lang)
    texts = []
    saved = []
    for k, img in enumerate(images):
        jpg = os.path.join(tmp, f"{scan}-{k}.jpg")
        img = jpeg_roundtrip(img, p["jpeg"], jpg)
        png = os.path.join(tmp, f"{scan}-{k}.png")
        img.save(png, dpi=(p["dpi"], p["dpi"]))
        os.unlink(jpg)
        res = subprocess.run(
            ["tesseract", png, "-", "-l", tesseract_lang(lang), "--psm", str(psm),
             "--dpi", str(p["dpi"])],
            capture_output=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        if res.returncode != 0:
            raise RuntimeError(f"tesseract failed on {png}: {res.stderr.decode(errors='replace')}")
        out = res.stdout.decode("utf-8", errors="replace").replace("\f", "")
        texts.append(out.strip("\n"))
        if keep:
            dest = Path(keep) / fam_dir
            dest.mkdir(parents=True, exist_ok=True)
            name = f"{scan}-{k + 1}.png" if len(images) > 1 else f"{scan}.png"
            shutil.move(png, dest / name)
            saved.append(str(dest / name))
        else:
            os.unlink(png)
    # columns follow one another as printed: no blank line added between them
    ocr = "\n".join(t for t in texts if t) + "\n"
    return scan, fam_dir, ocr, len(images), time.time() - t0


# ---------------------------------------------------------------------------
# CER


def levenshtein(a, b):
    """Edit distance (Hyyrö's bit-parallel form of Myers' algorithm)."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq = {}
    for i, c in enumerate(b):
        peq[c] = peq.get(c, 0) | (1 << i)
    mask = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for c in a:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def norm(s):
    return "".join(unicodedata.normalize("NFKC", s).split())


def cer(hyp, ref):
    ref, hyp = norm(ref), norm(hyp)
    return levenshtein(hyp, ref) / max(1, len(ref))


def measure(out):
    """Per-scan CER of a finished set: against its family's truth, and (when the
    simulator's scans are kept in OUT/sim) against the text the scan printed."""
    out = Path(out)
    truths = {p.name[:-len(".truth.txt")]: p.read_text() for p in (out / "truth").glob("*.truth.txt")}
    rows = []
    for fam_dir in sorted((out / "pages").iterdir()):
        for page in sorted(fam_dir.glob("*.txt")):
            ocr = page.read_text()
            printed = out / "sim" / page.name
            ocr_cer = cer(ocr, printed.read_text()) if printed.exists() else float("nan")
            rows.append((fam_dir.name, page.stem, cer(ocr, truths[fam_dir.name]), ocr_cer))
    return rows


def summarize(rows, distractors=()):
    fams = {}
    for fam, scan, c_truth, c_ocr in rows:
        fams.setdefault(fam, []).append((c_truth, c_ocr))
    real = {f: v for f, v in fams.items() if f not in distractors}
    all_ocr = [c for v in fams.values() for _, c in v if not math.isnan(c)]
    real_truth = [c for v in real.values() for c, _ in v]
    best = [min(c for c, _ in v) for v in real.values()]
    best_ocr = [min(c for _, c in v) for v in real.values()]
    s = {
        "scans": len(rows),
        "families": len(real),
        "ocr_cer_mean": statistics.mean(all_ocr) if all_ocr else float("nan"),
        "ocr_cer_median": statistics.median(all_ocr) if all_ocr else float("nan"),
        "ocr_cer_best_per_family_mean": statistics.mean(best_ocr) if best_ocr else float("nan"),
        "truth_cer_mean": statistics.mean(real_truth) if real_truth else float("nan"),
        "truth_cer_best_per_family_mean": statistics.mean(best) if best else float("nan"),
    }
    return s


def format_summary(s):
    return (
        f"{s['scans']} scans, {s['families']} families (distractors left out of the family figures)\n"
        f"OCR-only CER (OCR text vs the text the scan printed), all scans: "
        f"mean {100 * s['ocr_cer_mean']:.2f}%, median {100 * s['ocr_cer_median']:.2f}%; "
        f"best scan of each family, mean {100 * s['ocr_cer_best_per_family_mean']:.2f}%\n"
        f"Scan vs family truth CER (also counts debris, repeats, fragments, missing paragraphs): "
        f"mean {100 * s['truth_cer_mean']:.2f}%; best scan of each family, mean "
        f"{100 * s['truth_cer_best_per_family_mean']:.2f}%\n"
    )


# ---------------------------------------------------------------------------
# Main


def fam_name(i):
    return f"f{int(i):04d}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sim")
    ap.add_argument("--out")
    ap.add_argument("--lang", choices=["zh", "en"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--psm", type=int, default=None, help="tesseract page segmentation mode (default 6)")
    ap.add_argument("--keep-images", action="store_true")
    ap.add_argument("--command", default="", help="the command line to record in SOURCE.md")
    ap.add_argument("--simulate-command", default="")
    ap.add_argument("--simulate-version", default="")
    ap.add_argument("--elapsed-sim", type=float, default=0.0)
    ap.add_argument("--cer", metavar="OUT", help="only measure the CER of a finished set")
    args = ap.parse_args()

    if args.cer:
        rows = measure(args.cer)
        dis = set()
        tj = Path(args.cer) / "sim" / "truth.json"
        if tj.exists():
            dis = {fam_name(f["id"]) for f in json.loads(tj.read_text())["families"] if f["distractor"]}
        print(format_summary(summarize(rows, dis)), end="")
        return

    if not (args.sim and args.out and args.lang):
        ap.error("--sim, --out and --lang are required")
    check_fonts()
    psm = args.psm if args.psm is not None else 6
    sim, out = Path(args.sim), Path(args.out)
    truth = json.loads((sim / "truth.json").read_text())
    if truth.get("schema") != "reprint-sim/1":
        sys.exit(f"render.py: {sim}/truth.json: unexpected schema {truth.get('schema')!r}")

    (out / "truth").mkdir(parents=True, exist_ok=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    fam_of = {}
    for f in truth["families"]:
        paras = [x for x in f["text"].split("\n") if x.strip()]
        (out / "truth" / f"{fam_name(f['id'])}.truth.txt").write_text("\n\n".join(paras) + "\n")
        for s in f["scans"]:
            fam_of[s] = fam_name(f["id"])
    # keep the simulator's output beside the set (for the OCR-only CER and for debugging)
    if (out / "sim").resolve() != sim.resolve():
        shutil.copytree(sim, out / "sim", dirs_exist_ok=True)

    keep = str(out / "images") if args.keep_images else None
    tmp = tempfile.mkdtemp(prefix="reprint-ocr-")
    tasks, params = [], {}
    for s in truth["scans"]:
        name = s["name"]
        text = (sim / f"{name}.txt").read_text()
        p = scan_params(args.lang, args.seed, name)
        params[name] = p
        tasks.append((args.lang, psm, keep, tmp, name, fam_of.get(name, fam_name(s["family"])),
                      text, s.get("debris", []), p))
    t0 = time.time()
    n_images = 0
    done = 0
    with Pool(args.jobs) as pool:
        for scan, fam_dir, ocr, nimg, dt in pool.imap_unordered(work, tasks):
            d = out / "pages" / fam_dir
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{scan}.txt").write_text(ocr)
            n_images += nimg
            done += 1
            if done % 10 == 0 or done == len(tasks):
                print(f"  {done}/{len(tasks)} scans OCR'd ({time.time() - t0:.0f} s)", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.time() - t0

    rows = measure(out)
    dis = {fam_name(f["id"]) for f in truth["families"] if f["distractor"]}
    summary = summarize(rows, dis)
    print(format_summary(summary), end="")
    write_source(out, args, psm, truth, params, n_images, elapsed, summary, rows)


def write_source(out, args, psm, truth, params, n_images, elapsed, summary, rows):
    tver = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    tver = (tver.stdout or tver.stderr).splitlines()[0]
    fams = truth["families"]
    fonts = HAN_FONTS if args.lang == "zh" else LATIN_FONTS
    font_lines = "\n".join(f"- {f[0]}: `{f[1]}`" for f in fonts)
    by_scan = {scan: (ct, co) for _, scan, ct, co in rows}
    table = ["| scan | family | dpi | font | pt | chars/line | blur | skew | jpeg q | s&p | downsample | ink | OCR CER | truth CER |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    fam_of = {s["name"]: s["family"] for s in truth["scans"]}
    for name in sorted(params):
        p = params[name]
        ct, co = by_scan.get(name, (float("nan"), float("nan")))
        table.append(
            f"| {name} | {fam_name(fam_of[name])} | {p['dpi']} | {fonts[p['font']][0]} | {p['pt']} | {p['cols']} | "
            f"{p['blur']} | {p['skew']} | {p['jpeg']} | {p['salt_pepper']} | {p['downsample']} | {p['ink']} | "
            f"{100 * co:.1f}% | {100 * ct:.1f}% |")
    text = f"""# OCR round trip: {out.name}

Made by `scripts/ocr_roundtrip/run.sh` in the reprint repository:

    {args.command}

1. Layout: the crate's simulator at zero character noise
   (`{args.simulate_command}`; the `simulate` example {args.simulate_version}),
   seed {args.seed}, language {args.lang}:
   {len(fams)} families ({sum(f['distractor'] for f in fams)} of them distractors), {len(truth['scans'])} scans,
   with the simulator's repeats, fragments, page breaks (captions, credits, jump lines),
   abridgement, moved sections and debris; its width-variant punctuation swaps (which NFKC
   folds) are on as always. Its output is kept in `sim/` (scan-XXXX.txt, truth.json).
2. Rendering (`scripts/ocr_roundtrip/render.py`, Pillow + numpy): each scan set as a newspaper
   column, {n_images} column images in all; per scan, from `random.Random("reprint-ocr/{args.lang}/{args.seed}/<scan>")`:
   font, size ({'8.5–11' if args.lang == 'zh' else '8–10.5'} pt), resolution ({'180' if args.lang == 'zh' else '150'}–300 dpi), column width
   ({'12–18 characters, breaking at any character, no closing punctuation at a line start' if args.lang == 'zh' else '30–50 characters, word-wrapped at spaces, justified in most scans, hyphenating long words in some'}),
   first-line indent, leading, paragraph gap, 40–80 lines a column image; debris styled as
   furniture (centred, between rules), captions (bold/italic, a halftone photo above in half the scans),
   credits (right), jump lines, and "scan the code" prompts under a QR-like block.
   Degradations: heavy/light/uneven ink, paper grey and grain, speckle blots, salt-and-pepper,
   skew (±1.2°), gaussian blur, resolution loss, JPEG at quality 15–55.
   Fonts:
{font_lines}
3. OCR: `tesseract IMAGE - -l {tesseract_lang(args.lang)} --psm {psm} --dpi DPI` on each column
   image, texts of a scan's columns concatenated in order, one printed line per line as the
   engine wrote them (nothing rejoined). {tver}; OMP_THREAD_LIMIT=1, {args.jobs} jobs.
   Render + OCR took {elapsed:.0f} s (simulate {args.elapsed_sim:.1f} s).

Layout: `pages/<family>/<scan>.txt` (OCR text; a distractor is a family of one),
`truth/<family>.truth.txt` (clean paragraphs separated by a blank line){', `images/<family>/<scan>[-k].png`' if args.keep_images else ''}.

## Character error of the scans

CER = Levenshtein distance / reference length, on NFKC text with all whitespace removed.

{format_summary(summary)}
## Per-scan parameters

{chr(10).join(table)}
"""
    (out / "SOURCE.md").write_text(text)


if __name__ == "__main__":
    main()
