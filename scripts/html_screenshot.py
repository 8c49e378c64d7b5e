#!/usr/bin/env python3
"""Screenshot of an HTML report in headless Chromium, driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: no port, no websocket, no packages beyond Python's own).

    python3 scripts/html_screenshot.py REPORT.html OUT.png [--width 1000] [--height 760]
        [--focus f12] [--scroll-to f12]

--focus opens the popup of finding 12 as a keyboard user would (the mark gets the focus);
--scroll-to puts that place near the top before the picture is taken. The README's picture:

    newslint check --no-config --format html --output /tmp/r.html fixtures/seeds
    python3 scripts/html_screenshot.py /tmp/r.html /tmp/shot.png --width 960 --height 640 \
        --focus f182 --scroll-to f182
    pngquant --quality 70-90 --speed 1 --strip --output docs/html-report.png /tmp/shot.png

Needs Debian's chromium (and fonts-noto-cjk for the Han characters).
"""

import argparse
import base64
import json
import os
import pathlib
import subprocess
import sys
import tempfile


def chromium_flags():
    """The flags every headless run of the report takes (shared with tests/html_browser.rs)."""
    text = pathlib.Path(__file__).with_name("chromium_flags.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


# This script's own: no scrollbars in the picture, commands over the DevTools pipe.
FLAGS = [*chromium_flags(), "--hide-scrollbars", "--remote-debugging-pipe"]


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.TemporaryDirectory()
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def fds():
            # Chromium reads commands on fd 3 and answers on fd 4.
            r = os.dup(to_child_r)
            w = os.dup(from_child_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"],
            pass_fds=(3, 4),
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self.reader = os.fdopen(self.from_child, "rb")
        self.next_id = 0
        self.buf = b""
        self.events = []

    def wait_event(self, method):
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._read())
        self.events = []

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _read(self):
        while b"\0" not in self.buf:
            chunk = self.reader.read1(65536)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def eval(self, session, expression):
        r = self.call("Runtime.evaluate", session, expression=expression, awaitPromise=True,
                      returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def close(self):
        try:
            self.call("Browser.close")
        except RuntimeError:
            pass
        self.proc.wait(timeout=20)
        self.profile.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=1000)
    ap.add_argument("--height", type=int, default=760)
    ap.add_argument("--focus", help="finding anchor to focus, e.g. f12")
    ap.add_argument("--scroll-to", help="anchor to put near the top, e.g. f12")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    a = ap.parse_args()

    b = Browser(a.chromium)
    try:
        target = b.call("Target.createTarget", url="about:blank")["targetId"]
        s = b.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        b.call("Emulation.setDeviceMetricsOverride", s, width=a.width, height=a.height,
               deviceScaleFactor=1, mobile=a.width <= 640)
        b.call("Page.enable", s)
        url = pathlib.Path(a.report).resolve().as_uri()
        b.call("Page.navigate", s, url=url)
        b.wait_event("Page.loadEventFired")
        js = "new Promise(r => { const t = () => document.documentElement.hasAttribute('data-nl-ready') ? r(1) : setTimeout(t, 50); t(); })"
        b.eval(s, js)
        if a.scroll_to:
            b.eval(s, (
                f"(() => {{ const e = document.getElementById({json.dumps(a.scroll_to)});"
                " const y = e.getBoundingClientRect().top + scrollY - innerHeight * 0.3;"
                " scrollTo(0, Math.max(0, y)); return scrollY; })()"))
        if a.focus:
            k = a.focus.lstrip("f")
            b.eval(s, (
                f"(() => {{ const m = document.querySelector('mark.m[data-f~=\"{int(k)}\"]');"
                " m.focus({preventScroll: true}); })()"))
        errors = b.eval(s, "document.getElementById('nl-errors').textContent")
        if errors:
            sys.exit(f"the page reports errors: {errors}")
        shot = b.call("Page.captureScreenshot", s, format="png")
        pathlib.Path(a.out).write_bytes(base64.b64decode(shot["data"]))
    finally:
        b.close()


if __name__ == "__main__":
    main()
