//! Real OpenSSH on 127.0.0.1, for the tests of hosts over ssh: a [`Lab`] holds a client key,
//! an ssh_config and a known_hosts file, all temporary; each [`Lab::host`] starts its own
//! `sshd -D -e` on a free high port with its own temporary host key and authorized_keys, and
//! its own data: sshd's `SetEnv` gives the session a HOME of its own under the lab (so the
//! remote beadboard reads that host's `~/.agentpair` and `~/.ntm`). No root is needed: sshd
//! run by an ordinary user logs in only that user, which is who the tests connect as (run as
//! root, it wants its privilege separation directory, made here if missing). The client side
//! is `ssh -F <lab>/ssh_config`: nothing of the user's own ssh setup is read or written.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where sshd is, if it is installed (it is often outside an ordinary user's PATH).
pub fn sshd_program() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .map(|dir| dir.join("sshd"))
        .find(|p| p.is_file())
}

/// Whether real-sshd tests can run here: sshd, ssh and ssh-keygen installed, and, for root,
/// sshd's privilege separation directory (made if missing).
pub fn available() -> Result<(), String> {
    let sshd =
        sshd_program().ok_or("sshd is not installed (Debian: apt-get install openssh-server)")?;
    for program in ["ssh", "ssh-keygen"] {
        Command::new(program)
            .arg("-V")
            .output()
            .map_err(|e| format!("cannot run {program} (openssh-client): {e}"))?;
    }
    let privsep = Path::new("/run/sshd");
    if rustix::process::geteuid().is_root() && !privsep.is_dir() {
        std::fs::create_dir_all(privsep).map_err(|e| {
            format!(
                "{} run as root needs {}: {e}",
                sshd.display(),
                privsep.display()
            )
        })?;
    }
    Ok(())
}

