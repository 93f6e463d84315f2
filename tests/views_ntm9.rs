//! What the screen shows of a store written by today's NTM (schema 9): snapshots of the board
//! and the card detail on NTM's own `00-start` at 80×24, 120×40 and 200×50 and in the 64×45
//! sidebar, drawn at a fixed clock ([`now9`]); the badges every row of it shows; the footer
//! offering exactly the moves NTM allows, and why none when it allows none; a row without a
//! `%N` pane identity flagged on its card and every key on it refused with the reason, nothing
//! written; and a requested failure shown on the card until the store changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::app::model::{Model, Overlay, Pane};
use common::dash::{Home, status, type_text};
use common::ntm9::{press9, screen9};
use insta::assert_snapshot;

/// The board with `bead` selected (focus on the board).
fn select(model: &mut Model, bead: &str) {
    model.focus = Pane::Board;
    model.board.follow_bead(bead);
}

/// The screen as drawn at [`common::ntm9::now9`], the temp home's path as `[HOME]`.
fn shot(home: &Home, model: &Model) -> String {
    screen9(model).replace(&home.dir.path().display().to_string(), "[HOME]")
}

fn footer(model: &Model) -> String {
    screen9(model).lines().last().unwrap_or_default().to_owned()
}

/// The text of `bead`'s card on `screen`: its rows, from the gutter bar to the next column,
/// joined by spaces (a badge wrapped to the next row reads whole).
fn card_text(screen: &str, bead: &str) -> String {
    let bar = |c: char| c == '▎' || c == '▌';
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let needle: Vec<char> = bead.chars().collect();
    let (y, bx) = lines
        .iter()
        .enumerate()
        .find_map(|(y, l)| {
            (0..l.len().saturating_sub(needle.len() - 1))
                .filter(|&x| l[x..x + needle.len()] == needle[..])
                .find_map(|x| (x.saturating_sub(3)..x).rev().find(|&b| bar(l[b])))
                .map(|b| (y, b))
        })
        .unwrap_or_else(|| panic!("no card of {bead}:\n{screen}"));
    let mut rows = Vec::new();
    for l in &lines[y..] {
        if l.get(bx).is_none_or(|&c| !bar(c)) {
            break;
        }
        let row: String = l[bx + 1..]
            .iter()
            .take_while(|&&c| !bar(c) && c != '┃' && c != '│')
            .collect();
        rows.push(row.trim().to_owned());
    }
    rows.join(" ")
}

#[test]
fn board_80x24() {
    let home = Home::ntm9("00-start");
    let m = home.model9(80, 24);
    let shown = shot(&home, &m);
    assert!(shown.contains("◌ claiming 1") && shown.contains("◍ claimed 1"));
    assert!(
        shown.contains("✗ no moves: NTM is still claiming it"),
        "{shown}"
    );
    assert_snapshot!("ntm9_board_80x24", shown);
}

#[test]
fn board_120x40() {
    let home = Home::ntm9("00-start");
    let mut m = home.model9(120, 40);
    select(&mut m, "wa-01");
    assert_snapshot!("ntm9_board_120x40", shot(&home, &m));
}

#[test]
fn board_200x50() {
    let home = Home::ntm9("00-start");
    let mut m = home.model9(200, 50);
    select(&mut m, "wa-05");
    assert_snapshot!("ntm9_board_200x50", shot(&home, &m));
}

#[test]
fn sidebar_board_64x45() {
    let home = Home::ntm9("00-start");
    let m = home.model9(64, 45);
    let shown = shot(&home, &m);
    for bead in ["wa-01", "wa-03", "wa-04"] {
        assert!(shown.contains(bead), "{bead}:\n{shown}");
    }
    assert!(
        footer(&m).starts_with("✗ no moves: NTM is still claiming it"),
        "{}",
        footer(&m)
    );
    assert_snapshot!("ntm9_sidebar_board_64x45", shown);
}

#[test]
fn card_detail_80x24_120x40_200x50() {
    let home = Home::ntm9("00-start");
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let mut m = home.model9(w, h);
        select(&mut m, "wa-01");
        press9(&mut m, "Enter");
        assert!(matches!(m.overlay, Some(Overlay::Card { .. })));
        let shown = shot(&home, &m);
        assert!(
            shown.contains("reserved, src/api.go, expires in 41m"),
            "{shown}"
        );
        assert_snapshot!(format!("ntm9_card_wa01_{w}x{h}"), shown);
    }
    for bead in ["wa-04", "wa-05"] {
        let mut m = home.model9(120, 40);
        select(&mut m, bead);
        press9(&mut m, "Enter");
        assert_snapshot!(
            format!("ntm9_card_{}_120x40", bead.replace('-', "")),
            shot(&home, &m)
        );
    }
}

/// Every row of `00-start` shows on its card what NTM is doing with it, as a glyph and words.
#[test]
fn every_card_says_what_ntm_is_doing() {
    let home = Home::ntm9("00-start");
    let m = home.model9(200, 50);
    let shown = screen9(&m);
    let cases: [(&str, &[&str]); 5] = [
        ("wa-01", &["⊡ reserved 1 path", "· %2 cl"]),
        ("wa-02", &["· %3 cl"]),
        ("wa-03", &["⇢ pending %4", "· %4 co", "⚠ dispatch: pane is"]),
        (
            "wa-04",
            &["◔ claim unknown", "⇢ pending %5", "⚠ claim: br update"],
        ),
        ("wa-05", &["✉ unacked event", "· %6 ge", "✗ agent idle"]),
    ];
    for (bead, says) in cases {
        let card = card_text(&shown, bead);
        for text in says {
            assert!(card.contains(text), "{bead} lacks {text}:\n{card}");
        }
    }
    // Nothing NTM is not doing: wa-02's reservation is pending but not required.
    assert!(!card_text(&shown, "wa-02").contains('⊡'), "{shown}");
}

