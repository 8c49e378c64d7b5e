//! External plugins: a program that receives one document as JSON on stdin and answers with
//! JSON diagnostics on stdout (protocol 1, documented in the README).
//!
//! A plugin runs only when a config lists it in `[[plugins]]` and `--no-plugins` is not given.
//! It runs once per document, in the config file's folder, with a timeout; a crash, a hang (the
//! process is killed at the timeout) or output that is not valid protocol becomes a `plugin`
//! error for that file and the run goes on.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
                article: p.article,
            })
            .collect(),
    };
    let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
    let (program, args) = plugin.command.split_first().ok_or("command 为空")?;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(&plugin.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("无法启动 `{}`：{e}", plugin.command.join(" ")))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + plugin.timeout;
    let status = loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "超过 {} 毫秒没有结束，已终止",
                    plugin.timeout.as_millis()
                ));
            }
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
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

/// The diagnostic for a plugin that failed on a file: rule `plugin`, at the file's start.
pub fn failure(plugin: &Plugin, message: String) -> Diagnostic {
    let mut d = Diagnostic::io(format!("插件 `{}` 出错：{message}", plugin.name));
    d.rule = "plugin".to_string();
    d
}
