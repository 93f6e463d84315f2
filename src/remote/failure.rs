//! Why a host is down, in words that say what to do: a missing remote beadboard (exit 127),
//! another protocol version, an unknown host key, a refused login, a silent host, or ssh's own
//! last words.

use super::host::Host;
use super::protocol::PROTOCOL;
use super::quote::shell_line;
use std::process::ExitStatus;
use std::time::Duration;

/// Why a host's channel closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownReason {
    /// The remote shell could not find the beadboard command (exit 127).
    #[error(
        "beadboard is not installed on {host}: install it there (cargo install beadboard, or copy the binary) or set `beadboard = \"/path\"` in the host's config"
    )]
    NotInstalled {
        /// The host.
        host: String,
    },
    /// The host speaks another protocol version.
    #[error(
        "{host} runs beadboard {version}, which speaks protocol {theirs}; this beadboard speaks protocol {PROTOCOL}: install the same beadboard version on both"
    )]
    Incompatible {
        /// The host.
        host: String,
        /// Its protocol version.
        theirs: u32,
        /// Its beadboard version.
        version: String,
    },
    /// ssh does not know (or does not trust) the host's key.
    #[error(
        "ssh does not trust {host}'s host key: run `{command}` once in a terminal to check and accept it (beadboard never accepts keys itself)"
    )]
    HostKey {
        /// The host.
        host: String,
        /// The host's whole ssh command and destination, quoted for a shell: `ssh -F file gpu1`.
        command: String,
    },
    /// The login was refused.
    #[error(
        "{destination} refused the ssh login: add your key to the agent (ssh-add) or check User and IdentityFile in ~/.ssh/config (beadboard runs ssh with BatchMode=yes, so it never asks for a password)"
    )]
    Refused {
        /// The host.
        host: String,
        /// Its ssh destination.
        destination: String,
    },
    /// The channel ended some other way.
    #[error("the channel to {host} ended ({how}){}", detail_suffix(.detail))]
    Ended {
        /// The host.
        host: String,
        /// `exit 255`, `killed by signal 9`.
        how: String,
        /// The last line of its stderr.
        detail: String,
    },
    /// Nothing came for too long.
    #[error("{host} sent nothing for {}", humantime::format_duration(*.quiet))]
    Silent {
        /// The host.
        host: String,
        /// How long.
        quiet: Duration,
    },
    /// The ssh command could not be started.
    #[error("cannot run {program} for {host}: {detail}")]
    CannotStart {
        /// The host.
        host: String,
        /// The program.
        program: String,
        /// Why.
        detail: String,
    },
    /// The host sent something that is not this protocol.
    #[error("{host} does not speak beadboard's protocol: {detail}")]
    Protocol {
        /// The host.
        host: String,
        /// What was wrong.
        detail: String,
    },
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(": {detail}")
    }
}

/// The last non-empty line of `stderr`, cut at 200 characters (a cut shows `…`).
fn last_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let line: String = line.chars().filter(|c| !c.is_control()).collect();
    match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

/// The command a user runs to reach `host` by hand: its whole `ssh_command` (`ssh -F file`,
/// `tsh ssh`) and its destination, quoted for a shell (joined as they are if a word cannot be).
fn by_hand(host: &Host) -> String {
    let words: Vec<&str> = host
        .ssh_command
        .iter()
        .chain([&host.destination])
        .map(String::as_str)
        .collect();
    shell_line(&words).unwrap_or_else(|_| words.join(" "))
}

/// Why `host`'s channel, whose child ended with `status` and `stderr`, is down.
#[must_use]
pub fn classify(host: &Host, status: Option<ExitStatus>, stderr: &[u8]) -> DownReason {
    use std::os::unix::process::ExitStatusExt as _;
    let said = |what: &str| String::from_utf8_lossy(stderr).contains(what);
    let code = status.and_then(|s| s.code());
    let host_name = host.name.clone();
    match code {
        Some(127) => DownReason::NotInstalled { host: host_name },
        Some(255) if said("Host key verification failed") => DownReason::HostKey {
            host: host_name,
            command: by_hand(host),
        },
        Some(255) if said("Permission denied") => DownReason::Refused {
            host: host_name,
            destination: host.destination.clone(),
        },
        _ => DownReason::Ended {
            host: host_name,
            how: match (code, status.and_then(|s| s.signal())) {
                (Some(code), _) => format!("exit {code}"),
                (None, Some(signal)) => format!("killed by signal {signal}"),
                (None, None) => "no exit status".to_owned(),
            },
            detail: last_line(stderr),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt as _;

    fn exit(code: i32) -> Option<ExitStatus> {
        Some(ExitStatus::from_raw(code << 8))
    }

    fn gpu1() -> Host {
        Host {
            destination: "me@gpu1".to_owned(),
            ..Host::named("gpu1")
        }
    }

    #[test]
    fn each_failure_says_what_to_do() {
        let said =
            |code, stderr: &str| classify(&gpu1(), exit(code), stderr.as_bytes()).to_string();
        assert!(said(127, "sh: beadboard: not found").contains("`beadboard = \"/path\"`"));
        let key = said(255, "Host key verification failed.\r\n");
        assert!(key.contains("run `ssh me@gpu1` once"), "{key}");
        let refused = said(255, "me@gpu1: Permission denied (publickey).\n");
        assert!(refused.contains("ssh-add"), "{refused}");
        let other = said(
            255,
            "ssh: connect to host gpu1 port 22: Connection refused\n",
        );
        assert_eq!(
            other,
            "the channel to gpu1 ended (exit 255): ssh: connect to host gpu1 port 22: Connection refused"
        );
        let killed = classify(&gpu1(), Some(ExitStatus::from_raw(9)), b"").to_string();
        assert_eq!(killed, "the channel to gpu1 ended (killed by signal 9)");
        let long = "x".repeat(300);
        assert!(said(1, &long).ends_with('…'));
    }

    /// The advice names the command the host is reached with, not a bare `ssh`: `ssh -F file`
    /// for a host with its own ssh_config, quoted where a word needs it.
    #[test]
    fn an_unknown_key_names_the_whole_ssh_command() {
        let host = Host {
            ssh_command: vec!["ssh".into(), "-F".into(), "/home/me/my ssh/config".into()],
            ..gpu1()
        };
        let key = classify(&host, exit(255), b"Host key verification failed.\n").to_string();
        assert!(
            key.contains("run `ssh -F '/home/me/my ssh/config' me@gpu1` once"),
            "{key}"
        );
        let teleport = Host {
            ssh_command: vec!["tsh".into(), "ssh".into()],
            ..gpu1()
        };
        let key = classify(&teleport, exit(255), b"Host key verification failed.\n").to_string();
        assert!(key.contains("run `tsh ssh me@gpu1` once"), "{key}");
    }
}
