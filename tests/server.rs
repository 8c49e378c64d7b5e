//! `newslint server` driven as an editor drives it: the built binary spawned, framed JSON-RPC
//! over its stdin and stdout. Every wait is for a message, with a timeout; nothing sleeps.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The longest a message may take (a debug build on a loaded machine).
const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for another one.
    pending: Vec<Value>,
    next_id: i64,
}

fn frame(v: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(v).expect("json");
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

/// One framed message from the server, or `None` at the end of its output.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newslint"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn newslint server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            next_id: 0,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("write to server");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        let m = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.write(&frame(&m));
    }

    /// The first message (read now or earlier) that `pick` accepts. Requests from the server
    /// (`client/registerCapability`) are answered as a client does, and recorded.
    fn wait_for(&mut self, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&pick) {
            return self.pending.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let m = match self.messages.recv_timeout(left) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
                Err(RecvTimeoutError::Disconnected) => panic!("server gone waiting for {what}"),
            };
            if m.get("method").is_some() && m.get("id").is_some() {
                let reply = json!({"jsonrpc": "2.0", "id": m["id"], "result": null});
                self.write(&frame(&reply));
            }
            if pick(&m) {
                return m;
            }
            self.pending.push(m);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let m = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.write(&frame(&m));
        let r = self.wait_for(method, |m| m["id"] == id && m.get("method").is_none());
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    /// The next diagnostics published for `uri` (optionally: for this version).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Value {
        let what = format!("diagnostics of {uri} (version {version:?})");
        let m = self.wait_for(&what, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        m["params"].clone()
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        let doc = json!({"uri": uri, "languageId": "plaintext", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
        self.diagnostics(uri, Some(1))
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        let params = json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}],
        });
        self.notify("textDocument/didChange", params);
    }

    /// `shutdown`, `exit`, and the server's exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null(), "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            // The exit is awaited on the message channel: it closes when the server's
            // output ends.
            let _ = self.messages.recv_timeout(Duration::from_millis(100));
        }
    }
}

fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn initialize(c: &mut Client, root: &Path, encodings: Option<&[&str]>) -> Value {
    let mut caps = json!({
        "workspace": {
            "didChangeWatchedFiles": {"dynamicRegistration": true},
            "workspaceEdit": {"documentChanges": true},
        },
        "textDocument": {"publishDiagnostics": {"relatedInformation": true}},
    });
    if let Some(e) = encodings {
        caps["general"] = json!({ "positionEncodings": e });
    }
    let params = json!({
        "processId": null,
        "rootUri": file_uri(root),
        "workspaceFolders": [{"uri": file_uri(root), "name": "ws"}],
        "capabilities": caps,
    });
    let r = c.request("initialize", params);
    c.notify("initialized", json!({}));
    r
}

/// A client's own conversion: an LSP position in `enc` units to a byte offset.
fn offset(text: &str, pos: &Value, enc: &str) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let character = pos["character"].as_u64().expect("character") as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += match enc {
            "utf-8" => c.len_utf8(),
            "utf-32" => 1,
            _ => c.len_utf16(),
        };
    }
    text.len()
}

/// Apply a code action's edits (`documentChanges` or `changes`) to `text`, as a client does.
fn apply(text: &str, action: &Value, enc: &str) -> String {
    let edit = &action["edit"];
    let edits: Vec<Value> = match edit["documentChanges"].as_array() {
        Some(dc) => dc
            .iter()
            .flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default())
            .collect(),
        None => edit["changes"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .flat_map(|v| v.as_array().cloned().unwrap_or_default())
            .collect(),
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let s = offset(text, &e["range"]["start"], enc);
            let t = offset(text, &e["range"]["end"], enc);
            (s, t, e["newText"].as_str().expect("newText").to_string())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, t, new) in spans {
        out.replace_range(s..t, &new);
    }
    out
}

fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

/// The text of the tests: two astral characters (emoji: two UTF-16 units, four UTF-8 bytes,
/// one scalar each) before a half-width bracket pair.
const TEXT: &str = "😀🎉记者(实习)报道。\n";

