//! The README is part of the product: its key table is the binding table's, its two commands
//! are the ones CI runs, and the options it names exist.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use beadboard::app::keymap::Keymap;

const README: &str = include_str!("../README.md");
const CI: &str = include_str!("../.ci/run");

#[test]
fn the_key_table_is_the_binding_table() {
    let start = README.find("<!-- keys:start -->\n").unwrap() + "<!-- keys:start -->\n".len();
    let end = README.find("<!-- keys:end -->").unwrap();
    assert_eq!(
        &README[start..end],
        Keymap::default().markdown(),
        "regenerate with: beadboard keys --markdown"
    );
}

#[test]
fn the_two_commands_come_first_and_ci_runs_the_same_test_command() {
    let commands = README.find("## Two commands").unwrap();
    let block = &README[commands..];
    let demo = block.find("cargo run --release -- demo").unwrap();
    let test = block.find("cargo test ").unwrap();
    assert!(demo < test && test < block.find("## Install").unwrap());
    assert!(
        CI.lines().any(|l| l.trim() == "cargo test"),
        ".ci/run must run the README's test command"
    );
    assert!(
        CI.contains("cargo fmt --check")
            && CI.contains("cargo clippy --all-targets -- -D warnings")
    );
    assert!(CI.contains("apt-get install") && CI.contains("tmux"));
}
