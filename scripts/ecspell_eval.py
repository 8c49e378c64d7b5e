#!/usr/bin/env python3
"""Measure the typo pack on ECSpell's official-document test set (needs ../shared).

usage: ecspell_eval.py NEWSLINT ECSPELL_TSV

Each line of the TSV is `flag<TAB>wrong<TAB>correct`. Every sentence is written to its own file;
newslint runs with `--select typo`. Prints recall on the sentences with a typo (flag 1: at least
one finding) and the findings on the corrected sentences (which should be near zero).
"""
import json, os, subprocess, sys, tempfile

def lint(newslint, sentences):
    with tempfile.TemporaryDirectory() as d:
        for i, s in enumerate(sentences):
            with open(os.path.join(d, f"{i:04}.txt"), "w", encoding="utf-8") as f:
                f.write(s + "\n")
        out = subprocess.run([newslint, "check", "--no-config", "--select", "typo", "--format", "json", d],
                             capture_output=True).stdout
        hits = {}
        for diag in json.loads(out)["diagnostics"]:
            i = int(os.path.basename(diag["path"])[:4])
            hits.setdefault(i, []).append(diag["message"])
        return hits

def main():
    newslint, tsv = sys.argv[1], sys.argv[2]
    rows = [l.rstrip("\n").split("\t") for l in open(tsv, encoding="utf-8") if l.strip()]
    wrong = [r[1] for r in rows if r[0] == "1"]
    correct = [r[2] for r in rows]
    hw = lint(newslint, wrong)
    hc = lint(newslint, correct)
    print(f"sentences with a typo: {len(wrong)}; reported: {len(hw)} (recall {len(hw)/max(len(wrong),1):.3f})")
    for i, msgs in sorted(hw.items()):
        print(f"  hit: {msgs[0]}")
    print(f"corrected sentences: {len(correct)}; findings on them: {sum(len(v) for v in hc.values())}")
    for i, msgs in sorted(hc.items()):
        print(f"  false: {msgs} in {correct[i][:40]}")

if __name__ == "__main__":
    main()
