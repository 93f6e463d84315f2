//! The command line that starts a host's channel. ssh joins its arguments after the
//! destination into one string for the remote user's shell, so every word beadboard puts there
//! is quoted for a POSIX shell ([`shlex`]); anything else (names, paths of runs, beads) goes as
//! data on the channel, never on the command line.

use super::host::Host;
use std::time::Duration;

/// Why a command line cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{word:?} cannot be passed to a shell: it contains a NUL byte")]
pub struct QuoteError {
    /// The word.
    pub word: String,
}

/// `words` quoted and joined for a POSIX shell: the shell reads back exactly these words and
/// runs nothing else.
///
/// # Errors
/// A word with a NUL byte (no shell can receive it).
pub fn shell_line(words: &[&str]) -> Result<String, QuoteError> {
    words
        .iter()
        .map(|w| {
            shlex::try_quote(w).map_err(|_| QuoteError {
                word: (*w).to_owned(),
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|quoted| quoted.join(" "))
}

/// The argv that opens `host`'s channel: its `ssh_command`, then `-T` (no terminal),
/// `BatchMode=yes` (never a prompt), `ServerAliveInterval` (a dead link ends ssh), the
/// destination, `--`, and the quoted remote command `beadboard serve --stdio --heartbeat MS`.
///
/// # Errors
/// A remote command with a NUL byte.
pub fn channel_argv(host: &Host, alive_interval: Duration) -> Result<Vec<String>, QuoteError> {
    let heartbeat = host.heartbeat.as_millis().to_string();
    // `~/bin/beadboard` is expanded by the remote shell (the home there, not ours); the rest of
    // the path is quoted like any word.
    let (home, program) = match host.beadboard.strip_prefix("~/") {
        Some(rest) => ("\"$HOME\"/", rest),
        None => ("", host.beadboard.as_str()),
    };
    let remote = home.to_owned()
        + &shell_line(&[program, "serve", "--stdio", "--heartbeat-ms", &heartbeat])?;
    let mut argv = host.ssh_command.clone();
    argv.extend([
        "-T".to_owned(),
        "-o".to_owned(),
        "BatchMode=yes".to_owned(),
        "-o".to_owned(),
        format!("ServerAliveInterval={}", alive_interval.as_secs().max(1)),
        host.destination.clone(),
        "--".to_owned(),
        remote,
    ]);
    Ok(argv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hostile words reach a real `sh -c` intact (printed back one per NUL) and run nothing.
    #[test]
    fn hostile_words_come_back_intact_and_run_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("ran");
        let m = marker.display();
        let words = [
            "plain".to_owned(),
            "with space".to_owned(),
            "it's \"quoted\"".to_owned(),
            format!("a; touch {m}"),
            format!("$(touch {m})"),
            format!("`touch {m}`"),
            "line\nbreak".to_owned(),
            "-n".to_owned(),
            "*".to_owned(),
            "~".to_owned(),
            String::new(),
        ];
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let line = shell_line(&refs).unwrap();
        let script = format!("printf '%s\\0' {line}");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}");
        let back: Vec<&[u8]> = out.stdout.split(|&b| b == 0).collect();
        let expected: Vec<&[u8]> = refs
            .iter()
            .map(|w| w.as_bytes())
            .chain([&b""[..]])
            .collect();
        assert_eq!(back, expected, "{script}");
        assert!(!marker.exists(), "a word ran a command: {script}");
        assert!(shell_line(&["a\0b"]).is_err());
    }

    #[test]
    fn the_channel_argv_quotes_only_the_remote_command() {
        let mut host = Host::named("gpu 1");
        host.ssh_command = vec!["ssh".into(), "-F".into(), "my config".into()];
        host.beadboard = "/opt/my bb/beadboard".into();
        host.heartbeat = Duration::from_millis(1500);
        let argv = channel_argv(&host, Duration::from_secs(15)).unwrap();
        assert_eq!(
            argv,
            [
                "ssh",
                "-F",
                "my config",
                "-T",
                "-o",
                "BatchMode=yes",
                "-o",
                "ServerAliveInterval=15",
                "gpu 1",
                "--",
                "'/opt/my bb/beadboard' serve --stdio --heartbeat-ms 1500",
            ]
        );
        host.beadboard = "~/my bin/beadboard".into();
        let argv = channel_argv(&host, Duration::from_secs(15)).unwrap();
        assert_eq!(
            argv.last().map(String::as_str),
            Some("\"$HOME\"/'my bin/beadboard' serve --stdio --heartbeat-ms 1500")
        );
    }
}
