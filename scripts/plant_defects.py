#!/usr/bin/env python3
"""A planted-defect set from real copy, and newslint's recall on it (issue 15).

usage: plant_defects.py NEWSLINT SHARED_DIR [--out DIR] [--seed N] [--per-class N] [--check]
                        [--no-lint]

Articles of SHARED_DIR/corpus/{xhmrdx,xxsb,xinmin} (one article a file) are copied with ONE
defect planted per output file, PER_CLASS files per class (fewer when the copy has too few
places for it), into DIR (default target/planted/): DIR/<class>/<nnn>-<corpus>-<file>, and the
gold in DIR/gold.jsonl, one object a line: file (relative to DIR), class, variant, lines
[first, last] (1-based, inclusive), rules (the rule ids that count as finding it), source
(corpus/file), note. The set is a pure function of the corpora and the seed: every choice comes
from sha256(seed|...), never from Python's `random` or hash order, so the same seed gives a
byte-identical set (--check builds it a second time in a subprocess and compares).

Classes (variants in the note and the `variant` field):
- cut: a body paragraph (running text: >= 40 characters, a 。！？ in it, ends in 。！？ or ”)
  cut at a random position strictly inside a sentence: never next to 。！？；：…— or a space,
  nor right after a closing mark that follows one; at least 4 characters on each side; after a
  comma is allowed. The continuation goes on the next line (`newline`), after a blank line
  (`blank`), or on the next line indented with U+3000 U+3000 (`indent`, whether or not the file
  indents its paragraphs; the note says which), about evenly.
- cut-dateline: a paragraph opening with a dateline (新华社北京4月26日电（记者…）, 本报讯（记者…）,
  本报讯 …) and text, cut right after the dateline; the same three layouts.
- duplicate: an exact copy of a body paragraph (running text, >= 20 characters) inserted after a
  paragraph at least two paragraphs later (`single`), or two consecutive such paragraphs copied
  together (`pair`, as in seed 002), with the file's paragraph separator.
- stray-latin: in body running text past any opening dateline, a 和/与/及 between two Han
  characters replaced by " and " (`and`; not in words such as 和平, 参与, 以及, 涉及), or one of
  THE_WORDS inserted with spaces after a 的 between Han characters (`word`).
- byline: in a byline or dateline: a misspelled role word (记者→记着, 通讯员→通迅员;
  `role-typo`), an impossible date in a dateline (4月31日, 13月N日; `bad-date`), ASCII
  brackets around a bracketed byline (`ascii-brackets`: found by byline-format or by
  punctuation-width, whose fix is the right one), or a missing name after a role word
  (（记者张三）→（记者）, 本报记者 张三 通讯员 李四 → 本报记者 通讯员 李四; `missing-name`).
- unit: a later occurrence of a unit the article uses at least twice, all in one Chinese
  spelling, respelled (公里→km, 千克→kg, …; `respell`); a later repeat of an amount with 元
  written without it (16.59亿元 … 16.59亿; `amount-repeat`); or, where the amount appears once,
  the clause holding it copied without 元 to the end of a later body paragraph
  (`amount-copy`).
- ascii-punct: one of ，；：？！（） between Han characters replaced by its ASCII form (not in an
  opening dateline: brackets around a byline are the byline class's).

Then the set is linted (`NEWSLINT check --no-config --format json DIR`) and the script prints
recall per class and variant: a gold entry is found when a finding in its file has one of its
rules and a line range overlapping its lines. It also compares every planted file's other
findings (those matching no gold) with its original's, per rule: "extra" findings are what the
planting added besides the defect (near the planted lines, or elsewhere: the latter means the
planting itself makes noise). Missed entries are written to DIR/misses.txt with their lines.

--check: exit 1 when a class has recall < MIN_RECALL, or when a second build with the same
seed is not byte-identical.
"""
import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPORA = ("xhmrdx", "xxsb", "xinmin")
MIN_RECALL = 0.95
PER_CLASS = 200
MAX_PER_SOURCE = 3  # planted files of one class from one article, at most
CLASSES = ("cut", "cut-dateline", "duplicate", "stray-latin", "byline", "unit", "ascii-punct")
RULES = {
    "cut": ["broken-paragraph"],
    "cut-dateline": ["broken-paragraph"],
    "duplicate": ["duplicate-paragraph"],
    "stray-latin": ["stray-latin"],
    "byline": ["byline-format"],
    "unit": ["unit-consistency"],
    "ascii-punct": ["punctuation-width"],
}
CUT_LAYOUTS = ("newline", "blank", "indent")
INDENT = "\u3000\u3000"
THE_WORDS = ("the", "of", "for", "with", "in", "to", "is", "on")
SENT_END = set("。！？")
NO_CUT = set("。！？；：…—")
CLOSING = set("”’）》」』】〉")
PAIRED = set("“”‘’（）《》「」『』【】〈〉()[]")
ASCII_OF = {"，": ",", "；": ";", "：": ":", "？": "?", "！": "!", "（": "(", "）": ")"}
# 和/与/及 that are part of a word, not a conjunction: (previous character, next character) pairs.
AND_BEFORE = set("共温柔总缓平饱调附应暖祥谦中随人讲求议掺搅参给赋授以涉普危波企顾触提惠遍论推殃累溯来")
AND_AFTER = set("平谐睦美善气煦蔼解合缓田顺衷弦声风约局尚盘会其时早格至日众")
DE_AFTER = set("确士卢")  # 的确, 的士, 的卢: 的 is not a word of its own there
DATELINE = re.compile(
    r"(?:据)?(?:新华社|本报|新华网|人民网|中新社|中新网|央视网|央广网|光明网)"
    # 讯 of 通讯员 ("本报通讯员 甘力心") ends no dateline.
    r"[^\s，。、：“”（）]{0,12}?(?:电|讯(?!员)|消息)(?:（[^（）]{1,40}）)?"
)
DATED = re.compile(
    r"(?:据)?(?:新华社|本报|新华网|人民网|中新社|中新网)[\u4e00-\u9fff]{0,10}?"
    r"(\d{1,2})月(\d{1,2})日电"
)
ROLE = r"(?:记者|通讯员)"
BRACKET_CREDIT = re.compile(r"（((?:本报|新华社)?(?:特约|见习|首席)?" + ROLE + r")([^（）]{0,40})）")
BYLINE_LINE = re.compile(r"(?:本报|新华社|首席|特约|本报特约|本报首席)?" + ROLE + r"[\s：:]*[\u4e00-\u9fff]")
MULTI_ROLE = re.compile(
    r"((?:本报|新华社|首席|特约|本报特约|本报首席)?" + ROLE + r")(\s+)([\u4e00-\u9fff·]{1,5})(\s+)"
    r"(?=(?:本报|特约|首席)?" + ROLE + r")"
)
# unit spelling -> (class, respelling); longest first so 平方公里 is not read as 公里.
UNITS = {
    "平方公里": ("square kilometre", "km²"), "平方千米": ("square kilometre", "km²"),
    "平方米": ("square metre", "㎡"), "千瓦时": ("kilowatt-hour", "kWh"), "千瓦": ("kilowatt", "kW"),
    "公里": ("kilometre", "km"), "千米": ("kilometre", "km"), "千克": ("kilogram", "kg"),
    "公斤": ("kilogram", "kg"), "厘米": ("centimetre", "cm"), "毫米": ("millimetre", "mm"),
    "公顷": ("hectare", "ha"), "吨": ("tonne", "t"),
}
UNIT_RE = re.compile(r"(?<=\d)(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")(?!时)")
AMOUNT_RE = re.compile(r"(?<![\d.,，．])(\d+(?:\.\d+)?(?:万亿|亿|万))元")


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


