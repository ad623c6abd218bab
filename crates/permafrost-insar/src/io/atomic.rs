//! Atomic output: write to a temporary file beside the target, then rename.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes an output file atomically: `write` receives a temporary path in the
/// target's folder (same file system, so the final rename is atomic) and must
/// create the file there; on success the temporary file replaces `target`,
/// on failure it is removed and `target` is left as it was.
pub fn write_atomically<T>(target: &Path, write: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let tmp = temporary_sibling(target)?;
    match write(&tmp) {
        Ok(value) => {
            std::fs::rename(&tmp, target).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                Error::io(target, e)
            })?;
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// A fresh temporary path next to `target`, keeping its extension so that
/// libraries choosing a driver by extension still do the right thing.
fn temporary_sibling(target: &Path) -> Result<PathBuf> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::io(
            target,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("output folder {} does not exist", dir.display()),
            ),
        ));
    }
    let name = target
        .file_name()
        .ok_or_else(|| Error::Invalid(format!("{}: not a file path", target.display())))?
        .to_string_lossy();
    let ext = target
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    Ok(dir.join(format!(".{name}.{}-{nanos}.tmp{ext}", std::process::id())))
}
