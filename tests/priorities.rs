//! What a pane keeps when room is short, and what the chrome offers: the Runs columns kept at
//! 120×40, the header at 60 to 200 columns, the paths shown once, the footer offering only
//! legal moves, the help (focused pane first, filtered by typing, every glyph explained), the
//! selection visible without colour, and `ui::hit` finding tabs, runs, columns and cards.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::act;
use beadboard::app::action::Action;
use beadboard::app::model::{Model, Pane};
use beadboard::ui::{Target, hit};
use common::dash::{Home, draw, now, press, screen, type_text};
use ratatui::layout::Rect;
use ratatui::style::Modifier;

fn sidebar(w: u16, h: u16, color: bool) -> (Home, Model) {
    let home = Home::sidebar();
    let model = home.model_with(w, h, color, Some(home.beads()));
    (home, model)
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn footer(model: &Model) -> String {
    lines(&screen(model))
        .last()
        .copied()
        .unwrap_or_default()
        .to_owned()
}

/// At 120×40 the Runs pane keeps iteration, elapsed time and activity, and drops the prompt
/// and the repo; at 200×50 it has room for both.
#[test]
fn runs_columns_keep_iter_elapsed_and_activity_first() {
    let home = Home::golden();
    let m = home.model(120, 40, true);
    let shown = screen(&m);
    let header = lines(&shown)[2];
    for kept in ["STATE", "RUN", "ITER", "ELAPSED", "ACTIVITY"] {
        assert!(header.contains(kept), "{kept} dropped at 120×40: {header}");
    }
    assert!(
        !header.contains("PROMPT") && !header.contains("REPO"),
        "{header}"
    );
    let wide = screen(&home.model(200, 50, true));
    let header = lines(&wide)[2];
    assert!(
        header.contains("REPO") && header.contains("PROMPT"),
        "{header}"
    );
}

/// The header keeps the attention count and the tabs however narrow; the counts by state go
/// first. At 200 columns it names no data path: the status line names them, once.
#[test]
fn header_drops_counts_before_tabs_and_paths_show_once() {
    for (w, h) in [(60, 40), (64, 45), (80, 24), (90, 30)] {
        let (_home, m) = sidebar(w, h, true);
        let top = lines(&screen(&m))[0].to_owned();
        assert!(top.contains("⚑5"), "attention count dropped at {w}: {top}");
        assert!(
            top.contains("1 Runs") && top.contains("3 Board"),
            "tabs dropped at {w}: {top}"
        );
        if !top.contains("▶2 ✓2 ✗1") {
            assert!(
                !top.contains("sidebar 9 beads"),
                "the session outlived the counts: {top}"
            );
        }
    }
    let (_home, m) = sidebar(64, 45, true);
    assert!(
        !lines(&screen(&m))[0].contains('▶'),
        "counts go first at 64"
    );
    let (_home, m) = sidebar(100, 30, true);
    assert!(lines(&screen(&m))[0].contains("▶2 ✓2 ✗1"));
    let home = Home::golden();
    let m = home.model(200, 50, true);
    let shown = screen(&m);
    assert!(!lines(&shown)[0].contains("~/"), "{}", lines(&shown)[0]);
    assert_eq!(shown.matches("~/ap").count(), 1, "{shown}");
    assert_eq!(shown.matches("~/ntm").count(), 1, "{shown}");
}

/// Column headers keep their counts when narrow and shorten their words instead.
#[test]
fn column_headers_keep_their_counts() {
    let home = Home::golden();
    let beads = Some(home.ntm().join("beads/issues.jsonl"));
    for (w, h) in [(60, 15), (80, 24), (120, 40), (200, 50)] {
        let mut m = home.model_with(w, h, true, beads.clone());
        press(&mut m, "3");
        let shown = screen(&m);
        let counts = ["ready 4", "assigned 1", "working 2"];
        assert!(
            counts.iter().any(|c| shown.contains(c)),
            "no column header with its count at {w}×{h}:\n{shown}"
        );
        assert!(
            !shown.contains("assigne…") && !shown.contains("complete…"),
            "{shown}"
        );
    }
}

/// Selects the card of `bead` on the board.
fn select(model: &mut Model, bead: &str) {
    model.focus = Pane::Board;
    model.board.follow_bead(bead);
}

/// On a card the footer offers exactly the moves its status allows; on a ready bead, assign.
#[test]
fn the_footer_offers_only_legal_moves() {
    let (_home, mut m) = sidebar(120, 40, true);
    let cases: [(&str, &[&str], &[&str]); 6] = [
        (
            "auth-7k2m9x1q",
            &["s start", "x fail"],
            &["c complete", "r reassign", "R retry"],
        ),
        (
            "api-rl-8h3k2",
            &["c complete", "x fail", "r reassign"],
            &["s start", "R retry"],
        ),
        (
            "csv-export-r1",
            &["R retry"],
            &["s start", "c complete", "x fail", "r reassign"],
        ),
        (
            "db-migr-20x7",
            &["d remove"],
            &["s start", "c complete", "x fail", "R retry"],
        ),
        (
            "obs-otel-tr4c3",
            &["d remove"],
            &["s start", "c complete", "x fail", "R retry"],
        ),
        (
            "sidebar-ux-7q2",
            &["n assign"],
            &["s start", "d remove", "x fail"],
        ),
    ];
    for (bead, offered, refused) in cases {
        select(&mut m, bead);
        let line = footer(&m);
        assert!(line.contains("? help"), "{line}");
        for key in offered {
            assert!(line.contains(key), "{bead}: {key} not offered: {line}");
        }
        for key in refused {
            assert!(!line.contains(key), "{bead}: {key} offered: {line}");
        }
    }
    // The most important key comes first, and stays in the narrowest footer.
    let (_home, mut m) = sidebar(60, 40, true);
    select(&mut m, "api-rl-8h3k2");
    assert!(footer(&m).starts_with("c complete"), "{}", footer(&m));
    assert!(footer(&m).ends_with("? help"), "{}", footer(&m));
    select(&mut m, "sidebar-ux-7q2");
    assert!(footer(&m).starts_with("n assign"), "{}", footer(&m));
}

/// `?` lists the focused pane's keys first; typing filters it; the legend explains glyphs.
#[test]
fn help_puts_the_focused_pane_first_and_filters_by_typing() {
    let (_home, mut m) = sidebar(80, 50, true);
    press(&mut m, "3 ?");
    let shown = screen(&m);
    let board = shown.find("║Board").unwrap();
    let lists = shown.find("║lists").unwrap();
    let runs = shown.find("║Runs").unwrap_or(usize::MAX);
    assert!(board < lists && lists < runs, "{shown}");
    type_text(&mut m, "retr");
    let shown = screen(&m);
    assert!(
        shown.contains("/retr") && shown.contains("R ") && shown.contains("retry"),
        "{shown}"
    );
    assert!(
        shown.contains("retried (↻2: twice)"),
        "the legend is filtered too: {shown}"
    );
    assert!(!shown.contains("column left"), "{shown}");
    type_text(&mut m, "zzz");
    assert!(screen(&m).contains("nothing matches `retrzzz`"));
    press(&mut m, "Esc");
    let shown = screen(&m);
    assert!(
        shown.contains("type to filter") && shown.contains("column left"),
        "{shown}"
    );
    // Every glyph of the legend can be found by typing it.
    for glyph in [
        "⚑", "⚐", "⇄", "↻", "◇", "⚠", "▶", "✓", "✗", "◌", "◎", "⊘", "○", "→",
    ] {
        type_text(&mut m, glyph);
        let shown = screen(&m);
        assert!(
            shown.contains("glyphs:"),
            "{glyph} not in the legend:\n{shown}"
        );
        press(&mut m, "Esc");
    }
}

/// Every non-ASCII character a view snapshot shows, box drawing and punctuation aside, is in
/// the help's legend.
#[test]
fn every_glyph_on_screen_is_in_the_legend() {
    let legend: Vec<&str> = beadboard::present::glyphs::LEGEND
        .iter()
        .flat_map(|(_, entries)| entries.iter().map(|(g, _)| *g))
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut missing = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // The width corpus (`tests/width.rs`) shows agent text in every script, not glyphs.
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("width__"))
        {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        for c in text.chars().filter(|c| !c.is_ascii()) {
            let boxes = ('\u{2500}'..='\u{257f}').contains(&c);
            // Multiplication sign, quotes and arrow keys' names are text, not glyphs.
            let text_marks = "×“”←↑↓".contains(c);
            if !boxes && !text_marks && !legend.iter().any(|g| g.contains(c)) {
                missing.insert(c);
            }
        }
    }
    assert!(missing.is_empty(), "glyphs with no legend: {missing:?}");
}