class Rng:
    """Deterministic choices from sha256(seed|scope|counter): stable across Python versions."""

    def __init__(self, seed, *scope):
        self.base = "|".join([str(seed)] + [str(s) for s in scope])
        self.n = 0

    def below(self, n):
        self.n += 1
        h = hashlib.sha256(f"{self.base}|{self.n}".encode("utf-8")).digest()
        return int.from_bytes(h[:8], "big") % n

    def choice(self, seq):
        return seq[self.below(len(seq))]


def hkey(seed, *parts):
    return hashlib.sha256("|".join([str(seed)] + [str(p) for p in parts]).encode("utf-8")).hexdigest()


def split_line(line):
    """(indent, content, trailing whitespace) of a line."""
    m = re.match(r"^(\s*)(.*?)(\s*)$", line, re.S)
    return m.group(1), m.group(2), m.group(3)


class Article:
    def __init__(self, corpus, name, text):
        self.corpus, self.name = corpus, name
        self.eol = "\r\n" if "\r\n" in text else "\n"
        self.final = text.endswith(self.eol)
        body = text[: -len(self.eol)] if self.final else text
        self.lines = body.split(self.eol)
        self.paras = [i for i, l in enumerate(self.lines) if l.strip()]
        self.indented = sum(1 for i in self.paras if self.lines[i].startswith(INDENT)) * 2 > len(self.paras)

    def render(self, lines):
        return self.eol.join(lines) + (self.eol if self.final else "")

    def content(self, i):
        return split_line(self.lines[i])[1]

    def running(self, i, min_len):
        """Line i is body running text of at least min_len characters (never the title)."""
        if i == self.paras[0]:
            return False
        c = self.content(i)
        return (len(c) >= min_len and c[-1] in "。！？”" and any(ch in SENT_END for ch in c)
                and not DATELINE.fullmatch(c))