#[test]
fn diagnostics_fixes_disable_and_reload_as_an_editor_sees_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("root");
    let mut c = Client::start(&root);
    let init = initialize(&mut c, &root, None);
    // No encodings offered: UTF-16, the protocol's default.
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "newslint");
    // The server asks to watch configs, as the client allows it.
    let reg = c.wait_for("registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let watcher = &reg["params"]["registrations"][0];
    assert_eq!(watcher["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        watcher["registerOptions"]["watchers"][0]["globPattern"],
        "**/.lintrc.toml"
    );

    let a = file_uri(&root.join("稿件 a.txt"));
    let published = c.open(&a, TEXT);
    let diags = published["diagnostics"].as_array().expect("array").clone();
    assert_eq!(diags.len(), 1, "{published}");
    let d = &diags[0];
    assert_eq!(d["code"], "punctuation-width");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "newslint");
    // 😀🎉 are 2 + 2 units, 记者 2: the bracket is at UTF-16 unit 6.
    assert_eq!(d["range"], json!({"start": pos(0, 6), "end": pos(0, 7)}));
    assert!(d["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("中文里用了半角括号")));
    let href = d["codeDescription"]["href"].as_str().expect("href");
    assert!(
        href.ends_with("/crates/newslint-core/src/rules/punctuation_width.rs"),
        "{href}"
    );
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], a.as_str());
    assert_eq!(related["location"]["range"]["start"], pos(0, 9));
    assert_eq!(related["message"], "配对的右括号");

    // Code actions at the finding: its safe fix (preferred) and "disable for this line".
    let params = json!({
        "textDocument": {"uri": a},
        "range": d["range"],
        "context": {"diagnostics": [d]},
    });
    let actions = c.request("textDocument/codeAction", params.clone());
    let actions = actions.as_array().expect("actions").clone();
    let fix = actions
        .iter()
        .find(|a| a["isPreferred"] == true)
        .expect("a preferred fix");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(
        fix["title"],
        "修复 punctuation-width：「(」→「（」，「)」→「）」"
    );
    assert_eq!(
        fix["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let fixed = apply(TEXT, fix, "utf-16");
    assert_eq!(fixed, "😀🎉记者（实习）报道。\n");
    let disable = actions
        .iter()
        .find(|a| a["title"] == "在此行屏蔽 punctuation-width")
        .expect("a disable action");
    assert_eq!(disable["isPreferred"], false);
    let disabled = apply(TEXT, disable, "utf-16");
    assert_eq!(
        disabled,
        format!("#newslint-disable-next-line punctuation-width\n{TEXT}")
    );

    // Typing: three changes in one write (well within the debounce); the latest wins and is
    // the one linted.
    let mut burst = Vec::new();
    for (v, t) in [(2, "乙(丙"), (3, "甲(乙)丙(丁)"), (4, fixed.as_str())] {
        let params = json!({
            "textDocument": {"uri": a, "version": v},
            "contentChanges": [{"text": t}],
        });
        burst.extend(frame(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params}),
        ));
    }
    c.write(&burst);
    let published = c.diagnostics(&a, None);
    assert_eq!(published["version"], 4, "{published}");
    assert_eq!(published["diagnostics"], json!([]), "the fix cleared it");

    // The disable action applied: cleared too.
    c.change(&a, 5, &disabled);
    let published = c.diagnostics(&a, Some(5));
    assert_eq!(published["diagnostics"], json!([]));
    // Back to the finding, then save: linted at once.
    c.change(&a, 6, TEXT);
    assert_eq!(
        c.diagnostics(&a, Some(6))["diagnostics"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // A config that turns the rule off, announced by the watcher: diagnostics cleared.
    let config = root.join(".lintrc.toml");
    std::fs::write(&config, "[rules.punctuation-width]\nseverity = \"off\"\n").expect("write");
    let changed = json!({"changes": [{"uri": file_uri(&config), "type": 1}]});
    c.notify("workspace/didChangeWatchedFiles", changed.clone());
    let published = c.diagnostics(&a, Some(6));
    assert_eq!(published["diagnostics"], json!([]), "{published}");

    // A broken config: an error message naming the file; the server goes on.
    std::fs::write(&config, "[rules.punctuation-width]\nseverity = \"loud\"\n").expect("write");
    c.notify("workspace/didChangeWatchedFiles", changed.clone());
    let shown = c.wait_for("showMessage", |m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    let text = shown["params"]["message"].as_str().expect("message");
    assert!(text.contains(&config.display().to_string()), "{text}");
    assert!(text.contains("severity"), "{text}");
    // Fixed again (severity back on): the finding is back.
    std::fs::write(
        &config,
        "[rules.punctuation-width]\nseverity = \"warning\"\n",
    )
    .expect("w");
    c.notify("workspace/didChangeWatchedFiles", changed);
    let published = loop {
        let p = c.diagnostics(&a, Some(6));
        if p["diagnostics"] != json!([]) {
            break p;
        }
    };
    assert_eq!(published["diagnostics"][0]["severity"], 2, "a warning now");

    // Closing clears the document's diagnostics.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": a}}));
    assert_eq!(c.diagnostics(&a, None)["diagnostics"], json!([]));

    let status = c.stop();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn positions_in_the_encoding_the_client_offers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("root");
    // (offered, chosen, the bracket's character, the partner's)
    let cases: [(&[&str], &str, u64, u64); 3] = [
        (&["utf-16", "utf-8"], "utf-8", 14, 21),
        (&["utf-32", "utf-16"], "utf-32", 4, 7),
        (&["utf-16"], "utf-16", 6, 9),
    ];
    for (offered, chosen, at, partner) in cases {
        let mut c = Client::start(&root);
        let init = initialize(&mut c, &root, Some(offered));
        assert_eq!(init["capabilities"]["positionEncoding"], chosen);
        let a = file_uri(&root.join("a.md"));
        let published = c.open(&a, TEXT);
        let d = &published["diagnostics"][0];
        assert_eq!(d["range"]["start"], pos(0, at), "{chosen}");
        assert_eq!(
            d["relatedInformation"][0]["location"]["range"]["start"],
            pos(0, partner)
        );
        // The fix's edits, applied in the same units, give the fixed text.
        let params = json!({
            "textDocument": {"uri": a},
            "range": d["range"],
            "context": {"diagnostics": [d]},
        });
        let actions = c.request("textDocument/codeAction", params);
        let fix = actions
            .as_array()
            .and_then(|a| a.iter().find(|a| a["isPreferred"] == true).cloned())
            .expect("a fix");
        assert_eq!(
            apply(TEXT, &fix, chosen),
            "😀🎉记者（实习）报道。\n",
            "{chosen}"
        );
        // Markdown: the directive is an HTML comment.
        let disable = actions
            .as_array()
            .and_then(|a| a.iter().find(|a| a["isPreferred"] == false).cloned())
            .expect("a disable action");
        assert_eq!(
            apply(TEXT, &disable, chosen),
            format!("<!-- newslint-disable-next-line punctuation-width -->\n{TEXT}")
        );
        assert_eq!(c.stop().code(), Some(0));
    }
}

#[test]
fn exit_without_shutdown_is_status_1_and_a_closed_pipe_ends_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = Client::start(dir.path());
    initialize(&mut c, dir.path(), None);
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().expect("wait").code(), Some(1));

    let mut c = Client::start(dir.path());
    initialize(&mut c, dir.path(), None);
    let Client {
        mut child, stdin, ..
    } = c;
    drop(stdin);
    assert_eq!(child.wait().expect("wait").code(), Some(1));
}

#[test]
fn without_a_watcher_a_changed_config_applies_at_the_next_lint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("root");
    let config = root.join(".lintrc.toml");
    std::fs::write(
        &config,
        "[rules.punctuation-width]\nseverity = \"warning\"\n",
    )
    .expect("w");
    let mut c = Client::start(&root);
    let params = json!({"processId": null, "rootUri": file_uri(&root), "capabilities": {}});
    c.request("initialize", params);
    c.notify("initialized", json!({}));
    let a = file_uri(&root.join("a.txt"));
    assert_eq!(c.open(&a, TEXT)["diagnostics"][0]["severity"], 2);
    std::fs::write(&config, "[rules.punctuation-width]\nseverity = \"off\"\n").expect("w");
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": a}}));
    assert_eq!(c.diagnostics(&a, Some(1))["diagnostics"], json!([]));
    // No watcher was asked for: the client did not allow it.
    assert!(c
        .pending
        .iter()
        .all(|m| m["method"] != "client/registerCapability"));
    assert_eq!(c.stop().code(), Some(0));
}

