//! Exit codes, as Unix tools use them: one table, shown by `--help` and the README (a test
//! checks that the two agree).

/// Done; also a reader that went away (`beadboard runs | head -1`), as ripgrep does.
pub const OK: u8 = 0;
/// Nothing found: `search` matched nothing (as grep), or the run, session or bead named does
/// not exist.
pub const NOT_FOUND: u8 = 1;
/// Bad usage or a bad value (clap's own code), from a flag, a variable or the config file.
pub const USAGE: u8 = 2;
/// A move refused: a transition the table forbids, or one another writer made first.
pub const REFUSED: u8 = 3;
/// An error: a file that cannot be read, written or understood, a command (`ntm`) that
/// failed, or a dashboard that lost its terminal. The message names the file and the cause.
pub const FAILED: u8 = 4;

/// Every exit code and what it means, in words (the rows of the table in `--help` and the
/// README; 128 + N is a range, not a code).
pub const TABLE: [(&str, &str); 6] = [
    ("0", "success, or the reader went away (`| head`)"),
    (
        "1",
        "nothing found: no match (`search`), or no such run, session or bead",
    ),
    (
        "2",
        "bad usage or a bad value (flag, variable or config file)",
    ),
    (
        "3",
        "a move refused: not allowed from its state, or made first elsewhere",
    ),
    (
        "4",
        "an error: a file unreadable or unwritable, `ntm` failing (named)",
    ),
    ("128+N", "stopped by signal N (Ctrl-C: 130, SIGTERM: 143)"),
];

/// The table as `--help` shows it (after the options).
#[must_use]
pub fn help_text() -> String {
    let width = TABLE.iter().map(|(code, _)| code.len()).max().unwrap_or(0);
    let mut text =
        String::from("Without a subcommand, beadboard opens the dashboard.\n\nExit codes:\n");
    for (code, meaning) in TABLE {
        text.push_str(&format!("  {code:<width$}  {meaning}\n"));
    }
    text.pop();
    text
}

/// The table as the README shows it (Markdown).
#[must_use]
pub fn markdown() -> String {
    let mut text = String::from("| Code | Meaning |\n| --- | --- |\n");
    for (code, meaning) in TABLE {
        // A `|` inside a cell, even in code, must be escaped in a Markdown table.
        text.push_str(&format!("| {code} | {} |\n", meaning.replace('|', "\\|")));
    }
    text
}