def load(shared):
    out = []
    for corpus in CORPORA:
        folder = os.path.join(shared, "corpus", corpus)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue  # the three corpora are UTF-8; a file that is not is left out
            a = Article(corpus, name, text)
            if len(a.paras) >= 2:
                out.append(a)
    return out


# ---- sites: every place a class can plant, as (variant, data); plants: the change itself ----

def valid_cut(c, p, lo):
    if p < max(4, lo + 4) or len(c) - p < 4:
        return False
    a, b = c[p - 1], c[p]
    if a in NO_CUT or b in NO_CUT or a.isspace() or b.isspace():
        return False
    if a in CLOSING and c[p - 2] in NO_CUT:
        return False
    return True


def dateline_end(c):
    m = DATELINE.match(c)
    return m.end() if m else 0


def cut_sites(a):
    return [(v, i) for i in a.paras if a.running(i, 40) for v in CUT_LAYOUTS]


def continue_lines(a, variant, head_line, rest):
    if variant == "newline":
        return [head_line, rest], 1
    if variant == "blank":
        return [head_line, "", rest], 2
    return [head_line, INDENT + rest], 1


def plant_cut(a, site, rng):
    variant, i = site
    indent, c, trail = split_line(a.lines[i])
    lo = dateline_end(c)
    positions = [p for p in range(1, len(c)) if valid_cut(c, p, lo)]
    if not positions:
        return None
    p = rng.choice(positions)
    new, k = continue_lines(a, variant, indent + c[:p], c[p:] + trail)
    lines = a.lines[:i] + new + a.lines[i + 1:]
    note = (f"{variant}: cut after character {p} of {len(c)}: “…{c[max(0, p - 8):p]}|{c[p:p + 8]}…”"
            f"{'' if variant != 'indent' else (' (file indents)' if a.indented else ' (file does not indent)')}")
    return lines, [i + 1, i + 1 + k], note


def dateline_sites(a):
    out = []
    for i in a.paras:
        if i == a.paras[0]:
            continue
        c = a.content(i)
        m = DATELINE.match(c)
        if m and len(c[m.end():].strip()) >= 10:
            out += [(v, i) for v in CUT_LAYOUTS]
    return out


