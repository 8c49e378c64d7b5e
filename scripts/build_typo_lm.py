#!/usr/bin/env python3
"""Build `lints/typo-data/lm.bin`, the pruned word-bigram language model of `typo/in-context`,
from open-gram's model as Debian ships it. Deterministic: the same inputs give the same bytes.
Nothing here reads the evaluation material (../shared/reference/csc, ecspell-odw,
../shared/corpus).

usage: build_typo_lm.py [--lm PATH] [--lexicon PATH] [--bigrams N] [--out PATH]

Inputs (Debian `sunpinyin-data` 0.1.22+20170109, open-gram, CC BY-SA 3.0, see
/usr/share/doc/sunpinyin-data/copyright; `sunpinyin-utils` for `tslminfo`):
- /usr/lib/x86_64-linux-gnu/sunpinyin/data/lm_sc.t3g: a back-off word trigram model (71,759
  words, 2.5 M bigrams, 1 M trigrams), printed with `tslminfo -v` as `-ln Pr` and `-ln bow`;
- pydict_sc.bin, the same package's lexicon: its word strings (UCS-4, NUL-ended, word id
  order) start at the byte offset its header's third word gives.

What is kept: every unigram of a word of Han characters (its cost and back-off weight), and the
N bigrams of two such words (default 400,000) that are most probable as a pair among those
that beat the back-off estimate by at least one nat. Trigrams are dropped.

Output layout (little-endian):
  b"NLLM1\\0\\0\\0", u32 words, u32 bigrams,
  u32 length of the word block, the words in id order, each ended by b"\\n";
  u8 per word: round(8 * -ln P(w)) (max 255);
  u8 per word: round(16 * (-ln bow(w) + 4)) (clamped to 0..255);
  u32 per word + 1: where the word's bigrams start;
  per bigram: u24 second word, sorted by it within its first word;
  u8 per bigram: round(8 * -ln P(w2 | w1)).
"""
import argparse
import os
import struct
import subprocess

DATA = "/usr/lib/x86_64-linux-gnu/sunpinyin/data"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def is_han(s):
    return s != "" and all("\u4e00" <= c <= "\u9fff" for c in s)


def lexicon(path):
    b = open(path, "rb").read()
    n, _, off = struct.unpack_from("<3I", b, 0)
    words = []
    p = off
    for _ in range(n):
        s = []
        while True:
            (c,) = struct.unpack_from("<I", b, p)
            p += 4
            if c == 0:
                break
            s.append(chr(c))
        words.append("".join(s))
    return words


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lm", default=os.path.join(DATA, "lm_sc.t3g"))
    ap.add_argument("--lexicon", default=os.path.join(DATA, "pydict_sc.bin"))
    ap.add_argument("--bigrams", type=int, default=400_000)
    ap.add_argument("--out", default=os.path.join(ROOT, "lints", "typo-data", "lm.bin"))
    a = ap.parse_args()
    lex = lexicon(a.lexicon)
    dump = subprocess.run(["tslminfo", "-v", a.lm], capture_output=True, check=True,
                          text=True).stdout
    uni = {}
    bi = []
    level = None
    for line in dump.splitlines():
        if line.startswith("\\"):
            level = line.split("\\")[1]
            continue
        f = line.split()
        if level == "1-gram":
            w = int(f[0])
            if w < len(lex) and is_han(lex[w]):
                uni[w] = (float(f[1]), float(f[2]))
        elif level == "2-gram":
            w1, w2 = int(f[0]), int(f[1])
            if w1 in uni and w2 in uni:
                bi.append((w1, w2, float(f[2])))
        elif level == "3-gram":
            break
    # Keep the bigrams that say more than the back-off does, most probable pairs first.
    scored = []
    for w1, w2, c in bi:
        backoff = uni[w1][1] + uni[w2][0]
        if backoff - c >= 1.0:
            scored.append((uni[w1][0] + c, w1, w2, c))
    scored.sort()
    kept = scored[: a.bigrams]
    ids = sorted(uni, key=lambda w: (lex[w], w))
    new = {w: i for i, w in enumerate(ids)}
    by_first = [[] for _ in ids]
    for _, w1, w2, c in kept:
        by_first[new[w1]].append((new[w2], c))
    q = lambda x, k, lo=0.0: max(0, min(255, round(k * (x + lo))))
    words = b"".join(lex[w].encode("utf-8") + b"\n" for w in ids)
    out = bytearray(b"NLLM1\0\0\0")
    out += struct.pack("<II", len(ids), len(kept))
    out += struct.pack("<I", len(words)) + words
    out += bytes(q(uni[w][0], 8) for w in ids)
    out += bytes(q(uni[w][1], 16, 4.0) for w in ids)
    pos = 0
    offs = []
    for lst in by_first:
        lst.sort()
        offs.append(pos)
        pos += len(lst)
    offs.append(pos)
    out += struct.pack(f"<{len(offs)}I", *offs)
    for lst in by_first:
        for w2, _ in lst:
            out += struct.pack("<I", w2)[:3]
    for lst in by_first:
        out += bytes(q(c, 8) for _, c in lst)
    with open(a.out, "wb") as f:
        f.write(out)
    print(f"{a.out}: {len(ids)} words, {len(kept)} bigrams, {len(out)} bytes")


if __name__ == "__main__":
    main()
