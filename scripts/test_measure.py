#!/usr/bin/env python3
"""Tests of scripts/precision_report.py, scripts/plant_defects.py and scripts/csc_eval.py's
arguments that need no ../shared.

usage: PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s scripts -p 'test_*.py'

A fake newslint (a Python script printing a fixed JSON report) and small corpora written here
stand in for the binary and ../shared, so the triage matching, the thresholds of --check, the
sample and the planting rules are tested on their own.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import csc_eval  # noqa: E402
import plant_defects as pd  # noqa: E402
import precision_report as pr  # noqa: E402

ARTICLE = textwrap.dedent("""\
    江西的新能源产业突围之路

    新华社南昌4月26日电（记者冯俊扬）地处江西上饶的晶科能源股份有限公司稳居全球光伏组件出货量前列，刷新充电速度纪录的新一代电池在抚州量产。

    2025年，全省新能源产业实现营收近4000亿元，成为全省第四大产业，新能源汽车和光伏组件的出口额分别增长三成和两成。

    “资源好”不一定代表“发展好”。江西新能源产业发展的故事表明，把资源盘活，关键在于做好长期发展战略规划和引进人才。

    产业链上下游企业在这里集聚，形成了从原材料到整车制造的完整链条，带动了大量就业和税收。

    抚州市的一位企业负责人说，这里的营商环境好，审批流程短，企业可以把精力放在研发和市场上。

    下一步，江西将继续完善产业政策，推动新能源产业向高端化、智能化和绿色化发展。

    本报记者 冯俊扬 通讯员 李明
    """)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def fake_newslint(folder, reports):
    """A script that prints reports[basename of the linted folder] as newslint's JSON."""
    data = os.path.join(folder, "reports.json")
    with open(data, "w", encoding="utf-8") as f:
        json.dump(reports, f, ensure_ascii=False)
    script = os.path.join(folder, "newslint")
    write(script, textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os, sys
        reports = json.load(open({data!r}, encoding="utf-8"))
        folder = sys.argv[-1]
        diags = [dict(d, path=os.path.join(folder, d["path"])) for d in reports[os.path.basename(folder)]]
        files = sum(len(fs) for _, _, fs in os.walk(folder))
        print(json.dumps({{"version": 1, "summary": {{"files": files}}, "diagnostics": diags}}))
        sys.exit(1 if diags else 0)
        """))
    os.chmod(script, 0o755)
    return script


def diag(path, line, rule, byte_start=0, byte_end=3):
    return {"path": path, "line": line, "end_line": line, "rule": rule, "message": "m",
            "byte_start": byte_start, "byte_end": byte_end}


class PrecisionReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        self.shared = os.path.join(self.root, "shared")
        for name in ("a.txt", "b.txt"):
            write(os.path.join(self.shared, "corpus", "xxsb", name), "标题\n\n正文第一段。\n\n正文第二段。\n")
        write(os.path.join(self.shared, "corpus", "peer-cases", "cases.jsonl"), "{}\n")
        self.triage = os.path.join(self.root, "triage")
        os.makedirs(self.triage)
        self.newslint = fake_newslint(self.root, {"xxsb": [
            diag("a.txt", 3, "broken-paragraph"), diag("b.txt", 5, "broken-paragraph"),
            diag("a.txt", 5, "number-style", 28, 31), diag("a.txt", 5, "number-style", 34, 37),
        ]})

    def tearDown(self):
        self.tmp.cleanup()

    def run_report(self, rows, *extra):
        with open(os.path.join(self.triage, "xxsb.tsv"), "w", encoding="utf-8") as f:
            f.write("# a comment\npath\tline\trule\tverdict\twhy\n" + "".join("\t".join(r) + "\n" for r in rows))
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            rc = pr.main([self.newslint, self.shared, "--triage-dir", self.triage, "--check", *extra])
        return rc, out.getvalue()

    def test_corpora_skip_folders_without_articles(self):
        self.assertEqual(pr.find_corpora(self.shared), ["xxsb"])

    def test_check_passes_when_everything_is_triaged_real(self):
        rc, out = self.run_report([("a.txt", "3", "broken-paragraph", "real", "cut"),
                                   ("b.txt", "5", "broken-paragraph", "real", "cut"),
                                   ("a.txt", "5", "number-style", "real", "range")])
        self.assertEqual(rc, 0, out)
        self.assertIn("| xxsb | 2 | number-style | 2 | 1000 | 2 | 2 | 0 | 1.00 | 0.0 | 0 |", out)

    def test_check_fails_on_precision_and_false_rate(self):
        rc, out = self.run_report([("a.txt", "3", "broken-paragraph", "false", "subheading"),
                                   ("b.txt", "5", "broken-paragraph", "real", "cut"),
                                   ("a.txt", "5", "number-style", "real", "range")])
        self.assertEqual(rc, 1)
        self.assertIn("xxsb broken-paragraph: precision 0.50 (1/2) < 0.9", out)
        self.assertIn("xxsb broken-paragraph: 500.0 false findings per 1,000 articles", out)

    def test_check_fails_on_untriaged_and_reports_stale_rows(self):
        todo = os.path.join(self.root, "todo.tsv")
        rc, out = self.run_report([("a.txt", "3", "broken-paragraph", "real", "cut"),
                                   ("a.txt", "9", "broken-paragraph", "false", "gone"),
                                   ("b.txt", "5", "broken-paragraph", "", "")], "--todo", todo)
        self.assertEqual(rc, 1)
        self.assertIn("xxsb broken-paragraph: 1 findings must be triaged and are not", out)
        self.assertIn("xxsb number-style: 2 findings must be triaged", out)
        self.assertIn("stale: a.txt:9 broken-paragraph", out)
        with open(todo, encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f if not line.startswith("#")]
        self.assertEqual(rows[0], pr.HEADER + ["context", "next"])
        # one row per key: the two number-style findings on a.txt:5 share one
        self.assertEqual([r[:3] for r in rows[1:]], [["a.txt", "5", "number-style"], ["b.txt", "5", "broken-paragraph"]])
        self.assertEqual(rows[1][5], "⟦正⟧文第二段。")

    def test_malformed_triage_is_exit_2(self):
        rc, out = self.run_report([("a.txt", "3", "broken-paragraph", "maybe", "?")])
        self.assertEqual(rc, 2)
        self.assertIn("xxsb.tsv:3: verdict 'maybe' must be real, false or empty", out)
        rc, out = self.run_report([("a.txt", "3", "broken-paragraph", "real", "x"),
                                   ("a.txt", "3", "broken-paragraph", "false", "y")])
        self.assertEqual(rc, 2)
        self.assertIn("xxsb.tsv:4: a.txt:3 broken-paragraph is already triaged on line 3", out)


class Sample(unittest.TestCase):
    def test_full_rules_and_a_stable_sample(self):
        keys = {"number-style": {(f"f{n}.txt", n, "number-style") for n in range(100)},
                "repeated-word": {(f"f{n}.txt", n, "repeated-word") for n in range(50)}}
        must = pr.must_triage(keys)
        self.assertEqual(len(must), 50 + pr.SAMPLE)
        self.assertTrue(keys["repeated-word"] <= must)
        sample = must - keys["repeated-word"]
        # dropping a finding outside the sample, or adding one, changes the sample by one key at most
        outside = next(k for k in keys["number-style"] if k not in sample)
        smaller = pr.must_triage({"number-style": keys["number-style"] - {outside}})
        self.assertEqual(smaller, sample)
        bigger = pr.must_triage({"number-style": keys["number-style"] | {("new.txt", 1, "number-style")}})
        self.assertLessEqual(len(bigger - sample), 1)

    def test_context_marks_the_span_by_bytes(self):
        text = "第一行\n\n甲乙丙丁戊\n\n\n下一段开头\n".encode("utf-8")
        start = text.index("乙".encode("utf-8"))
        line, nxt = pr.context(text, {"byte_start": start, "byte_end": start + 6})
        self.assertEqual((line, nxt), ("甲⟦乙丙⟧丁戊", "下一段开头"))


class Planting(unittest.TestCase):
    def article(self, text=ARTICLE):
        return pd.Article("xhmrdx", "a.txt", text)

    def test_valid_cut_positions(self):
        c = "会上主持人说，今天天气很好。我们出发吧！"
        ok = [p for p in range(1, len(c)) if pd.valid_cut(c, p, 0)]
        for p in ok:
            self.assertNotIn(c[p - 1], "。！")
            self.assertNotIn(c[p], "。！")
        self.assertIn(c.index("今"), ok)  # right after a comma is a cut too
        self.assertNotIn(c.index("我"), ok)  # right after 。 is a sentence boundary

    def test_every_cut_rejoins_to_the_original(self):
        a = self.article()
        for site in pd.cut_sites(a):
            lines, (first, last), note = pd.plant_cut(a, site, pd.Rng(1, repr(site)))
            head, tail = lines[first - 1], lines[last - 1]
            if site[0] == "blank":
                self.assertEqual(lines[first], "")
            self.assertEqual(head + tail.replace(pd.INDENT, "", 1 if site[0] == "indent" else 0),
                             a.lines[site[1]], note)
            self.assertEqual(len(lines), len(a.lines) + last - first)

    def test_dateline_cut_is_right_after_the_dateline(self):
        a = self.article()
        sites = pd.dateline_sites(a)
        self.assertEqual({s[0] for s in sites}, set(pd.CUT_LAYOUTS))
        lines, (first, _), _ = pd.plant_dateline(a, sites[0], pd.Rng(1))
        self.assertEqual(lines[first - 1], "新华社南昌4月26日电（记者冯俊扬）")

    def test_duplicate_is_an_exact_copy_two_paragraphs_later(self):
        a = self.article()
        for site in pd.duplicate_sites(a):
            lines, (first, last), _ = pd.plant_duplicate(a, site, pd.Rng(2, repr(site)))
            n = site[1]
            width = 2 if site[0] == "pair" else 1
            original = a.lines[a.paras[n]:a.paras[n + width - 1] + 1]
            self.assertEqual(lines[first - 1:last], original)
            paras_between = [l for l in lines[a.paras[n + width - 1] + 1:first - 1] if l.strip()]
            self.assertGreaterEqual(len(paras_between), 2)

    def test_one_character_changes_for_punctuation_and_dates(self):
        a = self.article()
        for site in pd.punct_sites(a):
            lines, (first, _), _ = pd.plant_punct(a, site, pd.Rng(3))
            old, new = a.lines[first - 1], lines[first - 1]
            diff = [(x, y) for x, y in zip(old, new) if x != y]
            self.assertEqual(diff, [(site[0], pd.ASCII_OF[site[0]])])
        variants = {s[0] for s in pd.byline_sites(a)}
        self.assertEqual(variants, {"bad-date", "role-typo", "ascii-brackets", "missing-name"})
        lines, (first, _), note = pd.plant_byline(a, ("bad-date", 2), pd.Rng(4))
        self.assertRegex(lines[first - 1], r"新华社南昌(4月31日|13月26日)电")
        lines, (first, _), note = pd.plant_byline(a, ("missing-name", len(a.lines) - 1), pd.Rng(4))
        self.assertEqual(lines[first - 1], "本报记者 通讯员 李明")

    def test_amount_copy_drops_the_currency(self):
        a = self.article()
        sites = [s for s in pd.unit_sites(a) if s[0] == "amount-copy"]
        self.assertEqual(len(sites), 1)
        lines, (first, _), _ = pd.plant_unit(a, sites[0], pd.Rng(5))
        self.assertTrue(lines[first - 1].endswith("全省新能源产业实现营收近4000亿。"))

    def test_build_is_deterministic_and_plants_once(self):
        articles = [pd.Article(c, f"{n}.txt", ARTICLE) for c in pd.CORPORA for n in range(3)]
        files, gold = pd.build(articles, 7, 5)
        again = pd.build([pd.Article(c, f"{n}.txt", ARTICLE) for c in pd.CORPORA for n in range(3)], 7, 5)
        self.assertEqual((files, gold), again)
        self.assertNotEqual(files, pd.build(articles, 8, 5)[0])
        self.assertEqual({g["class"] for g in gold}, set(pd.CLASSES))
        for (rel, data), g in zip(files, gold):
            self.assertEqual(rel, g["file"])
            self.assertNotEqual(data.decode("utf-8"), ARTICLE)
            lines = data.decode("utf-8").split("\n")
            self.assertTrue(1 <= g["lines"][0] <= g["lines"][1] <= len(lines))


class CscEvalArguments(unittest.TestCase):
    def test_split_with_a_space_or_an_equals_sign(self):
        # `--split dev` once scored every sentence, its value taken for the binary's path.
        for argv in (["nl", "--split", "dev"], ["nl", "--split=dev"], ["--split", "dev", "nl"]):
            a = csc_eval.parse_args(argv)
            self.assertEqual((a.newslint, a.split), ("nl", "dev"), argv)
        a = csc_eval.parse_args(["nl", "sh", "--set", "min-gain=5", "--language-model"])
        self.assertEqual((a.shared, a.set, a.language_model), ("sh", ["min-gain=5"], True))
        self.assertEqual(csc_eval.parse_args(["nl"]).split, "all")
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            csc_eval.parse_args(["nl", "--split", "bogus"])


if __name__ == "__main__":
    unittest.main()