def plant_dateline(a, site, rng):
    variant, i = site
    indent, c, trail = split_line(a.lines[i])
    m = DATELINE.match(c)
    head, rest = c[: m.end()].rstrip(), c[m.end():].strip() + trail
    new, k = continue_lines(a, variant, indent + head, rest)
    lines = a.lines[:i] + new + a.lines[i + 1:]
    return lines, [i + 1, i + 1 + k], f"{variant}: cut after the dateline “{head}”"


def duplicate_sites(a):
    out = []
    body = [n for n, i in enumerate(a.paras) if a.running(i, 20)]
    for n in body:
        if n + 2 < len(a.paras):
            out.append(("single", n))
        if n + 1 in body and n + 3 < len(a.paras):
            out.append(("pair", n))
    return out


def plant_duplicate(a, site, rng):
    variant, n = site
    width = 2 if variant == "pair" else 1
    j = rng.choice(range(n + width + 1, len(a.paras)))  # at least two paragraphs in between
    first, last = a.paras[n], a.paras[n + width - 1]
    copy = a.lines[first:last + 1]
    at = a.paras[j]
    if j + 1 < len(a.paras):
        blank = not a.lines[at + 1].strip()
    else:
        blank = at > 0 and not a.lines[at - 1].strip()
    insert = ([""] if blank else []) + copy
    lines = a.lines[:at + 1] + insert + a.lines[at + 1:]
    start = at + 1 + (1 if blank else 0) + 1
    return lines, [start, start + len(copy) - 1], (
        f"{variant}: copy of line{'s' if width > 1 else ''} {first + 1}"
        f"{'-' + str(last + 1) if width > 1 else ''} after line {at + 1}")


def latin_positions(c, variant):
    out = []
    for p in range(max(1, dateline_end(c)), len(c) - 1):
        prev, ch, nxt = c[p - 1], c[p], c[p + 1]
        if variant == "and":
            if ch in "和与及" and is_han(prev) and is_han(nxt) and prev not in AND_BEFORE and nxt not in AND_AFTER:
                out.append(p)
        elif ch == "的" and is_han(prev) and is_han(nxt) and nxt not in DE_AFTER:
            out.append(p + 1)
    return out


def latin_sites(a):
    out = []
    for v in ("and", "word"):
        if any(latin_positions(a.content(i), v) for i in a.paras if a.running(i, 20)):
            out.append((v, None))
    return out


def plant_latin(a, site, rng):
    variant = site[0]
    places = [(i, p) for i in a.paras if a.running(i, 20) for p in latin_positions(a.content(i), variant)]
    i, p = rng.choice(places)
    indent, c, trail = split_line(a.lines[i])
    if variant == "and":
        new = c[:p] + " and " + c[p + 1:]
        note = f"and: {c[p]} → and in “{c[max(0, p - 6):p + 7]}”"
    else:
        word = rng.choice(THE_WORDS)
        new = c[:p] + f" {word} " + c[p:]
        note = f"word: “{word}” inserted in “{c[max(0, p - 6):p + 6]}”"
    lines = list(a.lines)
    lines[i] = indent + new + trail
    return lines, [i + 1, i + 1], note


def byline_sites(a):
    out = []
    for i in a.paras[1:]:
        c = a.content(i)
        dated = DATED.match(c)
        if dated:
            out.append(("bad-date", i))
        head = DATELINE.match(c)
        at = head.end() if head else 0
        br = BRACKET_CREDIT.search(c, 0, len(c))
        credit = None
        if br and (br.start() == 0 or (head and br.end() == at)):
            credit = br
        # A byline line, not a speaker label (记者：……？) or a sentence.
        short_line = len(c) <= 40 and not any(ch in "。，？！" for ch in c) and BYLINE_LINE.match(c)
        if credit or short_line:
            out.append(("role-typo", i))
        if credit:
            out.append(("ascii-brackets", i))
        if (credit and credit.group(2).strip()) or (short_line and MULTI_ROLE.match(c)):
            out.append(("missing-name", i))
    return out