/// Without colour the focused column and the selected card still show: reverse video while
/// the board has the focus, a heavy rule and bar when it does not.
#[test]
fn focus_and_selection_show_without_colour() {
    let (_home, mut m) = sidebar(80, 50, false);
    press(&mut m, "3 l l");
    let terminal = draw(&m);
    let buf = terminal.backend().buffer();
    let row_of = |needle: &str| {
        (0..buf.area.height)
            .find(|&y| {
                let text: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
                text.contains(needle)
            })
            .unwrap()
    };
    let header = row_of("▶ working 2");
    let x = (0..buf.area.width)
        .find(|&x| buf[(x, header)].symbol() == "▶")
        .unwrap();
    assert!(
        buf[(x, header)].modifier.contains(Modifier::REVERSED),
        "focused column header"
    );
    let card = row_of("api-rl-8h3k2");
    let x = (0..buf.area.width)
        .find(|&x| buf[(x, card)].symbol() == "a" && buf[(x + 1, card)].symbol() == "p")
        .unwrap();
    assert!(
        buf[(x, card)].modifier.contains(Modifier::REVERSED),
        "selected card"
    );
    // Runs focused: the board's selection keeps its heavy marks.
    press(&mut m, "1");
    let shown = screen(&m);
    assert!(
        shown.contains("▌api-rl-8h3k2") && shown.contains("━━━━"),
        "{shown}"
    );
}

