//! Comparing two files by decoded content: the description (format,
//! variables, shapes, types, CRS, geotransform, time axis, global
//! attributes) and every numeric variable's values.

use std::path::Path;

use permafrost_insar::io::{self, describe, Format};

/// Relative tolerance for values (generators are deterministic; this only
/// absorbs last-bit differences of libm across platforms).
const RTOL: f64 = 1e-9;

pub(crate) fn same(committed: &Path, fresh: &Path) -> Result<(), String> {
    if committed.extension().is_some_and(|e| e == "md") {
        let a = std::fs::read_to_string(committed).map_err(|e| e.to_string())?;
        let b = std::fs::read_to_string(fresh).map_err(|e| e.to_string())?;
        return if a == b {
            Ok(())
        } else {
            Err("text differs".into())
        };
    }
    let a = describe(committed).map_err(|e| e.to_string())?;
    let b = describe(fresh).map_err(|e| e.to_string())?;
    // Compare descriptions as JSON (NaN fill values become null and compare equal).
    let json = |i: &io::FileInfo| -> Result<serde_json::Map<String, serde_json::Value>, String> {
        let mut v = serde_json::to_value(i).map_err(|e| e.to_string())?;
        let map = v.as_object_mut().ok_or("description is not an object")?;
        map.remove("path");
        map.remove("size_bytes");
        Ok(map.clone())
    };
    let (ja, jb) = (json(&a)?, json(&b)?);
    for key in ja.keys().chain(jb.keys()) {
        if ja.get(key) != jb.get(key) {
            return Err(format!(
                "`{key}` differs: {} vs {}",
                short(ja.get(key)),
                short(jb.get(key))
            ));
        }
    }
    for v in &a.variables {
        let numeric = !matches!(v.dtype.as_str(), "string" | "char") && !v.dtype.starts_with('S');
        if !numeric {
            continue;
        }
        let name = v.name.as_str();
        let x = io::read_array(committed, Some(name)).map_err(|e| e.to_string())?;
        let y = io::read_array(fresh, Some(name)).map_err(|e| e.to_string())?;
        if x.shape() != y.shape() {
            return Err(format!(
                "`{name}`: shape {:?} vs {:?}",
                x.shape(),
                y.shape()
            ));
        }
        for (i, (p, q)) in x.iter().zip(y.iter()).enumerate() {
            let equal = (p.is_nan() && q.is_nan())
                || (p - q).abs() <= RTOL * p.abs().max(q.abs()).max(1e-300);
            if !equal {
                return Err(format!(
                    "`{name}`: element {i} is {p} here, {q} from the generator"
                ));
            }
        }
    }
    if matches!(a.format, Format::Netcdf3 | Format::Netcdf4) {
        for v in &a.variables {
            let x = io::nc::read_variable(committed, &v.name).map(|r| r.attributes);
            let y = io::nc::read_variable(fresh, &v.name).map(|r| r.attributes);
            if let (Ok(x), Ok(y)) = (x, y) {
                let text = |m: std::collections::BTreeMap<String, io::AttrValue>| {
                    m.into_iter()
                        .map(|(k, v)| (k, v.display()))
                        .collect::<Vec<_>>()
                };
                if text(x) != text(y) {
                    return Err(format!("`{}`: attributes differ", v.name));
                }
            }
        }
    }
    Ok(())
}

fn short(v: Option<&serde_json::Value>) -> String {
    let s = v.map_or_else(|| "absent".to_string(), ToString::to_string);
    if s.len() > 200 {
        format!(
            "{}…",
            &s[..s.char_indices().nth(200).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s
    }
}
