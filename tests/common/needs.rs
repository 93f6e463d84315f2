//! What a test needs from the machine (tmux, namespaces, a debug build): a test that cannot
//! have it says it is skipped, and why, or fails where no skip is allowed.

/// Whether a test can run, given what it needs: `check` is `Ok` when that is here. When it is
/// not, the test prints that it is skipped and why (on stderr) and the caller returns early;
/// but with `BEADBOARD_REQUIRE_ALL` set (CI sets it) every skip is a failure instead, and so is
/// a missing tmux with the older `BEADBOARD_REQUIRE_TMUX`.
pub fn runnable(need: &str, check: Result<(), String>) -> bool {
    let Err(why) = check else {
        return true;
    };
    let required = std::env::var_os("BEADBOARD_REQUIRE_ALL").is_some()
        || (need == "tmux" && std::env::var_os("BEADBOARD_REQUIRE_TMUX").is_some());
    assert!(
        !required,
        "this test needs {need} and may not be skipped here (BEADBOARD_REQUIRE_ALL): {why}"
    );
    eprintln!("skipping: this test needs {need}: {why}");
    false
}

/// Whether what a test needs is here (see [`runnable`]): `"tmux"`, `"unshare"` (private user
/// and mount namespaces), `"sshd"` (OpenSSH's server and client, see `common::sshd`), or
/// `"a debug build"` (the binary's test hooks).
pub fn require(need: &str) -> bool {
    let runs = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))
            .and_then(|o| {
                o.status.success().then_some(()).ok_or_else(|| {
                    format!(
                        "`{program} {}` failed: {}",
                        args.join(" "),
                        String::from_utf8_lossy(&o.stderr).trim()
                    )
                })
            })
    };
    let check = match need {
        "tmux" => runs("tmux", &["-V"]),
        "unshare" => runs("unshare", &["-U", "-r", "-m", "true"])
            .map_err(|e| format!("this kernel or container refuses namespaces ({e})")),
        "sshd" => super::sshd::available(),
        "a debug build" => {
            if cfg!(debug_assertions) {
                Ok(())
            } else {
                Err("a release build has no test hooks".to_owned())
            }
        }
        other => panic!("unknown test need {other:?}"),
    };
    runnable(need, check)
}
