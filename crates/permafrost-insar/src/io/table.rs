//! CSV tables with a header line: numeric columns, blanks as missing.

use std::path::Path;

use crate::error::{Error, Result};

/// A CSV table read whole: column names and text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names from the header line.
    pub columns: Vec<String>,
    /// Rows of cells, each as long as `columns`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file; every row must have as many fields as the header.
    pub fn read(path: &Path) -> Result<Table> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .trim(csv::Trim::All)
            .from_path(path)
            .map_err(|e| csv_error(path, e))?;
        let columns: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(str::to_string)
            .collect();
        if columns.is_empty() || columns.iter().all(String::is_empty) {
            return Err(Error::format(path, "CSV header line is empty"));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(path, e))?;
            rows.push(record.iter().map(str::to_string).collect());
        }
        Ok(Table { columns, rows })
    }

    /// Index of column `name`.
    pub fn column_index(&self, path: &Path, name: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| Error::missing(path, name, &self.columns))
    }

    /// Column `name` as numbers; blank cells and `NA`/`NaN` are `NaN`, any
    /// other text is an error naming the row.
    pub fn numeric_column(&self, path: &Path, name: &str) -> Result<Vec<f64>> {
        let j = self.column_index(path, name)?;
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                parse_cell(&row[j]).ok_or_else(|| {
                    Error::variable(
                        path,
                        name,
                        format!("row {}: `{}` is not a number", i + 1, row[j]),
                    )
                })
            })
            .collect()
    }

    /// True when every non-blank cell of column `j` is a number.
    pub fn is_numeric(&self, j: usize) -> bool {
        self.rows.iter().all(|r| parse_cell(&r[j]).is_some())
    }
}

/// A cell as a number: blank, `NA`, `NaN` → `NaN`; otherwise it must parse.
pub fn parse_cell(cell: &str) -> Option<f64> {
    let c = cell.trim();
    if c.is_empty() || c.eq_ignore_ascii_case("na") || c.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    c.parse::<f64>().ok()
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    match e.kind() {
        csv::ErrorKind::Io(_) => match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::io(path, io),
            _ => Error::format(path, "CSV read error"),
        },
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => Error::format(
            path,
            format!(
                "CSV line {}: {len} fields, the header has {expected_len}",
                pos.as_ref().map_or(0, |p| p.line())
            ),
        ),
        _ => Error::format(path, format!("CSV: {e}")),
    }
}
