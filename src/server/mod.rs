//! `newslint server`: a language server on standard input and output (`lsp-server` for the
//! JSON-RPC transport, `lsp-types` for the protocol), over the library API ([`newslint_core::api`]).
//!
//! - Diagnostics when a document is opened or saved, and 150 ms after the last change (the
//!   latest text is linted; diagnostics carry the version they were computed for). Lints run
//!   on a thread of their own, so that the server answers while a plugin runs; a result for a
//!   version the document has left behind is dropped.
//! - Positions in the encoding the client offers (`general.positionEncodings`): UTF-8 when
//!   offered, else UTF-32 when offered, else UTF-16, the protocol's default.
//! - Each finding: its severity, the rule id as `code` with a link to the rule's documentation
//!   (`codeDescription`), second labels as `relatedInformation`, the help after the message.
//! - Code actions: the finding's fix (a safe fix `isPreferred`; an unsafe one says so in its
//!   title) and "disable for this line" in the suppression syntax of `newslint_core::suppress`. Actions
//!   are computed on the text the client has: a pending lint runs first, and edits carry the
//!   document's version when the client accepts versioned edits.
//! - Each document gets the `.lintrc.toml` nearest to it, as in `newslint check`, with its
//!   packs. Configs are read again when one changes: `workspace/didChangeWatchedFiles` (the
//!   watcher is registered dynamically when the client allows it), or a saved `.lintrc.toml`.
//!   A config that cannot be loaded is a `window/showMessage` error naming the file; its
//!   documents get no diagnostics until it is fixed, and the server goes on.
//! - Plugins (`[[plugins]]`, external programs) run only for configs inside a workspace
//!   folder the client opened, never for a config next to a file opened from elsewhere, and
//!   not at all with `initializationOptions: {"plugins": false}`.

// Standard output is the protocol's channel: anything printed there would corrupt it.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod actions;
mod position;
mod uri;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;

use newslint_core::api::{self, Checker, Problem};
use newslint_core::document::Format;
use position::{Encoding, LineIndex};

/// How long after the last change a document is linted.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Run the server on stdio until the client sends `exit`. `Ok` after `shutdown` then `exit`;
/// `Err` when the protocol went wrong or the client left without `shutdown` (exit code 1, as
/// the protocol asks).
pub fn run() -> Result<(), String> {
    let (conn, io) = Connection::stdio();
    let result = serve(conn);
    // The writer thread ends once the connection (its sender) is dropped, inside `serve`.
    io.join().map_err(|e| format!("stdio: {e}"))?;
    result
}

