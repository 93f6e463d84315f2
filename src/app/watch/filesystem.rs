//! Which file system a data root is on, read from `/proc/self/mountinfo` on Linux and from
//! `statfs`'s type name on macOS and FreeBSD (elsewhere: not known): on a network file system
//! changes made by other machines raise no local events, so the watcher polls there.

use std::path::{Path, PathBuf};

/// File systems where changes made by other machines raise no local events.
const NETWORK_FS: [&str; 12] = [
    "nfs",
    "afpfs",
    "webdav",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
];

/// Undoes mountinfo's octal escapes (`\040` is a space).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        if let Some(d) = octal {
            out.push(
                d.iter()
                    .fold(0u8, |n, b| n.wrapping_mul(8).wrapping_add(b - b'0')),
            );
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The type of the file system `path` is on, read from a mountinfo text.
#[must_use]
pub fn fs_type_in(mountinfo: &str, path: &Path) -> Option<String> {
    mountinfo
        .lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let mount_point = PathBuf::from(unescape(left.split(' ').nth(4)?));
            let fs_type = right.split(' ').next()?.to_owned();
            path.starts_with(&mount_point)
                .then_some((mount_point.components().count(), fs_type))
        })
        .max_by_key(|(depth, _)| *depth)
        .map(|(_, t)| t)
}

/// The network file system `path` (or its nearest existing ancestor) is on, if any.
#[must_use]
pub fn network_fs(path: &Path) -> Option<String> {
    let existing = path.ancestors().find(|a| a.exists())?;
    let real = std::fs::canonicalize(existing).ok()?;
    fs_type(&real).filter(|t| NETWORK_FS.contains(&t.as_str()))
}

/// The type of the file system `real` (a canonical path) is on.
#[cfg(target_os = "linux")]
fn fs_type(real: &Path) -> Option<String> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    fs_type_in(&mountinfo, real)
}

/// The type of the file system `real` is on, as `statfs` names it (`nfs`, `smbfs`, `apfs`…).
#[cfg(any(target_os = "macos", target_os = "freebsd"))]
fn fs_type(real: &Path) -> Option<String> {
    let st = rustix::fs::statfs(real).ok()?;
    let name: Vec<u8> = st
        .f_fstypename
        .iter()
        .take_while(|c| **c != 0)
        .map(|c| c.to_ne_bytes()[0])
        .collect();
    Some(String::from_utf8_lossy(&name).into_owned())
}

/// Not known on other systems: watching is tried there as anywhere.
#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "freebsd")))]
fn fs_type(_: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_file_system_of_a_path() {
        let info = "22 27 0:21 / /proc rw - proc proc rw\n27 1 0:30 / / rw - ext4 /dev/vda rw\n40 27 0:50 / /home/dev/shared\\040dir rw - nfs4 srv:/x rw\n41 40 0:51 / /home/dev/shared\\040dir/local rw - tmpfs t rw\n";
        assert_eq!(
            fs_type_in(info, Path::new("/home/dev/shared dir/.ntm")).as_deref(),
            Some("nfs4")
        );
        assert_eq!(
            fs_type_in(info, Path::new("/home/dev/shared dir/local/x")).as_deref(),
            Some("tmpfs")
        );
        assert_eq!(
            fs_type_in(info, Path::new("/home/dev/other")).as_deref(),
            Some("ext4")
        );
        assert_eq!(
            fs_type_in(info, Path::new("/home/dev/shared dirx")).as_deref(),
            Some("ext4"),
            "whole components only"
        );
        assert!(network_fs(Path::new("/proc")).is_none());
    }
}