/// A config that runs the example plugin (too many exclamation marks in a paragraph).
const EXCLAIM: &str = "[[plugins]]\nname = \"exclaim\"\ncommand = [\"python3\", \"exclaim.py\"]\n";

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str().map(String::from))
        .collect()
}

#[test]
fn plugins_run_only_for_configs_inside_the_workspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let top = dir.path().canonicalize().expect("root");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plugins/exclaim.py");
    for sub in ["ws", "elsewhere"] {
        std::fs::create_dir(top.join(sub)).expect("mkdir");
        std::fs::copy(&example, top.join(sub).join("exclaim.py")).expect("copy");
        std::fs::write(top.join(sub).join(".lintrc.toml"), EXCLAIM).expect("write");
    }
    let ws = top.join("ws");
    let text = "标题一行\n\n聊城是个美丽的城市！东昌湖真漂亮！我们都爱她。\n";
    let mut c = Client::start(&ws);
    initialize(&mut c, &ws, None);
    let inside = file_uri(&ws.join("a.txt"));
    assert!(codes(&c.open(&inside, text)).contains(&"exclaim/too-many".to_string()));
    // The same config next to a file opened from outside the workspace starts no program.
    let outside = file_uri(&top.join("elsewhere").join("a.txt"));
    let found = codes(&c.open(&outside, text));
    assert!(found.iter().all(|c| !c.starts_with("exclaim")), "{found:?}");
    assert_eq!(c.stop().code(), Some(0));

    // Turned off by the client.
    let mut c = Client::start(&ws);
    let params = json!({
        "processId": null,
        "workspaceFolders": [{"uri": file_uri(&ws), "name": "ws"}],
        "capabilities": {},
        "initializationOptions": {"plugins": false},
    });
    c.request("initialize", params);
    c.notify("initialized", json!({}));
    let found = codes(&c.open(&inside, text));
    assert!(found.iter().all(|c| !c.starts_with("exclaim")), "{found:?}");
    assert_eq!(c.stop().code(), Some(0));
}

