//! Text measured as the terminal draws it. For every piece of a corpus of hard text (emoji with
//! and without VS16, ZWJ sequences, skin tones, flags, keycaps, CJK, combining marks, Indic,
//! Thai, Persian with ZWNJ, Hebrew and Arabic, stray joiners, tabs), and for random
//! concatenations of the pieces, our measure equals the cells ratatui's buffer takes when the
//! text is set into it (continuation cells of wide clusters included). Wrapping never splits a
//! cluster and a cut row ends in `…` in exactly its last column; in the Transcript pane every
//! cut row ends in `…` right before the border.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::act;
use beadboard::app::action::Action;
use beadboard::present::{sanitize, text};
use beadboard::ui::wrap::{cut, cut_at, line_width, wrap};
use common::dash::{Home, draw, now, screen};
use common::widths::{CORPUS, entry_text};
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_segmentation::UnicodeSegmentation;

/// The columns ratatui's buffer advances over when `s` is set into it as one string.
fn set_string_cells(s: &str) -> usize {
    let mut buf = Buffer::empty(Rect::new(0, 0, 2000, 1));
    let (x, _) = buf.set_stringn(0, 0, s, 2000, Style::new());
    usize::from(x)
}

/// The columns ratatui's buffer advances over when `line` is set into it span by span.
fn set_line_cells(line: &Line<'_>) -> usize {
    let mut buf = Buffer::empty(Rect::new(0, 0, 2000, 1));
    let (x, _) = buf.set_line(0, 0, line, 2000);
    usize::from(x)
}

/// The last column a Paragraph of `line` writes to, plus one (the cells it consumed, counting
/// the continuation cells a wide cluster covers).
fn paragraph_cells(line: &Line<'static>) -> usize {
    let mut buf = Buffer::empty(Rect::new(0, 0, 2000, 1));
    Paragraph::new(line.clone()).render(buf.area, &mut buf);
    let mut end = 0;
    let mut x = 0;
    while x < 2000 {
        let cell = &buf[(x, 0)];
        let w = text::width(cell.symbol()).max(1);
        if cell.symbol() != " " {
            end = usize::from(x) + w;
        }
        x += u16::try_from(w).unwrap();
    }
    end
}

/// Each corpus piece as written, and as the sanitiser leaves it.
fn corpus() -> Vec<String> {
    CORPUS
        .iter()
        .flat_map(|(_, t)| [t.to_string(), sanitize::plain(t)])
        .collect()
}

#[test]
fn every_corpus_piece_measures_as_ratatuis_buffer_takes_it() {
    for s in corpus() {
        assert_eq!(text::width(&s), set_string_cells(&s), "{s:?}");
        let line = Line::from(s.clone());
        assert_eq!(line_width(&line), set_line_cells(&line), "{s:?}");
        // A Paragraph writes exactly as far (trailing spaces aside, so end on a letter).
        let marked = Line::from(format!("{s}x"));
        assert_eq!(line_width(&marked), paragraph_cells(&marked), "{s:?}");
    }
}

#[test]
fn the_sanitised_forms_are_the_ones_every_terminal_draws_alike() {
    let widths: Vec<(&str, usize)> = CORPUS
        .iter()
        .map(|(name, t)| (*name, text::width(&sanitize::plain(t))))
        .collect();
    let expect = |name: &str| widths.iter().find(|(n, _)| *n == name).unwrap().1;
    // `⚠ ✔ ❤ ☺ ©`: one column each once VS16 is dropped (ratatui gave two each).
    assert_eq!(expect("vs16"), 9);
    assert_eq!(text::width(CORPUS[1].1), 14);
    // `😀︎ ❤︎` → `😀 ❤`: the default forms, 2 + 1 + 1.
    assert_eq!(expect("vs15"), 4);
    // ZWJ sequences stay whole, two columns each.
    assert_eq!(expect("family"), 5);
    assert_eq!(expect("rainbow"), 5);
    // Keycaps lose VS16: one column each.
    assert_eq!(expect("keycaps"), 5);
    // Flags are two columns; a lone indicator is its letter.
    assert_eq!(sanitize::plain("🇺🇸 🇯🇵 🇫🇷 🇫"), "🇺🇸 🇯🇵 🇫🇷 F");
    assert_eq!(expect("flags"), 10);
    // Persian keeps its ZWNJ; the word measures as its letters.
    assert!(sanitize::plain(CORPUS[15].1).contains('\u{200c}'));
    assert_eq!(expect("persian"), 16);
    // A tab is four spaces.
    assert_eq!(expect("tab"), 11);
}

