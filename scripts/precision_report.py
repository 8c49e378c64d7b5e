#!/usr/bin/env python3
"""Precision report over every corpus of ../shared/corpus (issue 15, "Measure it yourself").

usage: precision_report.py NEWSLINT SHARED_DIR [--corpus NAME]... [--todo FILE] [--check]
                           [--triage-dir DIR]

Corpora: every folder of SHARED_DIR/corpus holding files newslint lints (*.txt, *.md,
*.markdown): seeds, xwlb, xhmrdx, xxsb, xinmin. peer-cases holds JSONL test cases, not articles,
and is skipped. `--corpus NAME` (repeatable) limits the run to those corpora.

Articles = files linted (`summary.files` of the JSON report). In xwlb, xhmrdx, xxsb and xinmin a
file is one article; the three seeds are whole newspaper pages, so their "per 1,000 articles" is
per 1,000 files.

For each corpus the script runs `NEWSLINT check --no-config --format json CORPUS` once and
prints a markdown table, corpus x rule: findings, findings per 1,000 articles, triaged findings,
real, false, precision (real / triaged), false findings per 1,000 articles, and the findings that
must be triaged and are not. A second table gives findings per 1,000 articles (precision) with
the corpora as columns, for a note's before/after.

Triage: fixtures/triage/<corpus>.tsv (format in fixtures/triage/README.md). A finding matches a
row by (path relative to the corpus folder, line, rule). Must be triaged: every finding of the
rules in FULL_TRIAGE, and for every other rule the SAMPLE keys (path, line, rule) with the
smallest sha1("path|line|rule") per corpus. Precision counts every triaged finding. False per
1,000 articles is findings per 1,000 x false / triaged: for the fully triaged rules that is the
count itself, for sampled rules an estimate from the sample. Triage rows whose finding no longer
appears are listed as stale (not an error).

--todo FILE: write the findings that must be triaged and have no verdict yet, as triage rows
with verdict and why empty, plus two context columns: the finding's line with its span between
⟦ and ⟧, and the next non-blank line. With several corpora, each corpus's rows follow a
"# corpus NAME" comment.

--check: exit 1 unless, on each corpus in CHECKED, every rule with triaged findings has precision
>= MIN_PRECISION, each rule of FULL_TRIAGE has <= MAX_FALSE_PER_1K false findings per 1,000
articles, every finding that must be triaged is triaged, and newslint read every file (no `io`
finding, exit 0 or 1). Other corpora are printed only (scripts/corpus_check.py checks xwlb and
the seeds). Exit 2: newslint could not be run, or a triage file is malformed.
"""
import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys

FULL_TRIAGE = ("broken-paragraph", "duplicate-paragraph", "byline-format", "repeated-word")
SAMPLE = 30
CHECKED = ("xhmrdx", "xxsb", "xinmin")
MIN_PRECISION = 0.9
MAX_FALSE_PER_1K = 10.0
ORDER = ("seeds", "xwlb", "xhmrdx", "xxsb", "xinmin")
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")
HEADER = ["path", "line", "rule", "verdict", "why"]
VERDICTS = ("real", "false")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class TriageError(Exception):
    """A malformed triage file: the message names the file and line."""


def holds_articles(folder):
    for _, _, files in os.walk(folder):
        if any(f.endswith(ARTICLE_SUFFIXES) for f in files):
            return True
    return False


def find_corpora(shared):
    root = os.path.join(shared, "corpus")
    names = [n for n in os.listdir(root) if os.path.isdir(os.path.join(root, n))]
    names = [n for n in names if holds_articles(os.path.join(root, n))]
    known = [n for n in ORDER if n in names]
    return known + sorted(n for n in names if n not in ORDER)


def sample_key(path, line, rule):
    return hashlib.sha1(f"{path}|{line}|{rule}".encode("utf-8")).hexdigest()


