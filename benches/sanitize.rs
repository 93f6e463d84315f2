//! The sanitiser on realistic agent output with colour codes: the `vte` state machine it uses
//! now beside the hand-written walk it replaced (`support/old_sanitize.rs`), for pieces (the
//! Transcript pane) and plain text (search, summaries). Also the width measure per grapheme
//! cluster beside the per-character sum it replaced. Run with `cargo bench --bench sanitize`;
//! figures are recorded in BENCHMARKS.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::present::{sanitize, text};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use unicode_width::UnicodeWidthChar;

#[path = "support/old_sanitize.rs"]
mod old_sanitize;

/// About 256 KiB of what agents print: test runners' coloured summaries, compiler errors with
/// bold and colour, diffs, progress lines ended by `\r`, a hyperlink, and some non-ASCII
/// (✓, ⚠️, CJK, a ZWJ emoji).
fn agent_output() -> String {
    let lines = [
        "\u{1b}[32m✓\u{1b}[0m src/middleware/rateLimit.test.ts \u{1b}[2m(12 tests)\u{1b}[22m \u{1b}[33m41ms\u{1b}[39m",
        "\u{1b}[1m\u{1b}[31merror[E0308]\u{1b}[0m\u{1b}[1m: mismatched types\u{1b}[0m",
        "   \u{1b}[1m\u{1b}[34m--> \u{1b}[0msrc/persist/run/transcript.rs:214:17",
        "\u{1b}[1m\u{1b}[34m    |\u{1b}[0m",
        "\u{1b}[31m-    let limit = 5;\u{1b}[m",
        "\u{1b}[32m+    let limit = config.attempts_per_minute;\u{1b}[m",
        "Compiling beadboard v0.1.0 (/home/dev/src/beadboard)",
        "\u{1b}[38;5;208m⚠️  2 warnings\u{1b}[0m emitted; see \u{1b}]8;;https://doc.rust-lang.org/\u{1b}\\the book\u{1b}]8;;\u{1b}\\",
        "Progress: 10%\rProgress: 50%\rProgress: 100%",
        "\u{1b}[1;32m    Finished\u{1b}[0m `test` profile [unoptimized + debuginfo] target(s) in 4.21s",
        "テストは全て成功しました 👨\u{200d}💻 \u{1b}[32m42 passing\u{1b}[0m \u{1b}[31m0 failing\u{1b}[0m",
        "\u{1b}[2K\u{1b}[1G\u{1b}[36m⠋\u{1b}[39m Installing dependencies\tnpm ci --prefer-offline",
    ];
    let mut out = String::new();
    let mut n = 0;
    while out.len() < 256 * 1024 {
        out.push_str(lines[n % lines.len()]);
        out.push('\n');
        n += 1;
    }
    out
}

fn benches(c: &mut Criterion) {
    let text = agent_output();
    // Both read the same text the same way, apart from what the new one fixes.
    assert_eq!(
        sanitize::plain(&text).lines().count(),
        old_sanitize::plain(&text).lines().count()
    );
    let mut group = c.benchmark_group("sanitize 256 KiB of coloured agent output");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(30);
    group.bench_function("pieces, vte (now)", |b| {
        b.iter(|| sanitize::pieces(std::hint::black_box(&text)));
    });
    group.bench_function("pieces, hand-written walk (before)", |b| {
        b.iter(|| old_sanitize::pieces(std::hint::black_box(&text)));
    });
    group.bench_function("plain, vte (now)", |b| {
        b.iter(|| sanitize::plain(std::hint::black_box(&text)));
    });
    group.bench_function("plain, hand-written walk (before)", |b| {
        b.iter(|| old_sanitize::plain(std::hint::black_box(&text)));
    });
    group.finish();

    let shown = sanitize::plain(&text);
    let mut group = c.benchmark_group("width of 256 KiB of sanitised agent output");
    group.throughput(Throughput::Bytes(shown.len() as u64));
    group.sample_size(30);
    group.bench_function("per grapheme cluster (now)", |b| {
        b.iter(|| {
            std::hint::black_box(&shown)
                .lines()
                .map(text::width)
                .sum::<usize>()
        });
    });
    group.bench_function("per character (before)", |b| {
        b.iter(|| {
            std::hint::black_box(&shown)
                .lines()
                .map(|l| l.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(sanitize_bench, benches);
criterion_main!(sanitize_bench);