fn corpus_pieces() -> impl Strategy<Value = Vec<String>> {
    let pieces: Vec<String> = CORPUS
        .iter()
        .flat_map(|(_, t)| {
            t.split(' ')
                .map(str::to_owned)
                .chain([t.to_string(), " ".to_owned()])
        })
        .collect();
    proptest::collection::vec(proptest::sample::select(pieces), 0..12)
}

/// Row boundaries (byte offsets into the concatenated text) of `rows`.
fn row_ends(rows: &[Line<'static>]) -> Vec<usize> {
    let mut at = 0;
    let mut ends = Vec::new();
    for row in rows {
        for span in &row.spans {
            at += span.content.len();
            ends.push(at);
        }
    }
    ends
}

fn joined(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Random concatenations, as one string and as spans in different styles.
    #[test]
    fn concatenations_measure_as_ratatuis_buffer_takes_them(parts in corpus_pieces()) {
        let s = parts.concat();
        prop_assert_eq!(text::width(&s), set_string_cells(&s), "{:?}", s);
        let clean = sanitize::plain(&s);
        prop_assert_eq!(text::width(&clean), set_string_cells(&clean), "{:?}", clean);
        let spans: Vec<Span<'static>> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let colour = if i % 2 == 0 { Color::Red } else { Color::Blue };
                Span::styled(p.clone(), Style::new().fg(colour))
            })
            .collect();
        let line = Line::from(spans);
        prop_assert_eq!(line_width(&line), set_line_cells(&line), "{:?}", parts);
    }

    /// Wrapped, every row fits and no cluster is split; cut, the row is exactly `cols` wide and
    /// ends in `…`; every window scrolled sideways fits.
    #[test]
    fn wrap_and_cut_keep_clusters_whole(parts in corpus_pieces(), cols in 3usize..30) {
        let s = sanitize::plain(&parts.concat());
        let line = Line::from(s.clone());
        let rows = wrap(&line, cols);
        let bounds: Vec<usize> = s.grapheme_indices(true).map(|(i, _)| i).chain([s.len()]).collect();
        for end in row_ends(&rows) {
            prop_assert!(bounds.contains(&end), "a cluster split at {} in {:?}", end, s);
        }
        prop_assert_eq!(rows.iter().map(joined).collect::<String>(), s.clone());
        for row in &rows {
            let w = line_width(row);
            prop_assert!(w <= cols || row.spans.iter().map(|sp| sp.content.graphemes(true).count()).sum::<usize>() == 1,
                "{:?} is {} wide, more than {}", joined(row), w, cols);
            prop_assert_eq!(w, set_line_cells(row));
        }
        if text::width(&s) > cols {
            let c = cut(&line, cols);
            prop_assert_eq!(line_width(&c), cols, "{:?}", joined(&c));
            prop_assert_eq!(set_line_cells(&c), cols);
            prop_assert!(joined(&c).ends_with('…'));
            for offset in [1, cols / 2, cols] {
                let (w, _) = cut_at(&line, offset, cols);
                prop_assert!(line_width(&w) <= cols);
            }
        }
    }
}

#[test]
fn every_corpus_piece_cut_ends_in_an_ellipsis_in_the_last_column() {
    for s in corpus() {
        let s = sanitize::plain(&s.repeat(8));
        let line = Line::from(s.clone());
        for cols in 3..40 {
            if text::width(&s) <= cols {
                continue;
            }
            let c = cut(&line, cols);
            assert_eq!(line_width(&c), cols, "{s:?} at {cols}: {:?}", joined(&c));
            assert!(joined(&c).ends_with('…'));
            // Set into a buffer, the `…` is the symbol of the last column.
            let mut buf = Buffer::empty(Rect::new(0, 0, u16::try_from(cols).unwrap(), 1));
            buf.set_line(0, 0, &c, u16::try_from(cols).unwrap());
            assert_eq!(buf[(u16::try_from(cols - 1).unwrap(), 0)].symbol(), "…");
        }
    }
}

