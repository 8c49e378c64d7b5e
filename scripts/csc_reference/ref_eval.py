#!/usr/bin/env python3
"""Score public Chinese spelling checkers that run offline on newslint's csc_eval.py sentences.

usage: ref_eval.py SYSTEM [--split all|dev|test] [--limit N]
SYSTEM: macro-confusion | pyc-proper | tuiqiao | pyc-kenlm:LM_PATH

Sentences, split and metric are csc_eval.py's own (imported from scripts/): a finding
is one changed character of the system's output (output aligned with the input), right when it
is at a wrong position; recall on wrong characters, precision of findings, false alarms per
10k chars (every finding on acc_xxqg is a false alarm).
"""
import importlib.util
import json
import os
import sys
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import csc_eval as ce  # noqa: E402

SITE = os.path.join(HERE, "site")
REF = os.environ.get("SHARED_REFERENCE", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "reference"))


def pycorrector_pkg():
    """Import pycorrector's submodules without its __init__ (which imports torch/transformers)."""
    if "pycorrector" not in sys.modules:
        m = types.ModuleType("pycorrector")
        m.__path__ = [os.path.join(SITE, "pycorrector")]
        sys.modules["pycorrector"] = m


def diff_positions(src, tgt):
    if len(src) != len(tgt):
        return None
    return [i for i, (a, b) in enumerate(zip(src, tgt)) if a != b]


def make_system(name):
    if name == "macro-confusion":
        path = os.path.join(SITE, "macro_correct", "pytorch_textcorrection", "tcTrie.py")
        spec = importlib.util.spec_from_file_location("tcTrie", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        d = json.load(open(os.path.join(SITE, "macro_correct", "output", "confusion_dict.json"),
                           encoding="utf-8"))
        cc = mod.ConfusionCorrect(confusion_dict=d)

        def run(s):
            r = cc.predict(s, flag_prob=False)
            return sorted({e[2] for e in r["errors"]})
        return run
    if name == "pyc-proper":
        pycorrector_pkg()
        from pycorrector.proper_corrector import ProperCorrector
        pc = ProperCorrector()

        def run(s):
            r = pc.correct(s)
            out = set()
            for err, truth, pos in r["errors"]:
                for k, (a, b) in enumerate(zip(err, truth)):
                    if a != b:
                        out.add(pos + k)
            return sorted(out)
        return run
    if name == "tuiqiao":
        base = os.path.join(HERE, "wheels", "x", "tuiqiao-0.6.0", "tuiqiao")
        sys.path.insert(0, base)
        import pickle
        import N_gram as ng
        # its data paths are hard-coded under the interpreter's site-packages: load the same
        # files from the unpacked sdist and set what __init__ sets (N=5, threshold=-10)
        m = ng.N_gram.__new__(ng.N_gram)
        m.N, m.threshold = 5, -10
        for attr, f in [("dictionary", "small.pk"),
                        ("PronunciationConfusion_list", "Confusion_SimilarPronunciation.pk"),
                        ("ShapeConfusion_list", "Confusion_SimilarShape.pk")]:
            with open(os.path.join(base, "data", f), "rb") as fh:
                setattr(m, attr, pickle.load(fh))

        def run(s):
            t = m.correct_single_sen(s)
            p = diff_positions(s, t)
            if p is None:
                # it drops a character that it finds wrong and has no candidate for (commas,
                # digits...): align, and count every replaced or dropped character as a finding
                run.misaligned += 1
                import difflib
                sm = difflib.SequenceMatcher(None, s, t, autojunk=False)
                p = [i for op, i1, i2, _, _ in sm.get_opcodes() if op in ("replace", "delete")
                     for i in range(i1, i2)]
            return p
        run.misaligned = 0
        return run
    if name.startswith("pyc-kenlm:"):
        lm = name.split(":", 1)[1]
        pycorrector_pkg()
        from pycorrector.corrector import Corrector
        c = Corrector(language_model_path=lm)

        def run(s):
            r = c.correct(s)
            p = diff_positions(s, r["target"])
            if p is None:
                run.misaligned += 1
                p = sorted({e[2] for e in r["errors"]})
            return p
        run.misaligned = 0
        return run
    raise SystemExit(f"unknown system {name}")


def main():
    args = sys.argv[1:]
    name = args[0]
    split = "all"
    limit = None
    for i, a in enumerate(args):
        if a.startswith("--split"):
            split = a.split("=", 1)[1] if "=" in a else args[i + 1]
        if a.startswith("--limit"):
            limit = int(a.split("=", 1)[1] if "=" in a else args[i + 1])
    t0 = time.time()
    run = make_system(name)
    print(f"system: {name}; split: {split}; load {time.time() - t0:.1f}s")

    def pick(xs):
        xs = xs[0::2] if split == "dev" else xs[1::2] if split == "test" else xs
        return xs[:limit] if limit else xs
    print("| set | sentences | chars | wrong chars | findings | recall | precision | "
          "false alarms / 10k chars | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    sets = [(n, ce.load_csc(os.path.join(REF, "csc", n))) for n in ce.SETS]
    sets.append(("ecspell-odw.test.tsv", ce.load_ecspell(os.path.join(REF, "ecspell-odw.test.tsv"))))
    total_t = 0.0
    dump = {}
    for n, sents in sets:
        sents = pick(sents)
        t = time.time()
        hits = {}
        for i, (s, _) in enumerate(sents):
            ps = run(s)
            if ps:
                hits[i] = [(p, "ref/" + name.split(":")[0], "") for p in ps]
        dt = time.time() - t
        total_t += dt
        dump[n] = {str(i): [p for p, _, _ in v] for i, v in hits.items()}
        import io
        import contextlib
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            ce.score(n, sents, hits)
        row = buf.getvalue().rstrip().rsplit("|", 2)[0]  # drop per-rule column
        print(f"{row}| {dt:.1f} |", flush=True)
    mis = getattr(run, "misaligned", 0)
    print(f"total run time {total_t:.1f}s; outputs of another length: {mis}")
    tag = name.split(":")[0] + ("-" + os.path.basename(name.split(":", 1)[1]) if ":" in name else "")
    json.dump(dump, open(os.path.join(HERE, f"hits-{tag}-{split}.json"), "w"))


if __name__ == "__main__":
    main()
