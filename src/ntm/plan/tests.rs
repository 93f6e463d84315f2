//! Tests of the `ntm assign` plans: the argv built for each move and its refusals.

use super::*;
use crate::persist::assignment::v9::{NtmChoice, NtmSource};
use crate::persist::assignment::{Assignment, StoreDocument};

fn doc(folder: &str) -> StoreDocument {
    crate::persist::assignment::v9::golden_doc(folder)
}

fn target() -> Target {
    Target {
        session: "webapp".to_owned(),
        home: None,
    }
}

fn lines(plan: &Plan) -> Vec<String> {
    plan.command_lines()
}

#[test]
fn ntm_is_pointed_at_the_root_beadboard_shows() {
    let home = tempfile::tempdir().unwrap();
    let own = home.path().join(".ntm");
    std::fs::create_dir_all(&own).unwrap();
    assert_eq!(
        Target::new(&own, "s", Some(home.path())).unwrap().home,
        None
    );
    let other = Path::new("/srv/team/.ntm");
    let t = Target::new(other, "s", Some(home.path())).unwrap();
    assert_eq!(t.home.as_deref(), Some(Path::new("/srv/team")));
    let cmd = plan_retry_line(&t);
    assert!(
        cmd.starts_with("HOME=/srv/team ntm assign s --retry wa-01"),
        "{cmd}"
    );
    assert!(matches!(
        Target::new(Path::new("/srv/ntm-data"), "s", Some(home.path())),
        Err(PlanError::UnreachableRoot(_))
    ));
}

fn plan_retry_line(t: &Target) -> String {
    let d = doc("02-start-then-fail");
    let row = NtmRow::new(&d.assignments["wa-01"]);
    plan_retry(t, &row, None).unwrap().command_lines().remove(0)
}

#[test]
fn assign_and_its_exact_command_line() {
    let p = plan_assign(&target(), "wa-09", "%10", None, None).unwrap();
    assert_eq!(
        lines(&p),
        ["ntm assign webapp --pane=%10 --beads=wa-09 --json"]
    );
    assert_eq!(
        p.steps[0].argv(),
        [
            "ntm",
            "assign",
            "webapp",
            "--pane=%10",
            "--beads=wa-09",
            "--json"
        ]
    );
    let p = plan_assign(&target(), "wa-09", "2.1", Some("Don't stop"), None).unwrap();
    assert_eq!(
        lines(&p),
        [r"ntm assign webapp --pane=2.1 --beads=wa-09 '--prompt=Don'\''t stop' --json"]
    );
    assert!(matches!(
        plan_assign(&target(), "wa-09", "%1; rm", None, None),
        Err(PlanError::BadPane(_))
    ));
}

#[test]
fn reassign_from_working_is_one_command_and_from_assigned_two() {
    let d = doc("00-start");
    let working = NtmRow::new(&d.assignments["wa-02"]);
    let p = plan_reassign(
        &target(),
        &working,
        &ReassignTo::Pane("%11".into()),
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        lines(&p),
        ["ntm assign webapp --reassign wa-02 --to-pane=%11 --json"]
    );
    let p = plan_reassign(
        &target(),
        &working,
        &ReassignTo::AgentType("codex".into()),
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        lines(&p),
        ["ntm assign webapp --reassign wa-02 --to-type=codex --json"]
    );
    let assigned = NtmRow::new(&d.assignments["wa-01"]);
    let p = plan_reassign(
        &target(),
        &assigned,
        &ReassignTo::Pane("%7".into()),
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        lines(&p),
        [
            "ntm assign webapp --clear wa-01 --json",
            "ntm assign webapp --pane=%7 --beads=wa-01 --json"
        ]
    );
    assert_eq!(
        plan_reassign(
            &target(),
            &assigned,
            &ReassignTo::AgentType("codex".into()),
            None,
            None
        ),
        Err(PlanError::NeedsPane("wa-01".into()))
    );
}

#[test]
fn rows_that_may_not_be_touched_are_refused_with_the_reason() {
    let d = doc("00-start");
    let claiming = NtmRow::new(&d.assignments["wa-04"]);
    let err = plan_remove(&target(), &claiming).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("wa-04 is claiming (claim unknown)"),
        "{err}"
    );
    let unacked = NtmRow::new(&d.assignments["wa-05"]);
    let err = plan_retry(&target(), &unacked, None).unwrap_err();
    assert!(
        err.to_string().contains("unacknowledged completion event"),
        "{err}"
    );
    let claimed = NtmRow::new(&d.assignments["wa-03"]);
    let err = plan_retry(&target(), &claimed, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "wa-03 is claimed: retry applies to failed rows"
    );
    let legacy = doc("08-legacy-api");
    let wa10 = NtmRow::new(&legacy.assignments["wa-10"]);
    let err = plan_remove(&target(), &wa10).unwrap_err();
    assert!(
        err.to_string()
            .contains("no %N pane identity (legacy pane index 13)")
    );
}

#[test]
fn removing_a_completed_row_needs_force_confirmed() {
    let mut d = doc("03-complete-detector");
    let record: &mut Assignment = d.assignments.get_mut("wa-02").unwrap();
    record.extra.shift_remove("pending_completion_event_id");
    record.extra.shift_remove("completion_detected_at");
    let row = NtmRow::new(&d.assignments["wa-02"]);
    let p = plan_remove(&target(), &row).unwrap();
    assert_eq!(
        lines(&p),
        ["ntm assign webapp --clear wa-02 --force --json"]
    );
    assert!(p.confirm.unwrap().contains("only with --force"));
    let plain = plan_remove(&target(), &NtmRow::new(&d.assignments["wa-01"])).unwrap();
    assert_eq!(lines(&plain), ["ntm assign webapp --clear wa-01 --json"]);
    assert!(plain.confirm.is_none());
}

#[test]
fn a_session_blocked_by_a_legacy_row_is_warned_about() {
    let legacy = doc("08-legacy-api");
    let choice = NtmChoice {
        source: NtmSource::Primary,
        generation: 41,
        refusal: None,
        schema: 9,
    };
    let view = NtmView {
        doc: &legacy,
        choice: &choice,
    };
    let p = plan_assign(&target(), "wa-11", "%14", None, Some(&view)).unwrap();
    assert_eq!(
        p.warnings,
        [
            "wa-10 has no %N pane identity: NTM will likely refuse (PANE_IDENTITY_MIGRATION_REQUIRED)"
        ]
    );
}
