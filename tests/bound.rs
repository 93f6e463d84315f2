//! Cards tied to the agents doing them, headless (every read inline, a fixed clock, the look at
//! tmux made up): a card shows the run bound to its pane with `⇄` at both ends; a working card
//! is flagged, on the card and in attention, when its issue is closed, its pane gone, its agent
//! exited, waiting or quiet; `t` opens the run's transcript and Esc comes back to the card;
//! binding asks a worker to look and says when it cannot.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "bound/support.rs"]
mod support;

use beadboard::app::model::{Known, Model, Pane, Settings};
use beadboard::binding::PaneState;
use beadboard::events::Item;
use beadboard::persist::session::AgentState;
use beadboard::present::attention::{Level, ReasonCode};
use common::dash::{Home, now, press, screen, screen_at, status};
use support::*;

/// The model on the support home, the board shown, with the look handed in.
fn bound_model(w: u16, h: u16) -> (Home, Model) {
    let (home, beads) = home();
    let mut m = home.model_with(w, h, true, Some(beads));
    press(&mut m, "3");
    look(&mut m, &scene(), now());
    (home, m)
}

fn code(m: &Model, bead: &str) -> String {
    let (c, _) = m.observer.bead_condition("api", bead, now()).unwrap();
    c.code.as_str().to_owned()
}

/// The Runs pane's row of the run whose name ends in `id6` (its marks and state, up to its name).
fn runs_row(screen: &str, id6: &str) -> String {
    let name = format!("api claude {id6}");
    let line = screen
        .lines()
        .find(|l| l.starts_with('│') && l.contains(&name))
        .unwrap_or_else(|| panic!("no row of {name}:\n{screen}"));
    line[..line.find(&name).unwrap()].to_owned()
}

fn select_card(m: &mut Model, bead: &str) {
    m.board.follow_bead(bead);
    assert_eq!(
        m.board.selected_card().map(|c| c.bead_id.as_str()),
        Some(bead)
    );
}

#[test]
fn a_card_shows_its_bound_run_and_the_run_its_card() {
    let (_home, mut m) = bound_model(200, 50);
    let key = m
        .runs
        .all()
        .find(|r| r.run_key == BOUND)
        .map(|r| r.dir.clone())
        .unwrap();
    let run = m.runs.get(&key).unwrap().session().unwrap();
    assert_eq!(run.pane.as_deref(), Some("%11"));
    assert_eq!(run.bead.as_deref(), Some("api-1"));
    // Seen in its pane: alive, its turn ended.
    assert_eq!((run.alive, run.state), (Some(true), AgentState::Idle));
    let card = m.binder.card("api", "api-1").unwrap();
    assert_eq!(card.run.as_ref().map(|(_, k)| k), Some(&key));
    let name = card.run.as_ref().unwrap().0.clone();
    assert_eq!(name, "api claude 111111");
    let s = screen(&m);
    assert!(s.contains(&format!("⇄ {name}")), "{s}");
    // The other end: the run is marked while its card is selected.
    select_card(&mut m, "api-1");
    let s = screen(&m);
    let row = runs_row(&s, "111111");
    assert!(row.contains('⇄'), "{s}");
    // A session whose first prompt names a bead is marked for that bead's card too.
    select_card(&mut m, "api-3");
    let s = screen(&m);
    assert!(runs_row(&s, "333333").contains('⇄'), "{s}");
    assert!(!runs_row(&s, "111111").contains('⇄'), "{s}");
}

#[test]
fn each_working_card_is_flagged_with_its_reason_in_attention_too() {
    let (_home, m) = bound_model(200, 50);
    for (bead, code_) in [
        ("api-1", "fine"),
        ("api-2", "pane_gone"),
        ("api-3", "agent_exited"),
        ("api-4", "agent_waiting"),
        ("api-5", "agent_quiet"),
        ("api-6", "issue_closed"),
        // Assigned an hour ago and not started: flagged as before, the agent aside.
        ("api-7", "not_started"),
    ] {
        assert_eq!(code(&m, bead), code_, "{bead}");
    }
    let reason = |bead: &str| {
        m.observer
            .bead_condition("api", bead, now())
            .unwrap()
            .0
            .reason
    };
    assert_eq!(reason("api-2"), "its pane 2 of api is gone");
    assert_eq!(reason("api-3"), "no agent runs in its pane %13 any more");
    assert_eq!(
        reason("api-4"),
        "its agent waits for approval of Bash(psql -c 'drop table tokens')"
    );
    assert_eq!(reason("api-5"), "its agent has been quiet for 40m00s");
    assert_eq!(
        reason("api-6"),
        "its issue is closed in beads; the assignment still says working"
    );
    let queue = m.observer.needing_attention();
    for bead in ["api-2", "api-3", "api-4", "api-5", "api-6"] {
        let item = Item::Bead {
            session: "api".into(),
            bead: bead.into(),
        };
        assert!(queue.contains(&item), "{bead} in {queue:?}");
    }
    let mut m = m;
    for (bead, badge) in [
        ("api-2", "⊠ pane gone"),
        ("api-3", "⊖ agent exited"),
        ("api-4", "◐ waiting"),
        ("api-5", "◷ quiet 40m"),
        ("api-6", "∎ issue closed"),
    ] {
        select_card(&mut m, bead);
        let s = screen(&m);
        assert!(s.contains(badge), "{badge}:\n{s}");
    }
    select_card(&mut m, "api-7");
    let s = screen(&m);
    // The assigned card's agent shares its cwd with another: no run is bound, and it says why.
    let card = m.binder.card("api", "api-7").unwrap();
    assert!(matches!(card.state, PaneState::Unbound { .. }));
    assert!(s.contains("claude in %17: no …"), "{s}");
    let wide = m.binder.card("api", "api-7").unwrap();
    let PaneState::Unbound { why, .. } = &wide.state else {
        unreachable!()
    };
    assert_eq!(
        why.to_string(),
        "2 agents of its kind share /home/dev/shared"
    );
}

