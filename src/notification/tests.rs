//! Unit tests of the notice's JSON form, the fan-out and the capture double.

use super::*;
use chrono::TimeZone;

/// A notice for the tests of every channel.
pub(crate) fn sample() -> Notice {
    Notice {
        event: NoticeKind::Attention,
        at: Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap(),
        kind: ItemKind::Run,
        name: "webapp #2".into(),
        reference: "0123abcd/2".into(),
        item: "run webapp #2".into(),
        title: "webapp #2 failed".into(),
        body: "FAIL signal from claude in iteration 3".into(),
        state: "failed".into(),
        reason_code: Some(ReasonCode::FailSignal),
        session: None,
        repo: Some("webapp".into()),
    }
}

#[test]
fn json_keys_are_stable_snake_case_with_rfc3339_time() {
    let json = sample().to_json().unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"event":"attention","at":"2026-11-22T10:00:00Z","kind":"run","name":"webapp #2","#,
            r#""reference":"0123abcd/2","item":"run webapp #2","title":"webapp #2 failed","#,
            r#""body":"FAIL signal from claude in iteration 3","state":"failed","#,
            r#""reason_code":"fail_signal","session":null,"repo":"webapp","#,
            r#""item_kind":"run","id":"0123abcd/2","reason":"fail_signal"}"#
        )
    );
    let back: Notice = serde_json::from_str(&json).unwrap();
    assert_eq!(back, sample());
}

struct Failing;

impl Notifier for Failing {
    fn notify(&mut self, _: &Notice) -> Result<(), NotifyError> {
        Err(NotifyError::Write(std::io::Error::other("pane closed")))
    }
}

#[test]
fn fanout_delivers_to_all_and_collects_errors() {
    let capture = Capture::new();
    let mut one = Fanout::new(vec![Box::new(Failing), Box::new(capture.clone())]);
    let err = one.notify(&sample()).unwrap_err();
    assert!(matches!(err, NotifyError::Write(_)), "{err:?}");
    assert_eq!(capture.notices(), vec![sample()]);

    let mut two = Fanout::new(vec![
        Box::new(Failing),
        Box::new(capture.clone()),
        Box::new(Failing),
    ]);
    let err = two.notify(&sample()).unwrap_err();
    assert!(
        matches!(&err, NotifyError::Several(v) if v.len() == 2),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "cannot write the notification to the terminal: pane closed; \
         cannot write the notification to the terminal: pane closed"
    );
    assert_eq!(capture.take().len(), 2);
    assert!(capture.notices().is_empty());
}

#[test]
fn fanout_skips_unwanted_kinds() {
    let capture = Capture::new();
    let mut fanout = Fanout::new(vec![Box::new(capture.clone())]).only(&[NoticeKind::Finished]);
    fanout.notify(&sample()).unwrap();
    assert!(capture.notices().is_empty());
    let finished = Notice {
        event: NoticeKind::Finished,
        ..sample()
    };
    fanout.notify(&finished).unwrap();
    assert_eq!(capture.notices(), vec![finished]);
    assert!(!fanout.is_empty());
    assert!(fanout.only(&[]).is_empty());
}