/// Makes a new ed25519 key pair at `path` (and `path.pub`) with no passphrase.
fn keygen(path: &Path) {
    let out = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "beadboard-test",
            "-f",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ssh-keygen: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A port on 127.0.0.1 nothing listens on (just now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The client side: a key, an ssh_config naming every host, and a known_hosts file.
pub struct Lab {
    pub dir: tempfile::TempDir,
}

/// One host: its own sshd (stopped, with every session it started, when dropped) and HOME.
pub struct Sshd {
    /// The alias in the lab's ssh_config (also the host's name).
    pub name: String,
    pub port: u16,
    /// The HOME its sessions get.
    pub home: PathBuf,
    child: Option<Child>,
    log: Arc<Mutex<String>>,
}

/// How a host is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// sshd running, its key in known_hosts.
    Trusted,
    /// sshd running, its key unknown to the client.
    UnknownKey,
    /// In the ssh_config, but nothing listens on its port.
    NotListening,
}

impl Lab {
    pub fn new() -> Lab {
        let lab = Lab {
            dir: tempfile::tempdir().unwrap(),
        };
        keygen(&lab.client_key());
        std::fs::write(lab.known_hosts(), "").unwrap();
        std::fs::write(lab.ssh_config(), "").unwrap();
        lab
    }

    fn client_key(&self) -> PathBuf {
        self.dir.path().join("client_key")
    }

    fn known_hosts(&self) -> PathBuf {
        self.dir.path().join("known_hosts")
    }

    /// The client's ssh_config (`ssh -F` it).
    pub fn ssh_config(&self) -> PathBuf {
        self.dir.path().join("ssh_config")
    }

    /// The `ssh_command` of every host: `["ssh", "-F", <ssh_config>]`.
    pub fn ssh_command(&self) -> Vec<String> {
        vec![
            "ssh".to_owned(),
            "-F".to_owned(),
            self.ssh_config().display().to_string(),
        ]
    }

    /// Sets up host `name` as `kind` says: its key, authorized_keys, sshd_config and HOME, its
    /// entry in the ssh_config (and known_hosts), and its sshd, started and listening.
    pub fn host(&self, name: &str, kind: Kind) -> Sshd {
        let dir = self.dir.path().join("hosts").join(name);
        let home = dir.join("home");
        std::fs::create_dir_all(&home).unwrap();
        let host_key = dir.join("host_key");
        keygen(&host_key);
        std::fs::copy(
            self.client_key().with_extension("pub"),
            dir.join("authorized_keys"),
        )
        .unwrap();
        let port = free_port();
        // No PAM, no passwords, no privilege separation needs beyond sshd's defaults; the
        // session's HOME and XDG directories are the host's own.
        let config = format!(
            "ListenAddress 127.0.0.1\n\
             Port {port}\n\
             HostKey {key}\n\
             AuthorizedKeysFile {dir}/authorized_keys\n\
             PidFile none\n\
             StrictModes no\n\
             UsePAM no\n\
             PasswordAuthentication no\n\
             KbdInteractiveAuthentication no\n\
             PubkeyAuthentication yes\n\
             PermitRootLogin prohibit-password\n\
             AllowTcpForwarding no\n\
             X11Forwarding no\n\
             PrintMotd no\n\
             SetEnv HOME={home} XDG_CONFIG_HOME={home}/.config XDG_CACHE_HOME={home}/.cache\n\
             LogLevel INFO\n",
            key = host_key.display(),
            dir = dir.display(),
            home = home.display(),
        );
        std::fs::write(dir.join("sshd_config"), config).unwrap();
        let mut alias = std::fs::OpenOptions::new()
            .append(true)
            .open(self.ssh_config())
            .unwrap();
        use std::io::Write as _;
        write!(
            alias,
            "Host {name}\n  HostName 127.0.0.1\n  Port {port}\n  IdentityFile {key}\n  \
             IdentitiesOnly yes\n  UserKnownHostsFile {known}\n  GlobalKnownHostsFile /dev/null\n  \
             StrictHostKeyChecking yes\n  UpdateHostKeys no\n  ConnectTimeout 30\n  LogLevel ERROR\n",
            key = self.client_key().display(),
            known = self.known_hosts().display(),
        )
        .unwrap();
        if kind == Kind::Trusted {
            let public = std::fs::read_to_string(host_key.with_extension("pub")).unwrap();
            let mut fields = public.split_whitespace();
            let (algorithm, key) = (fields.next().unwrap(), fields.next().unwrap());
            let mut known = std::fs::OpenOptions::new()
                .append(true)
                .open(self.known_hosts())
                .unwrap();
            writeln!(known, "[127.0.0.1]:{port} {algorithm} {key}").unwrap();
        }
        let mut host = Sshd {
            name: name.to_owned(),
            port,
            home,
            child: None,
            log: Arc::default(),
        };
        if kind != Kind::NotListening {
            host.start(&dir.join("sshd_config"));
        }
        host
    }
}

impl Sshd {
    /// Starts `sshd -D -e` (in a process group of its own) and waits until it says it listens.
    fn start(&mut self, config: &Path) {
        let program = sshd_program().unwrap();
        let mut child = Command::new(program)
            .args(["-D", "-e", "-f"])
            .arg(config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let log = Arc::clone(&self.log);
        // Its log, kept for a failing test's message; the first line saying it listens is
        // what the start waits for.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("Server listening on") {
                    let _ = tx.send(());
                }
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        self.child = Some(child);
        if rx.recv_timeout(DEADLINE).is_err() {
            panic!(
                "sshd for {} did not start listening on port {}:\n{}",
                self.name,
                self.port,
                self.log()
            );
        }
    }

    /// Puts the golden runs and the example store in the host's HOME.
    pub fn with_data(&self) {
        super::copy_tree(
            &super::fixture("upstream/agentpair/home-agentpair"),
            &self.home.join(".agentpair"),
        );
        super::copy_tree(&super::fixture("examples/ntm"), &self.home.join(".ntm"));
    }

    /// What sshd logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Stops sshd and every connection and session it started: its process group, and its
    /// descendants (each connection's sshd calls setsid, leaving the group), found before any
    /// is killed so none is orphaned first.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let pid = i32::try_from(child.id()).unwrap();
            let descendants = descendants(pid);
            if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
            }
            for pid in descendants {
                if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
            }
            let _ = child.wait();
        }
    }
}

/// The processes descended from `root` (from each process's parent in `/proc/<pid>/stat`).
fn descendants(root: i32) -> Vec<i32> {
    let parents: Vec<(i32, i32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let pid: i32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // `pid (comm) state ppid …`: the name may hold spaces and parentheses.
            let after = &stat[stat.rfind(')')? + 1..];
            let ppid = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut at = 0;
    while at < found.len() {
        let parent = found[at];
        found.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        at += 1;
    }
    found.split_off(1)
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// How long a connection may take to come up or fail on a busy machine (not a claim about
/// speed).
pub const DEADLINE: Duration = Duration::from_secs(60);
