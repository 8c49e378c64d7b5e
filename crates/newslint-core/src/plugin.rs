//! External plugins: a program that receives one document as JSON on stdin and answers with
//! JSON diagnostics on stdout (protocol 1, documented in the README).
//!
//! A plugin runs only when a config lists it in `[[plugins]]` and `--no-plugins` is not given.
//! It runs once per document, in the config file's folder, in a process group of its own, with
//! a timeout (waited for with `wait-timeout`, no polling); a crash, a hang (the process group is
//! killed at the timeout) or output that is not valid protocol becomes a `plugin` error for that
//! file and the run goes on. Processes a plugin leaves running in its group when it exits are
//! stopped, so that their hold on its output never makes newslint wait for them.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::document::Document;

/// The protocol version newslint speaks.
pub const PROTOCOL: u32 = 1;

/// A configured plugin.
#[derive(Debug, Clone)]
pub struct Plugin {
    pub name: String,
    pub command: Vec<String>,
    pub timeout: Duration,
    /// The folder the command runs in (the config file's).
    pub dir: PathBuf,
}

#[derive(Serialize)]
struct Request<'a> {
    protocol: u32,
    path: &'a str,
    text: &'a str,
    paragraphs: Vec<RequestParagraph>,
}

#[derive(Serialize)]
struct RequestParagraph {
    byte_start: usize,
    byte_end: usize,
    zone: &'static str,
    article: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Response {
    protocol: u32,
    diagnostics: Vec<ResponseDiagnostic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseDiagnostic {
    rule: String,
    message: String,
    byte_start: usize,
    byte_end: usize,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    help: Option<String>,
}

/// Run `plugin` on `doc`. Diagnostics on success; a message naming the failure otherwise.
pub fn run(plugin: &Plugin, path: &str, doc: &Document) -> Result<Vec<Diagnostic>, String> {
    let request = Request {
        protocol: PROTOCOL,
        path,
        text: doc.text(),
        paragraphs: doc
            .paragraphs
            .iter()
            .map(|p| RequestParagraph {
                byte_start: p.range.start,
                byte_end: p.range.end,
                zone: p.zone.as_str(),
                article: p.article(),
            })
            .collect(),
    };
    let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
    let (program, args) = plugin.command.split_first().ok_or("command 为空")?;
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(&plugin.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so that whatever it starts can be stopped with it.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("无法启动 `{}`：{e}", plugin.command.join(" ")))?;
    let deadline = Instant::now() + plugin.timeout;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    // Not joined: a plugin that never reads its input (and a child of it that keeps the pipe)
    // must not hold the run; the thread ends when the pipe closes.
    std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let out = drain(child.stdout.take().ok_or("no stdout")?);
    let err = drain(child.stderr.take().ok_or("no stderr")?);
    let status = match child
        .wait_timeout(plugin.timeout)
        .map_err(|e| e.to_string())?
    {
        Some(status) => status,
        None => {
            kill_group(&mut child);
            let _ = child.wait();
            return Err(format!(
                "超过 {} 毫秒没有结束，已终止（连同它启动的进程）",
                plugin.timeout.as_millis()
            ));
        }
    };
    // The plugin has exited; its output ends when every process holding the pipes has closed
    // them. Processes it started and left running in its group would hold them as long as they
    // live: after a moment to drain what is buffered, they are stopped.
    const GRACE: Duration = Duration::from_millis(100);
    let grace = GRACE.min(deadline.saturating_duration_since(Instant::now()));
    let (out, err) = match (out.recv_timeout(grace), err.recv_timeout(grace)) {
        (Ok(o), Ok(e)) => (o, e),
        (o, e) => {
            kill_group(&mut child);
            let left = deadline
                .saturating_duration_since(Instant::now())
                .max(GRACE);
            let o = o.or_else(|_| out.recv_timeout(left));
            let e = e.or_else(|_| err.recv_timeout(left)).unwrap_or_default();
            match o {
                Ok(o) => (o, e),
                Err(_) => {
                    return Err(
                        "已退出，但它启动的进程（已脱离它的进程组）仍占着输出，无法读完".into(),
                    )
                }
            }
        }
    };
    if !status.success() {
        let tail = String::from_utf8_lossy(&err);
        let tail = tail.trim();
        let tail: String = tail
            .chars()
            .rev()
            .take(300)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Err(format!(
            "异常退出（{status}）{}",
            if tail.is_empty() {
                String::new()
            } else {
                format!("：{tail}")
            }
        ));
    }
    let resp: Response =
        serde_json::from_slice(&out).map_err(|e| format!("输出不是有效的协议 JSON：{e}"))?;
    if resp.protocol != PROTOCOL {
        return Err(format!(
            "协议版本 {} 不受支持（newslint 使用 {PROTOCOL}）",
            resp.protocol
        ));
    }
    let text = doc.text();
    let mut diags = Vec::new();
    for d in resp.diagnostics {
        let ok = d.byte_start <= d.byte_end
            && d.byte_end <= text.len()
            && text.is_char_boundary(d.byte_start)
            && text.is_char_boundary(d.byte_end);
        if !ok {
            return Err(format!(
                "诊断的字节范围 {}..{} 不在文本内或不在字符边界上",
                d.byte_start, d.byte_end
            ));
        }
        let valid_rule = !d.rule.is_empty()
            && d.rule
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid_rule {
            return Err(format!("规则 id `{}` 无效（只能用字母、数字和 -）", d.rule));
        }
        let severity = match d.severity.as_deref() {
            None | Some("warning") => Severity::Warning,
            Some("error") => Severity::Error,
            Some("info") => Severity::Info,
            Some(other) => return Err(format!("severity `{other}` 无效")),
        };
        let mut f = Finding::new(d.byte_start..d.byte_end, d.message);
        if let Some(h) = d.help {
            f = f.help(h);
        }
        diags.push(Diagnostic::resolve(
            &format!("{}/{}", plugin.name, d.rule),
            severity,
            f,
            &doc.source,
        ));
    }
    Ok(diags)
}

/// Read `pipe` to its end on a thread; the bytes arrive on the receiver.
fn drain(mut pipe: impl Read + Send + 'static) -> Receiver<Vec<u8>> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        let _ = tx.send(buf);
    });
    rx
}

/// Stop the plugin and every process in its group (it leads the group: see `process_group`).
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        if let Ok(pgid) = i32::try_from(child.id()) {
            // SAFETY: killpg only sends a signal; the group is the one the plugin leads.
            unsafe {
                libc::killpg(pgid, libc::SIGKILL);
            }
        }
    }
    let _ = child.kill();
}

/// The diagnostic for a plugin that failed on a file: rule `plugin`, at the file's start.
pub fn failure(plugin: &Plugin, message: String) -> Diagnostic {
    let mut d = Diagnostic::io(format!("插件 `{}` 出错：{message}", plugin.name));
    d.rule = "plugin".into();
    d
}