/// `ui::hit` finds what is drawn: tabs, runs, columns, cards, and the markers of hidden
/// columns, which lead the mouse to every column.
#[test]
fn hit_finds_tabs_runs_columns_and_cards() {
    let (_home, mut m) = sidebar(64, 45, true);
    let area = Rect::new(0, 0, 64, 45);
    let shown = screen(&m);
    let rows = lines(&shown);
    let find = |rows: &[&str], needle: &str| -> (u16, u16) {
        for (y, row) in rows.iter().enumerate() {
            if let Some(i) = row.find(needle) {
                return (
                    u16::try_from(row[..i].chars().count()).unwrap(),
                    u16::try_from(y).unwrap(),
                );
            }
        }
        panic!("{needle} not on screen");
    };
    let (x, y) = find(&rows, "3 Board");
    assert_eq!(hit(&m, area, x, y, now()), Some(Target::Tab(Pane::Board)));
    let (x, y) = find(&rows, "2 Transcript");
    assert_eq!(
        hit(&m, area, x + 3, y, now()),
        Some(Target::Tab(Pane::Transcript))
    );
    let (x, y) = find(&rows, "api #1");
    let index = m
        .runs
        .visible()
        .position(|r| beadboard::present::naming::name(r) == "api #1");
    assert_eq!(hit(&m, area, x, y, now()), index.map(Target::Run));
    let (x, y) = find(&rows, "i18n-fr-de-77");
    let column = m
        .board
        .columns()
        .iter()
        .position(|c| c.ids.iter().any(|i| i.bead == "i18n-fr-de-77"))
        .unwrap();
    let row = m.board.columns()[column]
        .ids
        .iter()
        .position(|i| i.bead == "i18n-fr-de-77")
        .unwrap();
    assert_eq!(
        hit(&m, area, x, y, now()),
        Some(Target::Card { column, row })
    );
    assert_eq!(
        hit(&m, area, x, y + 1, now()),
        Some(Target::Card { column, row }),
        "its title"
    );
    let (x, y) = find(&rows, "○ assigned 3");
    assert_eq!(hit(&m, area, x, y, now()), Some(Target::Column(column)));
    assert_eq!(hit(&m, area, 30, 44, now()), None, "the footer");
    // Clicking `N more ▸` (as the event loop will: select that column) reaches every column.
    let count = m.board.columns().len();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..count {
        let shown = screen(&m);
        let rows = lines(&shown);
        seen.extend((0..count).filter(|&c| {
            // Column 0 is ready, then the known statuses in order.
            let title = beadboard::persist::assignment::AssignmentStatus::KNOWN
                .get(c.wrapping_sub(1))
                .map_or("◇ ready".to_owned(), |s| {
                    format!("{} {s}", beadboard::present::glyphs::assignment_status(s))
                });
            rows.iter().any(|r| r.contains(&format!("{title} ")))
        }));
        let Some(marker) = rows.iter().position(|r| r.contains("more ▸")) else {
            break;
        };
        let x = u16::try_from(rows[marker].chars().count() - 3).unwrap();
        let Some(Target::Column(next)) = hit(&m, area, x, u16::try_from(marker).unwrap(), now())
        else {
            panic!("the marker is not a column:\n{shown}");
        };
        let delta = isize::try_from(next).unwrap() - isize::try_from(m.board.column).unwrap();
        m.board.move_column(delta);
        m.board.scroll_columns(beadboard::ui::columns_in_view(&m));
        m.focus = Pane::Board;
    }
    assert_eq!(seen.len(), count, "columns reached by the mouse: {seen:?}");
    act(&mut m, Action::ToggleHelp, now());
    assert_eq!(hit(&m, area, 1, 1, now()), None, "nothing under an overlay");
}
