#!/usr/bin/env python3
"""Score the typo rule family on the public spelling-check sets (needs ../shared).

usage: csc_eval.py NEWSLINT [SHARED] [--split all|dev|test] [--language-model] [--set KEY=VALUE]...

--language-model turns on typo/in-context's language-model checks (off by default). --set gives
typo/in-context an option (`--set min-sentence-gain=9`, repeatable; the margins are set on the
dev split).

Each set's sentences are written one a file, linted with `--select` on the family's character
rules, and scored on wrong characters: a finding is a true positive when its first differing
character (the span's characters that the fix changes) is at a wrong position of the sentence.
Prints, per set: wrong characters, findings, recall on wrong characters, precision of findings,
and false alarms per 10,000 characters; for acc_xxqg (clean sentences) every finding is a false
alarm. The last column gives each rule's findings at a wrong position over its findings (the
SIGHAN sets come from traditional-script learners' essays: their gold does not mark 的/地 misuse,
variant words such as 精采 or traditional characters such as 牠, which the family reports as
the mainland standards say). `--split dev` scores even-numbered sentences, `--split test` odd-numbered ones (the rules
were developed looking at dev only). ecspell-odw.test.tsv is scored the same way.

The punctuation of the csc sets was normalised to ASCII, so only the family's rules that read
characters run here (not `typo/series-punctuation`).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

RULES = "typo/in-context,typo/variants,typo/non-standard-char,typo/de-di-de"
SETS = ["textproof.tet.json", "sighan2013.dev.json", "sighan2014.dev.json",
        "sighan2015.dev.json", "faspell.dev.json", "gen_de3.json", "acc_xxqg.tet.json"]


def load_csc(path):
    out = []
    for x in json.load(open(path, encoding="utf-8")):
        if "source" in x:
            s, t = x["source"], x["target"]
            wrong = {i for i, (a, b) in enumerate(zip(s, t)) if a != b} if len(s) == len(t) \
                else {e[2] for e in x["errors"]}
        else:
            s, t = x["original_text"], x["correct_text"]
            wrong = set(x["wrong_ids"])
        out.append((s, wrong))
    return out


def load_ecspell(path):
    out = []
    for line in open(path, encoding="utf-8"):
        p = line.rstrip("\n").split("\t")
        if len(p) < 3:
            continue
        s, t = p[1], p[2]
        wrong = {i for i, (a, b) in enumerate(zip(s, t)) if a != b} if len(s) == len(t) else set()
        out.append((s, wrong))
    return out


# A one-line file would be taken for a headline (the family reads body text only): each
# sentence is written under a title line, as the body of a short story.
PREFIX = "评测语句\n\n"


CONFIG = ["--no-config"]


def lint(newslint, sentences):
    """Findings per sentence: list of (changed char index, rule, message)."""
    with tempfile.TemporaryDirectory() as d:
        for i, (s, _) in enumerate(sentences):
            with open(os.path.join(d, f"{i:05}.txt"), "w", encoding="utf-8") as f:
                f.write(PREFIX + s + "\n")
        out = subprocess.run([newslint, "check", *CONFIG, "--select", RULES,
                              "--format", "json", d], capture_output=True).stdout
        hits = {}
        for diag in json.loads(out)["diagnostics"]:
            i = int(os.path.basename(diag["path"])[:5])
            s = sentences[i][0]
            b = (PREFIX + s).encode("utf-8")
            skip = len(PREFIX)
            fix = diag.get("fix") or {}
            edits = fix.get("edits") or [{"byte_start": diag["byte_start"]}]
            for e in edits:
                pos = len(b[:e["byte_start"]].decode("utf-8", "replace")) - skip
                hits.setdefault(i, []).append((pos, diag["rule"], diag["message"]))
        return hits


def score(name, sentences, hits):
    nw = sum(len(w) for _, w in sentences)
    nch = sum(len(s) for s, _ in sentences)
    found = sum(len(v) for v in hits.values())
    tp = sum(1 for i, v in hits.items() for (pos, _, _) in v if pos in sentences[i][1])
    caught = len({(i, pos) for i, v in hits.items() for (pos, _, _) in v
                  if pos in sentences[i][1]})
    recall = caught / nw if nw else float("nan")
    precision = tp / found if found else float("nan")
    fa = (found - tp) * 10000 / nch if nch else 0.0
    per_rule = {}
    for i, v in hits.items():
        for (pos, rule, _) in v:
            f, t = per_rule.get(rule, (0, 0))
            per_rule[rule] = (f + 1, t + (pos in sentences[i][1]))
    rules = ", ".join(f"{r.split('/')[1]} {t}/{f}" for r, (f, t) in sorted(per_rule.items()))
    print(f"| {name} | {len(sentences)} | {nch} | {nw} | {found} | {recall:.3f} | "
          f"{precision:.3f} | {fa:.2f} | {rules} |")


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Score the typo family on the spelling-check sets.")
    ap.add_argument("newslint")
    ap.add_argument("shared", nargs="?",
                    default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--split", choices=["all", "dev", "test"], default="all")
    ap.add_argument("--language-model", action="store_true")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    return ap.parse_args(argv)


def main():
    a = parse_args(sys.argv[1:])
    sets, split = a.set, a.split
    if a.language_model or sets:
        cfg = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
        cfg.write('[rules."typo/in-context"]\n')
        if a.language_model:
            cfg.write("language-model = true\n")
        for kv in sets:
            k, v = kv.split("=", 1)
            cfg.write(f"{k.strip()} = {v.strip()}\n")
        cfg.close()
        CONFIG[:] = ["--config", cfg.name]
    newslint, shared = a.newslint, a.shared
    ref = os.path.join(shared, "reference")

    def pick(xs):
        if split == "dev":
            return xs[0::2]
        if split == "test":
            return xs[1::2]
        return xs

    print(f"split: {split}; rules: {RULES}; {' '.join(CONFIG)}")
    print("| set | sentences | chars | wrong chars | findings | recall | precision | "
          "false alarms / 10k chars | per rule: right/findings |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in SETS:
        sents = pick(load_csc(os.path.join(ref, "csc", name)))
        score(name, sents, lint(newslint, sents))
    sents = pick(load_ecspell(os.path.join(ref, "ecspell-odw.test.tsv")))
    score("ecspell-odw.test.tsv", sents, lint(newslint, sents))


if __name__ == "__main__":
    main()
