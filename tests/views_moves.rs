//! Snapshots of moves asked about and marked: the question before a move the transition table
//! cannot reverse (one card, and a batch naming its count), marked cards on the board and
//! marked runs, at 80×24, 120×40 and 200×50 with a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dash::{Home, press, screen};
use insta::assert_snapshot;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

#[test]
fn the_question_before_complete_one_card_and_a_batch() {
    let home = Home::golden();
    for (w, h) in SIZES {
        let size = format!("{w}x{h}");
        let mut m = home.model(w, h, true);
        press(&mut m, "3");
        m.board.follow_bead("wa-5tq0");
        press(&mut m, "c");
        assert_snapshot!(format!("confirm_complete_{size}"), screen(&m));
        press(&mut m, "n");
        m.board.follow_bead("wa-7hq2");
        press(&mut m, "Space");
        m.board.follow_bead("wa-5tq0");
        press(&mut m, "Space");
        assert_snapshot!(format!("marked_cards_{size}"), screen(&m));
        press(&mut m, "c");
        assert_snapshot!(format!("confirm_complete_batch_{size}"), screen(&m));
    }
}

#[test]
fn marked_runs() {
    let home = Home::golden();
    for (w, h) in SIZES {
        let mut m = home.model(w, h, true);
        press(&mut m, "Space j j Space");
        assert_snapshot!(format!("marked_runs_{w}x{h}"), screen(&m));
    }
}
