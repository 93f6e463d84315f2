//! `beadboard completions SHELL` and `beadboard man`: generated from the clap definitions, so
//! they name every subcommand there is.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use beadboard::cli::Cli;
use clap::CommandFactory;

/// Every subcommand's name, from the parser itself.
fn subcommands() -> Vec<String> {
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    assert!(names.len() > 15 && names.iter().any(|n| n == "transcript"));
    names
}

fn run(home: &std::path::Path, args: &[&str]) -> String {
    let out = common::beadboard(home).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}");
    assert!(out.stderr.is_empty(), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_name_every_subcommand() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = run(home.path(), &["completions", shell]);
        for name in subcommands() {
            assert!(script.contains(&name), "{shell} completions lack {name}");
        }
        // Flags too, global and per subcommand.
        for flag in ["--agentpair-dir", "--follow", "--stale-after"] {
            assert!(
                script.contains(flag.trim_start_matches('-')),
                "{shell}: {flag}"
            );
        }
    }
    let bash = run(home.path(), &["completions", "bash"]);
    assert!(bash.contains("complete -F _beadboard") && bash.contains("beadboard,transcript)"));
    let fish = run(home.path(), &["completions", "fish"]);
    assert!(
        fish.contains(
            "complete -c beadboard -n \"__fish_beadboard_needs_command\" -f -a \"transcript\""
        ),
        "{fish}"
    );
}

#[test]
fn the_man_page_renders_and_names_every_subcommand() {
    let home = tempfile::tempdir().unwrap();
    let page = run(home.path(), &["man"]);
    assert!(page.contains(".TH BEADBOARD 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS", "Exit codes:"] {
        assert!(page.contains(section), "{section}");
    }
    for name in subcommands() {
        // roff escapes '-' as '\-'.
        assert!(
            page.contains(&format!("beadboard\\-{}(1)", name.replace('-', "\\-"))),
            "the man page lacks {name}"
        );
    }
    // --dir: a page per subcommand, each naming itself.
    let dir = tempfile::tempdir().unwrap();
    let listed = run(home.path(), &["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(listed.lines().count(), subcommands().len() + 1);
    for name in subcommands() {
        let file = dir.path().join(format!("beadboard-{name}.1"));
        let text = std::fs::read_to_string(&file).unwrap();
        // The title line is not escaped by clap_mangen.
        let title = format!(".TH BEADBOARD-{} 1", name.to_uppercase());
        assert!(
            text.contains(&title),
            "{}: {}",
            file.display(),
            &text[..200]
        );
        assert!(listed.contains(&file.display().to_string()));
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("beadboard.1")).unwrap(),
        page
    );
}