def must_triage(keys_by_rule):
    """keys_by_rule: rule -> set of (path, line, rule). Returns the set of keys to triage."""
    out = set()
    for rule, keys in keys_by_rule.items():
        if rule in FULL_TRIAGE:
            out |= keys
        else:
            out |= set(sorted(keys, key=lambda k: sample_key(*k))[:SAMPLE])
    return out


def read_triage(path):
    """Rows of a triage file: {(path, line, rule): (verdict, why, file line)}; {} if absent."""
    rows = {}
    if not os.path.exists(path):
        return rows
    header_seen = False
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if not header_seen:
                if cols[: len(HEADER)] != HEADER:
                    raise TriageError(f"{path}:{n}: header must be {' '.join(HEADER)} (tab-separated)")
                header_seen = True
                continue
            if len(cols) < 3:
                raise TriageError(f"{path}:{n}: a row needs at least path, line and rule")
            cols += [""] * (len(HEADER) - len(cols))
            rel, lineno, rule, verdict, why = cols[:5]
            try:
                lineno = int(lineno)
            except ValueError:
                raise TriageError(f"{path}:{n}: line {lineno!r} is not a number") from None
            verdict = verdict.strip()
            if verdict and verdict not in VERDICTS:
                raise TriageError(f"{path}:{n}: verdict {verdict!r} must be real, false or empty")
            key = (rel, lineno, rule)
            if key in rows:
                raise TriageError(f"{path}:{n}: {rel}:{lineno} {rule} is already triaged on line {rows[key][2]}")
            rows[key] = (verdict, why, n)
    return rows


