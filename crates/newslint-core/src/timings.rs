//! `--timings`: where a run spends its time, per phase and per rule.
//!
//! Off by default and then free: every measurement is behind one relaxed atomic load. Times are
//! summed over worker threads, so with several threads they add up to more than the wall time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// The phases of a run.
#[derive(Debug, Clone, Copy)]
pub enum Phase {
    Walk,
    Read,
    Model,
    Rules,
    Fix,
    Plugins,
    Render,
    Output,
}

const PHASES: [(&str, Phase); 8] = [
    ("walk", Phase::Walk),
    ("read", Phase::Read),
    ("model", Phase::Model),
    ("rules", Phase::Rules),
    ("fix", Phase::Fix),
    ("plugins", Phase::Plugins),
    ("render", Phase::Render),
    ("output", Phase::Output),
];

static PHASE_NANOS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];
static BYTES: AtomicU64 = AtomicU64::new(0);
static RULES: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);

pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Start timing; `None` when timings are off.
pub fn start() -> Option<Instant> {
    enabled().then(Instant::now)
}

/// Add the time since `t` to a phase.
pub fn phase(p: Phase, t: Option<Instant>) {
    if let Some(t) = t {
        PHASE_NANOS[p as usize].fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }
}

thread_local! {
    /// Time booked by [`nested`] since the current rule started, on this thread.
    static NESTED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn add_rule(id: &str, n: u64) {
    if let Ok(mut m) = RULES.lock() {
        *m.get_or_insert_with(HashMap::new)
            .entry(id.to_string())
            .or_insert(0) += n;
    }
}

/// Add the time since `t` to a rule, less what work inside it booked under its own name.
pub fn rule(id: &str, t: Option<Instant>) {
    if let Some(t) = t {
        let n = t.elapsed().as_nanos() as u64;
        let nested = NESTED.with(|c| c.replace(0));
        add_rule(id, n.saturating_sub(nested));
    }
}

/// Book the time since `t` under `id` (shown with the rules), taking it out of the rule that is
/// running: work done once for several rules (the built-in packs' shared scan).
pub fn nested(id: &str, t: Option<Instant>) {
    if let Some(t) = t {
        let n = t.elapsed().as_nanos() as u64;
        NESTED.with(|c| c.set(c.get() + n));
        add_rule(id, n);
    }
}

/// Count bytes read, for the throughput line.
pub fn bytes(n: usize) {
    if enabled() {
        BYTES.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// The report printed after the run.
pub fn report(wall: Duration) -> String {
    let ms = |n: u64| n as f64 / 1e6;
    let mut out = String::from("timings (summed over threads):\n");
    let total: u64 = PHASE_NANOS.iter().map(|a| a.load(Ordering::Relaxed)).sum();
    for (name, p) in PHASES {
        let n = PHASE_NANOS[p as usize].load(Ordering::Relaxed);
        let share = if total > 0 {
            100.0 * n as f64 / total as f64
        } else {
            0.0
        };
        out.push_str(&format!("  {name:<10} {:>10.1} ms {share:>5.1}%\n", ms(n)));
    }
    let mut rules: Vec<(String, u64)> = RULES
        .lock()
        .ok()
        .and_then(|m| m.clone())
        .unwrap_or_default()
        .into_iter()
        .collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.push_str("  rules:\n");
    for (id, n) in rules {
        out.push_str(&format!("    {id:<24} {:>10.1} ms\n", ms(n)));
    }
    let b = BYTES.load(Ordering::Relaxed) as f64;
    let secs = wall.as_secs_f64().max(1e-9);
    out.push_str(&format!(
        "  wall {:.1} ms, {:.1} MB read, {:.1} MB/s\n",
        wall.as_secs_f64() * 1e3,
        b / 1e6,
        b / 1e6 / secs
    ));
    out
}
