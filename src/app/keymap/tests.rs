//! Tests of the binding table.

use super::*;

#[test]
fn no_key_means_two_things_in_one_scope() {
    Keymap::default().check().unwrap();
    let mut seen = std::collections::HashSet::new();
    for (scope, keys, _, _, _) in default_bindings() {
        for key in *keys {
            assert!(
                seen.insert((*scope, *key)),
                "{key} bound twice in {scope:?}"
            );
        }
    }
}

#[test]
fn every_action_has_a_binding() {
    let map = Keymap::default();
    for action in Action::ALL {
        assert!(
            map.bindings()
                .iter()
                .any(|b| b.action == action && !b.keys.is_empty()),
            "{action:?} has no key"
        );
        assert_eq!(Action::from_name(action.name()), Some(action));
    }
}

#[test]
fn pane_scopes_come_before_lists_and_global() {
    let map = Keymap::default();
    let transcript = [Scope::Always, Scope::Transcript, Scope::List, Scope::Global];
    assert_eq!(
        map.resolve(&transcript, Key::char('/')),
        Some(Action::Search)
    );
    assert_eq!(map.resolve(&transcript, Key::char('j')), Some(Action::Down));
    assert_eq!(map.resolve(&transcript, Key::char('q')), Some(Action::Quit));
    assert_eq!(
        map.resolve(
            &[Scope::Always, Scope::Runs, Scope::List, Scope::Global],
            Key::char('/')
        ),
        Some(Action::Filter)
    );
    assert_eq!(
        map.resolve(&[Scope::Always, Scope::Confirm], Key::char('q')),
        None
    );
    assert_eq!(
        map.resolve(&[Scope::Always, Scope::Confirm], Key::ctrl('c')),
        Some(Action::ForceQuit)
    );
}

#[test]
fn overrides_apply_and_conflicts_are_rejected() {
    let keys = vec!["F".to_owned()];
    let map = Keymap::with_overrides([("toggle_follow", keys.as_slice())]).unwrap();
    assert_eq!(
        map.resolve(&[Scope::Transcript], Key::char('F')),
        Some(Action::ToggleFollow)
    );
    assert_eq!(map.resolve(&[Scope::Transcript], Key::char('f')), None);
    let clash = vec!["w".to_owned()];
    let err = Keymap::with_overrides([("toggle_follow", clash.as_slice())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "key w would mean both toggle_follow and toggle_wrap in Transcript"
    );
    assert!(matches!(
        Keymap::with_overrides([("fly", keys.as_slice())]),
        Err(KeymapError::UnknownAction(_))
    ));
    assert!(matches!(
        Keymap::with_overrides([("confirm", keys.as_slice())]),
        Err(KeymapError::NotRebindable(_))
    ));
    assert!(matches!(
        Keymap::with_overrides([("force_quit", keys.as_slice())]),
        Err(KeymapError::NotRebindable(_))
    ));
    let j = vec!["J".to_owned()];
    let map = Keymap::with_overrides([("down", j.as_slice())]).unwrap();
    assert_eq!(
        map.resolve(&[Scope::Overlay], Key::char('j')),
        Some(Action::Down),
        "overlay keys stay fixed"
    );
    let bad = vec!["Ctrl-".to_owned()];
    assert!(matches!(
        Keymap::with_overrides([("quit", bad.as_slice())]),
        Err(KeymapError::BadKey { .. })
    ));
}

#[test]
fn hints_follow_scope_order() {
    let hints = Keymap::default().hints(&[Scope::Board, Scope::List, Scope::Global]);
    assert_eq!(hints[0], ("s".to_owned(), "start"));
    assert!(hints.iter().any(|(k, l)| k == "q" && *l == "quit"));
}
