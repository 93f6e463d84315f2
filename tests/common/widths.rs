//! Text that terminals and libraries measure differently, and a home whose one run
//! ([`Home::widths`], `webapp #7`) has a transcript entry for each piece of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::dash::{Home, freeze_times};
use beadboard::present::{sanitize, text};

/// Named pieces of text: emoji with and without VS16, ZWJ sequences, skin tones, flags,
/// keycaps, CJK, combining marks, Indic and Thai clusters, Persian with ZWNJ, Hebrew and
/// Arabic (RTL), stray joiners, tabs.
pub const CORPUS: &[(&str, &str)] = &[
    ("ascii", "plain ASCII text"),
    ("vs16", "⚠\u{fe0f} ✔\u{fe0f} ❤\u{fe0f} ☺\u{fe0f} ©\u{fe0f}"),
    ("no-vs16", "⚠ ✔ ❤ ☺ 😀 🦀 ✅"),
    ("vs15", "😀\u{fe0e} ❤\u{fe0e}"),
    (
        "family",
        "👨\u{200d}👩\u{200d}👧 👨\u{200d}👩\u{200d}👧\u{200d}👦",
    ),
    ("profession", "👩\u{200d}🔬 🧑\u{200d}💻 👨\u{200d}🚒"),
    ("rainbow", "🏳\u{fe0f}\u{200d}🌈 ❤\u{fe0f}\u{200d}🔥"),
    ("skin", "👍🏽 ✌🏿 🫱🏻\u{200d}🫲🏿 👩🏾\u{200d}💻"),
    ("flags", "🇺🇸 🇯🇵 🇫🇷 🇫"),
    (
        "tag-flag",
        "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
    ),
    ("keycaps", "1\u{fe0f}\u{20e3} #\u{fe0f}\u{20e3} 9\u{20e3}"),
    ("cjk", "日本語のテキスト 中文 한국어"),
    ("combining", "e\u{301}te\u{301} n\u{303}o a\u{308}\u{304}"),
    ("devanagari", "क्षत्रिय हिन्दी नमस्ते"),
    ("thai", "ภาษาไทย น้ำ กรุงเทพฯ"),
    ("persian", "نیم\u{200c}فاصله می\u{200c}خواهم"),
    ("hebrew", "שָׁלוֹם עולם"),
    ("arabic", "مرحبا بالعالم لا"),
    ("joiners", "a\u{200d}b c\u{200d} \u{200d}d x\u{200c}y"),
    ("tab", "a\tb\tc"),
    ("halfwidth", "ｶﾞｷﾞ ｱｲｳ"),
];

/// Every piece of the corpus, with a colour in front of some, as one long line (the way it
/// is put in a transcript entry: long enough to be cut at any pane width).
pub fn entry_text(name: &str, text: &str) -> String {
    let mut line = format!("\u{1b}[36m{name}\u{1b}[0m:");
    while text::width(&sanitize::plain(&line)) < 240 {
        line.push(' ');
        line.push_str(text);
    }
    line
}

impl Home {
    /// One completed run, `webapp #7`, whose transcript has a result entry for each piece of
    /// [`CORPUS`] (see [`entry_text`]) and one entry of several lines, at fixed times before
    /// the test clock.
    pub fn widths() -> Home {
        let home = Home::empty();
        let dir = home.agentpair().join("runs/43d7567239bfd176/7");
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = serde_json::json!({
            "id": 7,
            "repo_path": "/home/dev/src/webapp",
            "repo_id": "43d7567239bfd176",
            "prompt": "Show every width",
            "state": "completed",
            "primary_agent": "codex",
            "review_mode": "claudex",
            "max_iterations": 20,
            "current_iteration": 1,
            "done_signal": "DONE",
            "created_at": "2026-11-22T15:00:00Z",
            "updated_at": "2026-11-22T15:30:00Z",
            "completed_at": "2026-11-22T15:30:00Z",
        });
        std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
        let mut lines = Vec::new();
        let mut entry = |n: usize, content: String| {
            let line = serde_json::json!({
                "type": "result",
                "timestamp": format!("2026-11-22T15:{:02}:00Z", n),
                "run_id": 7,
                "iteration": 1,
                "agent": "codex",
                "content": content,
                "duration": 1_000_000_000u64,
            });
            lines.push(line.to_string());
        };
        for (n, (name, text)) in CORPUS.iter().enumerate() {
            entry(n, entry_text(name, text));
        }
        let several: Vec<String> = CORPUS.iter().map(|(_, t)| t.to_string()).collect();
        entry(CORPUS.len(), format!("all:\n{}", several.join("\n")));
        std::fs::write(dir.join("transcript.jsonl"), lines.join("\n") + "\n").unwrap();
        freeze_times(home.dir.path());
        home
    }
}