def plant_byline(a, site, rng):
    variant, i = site
    indent, c, trail = split_line(a.lines[i])
    head = DATELINE.match(c)
    br = BRACKET_CREDIT.search(c)
    credit = br if br and (br.start() == 0 or (head and br.end() == head.end())) else None
    if variant == "bad-date":
        m = DATED.match(c)
        month, day = int(m.group(1)), int(m.group(2))
        if month in (4, 6, 9, 11) and rng.below(2) == 0:
            new_date = f"{month}月31日"
        elif month == 2 and rng.below(2) == 0:
            new_date = "2月30日"
        else:
            new_date = f"13月{day}日"
        s, e = m.start(1), m.end(2) + 1
        new = c[:s] + new_date + c[e:]
        note = f"bad-date: {c[s:e]} → {new_date}"
    elif variant == "role-typo":
        lo, hi = (credit.start(), credit.end()) if credit else (0, len(c))
        roles = [(m.start(), m.group(0)) for m in re.finditer(ROLE, c[lo:hi])]
        pos, role = rng.choice(roles)
        pos += lo
        wrong = "记着" if role == "记者" else "通迅员"
        new = c[:pos] + wrong + c[pos + len(role):]
        note = f"role-typo: {role} → {wrong}"
    elif variant == "ascii-brackets":
        new = c[:credit.start()] + "(" + c[credit.start() + 1:credit.end() - 1] + ")" + c[credit.end():]
        note = f"ascii-brackets: {credit.group(0)} → ({credit.group(0)[1:-1]})"
    else:
        if credit and credit.group(2).strip():
            new = c[:credit.start(2)] + c[credit.end(2):]
            note = f"missing-name: {credit.group(0)} → （{credit.group(1)}）"
        else:
            m = MULTI_ROLE.match(c)
            new = c[:m.start(3)] + c[m.end(4):]
            note = f"missing-name: {m.group(3)} removed after {m.group(1)}"
    lines = list(a.lines)
    lines[i] = indent + new + trail
    return lines, [i + 1, i + 1], note


def unit_sites(a):
    out = []
    seen = collections.defaultdict(list)  # class -> [(line, start, spelling)]
    for i in a.paras[1:]:
        c = a.content(i)
        for m in UNIT_RE.finditer(c):
            seen[UNITS[m.group(1)][0]].append((i, m.start(), m.group(1)))
    for cls, occ in seen.items():
        spellings = {s for _, _, s in occ}
        if len(occ) >= 2 and len(spellings) == 1:
            out += [("respell", o) for o in occ[1:]]
    amounts = collections.defaultdict(list)
    for i in a.paras[1:]:
        c = a.content(i)
        for m in AMOUNT_RE.finditer(c):
            amounts[m.group(1)].append((i, m.start(), m.end()))
    text = "\n".join(a.lines)
    for number, occ in amounts.items():
        if re.search(re.escape(number) + r"(?!元)", text.replace(number + "元", "")):
            continue  # the number already appears without 元
        if len(occ) >= 2:
            out += [("amount-repeat", (number, o)) for o in occ[1:]]
        else:
            i = occ[0][0]
            later = [k for k in a.paras if k > i and a.running(k, 20)]
            if later:
                out.append(("amount-copy", (number, occ[0])))
    return out


