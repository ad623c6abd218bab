//! Attribute values shared by the NetCDF and HDF5 readers and writers.

use serde::Serialize;

/// An attribute value as read from, or written to, a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum AttrValue {
    /// Text.
    Text(String),
    /// Several texts.
    Texts(Vec<String>),
    /// One or more numbers (converted to `f64`; integers up to 2⁵³ exactly).
    Numbers(Vec<f64>),
    /// One 16-bit integer (kept as such so packed variables round-trip).
    Short(i16),
    /// One 32-bit float.
    Float(f32),
    /// One 64-bit integer.
    Long(i64),
}

impl AttrValue {
    /// The value as text, if it is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            AttrValue::Text(s) => Some(s),
            AttrValue::Texts(v) if v.len() == 1 => Some(&v[0]),
            _ => None,
        }
    }

    /// The value as numbers (empty for text).
    pub fn as_numbers(&self) -> Vec<f64> {
        match self {
            AttrValue::Numbers(v) => v.clone(),
            AttrValue::Short(x) => vec![f64::from(*x)],
            AttrValue::Float(x) => vec![f64::from(*x)],
            AttrValue::Long(x) => vec![*x as f64],
            AttrValue::Text(_) | AttrValue::Texts(_) => Vec::new(),
        }
    }

    /// The first number, if numeric.
    pub fn as_f64(&self) -> Option<f64> {
        self.as_numbers().first().copied()
    }

    /// A short human-readable rendering (numbers with full precision).
    pub fn display(&self) -> String {
        match self {
            AttrValue::Text(s) => s.clone(),
            AttrValue::Texts(v) => v.join(", "),
            other => other
                .as_numbers()
                .iter()
                .map(|x| format!("{x}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl From<&str> for AttrValue {
    fn from(s: &str) -> Self {
        AttrValue::Text(s.to_string())
    }
}
impl From<String> for AttrValue {
    fn from(s: String) -> Self {
        AttrValue::Text(s)
    }
}
impl From<f64> for AttrValue {
    fn from(x: f64) -> Self {
        AttrValue::Numbers(vec![x])
    }
}
impl From<Vec<f64>> for AttrValue {
    fn from(x: Vec<f64>) -> Self {
        AttrValue::Numbers(x)
    }
}
impl From<f32> for AttrValue {
    fn from(x: f32) -> Self {
        AttrValue::Float(x)
    }
}
impl From<i16> for AttrValue {
    fn from(x: i16) -> Self {
        AttrValue::Short(x)
    }
}
impl From<i64> for AttrValue {
    fn from(x: i64) -> Self {
        AttrValue::Long(x)
    }
}