/// In the Transcript pane, not wrapping, every row that shows a corpus entry ends in `…`
/// right before the pane's right border; wrapping, every row ends at or before it; the border
/// is in its column on every row.
#[test]
fn the_transcript_pane_cuts_every_corpus_entry_at_its_border() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let home = Home::widths();
        let mut m = home.model(w, h, false);
        act(&mut m, Action::OpenTranscript, now());
        let mut named = std::collections::BTreeSet::new();
        // Wrapped at the end; cut at the end; cut from the top.
        for step in [None, Some(Action::ToggleWrap), Some(Action::First)] {
            if let Some(a) = step {
                act(&mut m, a, now());
            }
            let wrapping = step.is_none();
            let terminal = draw(&m);
            let buf = terminal.backend().buffer();
            let (top, left, right) = border_columns(buf);
            for y in top + 1..buf.area.height {
                let row = row_cells(buf, y);
                if row[left].1 == "┗" {
                    break;
                }
                // The left border, and the right border or its scrollbar, in their columns.
                assert_eq!(row[left].1, "┃", "row {y} at {w}×{h}: {}", row_text(&row));
                assert!(
                    matches!(row[right].1.as_str(), "┃" | "║" | "█"),
                    "row {y} at {w}×{h}: {}",
                    row_text(&row)
                );
                let Some((name, _)) = CORPUS
                    .iter()
                    .find(|(name, _)| row_text(&row).contains(&format!(" {name}:")))
                else {
                    continue;
                };
                if !wrapping {
                    assert_eq!(
                        row[right - 1].1,
                        "…",
                        "row {y} at {w}×{h}: {}",
                        row_text(&row)
                    );
                    named.insert(*name);
                }
            }
        }
        // Every entry was seen cut, at the end or from the top.
        assert_eq!(named.len(), CORPUS.len(), "{w}×{h}: {named:?}");
    }
}

/// The cells of row `y` as (column, symbol), the cells a wide symbol covers left out.
fn row_cells(buf: &Buffer, y: u16) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut x = 0;
    while x < buf.area.width {
        let symbol = buf[(x, y)].symbol().to_owned();
        let w = text::width(&symbol).max(1);
        for k in 0..w {
            // Each column gets an entry, so an index is a column.
            out.push((
                usize::from(x) + k,
                if k == 0 {
                    symbol.clone()
                } else {
                    String::new()
                },
            ));
        }
        x += u16::try_from(w).unwrap();
    }
    out
}

fn row_text(row: &[(usize, String)]) -> String {
    row.iter().map(|(_, s)| s.as_str()).collect()
}

/// The focused pane's top row and its left and right border columns (its top corners).
fn border_columns(buf: &Buffer) -> (u16, usize, usize) {
    for y in 0..buf.area.height {
        let row = row_cells(buf, y);
        if let (Some(l), Some(r)) = (
            row.iter().position(|(_, s)| s == "┏"),
            row.iter().position(|(_, s)| s == "┓"),
        ) {
            return (y, l, r);
        }
    }
    panic!("no focused pane");
}

/// The entry text helper gives each piece a name and enough repeats to be cut.
#[test]
fn entry_texts_are_long_enough_to_be_cut() {
    for (name, t) in CORPUS {
        assert!(
            text::width(&sanitize::plain(&entry_text(name, t))) > 200,
            "{name}"
        );
    }
}

/// The Transcript pane showing the corpus, wrapped at the end and cut from the top, at each
/// size (fixed clock and file times).
#[test]
fn transcript_corpus_snapshots() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let home = Home::widths();
        let mut m = home.model(w, h, true);
        // The temp home's path, shown in an empty pane, is not part of the snapshot.
        let shown = |m: &beadboard::app::model::Model| {
            screen(m).replace(&home.dir.path().display().to_string(), "[HOME]")
        };
        act(&mut m, Action::OpenTranscript, now());
        insta::assert_snapshot!(format!("transcript_widths_{w}x{h}"), shown(&m));
        act(&mut m, Action::ToggleWrap, now());
        act(&mut m, Action::First, now());
        insta::assert_snapshot!(format!("transcript_widths_cut_{w}x{h}"), shown(&m));
    }
}