#[test]
fn reasons_are_worked_out_when_drawn() {
    let (_home, mut m) = bound_model(200, 50);
    select_card(&mut m, "api-5");
    // Twenty minutes on, nothing else changed: the quiet card says so.
    let later = now() + chrono::Duration::minutes(20);
    let s = screen_at(&m, later);
    assert!(s.contains("◷ quiet 1h"), "{s}");
    let (c, _) = m.observer.bead_condition("api", "api-5", later).unwrap();
    assert_eq!(c.reason, "its agent has been quiet for 1h00m");
    // api-1's agent goes quiet at last, once the stale limit passes: the clock alone flags it.
    let due = m.observer.next_change().unwrap();
    assert!(
        due > now() && due <= now() + chrono::Duration::minutes(10),
        "{due}"
    );
    beadboard::app::step(&mut m, beadboard::app::event::Msg::Tick, later);
    assert_eq!(code(&m, "api-1"), "agent_quiet");
}

#[test]
fn when_the_agent_exits_its_card_is_flagged() {
    let (_home, mut m) = bound_model(200, 50);
    assert_eq!(code(&m, "api-1"), "fine");
    let mut gone = scene();
    gone.agents.remove("%11");
    look(&mut m, &gone, now());
    assert_eq!(code(&m, "api-1"), "agent_exited");
    assert!(screen(&m).contains("⊖ agent exited"));
    // Its run is tied to no pane any more.
    let run = m.runs.all().find(|r| r.run_key == BOUND).unwrap();
    assert_eq!(run.session().unwrap().pane, None);
    // The first look is shown, not announced; this one is news.
    assert!(
        m.notices.iter().any(|e| matches!(
            e,
            beadboard::events::Event::Attention {
                reason_code: ReasonCode::AgentExited,
                ..
            }
        )),
        "{:?}",
        m.notices
    );
}

#[test]
fn t_opens_the_card_s_run_and_esc_comes_back() {
    let (_home, mut m) = bound_model(120, 40);
    select_card(&mut m, "api-1");
    press(&mut m, "t");
    assert_eq!(m.focus, Pane::Transcript);
    let run = m.runs.selected().unwrap();
    assert_eq!(run.run_key, BOUND);
    assert_eq!(m.transcript.run_dir(), Some(run.dir.as_path()));
    assert!(screen(&m).contains("On it."), "{}", screen(&m));
    assert!(
        status(&m).contains("Esc goes back to the card"),
        "{}",
        status(&m)
    );
    press(&mut m, "Esc");
    assert_eq!(m.focus, Pane::Board);
    assert_eq!(m.board.selected_card().unwrap().bead_id, "api-1");
    // A card bound to nothing opens the run its prompt names (api-3's pane has no agent).
    select_card(&mut m, "api-3");
    press(&mut m, "t");
    assert_eq!(m.runs.selected().unwrap().run_key, NAMES_API3);
    press(&mut m, "Esc");
    assert_eq!(m.board.selected_card().unwrap().bead_id, "api-3");
    // Otherwise it says why there is none.
    select_card(&mut m, "api-7");
    press(&mut m, "t");
    assert_eq!(m.focus, Pane::Board);
    assert!(
        status(&m).contains("api-7's claude in %17 is bound to no run: 2 agents"),
        "{}",
        status(&m)
    );
}