def plant_unit(a, site, rng):
    variant, data = site
    lines = list(a.lines)
    if variant == "respell":
        i, start, spelling = data
        indent, c, trail = split_line(a.lines[i])
        new_unit = UNITS[spelling][1]
        lines[i] = indent + c[:start] + new_unit + c[start + len(spelling):] + trail
        return lines, [i + 1, i + 1], f"respell: {spelling} → {new_unit} (“{c[max(0, start - 6):start + len(spelling)]}”)"
    number, (i, start, end) = data
    indent, c, trail = split_line(a.lines[i])
    if variant == "amount-repeat":
        lines[i] = indent + c[:end - 1] + c[end:] + trail
        return lines, [i + 1, i + 1], f"amount-repeat: {number}元 → {number}"
    # The clause holding the amount, copied without 元 to the end of a later body paragraph.
    lo = max([c.rfind(ch, 0, start) for ch in "，。；：！？"]) + 1
    his = [c.find(ch, end) for ch in "，。；：！？"]
    hi = min([h for h in his if h >= 0], default=len(c))
    clause = c[lo:hi].strip()
    if not (6 <= len(clause) <= 60) or any(ch in PAIRED for ch in clause):
        return None  # a clause with quotes or brackets would leave half a pair behind
    # "5万亿元、6万亿元" without the first 元 is "5万亿、6万亿元": correct, the unit is shared.
    if re.search(re.escape(number + "元") + r"[、—～~\-至到或]\d", clause):
        return None
    clause = clause.replace(number + "元", number, 1) + "。"
    later = [k for k in a.paras if k > i and a.running(k, 20)]
    j = rng.choice(later)
    jindent, jc, jtrail = split_line(a.lines[j])
    lines[j] = jindent + jc + clause + jtrail
    return lines, [j + 1, j + 1], f"amount-copy: “{clause}” appended (line {i + 1} has {number}元)"


def punct_positions(c):
    """Marks between Han characters, past an opening dateline (its brackets are the byline's)."""
    return [p for p in range(max(1, dateline_end(c)), len(c) - 1)
            if c[p] in ASCII_OF and is_han(c[p - 1]) and is_han(c[p + 1])]


def punct_sites(a):
    marks = {a.content(i)[p] for i in a.paras if a.running(i, 20) for p in punct_positions(a.content(i))}
    return [(m, None) for m in sorted(marks)]


def plant_punct(a, site, rng):
    mark = site[0]
    places = [(i, p) for i in a.paras if a.running(i, 20) for p in punct_positions(a.content(i))
              if a.content(i)[p] == mark]
    i, p = rng.choice(places)
    indent, c, trail = split_line(a.lines[i])
    lines = list(a.lines)
    lines[i] = indent + c[:p] + ASCII_OF[mark] + c[p + 1:] + trail
    return lines, [i + 1, i + 1], f"{mark} → {ASCII_OF[mark]} in “{c[max(0, p - 6):p + 7]}”"


PLANTERS = {
    "cut": (cut_sites, plant_cut),
    "cut-dateline": (dateline_sites, plant_dateline),
    "duplicate": (duplicate_sites, plant_duplicate),
    "stray-latin": (latin_sites, plant_latin),
    "byline": (byline_sites, plant_byline),
    "unit": (unit_sites, plant_unit),
    "ascii-punct": (punct_sites, plant_punct),
}


def build(articles, seed, per_class):
    """[(relative path, bytes)] and the gold entries; a pure function of its inputs."""
    files, gold = [], []
    for cls in CLASSES:
        sites_of, plant = PLANTERS[cls]
        # Per corpus: the files in hash order, each with its sites in hash order. The corpora take
        # turns; a file gives one site a turn, the one whose variant is least used so far, and at
        # most MAX_PER_SOURCE in all.
        queues = {}
        for a in articles:
            sites = sites_of(a)
            if sites:
                sites.sort(key=lambda s: hkey(seed, cls, a.corpus, a.name, repr(s)))
                queues.setdefault(a.corpus, []).append([a, sites])
        for corpus in queues:
            queues[corpus].sort(key=lambda q: hkey(seed, cls, q[0].corpus, q[0].name))
        cursor = {c: 0 for c in queues}
        used = collections.Counter()
        taken = collections.Counter()
        made = 0
        while made < per_class and any(queues.values()):
            for corpus in CORPORA:
                q = queues.get(corpus)
                if not q or made >= per_class:
                    continue
                k = cursor[corpus] % len(q)
                a, sites = q[k]
                best = min(range(len(sites)), key=lambda n: (used[sites[n][0]], n))
                site = sites.pop(best)
                result = plant(a, site, Rng(seed, cls, a.corpus, a.name, repr(site)))
                if result is not None:
                    taken[a.corpus, a.name] += 1
                if sites and taken[a.corpus, a.name] < MAX_PER_SOURCE:
                    cursor[corpus] = k + 1
                else:
                    q.pop(k)
                    cursor[corpus] = k
                if result is None:
                    continue
                lines, span, note = result
                used[site[0]] += 1
                made += 1
                rel = f"{cls}/{made:03d}-{a.corpus}-{a.name}"
                files.append((rel, a.render(lines).encode("utf-8")))
                rules = RULES[cls] + (["punctuation-width"] if site[0] == "ascii-brackets" else [])
                gold.append({"file": rel, "class": cls, "variant": site[0], "lines": span,
                             "rules": rules, "source": f"{a.corpus}/{a.name}", "note": note})
    return files, gold


