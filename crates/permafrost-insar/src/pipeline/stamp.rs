//! Stage stamps: a stage is up to date when its settings, the size and
//! modification time of each input and the stamp of the stage before it are
//! what they were at its last successful run, and its outputs still exist.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::io::write_atomically;

pub(crate) struct Stamp {
    key: Value,
}

fn file_key(p: &Path) -> Value {
    match std::fs::metadata(p) {
        Ok(m) => {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            json!({ "path": p.display().to_string(), "size": m.len(), "mtime_ns": mtime.to_string() })
        }
        Err(_) => json!({ "path": p.display().to_string(), "missing": true }),
    }
}

/// FNV-1a 64 of a string (stable across runs and toolchains).
fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Stamp {
    pub fn new(stage: &str, settings: &Value, inputs: &[PathBuf], previous: &str) -> Result<Stamp> {
        Ok(Stamp {
            key: json!({
                "stage": stage,
                "version": env!("CARGO_PKG_VERSION"),
                "settings": settings,
                "inputs": inputs.iter().map(|p| file_key(p)).collect::<Vec<_>>(),
                "previous": previous,
            }),
        })
    }

    pub fn digest(&self) -> String {
        format!("{:016x}", fnv(&self.key.to_string()))
    }

    /// True when the stamp file holds the same key and every recorded
    /// output still exists.
    pub fn matches(&self, path: &Path) -> bool {
        let Ok(text) = std::fs::read_to_string(path) else {
            return false;
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            return false;
        };
        v.get("key") == Some(&self.key) && recorded_outputs(path).iter().all(|p| p.exists())
    }

    pub fn write(&self, path: &Path, outputs: &[PathBuf]) -> Result<()> {
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
        }
        let v = json!({
            "key": self.key,
            "outputs": outputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&v)
            .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
        write_atomically(path, |tmp| {
            std::fs::write(tmp, &text).map_err(|e| Error::io(tmp, e))
        })
    }
}

/// The outputs a stamp file recorded.
pub(crate) fn recorded_outputs(path: &Path) -> Vec<PathBuf> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .and_then(|v| v.get("outputs").cloned())
        .and_then(|o| o.as_array().cloned())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(PathBuf::from))
                .collect()
        })
        .unwrap_or_default()
}