#[test]
fn a_card_s_detail_shows_the_run_its_prompt_names_and_t_opens_it() {
    let (_home, mut m) = bound_model(200, 50);
    // No agent runs in api-3's pane: no run is bound to it, and a session's first prompt names
    // it.
    m.board.follow_bead("api-3");
    press(&mut m, "Enter");
    let s = screen(&m);
    let row = |label: &str| {
        s.lines()
            .find(|l| l.contains(&format!("│{label} ")) || l.contains(&format!("│ {label} ")))
            .unwrap_or_else(|| panic!("no {label} row:\n{s}"))
            .to_owned()
    };
    assert!(
        row("run")
            .contains("⇄ api claude 333333  · its prompt names api-3  (t opens its transcript)"),
        "{s}"
    );
    assert!(row("in pane").contains("none: no agent runs in %13"), "{s}");
    // `t` on the card opens it, as it does a bound run.
    press(&mut m, "Esc");
    press(&mut m, "t");
    assert_eq!(m.focus, Pane::Transcript);
    assert_eq!(m.runs.selected().unwrap().run_key, NAMES_API3);
    press(&mut m, "Esc");
    assert_eq!(m.board.selected_card().unwrap().bead_id, "api-3");
    // A bound card's detail names its bound run only.
    m.board.follow_bead("api-1");
    press(&mut m, "Enter");
    let s = screen(&m);
    assert!(
        s.contains("⇄ api claude 111111")
            && !s.contains("its prompt names")
            && !s.contains("in pane"),
        "{s}"
    );
}

/// The model on the support home, binding on, with a tmux that cannot be run.
fn model_without_tmux() -> (Home, Model) {
    let (home, beads) = home();
    let roots = beadboard::config::Roots {
        agentpair: home.agentpair(),
        ntm: home.ntm(),
        beads: Some(beads),
        agents: home.agents(),
    };
    let tmux = beadboard::tmux::Tmux::with_socket_name("beadboard-bound-none")
        .with_program("/nonexistent/beadboard-no-tmux");
    let settings = Settings {
        bind_panes: Some(tmux),
        ..Settings::default()
    };
    let keymap = beadboard::app::keymap::Keymap::default();
    let m = Model::load_at(roots, settings, keymap, (120, 40), now());
    (home, m)
}

#[test]
fn binding_asks_a_worker_and_says_when_tmux_cannot_be_asked() {
    let (_home, mut m) = model_without_tmux();
    let Known::Failed(why) = &m.binder.known else {
        panic!("{:?}", m.binder.known)
    };
    assert!(why.contains("tmux"), "{why}");
    // Nothing is said of any pane: no card is flagged for its agent.
    assert_eq!(code(&m, "api-2"), "fine");
    assert_eq!(code(&m, "api-6"), "issue_closed");
    // The card's detail says why.
    press(&mut m, "3");
    m.board.follow_bead("api-2");
    press(&mut m, "Enter");
    assert!(
        screen(&m).contains("panes not looked at: tmux"),
        "{}",
        screen(&m)
    );
    // Looked at again every few seconds while cards have panes.
    let next = m.binder.next_check(now()).unwrap();
    assert_eq!(next, beadboard::binding::EVERY);
}

#[test]
fn the_binder_s_candidates_are_the_listed_sessions_not_copies() {
    let (_home, m) = model_without_tmux();
    let candidates = m.binder.candidates();
    let sessions = m.runs.all().filter(|r| r.session().is_some()).count();
    assert!(sessions > 0);
    assert_eq!(
        candidates.len(),
        sessions,
        "every listed session is a candidate"
    );
    for c in candidates.iter() {
        let listed = m.runs.all_shared().find(|r| r.dir == *c.key()).unwrap();
        assert!(
            std::sync::Arc::ptr_eq(c.run(), listed),
            "{} is a copy of its listed run",
            c.id()
        );
    }
}

#[test]
fn snapshots_of_bound_and_flagged_cards() {
    // Each selection scrolls its column to it: api-1 (bound, `⇄` at both ends; api-7's agent
    // not told apart), api-3 (pane gone, agent exited), api-5 (waiting, quiet), api-6 (issue
    // closed), then api-4's detail.
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let (_home, mut m) = bound_model(w, h);
        for bead in ["api-1", "api-3", "api-5", "api-6"] {
            select_card(&mut m, bead);
            insta::assert_snapshot!(format!("bound_cards_{bead}_{w}x{h}"), screen(&m));
        }
        m.board.follow_bead("api-4");
        press(&mut m, "Enter");
        insta::assert_snapshot!(format!("bound_card_detail_{w}x{h}"), screen(&m));
        // A card whose run its prompt names (no agent in its pane).
        press(&mut m, "Esc");
        m.board.follow_bead("api-3");
        press(&mut m, "Enter");
        insta::assert_snapshot!(format!("bound_card_detail_prompt_{w}x{h}"), screen(&m));
    }
}

#[test]
fn a_flag_of_the_first_look_is_shown_not_announced() {
    let (_home, m) = bound_model(120, 40);
    let level = m
        .observer
        .bead_condition("api", "api-2", now())
        .unwrap()
        .0
        .level;
    assert_eq!(level, Level::Attention);
    assert!(
        !m.notices.iter().any(|e| matches!(
            e,
            beadboard::events::Event::Attention {
                reason_code: ReasonCode::PaneGone,
                ..
            }
        )),
        "{:?}",
        m.notices
    );
}