/// The footer offers what NTM allows for the selected row, and says why when it allows nothing.
#[test]
fn the_footer_offers_what_ntm_allows() {
    let home = Home::ntm9("00-start");
    let mut m = home.model9(200, 50);
    let all = [
        "s start",
        "c complete",
        "x fail",
        "r reassign",
        "R retry",
        "d remove",
    ];
    let cases: [(&str, &[&str], Option<&str>); 5] = [
        (
            "wa-01",
            &["s start", "c complete", "x fail", "r reassign", "d remove"],
            None,
        ),
        (
            "wa-02",
            &["c complete", "x fail", "r reassign", "d remove"],
            None,
        ),
        // claimed: NTM's transitions allow failed (and assigned, NTM's own), not completed.
        ("wa-03", &["x fail", "d remove"], None),
        ("wa-04", &[], Some("✗ no moves: NTM is still claiming it")),
        (
            "wa-05",
            &[],
            Some("✗ no moves: unacknowledged completion event"),
        ),
    ];
    for (bead, offered, why) in cases {
        select(&mut m, bead);
        let line = footer(&m);
        assert!(line.ends_with("? help"), "{line}");
        for key in all {
            assert_eq!(
                line.contains(key),
                offered.contains(&key),
                "{bead}: {key}: {line}"
            );
        }
        match why {
            Some(why) => assert!(line.starts_with(why), "{bead}: {line}"),
            None => assert!(!line.contains("no moves"), "{bead}: {line}"),
        }
    }
    // The whole reason is in the card detail.
    select(&mut m, "wa-04");
    press9(&mut m, "Enter");
    let shown = screen9(&m);
    assert!(
        shown.contains("none: wa-04 is claiming (claim unknown): NTM has not settled its claim"),
        "{shown}"
    );
}

/// A row without a `%N` pane identity is flagged on its card (it blocks NTM's assignments in
/// the whole session), the footer offers nothing on it, and every key on it is refused with
/// the reason, with nothing written.
#[test]
fn a_row_without_a_pane_identity_is_flagged_and_refused() {
    let home = Home::ntm9("08-legacy-api");
    let mut m = home.model9(120, 40);
    select(&mut m, "wa-10");
    let shown = screen9(&m);
    assert!(
        shown.contains("⊗ wa-10 without a %N pane identity: NTM refuses new assignments"),
        "{shown}"
    );
    let card = card_text(&shown, "wa-10");
    assert!(
        card.contains("⊗ no %N pane") && card.contains("p13"),
        "{card}"
    );
    assert!(
        footer(&m).starts_with("✗ no moves: no %N pane identity"),
        "{}",
        footer(&m)
    );
    let before = std::fs::read(home.store9()).unwrap();
    for key in ["s", "c", "x", "r", "R", "d"] {
        m.status = None;
        select(&mut m, "wa-10");
        press9(&mut m, key);
        assert!(m.overlay.is_none(), "{key} opened {:?}", m.overlay);
        assert!(
            status(&m).starts_with(
                "wa-10 has no %N pane identity (legacy pane index 13): NTM refuses to act on it"
            ),
            "{key}: {}",
            status(&m)
        );
    }
    assert_eq!(std::fs::read(home.store9()).unwrap(), before);
    // Its detail says why, in NTM's words.
    press9(&mut m, "Enter");
    let shown = screen9(&m);
    assert!(
        shown.contains("⊗ blocks NTM's assignments in this session")
            && shown.contains("migrate occupancy_key or"),
        "{shown}"
    );
    // A row of the same store that has one still offers its moves.
    press9(&mut m, "Esc");
    select(&mut m, "wa-02");
    assert!(footer(&m).starts_with("s start"), "{}", footer(&m));
}

/// `x` writes NTM's failure request; the card then says "failure requested" with the reason
/// (the status stays NTM's to change), and offers no move but remove.
#[test]
fn a_requested_failure_shows_on_the_card() {
    let home = Home::ntm9("00-start");
    let mut m = home.model9(200, 50);
    select(&mut m, "wa-02");
    press9(&mut m, "x");
    type_text(&mut m, "tests still red");
    press9(&mut m, "Enter");
    let shown = screen9(&m);
    let card = card_text(&shown, "wa-02");
    assert!(card.contains("⇥ failure requested"), "{card}\n{shown}");
    assert!(card.contains("⇥ reason: tests still"), "{card}");
    assert!(shown.contains("▶ working 1"), "{shown}");
    let line = footer(&m);
    assert!(
        line.contains("d remove") && !line.contains("x fail"),
        "{line}"
    );
    // The detail has the request, the barrier NTM's watcher works through, and the moves.
    press9(&mut m, "Enter");
    let shown = screen9(&m);
    let field = |label: &str| {
        shown
            .lines()
            .find_map(|l| {
                let at = l.find(&format!("│{label} "))?;
                let rest = &l[at + label.len() + 4..];
                Some(rest.split('│').next().unwrap_or_default().trim().to_owned())
            })
            .unwrap_or_default()
    };
    assert!(
        field("requested")
            .starts_with("⇥ failure: tests still red; NTM's watcher or coordinator finishes it"),
        "{shown}"
    );
    assert!(
        field("clear").starts_with("releasing reservations, since"),
        "{shown}"
    );
    assert_eq!(field("moves"), "d remove", "{shown}");
}