def write_set(out, files, gold):
    if os.path.exists(out):
        if os.listdir(out) and not os.path.exists(os.path.join(out, "gold.jsonl")):
            sys.exit(f"plant_defects: {out} exists and is not a planted set (no gold.jsonl): not touching it")
        shutil.rmtree(out)
    for rel, data in files:
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    with open(os.path.join(out, "gold.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False, sort_keys=True) + "\n")


def tree_digest(out):
    h = hashlib.sha256()
    for root, dirs, names in os.walk(out):
        dirs.sort()
        for name in sorted(names):
            if name == "misses.txt":
                continue
            path = os.path.join(root, name)
            h.update(os.path.relpath(path, out).replace(os.sep, "/").encode("utf-8") + b"\0")
            with open(path, "rb") as f:
                h.update(f.read() + b"\0")
    return h.hexdigest()


def lint(newslint, folder):
    proc = subprocess.run([newslint, "check", "--no-config", "--format", "json", folder], capture_output=True)
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        sys.exit(f"plant_defects: newslint gave no JSON on {folder} (exit {proc.returncode}): "
                 f"{proc.stderr.decode('utf-8', 'replace')[:500]}")
    by_file = collections.defaultdict(list)
    for d in data["diagnostics"]:
        by_file[os.path.relpath(d["path"], folder).replace(os.sep, "/")].append(d)
    return data["summary"]["files"], by_file


def overlaps(d, lines):
    return d["line"] <= lines[1] and d.get("end_line", d["line"]) >= lines[0]


def evaluate(newslint, shared, out, gold):
    linted, planted = lint(newslint, out)
    originals = {}
    for corpus in CORPORA:
        _, by_file = lint(newslint, os.path.join(shared, "corpus", corpus))
        for rel, ds in by_file.items():
            originals[f"{corpus}/{rel}"] = ds
    found = collections.Counter()
    total = collections.Counter()
    var_found = collections.Counter()
    var_total = collections.Counter()
    noise = {c: collections.Counter() for c in CLASSES}
    misses = []
    for g in gold:
        ds = planted.get(g["file"], [])
        hit = any(d["rule"] in g["rules"] and overlaps(d, g["lines"]) for d in ds)
        cls, var = g["class"], g["variant"]
        total[cls] += 1
        var_total[cls, var] += 1
        if hit:
            found[cls] += 1
            var_found[cls, var] += 1
        else:
            misses.append(g)
        others = [d for d in ds if not (d["rule"] in g["rules"] and overlaps(d, g["lines"]))]
        orig = collections.Counter(d["rule"] for d in originals.get(g["source"], []))
        mine = collections.Counter(d["rule"] for d in others)
        near = collections.Counter(d["rule"] for d in others
                                   if overlaps(d, [g["lines"][0] - 1, g["lines"][1] + 1]))
        n = noise[cls]
        n["files"] += 1
        n["original"] += sum(orig.values())
        n["other"] += sum(mine.values())
        any_extra = False
        for rule in sorted(set(mine) | set(orig)):
            extra = mine[rule] - orig[rule]
            if extra > 0:
                any_extra = True
                n["extra"] += extra
                n["extra near"] += min(extra, near[rule])
                n["extra elsewhere"] += extra - min(extra, near[rule])
                n["extra:" + rule] += extra
            elif extra < 0:
                n["lost"] += -extra
        n["extra files"] += any_extra
    return linted, found, total, var_found, var_total, noise, misses


def write_misses(out, misses):
    with open(os.path.join(out, "misses.txt"), "w", encoding="utf-8") as f:
        for g in misses:
            with open(os.path.join(out, g["file"]), encoding="utf-8") as src:
                lines = src.read().split("\n")
            a, b = g["lines"]
            f.write(f"== {g['file']} [{a}, {b}] {g['class']} {g['note']}\n")
            for n in range(max(1, a - 1), min(len(lines), b + 1) + 1):
                f.write(f"{n:5} {'>' if a <= n <= b else ' '} {lines[n - 1][:160]}\n")
            f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("newslint")
    ap.add_argument("shared")
    ap.add_argument("--out", default=os.path.join(REPO, "target", "planted"))
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--per-class", type=int, default=PER_CLASS)
    ap.add_argument("--check", action="store_true", help=f"exit 1 when a class has recall < {MIN_RECALL}")
    ap.add_argument("--no-lint", action="store_true", help="only build the set")
    args = ap.parse_args(argv)

    out = os.path.abspath(args.out)
    shared = os.path.abspath(args.shared)
    if os.path.commonpath([out, shared]) == shared:
        print(f"plant_defects: refusing to write into {shared}", file=sys.stderr)
        return 2
    files, gold = build(load(shared), args.seed, args.per_class)
    write_set(out, files, gold)
    digest = tree_digest(out)
    print(f"planted set: {out}: {len(files)} files, seed {args.seed}, sha256 {digest}")
    if args.no_lint:
        return 0

    failures = []
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            again = os.path.join(tmp, "planted")
            env = dict(os.environ, PYTHONHASHSEED="1" if os.environ.get("PYTHONHASHSEED") != "1" else "2")
            subprocess.run([sys.executable, os.path.abspath(__file__), args.newslint, shared, "--out", again,
                            "--seed", str(args.seed), "--per-class", str(args.per_class), "--no-lint"],
                           check=True, capture_output=True, env=env)
            second = tree_digest(again)
        same = second == digest
        print(f"determinism: a second build in another process is {'byte-identical' if same else 'DIFFERENT'}")
        if not same:
            failures.append("the same seed gave a different set in a second build")

    linted, found, total, var_found, var_total, noise, misses = evaluate(args.newslint, shared, out, gold)
    if linted != len(files):
        failures.append(f"newslint linted {linted} files of {len(files)}")
    print()
    print("| class | planted | found | recall | by variant (found/planted) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for cls in CLASSES:
        t, f = total[cls], found[cls]
        variants = sorted({v for c, v in var_total if c == cls})
        by_var = ", ".join(f"{v} {var_found[cls, v]}/{var_total[cls, v]}" for v in variants)
        recall = f / t if t else 0.0
        print(f"| {cls} | {t} | {f} | {recall:.3f} | {by_var} |")
        if t == 0 or recall < MIN_RECALL:
            failures.append(f"{cls}: recall {f}/{t} = {recall:.3f} < {MIN_RECALL}")
    print()
    print("Other findings (matching no gold) in the planted files, against the same files before planting:")
    print()
    print("| class | files | findings before | other findings after | extra | extra near the planted lines | "
          "extra elsewhere | files with extra | lost | extra by rule |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for cls in CLASSES:
        n = noise[cls]
        rules = ", ".join(f"{k[6:]} {v}" for k, v in sorted(n.items()) if k.startswith("extra:"))
        print(f"| {cls} | {n['files']} | {n['original']} | {n['other']} | {n['extra']} | {n['extra near']} | "
              f"{n['extra elsewhere']} | {n['extra files']} | {n['lost']} | {rules or '-'} |")
    write_misses(out, misses)
    print(f"\n{len(misses)} missed entries with their lines: {os.path.join(out, 'misses.txt')}")
    if args.check:
        if failures:
            print("\nplanted-defect check FAILED:\n  " + "\n  ".join(failures))
            return 1
        print(f"planted-defect check passed: every class has recall >= {MIN_RECALL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
