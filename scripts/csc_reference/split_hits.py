#!/usr/bin/env python3
"""Tables for --split dev/test (and all) from a hits-*-all.json that ref_eval.py wrote.

usage: split_hits.py HITS_ALL_JSON [all|dev|test]...
csc_eval.py's dev split is the even-numbered sentences of each set, test the odd-numbered ones.
"""
import contextlib
import io
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import csc_eval as ce  # noqa: E402

REF = os.environ.get("SHARED_REFERENCE", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "reference"))


def main():
    path = sys.argv[1]
    splits = sys.argv[2:] or ["all", "dev", "test"]
    hits_all = json.load(open(path))
    sets = [(n, ce.load_csc(os.path.join(REF, "csc", n))) for n in ce.SETS]
    sets.append(("ecspell-odw.test.tsv", ce.load_ecspell(os.path.join(REF, "ecspell-odw.test.tsv"))))
    for split in splits:
        print(f"\n{os.path.basename(path)}; split: {split}")
        print("| set | sentences | chars | wrong chars | findings | recall | precision | "
              "false alarms / 10k chars | sent. det. P | sent. det. R | sent. FPR |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for n, sents in sets:
            idx = list(range(len(sents)))
            idx = idx[0::2] if split == "dev" else idx[1::2] if split == "test" else idx
            sub = [sents[i] for i in idx]
            h = {}
            for j, i in enumerate(idx):
                ps = hits_all.get(n, {}).get(str(i))
                if ps:
                    h[j] = [(p, "ref/x", "") for p in ps]
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                ce.score(n, sub, h)
            row = buf.getvalue().rstrip().rsplit("|", 2)[0].rstrip()
            # sentence level, detection (SIGHAN bake-off style): a sentence is a true positive
            # when its set of flagged positions equals its set of wrong positions (non-empty)
            flagged = [set(h[j][k][0] for k in range(len(h[j]))) if j in h else set()
                       for j in range(len(sub))]
            pos = [bool(w) for _, w in sub]
            tp = sum(1 for (s, w), f in zip(sub, flagged) if w and f == w)
            nflag = sum(1 for f in flagged if f)
            npos = sum(pos)
            nneg = len(sub) - npos
            fp_neg = sum(1 for p, f in zip(pos, flagged) if not p and f)
            sp = tp / nflag if nflag else float("nan")
            sr = tp / npos if npos else float("nan")
            fpr = fp_neg / nneg if nneg else float("nan")
            print(f"{row} | {sp:.3f} | {sr:.3f} | {fpr:.3f} |")


if __name__ == "__main__":
    main()
