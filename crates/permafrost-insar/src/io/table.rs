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

/// Streams numeric columns of a CSV file without holding it in memory.
///
/// `pick` receives the header and returns the indices of the wanted columns;
/// `visit` then receives those columns (one `Vec` per picked column, in
/// `pick`'s order) for at most `batch` rows at a time, and may take them
/// (the vectors are cleared before the next batch). Cells parse as in
/// [`Table::numeric_column`], and errors name the file, the column and the
/// row (1 = the first line after the header) as that does.
pub fn stream_numeric_columns(
    path: &Path,
    pick: impl FnOnce(&[String]) -> Result<Vec<usize>>,
    batch: usize,
    mut visit: impl FnMut(&mut [Vec<f64>]) -> Result<()>,
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.is_empty() || header.iter().all(String::is_empty) {
        return Err(Error::format(path, "CSV header line is empty"));
    }
    let picked = pick(&header)?;
    let batch = batch.max(1);
    let mut columns: Vec<Vec<f64>> = picked.iter().map(|_| Vec::with_capacity(batch)).collect();
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, e))?
    {
        row += 1;
        for (col, &j) in columns.iter_mut().zip(&picked) {
            let cell = &record[j];
            col.push(parse_cell(cell).ok_or_else(|| {
                Error::variable(
                    path,
                    &header[j],
                    format!("row {row}: `{cell}` is not a number"),
                )
            })?);
        }
        if columns[0].len() == batch {
            visit(&mut columns)?;
            columns.iter_mut().for_each(Vec::clear);
        }
    }
    if columns.first().is_some_and(|c| !c.is_empty()) {
        visit(&mut columns)?;
    }
    Ok(())
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