fn serve(conn: Connection) -> Result<(), String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let init: lsp::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("initialize: {e}"))?;
    let mut server = Server::new(conn, &init, Worker::spawn()?);
    let result = lsp::InitializeResult {
        capabilities: server.capabilities(),
        server_info: Some(lsp::ServerInfo {
            name: "newslint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    server
        .conn
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    // `initialize_finish` has consumed the client's `initialized`: requests may go out now.
    server.register_watcher();
    server.main_loop()
}

/// An open document.
struct Doc {
    uri: lsp::Uri,
    /// The path it is linted as: its file, or for an unsaved buffer a name in the current
    /// folder with the extension of its language (Markdown or plain text).
    path: PathBuf,
    text: String,
    version: i32,
    /// When a change waits to be linted.
    due: Option<Instant>,
    /// The last lint, of `version`.
    linted: Option<Linted>,
}

struct Linted {
    version: i32,
    lines: LineIndex,
    diagnostics: Vec<api::Diagnostic>,
    /// The checker that found them (for links to rule docs).
    checker: Option<Arc<Checker>>,
}

/// A checker, or why its config cannot be used.
type Built = Result<Arc<Checker>, Problem>;

/// What tells that a config file changed: its modification time and length.
type Stamp = Option<(std::time::SystemTime, u64)>;

fn stamp(file: Option<&Path>) -> Stamp {
    let meta = std::fs::metadata(file?).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

struct Server {
    conn: Connection,
    encoding: Encoding,
    docs: HashMap<String, Doc>,
    /// Checkers by config file (`None`: the defaults), or why that config cannot be used, with
    /// the file's stamp when it was read.
    checkers: HashMap<Option<PathBuf>, (Stamp, Built)>,
    /// Config errors already shown (once each until configs are read again).
    shown: HashSet<String>,
    workspace: Vec<PathBuf>,
    plugins: bool,
    watch_dynamically: bool,
    versioned_edits: bool,
    next_request: i32,
    shutdown: bool,
    worker: Worker,
}

/// A lint for the worker thread.
struct Job {
    key: String,
    version: i32,
    path: PathBuf,
    text: String,
    checker: Arc<Checker>,
}

/// What the worker found.
struct Done {
    key: String,
    version: i32,
    report: api::Report,
    checker: Arc<Checker>,
}

impl Job {
    fn run(self) -> Done {
        let report = self.checker.lint(&self.path, &self.text);
        Done {
            key: self.key,
            version: self.version,
            report,
            checker: self.checker,
        }
    }
}

/// The thread that lints, so that the server answers while a plugin runs. Jobs of a version
/// that is no longer the document's latest are skipped.
struct Worker {
    jobs: crossbeam_channel::Sender<Job>,
    done: Receiver<Done>,
    latest: Arc<std::sync::Mutex<HashMap<String, i32>>>,
}

impl Worker {
    fn spawn() -> Result<Worker, String> {
        let (jobs, job_rx) = crossbeam_channel::unbounded::<Job>();
        let (done_tx, done) = crossbeam_channel::unbounded();
        let latest = Arc::new(std::sync::Mutex::new(HashMap::<String, i32>::new()));
        let seen = latest.clone();
        std::thread::Builder::new()
            .name("newslint-lint".into())
            .spawn(move || {
                for job in job_rx {
                    let current = seen
                        .lock()
                        .map(|l| l.get(&job.key) == Some(&job.version))
                        .unwrap_or(true);
                    if current && done_tx.send(job.run()).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| format!("cannot start the lint thread: {e}"))?;
        Ok(Worker { jobs, done, latest })
    }
}

impl Server {
    fn new(conn: Connection, init: &lsp::InitializeParams, worker: Worker) -> Server {
        let caps = &init.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let mut workspace: Vec<PathBuf> = init
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri::to_path(f.uri.as_str()))
            .collect();
        #[allow(deprecated)]
        if workspace.is_empty() {
            workspace.extend(
                init.root_uri
                    .as_ref()
                    .and_then(|u| uri::to_path(u.as_str())),
            );
        }
        let plugins = init
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("plugins"))
            .and_then(|p| p.as_bool())
            .unwrap_or(true);
        let ws = caps.workspace.as_ref();
        Server {
            conn,
            encoding: Encoding::negotiate(offered),
            docs: HashMap::new(),
            checkers: HashMap::new(),
            shown: HashSet::new(),
            workspace,
            plugins,
            watch_dynamically: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            versioned_edits: ws
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            next_request: 0,
            shutdown: false,
            worker,
        }
    }

    fn capabilities(&self) -> lsp::ServerCapabilities {
        lsp::ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::FULL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                        lsp::SaveOptions {
                            include_text: Some(false),
                        },
                    )),
                    ..Default::default()
                },
            )),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                },
            )),
            ..Default::default()
        }
    }

    fn main_loop(&mut self) -> Result<(), String> {
        let receiver = self.conn.receiver.clone();
        let done = self.worker.done.clone();
        loop {
            let due = self.docs.values().filter_map(|d| d.due).min();
            let timer: Receiver<Instant> = match due {
                Some(at) => crossbeam_channel::at(at),
                None => crossbeam_channel::never(),
            };
            select! {
                recv(receiver) -> msg => {
                    let Ok(msg) = msg else {
                        return Err("the client closed the connection without `exit`".into());
                    };
                    match msg {
                        Message::Request(req) => self.on_request(req),
                        Message::Response(_) => {}
                        Message::Notification(n) if n.method == "exit" => {
                            return if self.shutdown {
                                Ok(())
                            } else {
                                Err("`exit` without `shutdown`".into())
                            };
                        }
                        Message::Notification(n) => self.on_notification(n),
                    }
                }
                recv(timer) -> _ => self.lint_due(),
                recv(done) -> d => if let Ok(d) = d {
                    self.on_done(d);
                },
            }
        }
    }

    fn send(&self, msg: impl Into<Message>) {
        // Fails only when the client is gone; the reader then ends the loop.
        let _ = self.conn.sender.send(msg.into());
    }

    fn notify<N: lsp::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params));
    }

    fn show(&self, typ: lsp::MessageType, message: String) {
        self.notify::<lsp::notification::ShowMessage>(lsp::ShowMessageParams { typ, message });
    }

    fn log(&self, typ: lsp::MessageType, message: String) {
        self.notify::<lsp::notification::LogMessage>(lsp::LogMessageParams { typ, message });
    }

    fn on_request(&mut self, req: Request) {
        if self.shutdown {
            self.send(Response::new_err(
                req.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".into(),
            ));
            return;
        }
        match req.method.as_str() {
            lsp::request::Shutdown::METHOD => {
                self.shutdown = true;
                self.send(Response::new_ok(req.id, ()));
            }
            lsp::request::CodeActionRequest::METHOD => {
                match serde_json::from_value::<lsp::CodeActionParams>(req.params) {
                    Ok(p) => {
                        let actions = self.code_actions(&p);
                        self.send(Response::new_ok(req.id, actions));
                    }
                    Err(e) => self.send(Response::new_err(
                        req.id,
                        ErrorCode::InvalidParams as i32,
                        e.to_string(),
                    )),
                }
            }
            _ => self.send(Response::new_err(
                req.id,
                ErrorCode::MethodNotFound as i32,
                format!("unknown request {}", req.method),
            )),
        }
    }

    fn on_notification(&mut self, n: Notification) {
        use lsp::notification as N;
        fn params<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
            serde_json::from_value(n.params).ok()
        }
        match n.method.as_str() {
            N::DidOpenTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidOpenTextDocumentParams>(n) {
                    self.open(p.text_document);
                }
            }
            N::DidChangeTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidChangeTextDocumentParams>(n) {
                    self.change(p);
                }
            }
            N::DidSaveTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidSaveTextDocumentParams>(n) {
                    let key = p.text_document.uri.as_str();
                    if uri::is_config(key) {
                        self.reload();
                    } else if self.docs.contains_key(key) {
                        self.lint(key.to_string());
                    }
                }
            }
            N::DidCloseTextDocument::METHOD => {
                if let Some(p) = params::<lsp::DidCloseTextDocumentParams>(n) {
                    let key = p.text_document.uri.as_str();
                    if let Ok(mut latest) = self.worker.latest.lock() {
                        latest.remove(key);
                    }
                    if let Some(doc) = self.docs.remove(key) {
                        self.publish(doc.uri, Vec::new(), None);
                    }
                }
            }
            N::DidChangeWatchedFiles::METHOD => {
                if let Some(p) = params::<lsp::DidChangeWatchedFilesParams>(n) {
                    if p.changes.iter().any(|c| uri::is_config(c.uri.as_str())) {
                        self.reload();
                    }
                }
            }
            _ => {}
        }
    }

    /// Ask the client to tell us when a `.lintrc.toml` changes, when it can be asked.
    fn register_watcher(&mut self) {
        if !self.watch_dynamically {
            return;
        }
        let options = lsp::DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(format!(
                    "**/{}",
                    newslint_core::config::CONFIG_FILE
                )),
                kind: None,
            }],
        };
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "newslint-config-watcher".into(),
                method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("newslint-{}", self.next_request));
        self.send(Request::new(
            id,
            lsp::request::RegisterCapability::METHOD.into(),
            params,
        ));
    }

    fn open(&mut self, item: lsp::TextDocumentItem) {
        let key = item.uri.as_str().to_string();
        let path = match uri::to_path(&key) {
            Some(p) => p,
            None => {
                let ext = if item.language_id == "markdown" {
                    "md"
                } else {
                    "txt"
                };
                let cwd = std::env::current_dir().unwrap_or_default();
                cwd.join(format!("untitled.{ext}"))
            }
        };
        self.docs.insert(
            key.clone(),
            Doc {
                uri: item.uri,
                path,
                text: item.text,
                version: item.version,
                due: None,
                linted: None,
            },
        );
        self.lint(key);
    }

    fn change(&mut self, p: lsp::DidChangeTextDocumentParams) {
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                None => doc.text = change.text,
                Some(r) => {
                    // Incremental changes are not asked for, but are applied right if sent.
                    let lines = LineIndex::new(&doc.text);
                    let start = lines.offset(&doc.text, r.start, encoding);
                    let end = lines.offset(&doc.text, r.end, encoding).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = p.text_document.version;
        doc.due = Some(Instant::now() + DEBOUNCE);
    }

    /// Lint the documents whose wait is over.
    fn lint_due(&mut self) {
        let now = Instant::now();
        let due: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| d.due.is_some_and(|t| t <= now))
            .map(|(k, _)| k.clone())
            .collect();
        for key in due {
            self.lint(key);
        }
    }

    /// Configs changed: build checkers again, lint every open document again.
    fn reload(&mut self) {
        self.checkers.clear();
        self.shown.clear();
        let keys: Vec<String> = self.docs.keys().cloned().collect();
        for key in keys {
            self.lint(key);
        }
    }

    /// The checker for a document at `path`: its nearest config's, built once, and again when
    /// the file changed since (for clients that cannot watch files: the change applies at the
    /// document's next lint).
    fn checker(&mut self, path: &Path) -> Result<Arc<Checker>, Problem> {
        let file = api::config_for(path);
        let now = stamp(file.as_deref());
        match self.checkers.get(&file) {
            Some((then, c)) if *then == now => return c.clone(),
            Some(_) => {
                // Read again: its errors may be shown again.
                let name = file.as_deref().map(|f| f.display().to_string());
                self.shown
                    .retain(|m| name.as_deref().is_none_or(|n| !m.contains(n)));
            }
            None => {}
        }
        let built = match &file {
            Some(f) => Checker::from_file(f),
            None => Checker::for_path(path),
        };
        let trusted = self.plugins
            && file
                .as_deref()
                .is_some_and(|f| self.workspace.iter().any(|w| f.starts_with(w)));
        let built = built.map(|c| Arc::new(c.with_plugins(trusted)));
        self.checkers.insert(file, (now, built.clone()));
        built
    }

    /// Lint a document and publish its diagnostics: on the worker thread (a plugin may take
    /// seconds), or here when there is nothing to lint (no usable config, an excluded file).
    fn lint(&mut self, key: String) {
        self.lint_with(key, false);
    }

    /// [`Server::lint`] on this thread, for a request that needs the result at once.
    fn lint_now(&mut self, key: String) {
        self.lint_with(key, true);
    }

    fn lint_with(&mut self, key: String, now: bool) {
        let Some(doc) = self.docs.get_mut(&key) else {
            return;
        };
        doc.due = None;
        let (path, version) = (doc.path.clone(), doc.version);
        let checker = match self.checker(&path) {
            Err(problem) => {
                self.report_problem(&problem);
                return self.finish(&key, version, Vec::new(), None);
            }
            Ok(c) if c.excludes(&path) => return self.finish(&key, version, Vec::new(), Some(c)),
            Ok(c) => c,
        };
        let Some(text) = self.docs.get(&key).map(|d| d.text.clone()) else {
            return;
        };
        let job = Job {
            key,
            version,
            path,
            text,
            checker,
        };
        if !now {
            if let Ok(mut latest) = self.worker.latest.lock() {
                latest.insert(job.key.clone(), version);
            }
            match self.worker.jobs.send(job) {
                Ok(()) => return,
                // The worker is gone (it panicked): lint here.
                Err(crossbeam_channel::SendError(job)) => return self.on_done(job.run()),
            }
        }
        self.on_done(job.run());
    }

    fn on_done(&mut self, done: Done) {
        for problem in &done.report.problems {
            self.report_problem(problem);
        }
        self.finish(
            &done.key,
            done.version,
            done.report.diagnostics,
            Some(done.checker),
        );
    }

    /// Keep and publish the diagnostics of `version`, unless the document moved on since (its
    /// newer text is on its way to be linted) or was closed.
    fn finish(
        &mut self,
        key: &str,
        version: i32,
        diagnostics: Vec<api::Diagnostic>,
        checker: Option<Arc<Checker>>,
    ) {
        let Some(doc) = self.docs.get_mut(key) else {
            return;
        };
        if doc.version != version {
            return;
        }
        doc.linted = Some(Linted {
            version,
            lines: LineIndex::new(&doc.text),
            diagnostics,
            checker,
        });
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        let lsp_diags = self.lsp_diagnostics(doc);
        self.publish(doc.uri.clone(), lsp_diags, Some(version));
    }

    /// A config error once (until configs are read again) as a message the user sees; other
    /// problems (a plugin that failed) in the log, as they may repeat at every change.
    fn report_problem(&mut self, problem: &Problem) {
        let text = problem.to_string();
        match problem.kind {
            api::ProblemKind::Config => {
                if self.shown.insert(text.clone()) {
                    self.show(
                        lsp::MessageType::ERROR,
                        format!("newslint 配置有误：{text}"),
                    );
                }
            }
            api::ProblemKind::Io | api::ProblemKind::Plugin => {
                if self.shown.insert(text.clone()) {
                    self.show(lsp::MessageType::WARNING, format!("newslint：{text}"));
                }
                self.log(lsp::MessageType::WARNING, text);
            }
        }
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    fn lsp_diagnostics(&self, doc: &Doc) -> Vec<lsp::Diagnostic> {
        let Some(l) = &doc.linted else {
            return Vec::new();
        };
        l.diagnostics
            .iter()
            .map(|d| self.lsp_diagnostic(doc, l, d))
            .collect()
    }

    fn lsp_diagnostic(&self, doc: &Doc, l: &Linted, d: &api::Diagnostic) -> lsp::Diagnostic {
        let text = &doc.text;
        let enc = self.encoding;
        let severity = match d.severity {
            api::Severity::Error => lsp::DiagnosticSeverity::ERROR,
            api::Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            api::Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        };
        let href = l
            .checker
            .as_ref()
            .and_then(|c| c.docs_url(&d.rule))
            .and_then(|u| lsp::Uri::from_str(&u).ok());
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .labels
            .iter()
            .map(|label| lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: doc.uri.clone(),
                    range: l.lines.range(text, &label.span, enc),
                },
                message: label.message.clone(),
            })
            .collect();
        let message = match &d.help {
            Some(h) => format!("{}\n{h}", d.message),
            None => d.message.clone(),
        };
        lsp::Diagnostic {
            range: l.lines.range(text, &d.span, enc),
            severity: Some(severity),
            code: Some(lsp::NumberOrString::String(d.rule.clone())),
            code_description: href.map(|href| lsp::CodeDescription { href }),
            source: Some("newslint".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }

    fn code_actions(&mut self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let key = p.text_document.uri.as_str().to_string();
        if let Some(only) = &p.context.only {
            if !only.iter().any(|k| {
                lsp::CodeActionKind::QUICKFIX
                    .as_str()
                    .starts_with(k.as_str())
            }) {
                return Vec::new();
            }
        }
        // Edits must apply to the text the client has: lint a pending change first.
        let stale = self.docs.get(&key).is_some_and(|d| {
            d.due.is_some() || d.linted.as_ref().is_none_or(|l| l.version != d.version)
        });
        if stale {
            self.lint_now(key.clone());
        }
        let Some(doc) = self.docs.get(&key) else {
            return Vec::new();
        };
        let Some(l) = &doc.linted else {
            return Vec::new();
        };
        let enc = self.encoding;
        let text = &doc.text;
        let format = Format::from_path(&doc.path);
        let want = p.range;
        let touches = |r: &lsp::Range| r.start <= want.end && want.start <= r.end;
        let mut out = Vec::new();
        let mut disabled = HashSet::new();
        for d in &l.diagnostics {
            let lsp_diag = self.lsp_diagnostic(doc, l, d);
            if !touches(&lsp_diag.range) {
                continue;
            }
            if let Some(fix) = &d.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| lsp::TextEdit {
                        range: l.lines.range(text, &e.range, enc),
                        new_text: e.replacement.clone(),
                    })
                    .collect();
                out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: actions::fix_title(text, &d.rule, fix),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag.clone()]),
                    edit: Some(self.workspace_edit(doc, edits)),
                    is_preferred: Some(fix.applicability == api::Applicability::Safe),
                    ..Default::default()
                }));
            }
            let line = l.lines.line(d.span.start);
            if !disabled.insert((d.rule.clone(), line)) {
                continue;
            }
            if let Some((range, new_text)) =
                actions::disable_edit(text, &l.lines, format, line, &d.rule)
            {
                let edit = lsp::TextEdit {
                    range: l.lines.range(text, &range, enc),
                    new_text,
                };
                out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: format!("在此行屏蔽 {}", d.rule),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag]),
                    edit: Some(self.workspace_edit(doc, vec![edit])),
                    is_preferred: Some(false),
                    ..Default::default()
                }));
            }
        }
        out
    }

    /// Edits of one document: versioned (the client refuses them if the text moved on) when
    /// the client takes `documentChanges`.
    fn workspace_edit(&self, doc: &Doc, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
        if self.versioned_edits {
            lsp::WorkspaceEdit {
                document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
                    text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                        uri: doc.uri.clone(),
                        version: Some(doc.version),
                    },
                    edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
                }])),
                ..Default::default()
            }
        } else {
            lsp::WorkspaceEdit {
                changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
                ..Default::default()
            }
        }
    }
}