def decode(data):
    """The text newslint lints: BOM stripped, UTF-8 / UTF-16 / GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", "replace")
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def clean(s):
    return s.replace("\t", " ").replace("\r", "")


def window(s, start, end, width=40):
    """s[start:end] with up to `width` characters either side, … where cut."""
    a, b = max(0, start - width), min(len(s), end + width)
    return ("…" if a > 0 else "") + s[a:b] + ("…" if b < len(s) else "")


def context(text_utf8, diag):
    """(the finding's line with ⟦span⟧, the next non-blank line) from byte offsets."""
    bs, be = diag.get("byte_start", 0), diag.get("byte_end", 0)
    bs = max(0, min(bs, len(text_utf8)))
    ls = text_utf8.rfind(b"\n", 0, bs) + 1
    le = text_utf8.find(b"\n", bs)
    le = len(text_utf8) if le < 0 else le
    be = max(bs, min(be, le))
    head = text_utf8[ls:bs].decode("utf-8", "replace")
    span = text_utf8[bs:be].decode("utf-8", "replace")
    tail = text_utf8[be:le].decode("utf-8", "replace")
    more = "…" if diag.get("byte_end", 0) > le else ""
    marked = head + "⟦" + span + more + "⟧" + tail
    line = window(marked, len(head), len(head) + len(span) + len(more) + 2)
    nxt = ""
    pos = le + 1
    while pos < len(text_utf8):
        e = text_utf8.find(b"\n", pos)
        e = len(text_utf8) if e < 0 else e
        candidate = text_utf8[pos:e].decode("utf-8", "replace")
        if candidate.strip():
            nxt = window(candidate.strip(), 0, 0, 60)
            break
        pos = e + 1
    return clean(line), clean(nxt)


def lint(newslint, folder):
    proc = subprocess.run(
        [newslint, "check", "--no-config", "--format", "json", folder], capture_output=True
    )
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        sys.exit(f"precision_report: newslint gave no JSON on {folder} (exit {proc.returncode}): "
                 f"{proc.stderr.decode('utf-8', 'replace')[:500]}")
    return proc.returncode, data


def fmt_rate(x):
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def measure(newslint, shared, corpus, triage_dir):
    """Everything the report needs about one corpus."""
    folder = os.path.join(shared, "corpus", corpus)
    rc, data = lint(newslint, folder)
    articles = data["summary"]["files"]
    triage_path = os.path.join(triage_dir, f"{corpus}.tsv")
    rows = read_triage(triage_path)
    diags = []
    for d in data["diagnostics"]:
        rel = os.path.relpath(d["path"], folder).replace(os.sep, "/")
        diags.append((rel, d["line"], d["rule"], d))
    keys_by_rule = collections.defaultdict(set)
    for rel, line, rule, _ in diags:
        keys_by_rule[rule].add((rel, line, rule))
    must = must_triage(keys_by_rule)
    stats = {}
    for rule in sorted(keys_by_rule):
        stats[rule] = collections.Counter()
    todo = []
    seen_todo = set()
    for rel, line, rule, d in diags:
        key = (rel, line, rule)
        s = stats[rule]
        s["findings"] += 1
        verdict = rows.get(key, ("",))[0]
        if verdict:
            s["triaged"] += 1
            s[verdict] += 1
        elif key in must:
            s["untriaged"] += 1
            if key not in seen_todo:
                seen_todo.add(key)
                todo.append((key, d))
    present = {(rel, line, rule) for rel, line, rule, _ in diags}
    stale = sorted(k for k in rows if k not in present)
    pending = sorted(k for k, v in rows.items() if not v[0] and k in present)
    return {
        "corpus": corpus, "folder": folder, "rc": rc, "articles": articles, "stats": stats,
        "todo": todo, "stale": stale, "pending": pending, "triage_path": triage_path,
        "io": [d for *_, d in diags if d["rule"] == "io"],
    }


def per_1k(n, articles):
    return n * 1000 / articles if articles else 0.0


def rule_numbers(s, articles):
    rate = per_1k(s["findings"], articles)
    precision = s["real"] / s["triaged"] if s["triaged"] else None
    false_1k = rate * s["false"] / s["triaged"] if s["triaged"] else None
    return rate, precision, false_1k


def print_tables(results):
    print("| corpus | articles | rule | findings | /1k | triaged | real | false | precision | false/1k | untriaged |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        if not r["stats"]:
            print(f"| {r['corpus']} | {r['articles']} | (no findings) | 0 | 0 | | | | | | |")
        for rule, s in r["stats"].items():
            rate, precision, false_1k = rule_numbers(s, r["articles"])
            p = f"{precision:.2f}" if precision is not None else "-"
            f1k = fmt_rate(false_1k) if false_1k is not None else "-"
            print(f"| {r['corpus']} | {r['articles']} | {rule} | {s['findings']} | {fmt_rate(rate)} | "
                  f"{s['triaged']} | {s['real']} | {s['false']} | {p} | {f1k} | {s['untriaged']} |")
    print()
    rules = sorted({rule for r in results for rule in r["stats"]})
    print("Findings per 1,000 articles (precision by the triage files; - = nothing triaged):")
    print()
    print("| rule | " + " | ".join(f"{r['corpus']} ({r['articles']})" for r in results) + " |")
    print("| --- |" + " ---: |" * len(results))
    for rule in rules:
        cells = []
        for r in results:
            s = r["stats"].get(rule)
            if not s:
                cells.append("0")
                continue
            rate, precision, _ = rule_numbers(s, r["articles"])
            cells.append(f"{fmt_rate(rate)} ({precision:.2f})" if precision is not None
                         else f"{fmt_rate(rate)} (-)")
        print(f"| {rule} | " + " | ".join(cells) + " |")
    print()


def check(results):
    failures = []
    for r in results:
        c = r["corpus"]
        if c not in CHECKED:
            continue
        if r["rc"] not in (0, 1) or r["io"]:
            failures.append(f"{c}: newslint exit {r['rc']}, {len(r['io'])} io findings")
        for rule, s in r["stats"].items():
            _, precision, false_1k = rule_numbers(s, r["articles"])
            if precision is not None and precision < MIN_PRECISION:
                failures.append(f"{c} {rule}: precision {precision:.2f} ({s['real']}/{s['triaged']}) "
                                f"< {MIN_PRECISION}")
            if rule in FULL_TRIAGE and false_1k is not None and false_1k > MAX_FALSE_PER_1K:
                failures.append(f"{c} {rule}: {false_1k:.1f} false findings per 1,000 articles "
                                f"({s['false']} in {r['articles']}) > {MAX_FALSE_PER_1K:g}")
            if s["untriaged"]:
                failures.append(f"{c} {rule}: {s['untriaged']} findings must be triaged and are not "
                                f"(--todo lists them)")
    return failures


def write_todo(path, results):
    with open(path, "w", encoding="utf-8") as out:
        out.write("\t".join(HEADER + ["context", "next"]) + "\n")
        for r in results:
            if not r["todo"]:
                continue
            if len(results) > 1:
                out.write(f"# corpus {r['corpus']}\n")
            cache = {}
            for (rel, line, rule), d in sorted(r["todo"], key=lambda t: (t[0][0], t[0][1], t[0][2])):
                if rel not in cache:
                    try:
                        with open(os.path.join(r["folder"], rel), "rb") as f:
                            cache[rel] = decode(f.read()).encode("utf-8")
                    except OSError:
                        cache[rel] = b""
                ctx, nxt = context(cache[rel], d)
                out.write("\t".join([rel, str(line), rule, "", "", ctx, nxt]) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("newslint")
    ap.add_argument("shared")
    ap.add_argument("--corpus", action="append", help="only this corpus (repeatable)")
    ap.add_argument("--todo", help="write the findings still to triage to this TSV file")
    ap.add_argument("--check", action="store_true", help="exit 1 unless issue 15's thresholds hold")
    ap.add_argument("--triage-dir", default=os.path.join(REPO, "fixtures", "triage"))
    args = ap.parse_args(argv)

    corpora = find_corpora(args.shared)
    if args.corpus:
        unknown = [c for c in args.corpus if c not in corpora]
        if unknown:
            print(f"precision_report: no such corpus: {', '.join(unknown)} (have {', '.join(corpora)})",
                  file=sys.stderr)
            return 2
        corpora = [c for c in corpora if c in args.corpus]
    try:
        results = [measure(args.newslint, args.shared, c, args.triage_dir) for c in corpora]
    except TriageError as e:
        print(f"precision_report: {e}", file=sys.stderr)
        return 2

    print_tables(results)
    for r in results:
        triaged = os.path.exists(r["triage_path"])
        untriaged = sum(s["untriaged"] for s in r["stats"].values())
        line = (f"{r['corpus']}: {r['articles']} articles, "
                f"{sum(s['findings'] for s in r['stats'].values())} findings, "
                f"{untriaged} still to triage")
        if not triaged:
            line += f" (no {os.path.relpath(r['triage_path'], REPO)})"
        if r["pending"]:
            line += f", {len(r['pending'])} rows without a verdict"
        if r["stale"]:
            line += f", {len(r['stale'])} stale triage rows"
        print(line)
        for rel, lineno, rule in r["stale"][:20]:
            print(f"  stale: {rel}:{lineno} {rule}")
        if len(r["stale"]) > 20:
            print(f"  stale: … {len(r['stale']) - 20} more")
        for d in r["io"]:
            print(f"  io: {d['path']}: {d['message']}")
    if args.todo:
        write_todo(args.todo, results)
        print(f"todo: {sum(len(r['todo']) for r in results)} findings to triage written to {args.todo}")
    if args.check:
        failures = check(results)
        if failures:
            print("\nprecision check FAILED:\n  " + "\n  ".join(failures))
            return 1
        checked = [c for c in corpora if c in CHECKED]
        print(f"precision check passed on {', '.join(checked)}" if checked
              else f"precision check: nothing to check ({', '.join(CHECKED)} not selected)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
