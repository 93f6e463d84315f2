//! The hosts in the config file (`[[hosts]]`): each has a `name`, an ssh `destination`
//! (defaulting to the name), an `ssh_command` argv (defaulting to `["ssh"]`, so `["ssh", "-F",
//! "file"]` or `["tsh", "ssh"]` work too) and the remote `beadboard` command (defaulting to
//! `beadboard`). `local` is this machine and cannot be configured.

use serde::Deserialize;
use std::time::Duration;

/// The name of this machine among the hosts.
pub const LOCAL: &str = "local";

/// How often a remote sends a heartbeat unless the host says otherwise.
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(5);

/// One `[[hosts]]` table as written in the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostEntry {
    /// How the host is called on the board.
    pub name: Option<String>,
    /// The ssh destination (`user@host`, an alias from `~/.ssh/config`).
    pub destination: Option<String>,
    /// The program and arguments that run ssh.
    pub ssh_command: Option<Vec<String>>,
    /// The beadboard command on the host.
    pub beadboard: Option<String>,
    /// How often the host sends a heartbeat (`15s`).
    pub heartbeat: Option<String>,
}

/// A configured host, with its defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// How the host is called on the board.
    pub name: String,
    /// The ssh destination.
    pub destination: String,
    /// The program and arguments that run ssh (never empty).
    pub ssh_command: Vec<String>,
    /// The beadboard command on the host.
    pub beadboard: String,
    /// How often the host sends a heartbeat.
    pub heartbeat: Duration,
}

/// A `[[hosts]]` entry that cannot be used: which entry, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct HostError {
    /// `hosts[1].name`.
    pub field: String,
    /// Why.
    pub message: String,
}

impl Host {
    /// A host reached with plain `ssh` at `name`, running `beadboard` there.
    #[must_use]
    pub fn named(name: &str) -> Host {
        Host {
            name: name.to_owned(),
            destination: name.to_owned(),
            ssh_command: vec!["ssh".to_owned()],
            beadboard: "beadboard".to_owned(),
            heartbeat: DEFAULT_HEARTBEAT,
        }
    }

    /// Checks the entries and fills in the defaults.
    ///
    /// # Errors
    /// The first entry with a missing, empty, reserved, repeated or unsafe value.
    pub fn from_entries(entries: &[HostEntry]) -> Result<Vec<Host>, HostError> {
        let mut hosts: Vec<Host> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let bad = |field: &str, message: String| HostError {
                field: format!("hosts[{i}].{field}"),
                message,
            };
            let name = entry
                .name
                .clone()
                .ok_or_else(|| bad("name", "every host needs a name".to_owned()))?;
            if name.trim().is_empty() || name.chars().any(char::is_control) {
                return Err(bad(
                    "name",
                    format!("{name:?} is not a name (empty or with control characters)"),
                ));
            }
            if name == LOCAL {
                return Err(bad(
                    "name",
                    "\"local\" is this machine; give the host another name".to_owned(),
                ));
            }
            if hosts.iter().any(|h| h.name == name) {
                return Err(bad("name", format!("{name:?} is configured twice")));
            }
            let destination = entry.destination.clone().unwrap_or_else(|| name.clone());
            // ssh would read a destination starting with `-` as an option.
            if destination.is_empty() || destination.starts_with('-') {
                return Err(bad(
                    "destination",
                    format!("{destination:?} is not an ssh destination (empty or starting with -)"),
                ));
            }
            let ssh_command = entry
                .ssh_command
                .clone()
                .unwrap_or_else(|| vec!["ssh".to_owned()]);
            if ssh_command.first().is_none_or(|p| p.trim().is_empty()) {
                return Err(bad(
                    "ssh_command",
                    "it needs a program, like [\"ssh\"] or [\"ssh\", \"-F\", \"file\"]".to_owned(),
                ));
            }
            let beadboard = entry
                .beadboard
                .clone()
                .unwrap_or_else(|| "beadboard".to_owned());
            if beadboard.trim().is_empty() {
                return Err(bad(
                    "beadboard",
                    "it must name the beadboard command on the host".to_owned(),
                ));
            }
            let heartbeat = match &entry.heartbeat {
                None => DEFAULT_HEARTBEAT,
                Some(text) => humantime::parse_duration(text.trim())
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| {
                        bad(
                            "heartbeat",
                            format!("{text:?} is not a duration above zero like 15s"),
                        )
                    })?,
            };
            hosts.push(Host {
                name,
                destination,
                ssh_command,
                beadboard,
                heartbeat,
            });
        }
        Ok(hosts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(toml_text: &str) -> Vec<HostEntry> {
        #[derive(Deserialize)]
        struct File {
            hosts: Vec<HostEntry>,
        }
        toml::from_str::<File>(toml_text).unwrap().hosts
    }

    #[test]
    fn defaults_fill_in_and_every_field_is_read() {
        let hosts = Host::from_entries(&entries(
            "[[hosts]]\nname = \"gpu1\"\n[[hosts]]\nname = \"vm\"\ndestination = \"me@vm.example\"\nssh_command = [\"tsh\", \"ssh\"]\nbeadboard = \"/opt/bb\"\nheartbeat = \"2s\"\n",
        ))
        .unwrap();
        assert_eq!(hosts[0], Host::named("gpu1"));
        assert_eq!(hosts[1].destination, "me@vm.example");
        assert_eq!(hosts[1].ssh_command, ["tsh", "ssh"]);
        assert_eq!(hosts[1].beadboard, "/opt/bb");
        assert_eq!(hosts[1].heartbeat, Duration::from_secs(2));
    }

    #[test]
    fn bad_entries_name_the_field() {
        let cases = [
            ("[[hosts]]\ndestination = \"x\"\n", "hosts[0].name"),
            ("[[hosts]]\nname = \"local\"\n", "hosts[0].name"),
            (
                "[[hosts]]\nname = \"a\"\n[[hosts]]\nname = \"a\"\n",
                "hosts[1].name",
            ),
            (
                "[[hosts]]\nname = \"-oProxyCommand=x\"\n",
                "hosts[0].destination",
            ),
            (
                "[[hosts]]\nname = \"a\"\nssh_command = []\n",
                "hosts[0].ssh_command",
            ),
            (
                "[[hosts]]\nname = \"a\"\nbeadboard = \" \"\n",
                "hosts[0].beadboard",
            ),
            (
                "[[hosts]]\nname = \"a\"\nheartbeat = \"soon\"\n",
                "hosts[0].heartbeat",
            ),
        ];
        for (text, field) in cases {
            let err = Host::from_entries(&entries(text)).unwrap_err();
            assert_eq!(err.field, field, "{text}: {err}");
        }
    }
}
