//! Every file kith creates goes through here: the database, backups, and what `-o FILE` and
//! `--skip-invalid FILE` write (exports, iCalendar, vCard, dumps, rejected rows). They hold
//! the same data as the database, so a new one is readable and writable by its owner only
//! (mode 0600), whatever the umask.
//!
//! A file written whole is written to a temporary file beside it, `.NAME.kith-tmp`, and
//! renamed into place once complete, so a failure leaves no half-written file.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::core::error::Result;

/// Options that create a new file, mode 0600, and fail if anything is at the path already
/// (a symbolic link included: it is not followed).
fn new_private() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Create the file at `path`, mode 0600, if there is none (the database: SQLite then opens
/// it, and gives its -wal and -shm files the same mode). A symbolic link to nothing is
/// followed, and what it points to is made, as SQLite would make it.
pub fn create_private(path: &Path) -> Result<()> {
    if path.exists() {
        return Ok(());
    }
    // Not create_new: that refuses a link to nothing instead of following it. A file made
    // by another process between the check and the open is opened, and left as it is.
    let mut o = OpenOptions::new();
    o.write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map(drop).map_err(|e| {
        crate::err!(
            Failed,
            "files.cannot_create",
            path = path.display(),
            reason = e
        )
    })
}

/// Give the folder of the database at `path` and the database (with SQLite's files beside
/// it) to the group `group`, readable and writable by it and nobody else: the folder mode
/// 2770 (the set-group-id bit keeps new files in the group), the files 0660. For a team
/// on one shared host (`kith init --shared GROUP`).
#[cfg(unix)]
pub fn share_with_group(path: &Path, group: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let gid = nix::unistd::Group::from_name(group)
        .ok()
        .flatten()
        .ok_or_else(|| crate::err!(Invalid, "files.no_group", group = group))?
        .gid;
    let fail = |p: &Path, e: std::io::Error| {
        crate::err!(
            Failed,
            "files.cannot_share",
            path = p.display(),
            group = group,
            reason = e
        )
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::os::unix::fs::chown(dir, None, Some(gid.as_raw())).map_err(|e| fail(dir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o2770))
        .map_err(|e| fail(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    for file in [
        path.to_path_buf(),
        dir.join(format!("{name}-wal")),
        dir.join(format!("{name}-shm")),
    ] {
        if !file.exists() {
            continue;
        }
        std::os::unix::fs::chown(&file, None, Some(gid.as_raw())).map_err(|e| fail(&file, e))?;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o660))
            .map_err(|e| fail(&file, e))?;
    }
    Ok(())
}

/// Sharing a file with a group needs a system with groups.
#[cfg(not(unix))]
pub fn share_with_group(_path: &Path, group: &str) -> Result<()> {
    Err(crate::err!(Invalid, "files.no_group", group = group))
}

/// The temporary file beside `dest` that becomes `dest` once complete.
pub fn temp_path(dest: &Path) -> Result<PathBuf> {
    let name = dest
        .file_name()
        .ok_or_else(|| crate::err!(Invalid, "files.file_name", dest = dest.display()))?;
    Ok(dest.with_file_name(format!(".{}.kith-tmp", name.to_string_lossy())))
}

/// A temporary file and the rollback journal SQLite keeps beside it while a backup is
/// written into it: removed, whatever is (or is not) there.
fn remove_temp(path: &Path) -> io::Result<()> {
    let mut first = Ok(());
    for p in [path, &journal(path)] {
        match std::fs::remove_file(p) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                first = first.and(Err(e));
            }
            _ => {}
        }
    }
    first
}

fn journal(path: &Path) -> PathBuf {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    PathBuf::from(journal)
}

/// The temporary files this process is writing, removed if it is interrupted.
static TEMPS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// On the first temporary file, start watching for SIGINT, SIGTERM and SIGHUP: on one,
/// remove the temporary files, then end as the signal would have ended the process.
/// Commands that make no temporary file keep the signals' default behaviour.
fn watch_signals() {
    static WATCH: std::sync::Once = std::sync::Once::new();
    #[cfg(unix)]
    WATCH.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held to the end: no new temporary file is made after these are gone.
                let temps = TEMPS.lock().unwrap_or_else(|e| e.into_inner());
                for p in temps.iter() {
                    let _ = remove_temp(p);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    });
}

fn temps() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPS.lock().unwrap_or_else(|e| e.into_inner())
}

/// A temporary file, new and private, that [`Temp::persist`] renames into place. Dropped
/// without that (an error on the way), it is removed; so it is when the process is
/// interrupted (SIGINT, SIGTERM, SIGHUP). One left by a run that was killed outright is
/// removed by the next run writing the same file.
pub struct Temp {
    path: PathBuf,
    /// Made by this run and not renamed into place yet: removed when dropped.
    ours: bool,
}

