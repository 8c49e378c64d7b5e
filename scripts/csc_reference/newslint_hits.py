#!/usr/bin/env python3
"""Dump newslint's findings on csc_eval.py's sentences (split all) as ref_eval.py's hits JSON.

usage: newslint_hits.py NEWSLINT OUT.json [--language-model]
Uses csc_eval.py's own lint() (same rules, same file layout, same position mapping).
"""
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import csc_eval as ce  # noqa: E402

REF = os.environ.get("SHARED_REFERENCE", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "reference"))
binary, out = sys.argv[1], sys.argv[2]
if "--language-model" in sys.argv[3:]:
    cfg = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    cfg.write('[rules."typo/in-context"]\nlanguage-model = true\n')
    cfg.close()
    ce.CONFIG[:] = ["--config", cfg.name]
sets = [(n, ce.load_csc(os.path.join(REF, "csc", n))) for n in ce.SETS]
sets.append(("ecspell-odw.test.tsv", ce.load_ecspell(os.path.join(REF, "ecspell-odw.test.tsv"))))
dump = {}
t0 = time.time()
for n, sents in sets:
    hits = ce.lint(binary, sents)
    dump[n] = {str(i): sorted({p for p, _, _ in v}) for i, v in hits.items()}
print(f"lint time {time.time() - t0:.1f}s")
json.dump(dump, open(out, "w"))