#[test]
fn the_server_answers_while_a_plugin_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("root");
    // A plugin that answers only once the file `go` exists (in the config's folder, where
    // plugins run).
    let script = "while [ ! -e go ]; do sleep 0.05; done; cat >/dev/null; \
                  echo '{\"protocol\": 1, \"diagnostics\": [{\"rule\": \"done\", \
                  \"message\": \"插件答复了\", \"byte_start\": 0, \"byte_end\": 4}]}'";
    let config = format!(
        "[[plugins]]\nname = \"slow\"\ncommand = [\"sh\", \"-c\", {}]\ntimeout-ms = 120000\n",
        serde_json::to_string(script).expect("json")
    );
    std::fs::write(root.join(".lintrc.toml"), config).expect("write");
    let mut c = Client::start(&root);
    initialize(&mut c, &root, None);
    let a = file_uri(&root.join("a.txt"));
    let doc = json!({"uri": a, "languageId": "plaintext", "version": 1, "text": TEXT});
    c.notify("textDocument/didOpen", json!({ "textDocument": doc }));
    // The plugin is waiting: the request is answered all the same, and no diagnostics came.
    let r = c.request("shutdown", Value::Null);
    assert!(r.is_null());
    assert!(c
        .pending
        .iter()
        .all(|m| m["method"] != "textDocument/publishDiagnostics"));
    std::fs::write(root.join("go"), "").expect("write");
    let published = c.diagnostics(&a, Some(1));
    // The plugin's own finding: it ran, and its answer was awaited.
    assert_eq!(codes(&published), ["slow/done", "punctuation-width"]);
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().expect("wait").code(), Some(0));
}