impl Temp {
    /// Create the temporary file for `dest` (one left by an earlier run that died, and its
    /// journal, are removed first), and open it for writing.
    pub fn beside(dest: &Path) -> Result<(Temp, File)> {
        let path = temp_path(dest)?;
        let cannot = |e: io::Error| {
            crate::err!(
                Failed,
                "files.cannot_write",
                dest = dest.display(),
                reason = e
            )
        };
        remove_temp(&path).map_err(cannot)?;
        watch_signals();
        // Known before it exists, so that it is never there unknown.
        temps().push(path.clone());
        let mut temp = Temp { path, ours: true };
        match new_private().open(&temp.path) {
            Ok(file) => Ok((temp, file)),
            Err(e) => {
                // Not made by this run: not this run's to remove.
                temp.ours = false;
                Err(cannot(e))
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Put the finished file in place at `dest`.
    pub fn persist(mut self, dest: &Path) -> Result<()> {
        std::fs::rename(&self.path, dest).map_err(|e| {
            crate::err!(
                Failed,
                "files.cannot_write",
                dest = dest.display(),
                reason = e
            )
        })?;
        self.ours = false;
        // A backup's journal, if SQLite left one.
        let _ = std::fs::remove_file(journal(&self.path));
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let mut temps = temps();
        if self.ours {
            let _ = remove_temp(&self.path);
        }
        if let Some(i) = temps.iter().position(|p| *p == self.path) {
            temps.swap_remove(i);
        }
    }
}

/// Where `-o FILE` and `--skip-invalid FILE` write. What is at FILE decides how:
///
/// - nothing: a new file, mode 0600, written through a temporary file and renamed into
///   place once complete;
/// - a regular file: replaced the same way, keeping its permissions;
/// - a FIFO or a character device (`/dev/stdout`, a terminal, `/dev/null`): written
///   through, never replaced (a write error such as a full disk is a failure);
/// - a symbolic link: what it points to, by these rules; the link stays. A link to
///   nothing is refused, as are a folder, a block device and a socket (bad input).
pub struct Output {
    file: File,
    /// The temporary file, and the permissions to give it, for a file replaced whole;
    /// None when writing through.
    temp: Option<(Temp, Option<std::fs::Permissions>)>,
    /// The file written (a symbolic link's target).
    target: PathBuf,
    /// The file named.
    dest: PathBuf,
}

impl Output {
    pub fn create(dest: &Path) -> Result<Output> {
        let refuse = |what: &str| {
            crate::err!(
                Invalid,
                "files.writes_file_fifo",
                dest = dest.display(),
                what = what
            )
        };
        let cannot = |e: io::Error| {
            crate::err!(
                Failed,
                "files.cannot_write",
                dest = dest.display(),
                reason = e
            )
        };
        let mut target = dest.to_path_buf();
        let meta = match std::fs::symlink_metadata(dest) {
            Ok(m) if m.file_type().is_symlink() => match std::fs::metadata(dest) {
                Ok(m) => {
                    // A file is replaced beside where it is; anything else is opened
                    // through the link (/dev/stdout leads to no path a rename could use).
                    if m.is_file() {
                        target = std::fs::canonicalize(dest).map_err(cannot)?;
                    }
                    Some(m)
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(refuse(crate::tr!("files.a_dangling_link")))
                }
                Err(e) => return Err(cannot(e)),
            },
            Ok(m) => Some(m),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(cannot(e)),
        };
        let keep = match meta {
            None => None,
            Some(m) if m.is_file() => Some(m.permissions()),
            Some(m) if m.is_dir() => return Err(refuse(crate::tr!("files.a_folder"))),
            Some(m) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::FileTypeExt;
                    let t = m.file_type();
                    if t.is_block_device() {
                        return Err(refuse(crate::tr!("files.a_block_device")));
                    }
                    if t.is_socket() {
                        return Err(refuse(crate::tr!("files.a_socket")));
                    }
                }
                let _ = m;
                // A FIFO or a character device: write to it as it is.
                let file = OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(cannot)?;
                return Ok(Output {
                    file,
                    temp: None,
                    target,
                    dest: dest.to_path_buf(),
                });
            }
        };
        let (temp, file) = Temp::beside(&target)?;
        Ok(Output {
            file,
            temp: Some((temp, keep)),
            target,
            dest: dest.to_path_buf(),
        })
    }

    /// The file named.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Everything is written: put it in place (or, written through, flush it).
    pub fn finish(mut self) -> Result<()> {
        let dest = self.dest.clone();
        let cannot = |e: io::Error| {
            crate::err!(
                Failed,
                "files.cannot_write",
                dest = dest.display(),
                reason = e
            )
        };
        self.file.flush().map_err(cannot)?;
        let Some((temp, keep)) = self.temp.take() else {
            return Ok(());
        };
        if let Some(p) = keep {
            self.file.set_permissions(p).map_err(cannot)?;
        }
        self.file.sync_all().map_err(cannot)?;
        drop(self.file);
        temp.persist(&self.target)
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_dropped_unfinished_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.csv");
        let mut out = Output::create(&dest).unwrap();
        out.write_all(b"id,name\n").unwrap();
        let temp = dir.path().join(".out.csv.kith-tmp");
        assert!(temp.exists());
        // A later write failed (a full disk): the command returns its error, and the output
        // is dropped on the way.
        drop(out);
        assert!(!temp.exists(), "the temporary file is gone");
        assert!(!dest.exists(), "and nothing half-written is in place");
        // Finished, it is in place and nothing else is left.
        let mut out = Output::create(&dest).unwrap();
        out.write_all(b"id,name\n").unwrap();
        out.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "id,name\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_temporary_file_left_by_a_killed_run_and_its_journal_are_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("backup.db");
        let temp = dir.path().join(".backup.db.kith-tmp");
        let journal = dir.path().join(".backup.db.kith-tmp-journal");
        std::fs::write(&temp, "stale").unwrap();
        std::fs::write(&journal, "stale journal").unwrap();
        let (t, f) = Temp::beside(&dest).unwrap();
        assert!(!journal.exists());
        assert_eq!(
            f.metadata().unwrap().len(),
            0,
            "a new file, not the stale one"
        );
        drop(f);
        t.persist(&dest).unwrap();
        assert!(!temp.exists() && dest.exists());
    }
}
