#!/usr/bin/env python3
"""An example newslint plugin: too many exclamation marks in a body paragraph.

newslint runs the plugin once per document: it writes one JSON request to stdin and reads one
JSON response from stdout (protocol 1, see README "Plugins"). Byte offsets index the UTF-8 text
newslint sends.
"""
import json
import sys

MAX = 1  # exclamation marks allowed in one body paragraph


def main():
    req = json.load(sys.stdin)
    if req.get("protocol") != 1:
        print(f"unsupported protocol {req.get('protocol')}", file=sys.stderr)
        return 3
    text = req["text"].encode("utf-8")
    diagnostics = []
    for p in req["paragraphs"]:
        if p["zone"] != "body":
            continue
        para = text[p["byte_start"]:p["byte_end"]].decode("utf-8")
        marks = [i for i, c in enumerate(para) if c in "！!"]
        if len(marks) > MAX:
            # Point at the second mark: byte offset of that character in the document.
            start = p["byte_start"] + len(para[: marks[MAX]].encode("utf-8"))
            end = start + len(para[marks[MAX]].encode("utf-8"))
            diagnostics.append({
                "rule": "too-many",
                "message": f"一段里用了 {len(marks)} 个感叹号",
                "help": "新闻稿慎用感叹号：一段至多一个",
                "severity": "warning",
                "byte_start": start,
                "byte_end": end,
            })
    json.dump({"protocol": 1, "diagnostics": diagnostics}, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
