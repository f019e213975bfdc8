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

use crate::error::{Error, Result};

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
    o.open(path)
        .map(drop)
        .map_err(|e| Error::failed(format!("cannot create {}: {e}", path.display())))
}

/// The temporary file beside `dest` that becomes `dest` once complete.
pub fn temp_path(dest: &Path) -> Result<PathBuf> {
    let name = dest
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} is not a file name", dest.display())))?;
    Ok(dest.with_file_name(format!(".{}.kith-tmp", name.to_string_lossy())))
}

/// A temporary file, new and private, that [`Temp::persist`] renames into place.
pub struct Temp {
    path: PathBuf,
}

impl Temp {
    /// Create the temporary file for `dest` (one left by an earlier run that died is
    /// replaced), and open it for writing.
    pub fn beside(dest: &Path) -> Result<(Temp, File)> {
        let path = temp_path(dest)?;
        let cannot = |e: io::Error| Error::failed(format!("cannot write {}: {e}", dest.display()));
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(cannot(e)),
            _ => {}
        }
        let file = new_private().open(&path).map_err(cannot)?;
        Ok((Temp { path }, file))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Put the finished file in place at `dest`.
    pub fn persist(self, dest: &Path) -> Result<()> {
        std::fs::rename(&self.path, dest).map_err(|e| {
            let _ = std::fs::remove_file(&self.path);
            Error::failed(format!("cannot write {}: {e}", dest.display()))
        })
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
            Error::invalid(format!(
                "{} is {what}; kith writes to a file, a FIFO or a character device",
                dest.display()
            ))
        };
        let cannot = |e: io::Error| Error::failed(format!("cannot write {}: {e}", dest.display()));
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
                    return Err(refuse("a symbolic link to nothing"))
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
            Some(m) if m.is_dir() => return Err(refuse("a folder")),
            Some(m) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::FileTypeExt;
                    let t = m.file_type();
                    if t.is_block_device() {
                        return Err(refuse("a block device"));
                    }
                    if t.is_socket() {
                        return Err(refuse("a socket"));
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
        let cannot = |e: io::Error| Error::failed(format!("cannot write {}: {e}", dest.display()));
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
