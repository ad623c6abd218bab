//! A reader for active-layer station tables such as the CALM summary
//! (`ID,LAT,LON,1990,…,2021`, ALT in cm, blanks for missing years), with a
//! plausibility check of each station's coordinates.
//!
//! Coordinates are flagged, not silently used: a latitude or longitude that
//! is not a number or is out of range, or a latitude closer to the equator
//! than [`CoordinateCheck::min_abs_latitude`] (default 25°: below it
//! permafrost exists only on the highest mountains, and a CALM-type table of
//! lowland sites there is a typo — the CALM summary's R36 at 9.17° N, among
//! the Kolyma sites near 69° N, is the case in point). Flagged stations keep
//! their values; [`StationTable::plausible`] leaves them out.

use std::path::Path;

use crate::error::{Error, Result};

/// Why a station's coordinates are implausible.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CoordinateFlag {
    /// Latitude or longitude is missing or not a number.
    NotFinite,
    /// |latitude| > 90° or |longitude| > 180°.
    OutOfRange,
    /// |latitude| below the check's minimum.
    ImplausibleLatitude {
        /// The minimum |latitude| of the check (degrees).
        min_abs_latitude: f64,
    },
}

/// The coordinate plausibility check.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | minimum \|latitude\| (degrees) | 25 | [`with_min_abs_latitude`](CoordinateCheck::with_min_abs_latitude) |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoordinateCheck {
    min_abs_latitude: f64,
}

impl Default for CoordinateCheck {
    fn default() -> Self {
        Self::new()
    }
}

impl CoordinateCheck {
    /// The defaults.
    pub fn new() -> Self {
        CoordinateCheck {
            min_abs_latitude: 25.0,
        }
    }

    /// The minimum |latitude| (degrees, in \[0, 90\]; 0 disables the band).
    #[must_use]
    pub fn with_min_abs_latitude(mut self, degrees: f64) -> Self {
        self.min_abs_latitude = degrees;
        self
    }

    /// The minimum |latitude| (degrees).
    pub fn min_abs_latitude(&self) -> f64 {
        self.min_abs_latitude
    }

    /// The flag of a coordinate pair, `None` when plausible.
    pub fn flag(&self, lat: f64, lon: f64) -> Option<CoordinateFlag> {
        if !(lat.is_finite() && lon.is_finite()) {
            Some(CoordinateFlag::NotFinite)
        } else if lat.abs() > 90.0 || lon.abs() > 180.0 {
            Some(CoordinateFlag::OutOfRange)
        } else if lat.abs() < self.min_abs_latitude {
            Some(CoordinateFlag::ImplausibleLatitude {
                min_abs_latitude: self.min_abs_latitude,
            })
        } else {
            None
        }
    }

    fn validate(&self) -> Result<()> {
        if (0.0..=90.0).contains(&self.min_abs_latitude) {
            Ok(())
        } else {
            Err(Error::invalid_parameter(
                "min_abs_latitude",
                self.min_abs_latitude,
                "must lie in [0, 90] degrees",
            ))
        }
    }
}

/// One station of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// Station identifier (e.g. `U1`).
    pub id: String,
    /// Latitude (degrees north).
    pub lat: f64,
    /// Longitude (degrees east).
    pub lon: f64,
    /// (year, ALT in cm) for the years with a value, increasing.
    pub alt_cm: Vec<(i32, f64)>,
    /// The coordinate flag, `None` when the coordinates are plausible.
    pub flag: Option<CoordinateFlag>,
}

impl Station {
    /// ALT of `year` in cm.
    pub fn alt_cm(&self, year: i32) -> Option<f64> {
        self.alt_cm
            .binary_search_by_key(&year, |(y, _)| *y)
            .ok()
            .map(|i| self.alt_cm[i].1)
    }

    /// ALT of `year` in metres.
    pub fn alt_m(&self, year: i32) -> Option<f64> {
        self.alt_cm(year).map(|v| v / 100.0)
    }

    /// Mean ALT (cm) over the years `from..=to` that have a value.
    pub fn mean_alt_cm(&self, from: i32, to: i32) -> Option<f64> {
        let v: Vec<f64> = self
            .alt_cm
            .iter()
            .filter(|(y, _)| (from..=to).contains(y))
            .map(|(_, v)| *v)
            .collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    }

    /// Whether the coordinates passed the check.
    pub fn is_plausible(&self) -> bool {
        self.flag.is_none()
    }
}

/// A station table.
#[derive(Debug, Clone, PartialEq)]
pub struct StationTable {
    /// The year columns, in file order.
    pub years: Vec<i32>,
    /// The stations, in file order.
    pub stations: Vec<Station>,
}

impl StationTable {
    /// The station with this id.
    pub fn get(&self, id: &str) -> Option<&Station> {
        self.stations.iter().find(|s| s.id == id)
    }

    /// Stations whose coordinates were flagged.
    pub fn flagged(&self) -> Vec<&Station> {
        self.stations.iter().filter(|s| !s.is_plausible()).collect()
    }

    /// Stations with plausible coordinates.
    pub fn plausible(&self) -> Vec<&Station> {
        self.stations.iter().filter(|s| s.is_plausible()).collect()
    }
}

fn table_error(source_name: &str, line: usize, problem: String) -> Error {
    Error::StationTable {
        source_name: source_name.to_string(),
        line,
        problem,
    }
}

/// Reads a station table from CSV text. Columns: `ID`, `LAT`, `LON`
/// (case-insensitive; `LATITUDE`/`LONGITUDE` accepted) and one column per
/// year (a header that is a year number); other columns are ignored. Values
/// are ALT in cm; blank, `NA` or `NaN` cells are missing.
///
/// # Errors
/// [`Error::StationTable`] naming the line, column and value for a missing
/// column, an unparsable or negative value, or a duplicate id;
/// [`Error::InvalidParameter`] for a bad check.
pub fn read_station_table<R: std::io::Read>(
    reader: R,
    check: &CoordinateCheck,
) -> Result<StationTable> {
    read_named(reader, check, "")
}

/// [`read_station_table`] from a file.
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened, and those of
/// [`read_station_table`].
pub fn read_station_table_path(
    path: impl AsRef<Path>,
    check: &CoordinateCheck,
) -> Result<StationTable> {
    let path = path.as_ref();
    let file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    read_named(
        std::io::BufReader::new(file),
        check,
        &path.display().to_string(),
    )
}

fn read_named<R: std::io::Read>(
    reader: R,
    check: &CoordinateCheck,
    name: &str,
) -> Result<StationTable> {
    check.validate()?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = rdr
        .headers()
        .map_err(|e| table_error(name, 1, format!("cannot read the header: {e}")))?
        .clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let missing = |col: &str| table_error(name, 1, format!("no {col} column in the header"));
    let id_col = find(&["ID", "SITE", "SITE_ID"]).ok_or_else(|| missing("ID"))?;
    let lat_col = find(&["LAT", "LATITUDE"]).ok_or_else(|| missing("LAT"))?;
    let lon_col = find(&["LON", "LONGITUDE"]).ok_or_else(|| missing("LON"))?;
    let year_cols: Vec<(usize, i32)> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            h.parse::<i32>()
                .ok()
                .filter(|y| (1800..=2200).contains(y))
                .map(|y| (i, y))
        })
        .collect();
    let mut stations: Vec<Station> = Vec::new();
    for record in rdr.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            table_error(name, line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| record.get(i).unwrap_or("");
        let id = cell(id_col).to_string();
        if id.is_empty() {
            return Err(table_error(name, line, "empty ID".into()));
        }
        if stations.iter().any(|s| s.id == id) {
            return Err(table_error(name, line, format!("duplicate ID {id:?}")));
        }
        let coord = |col: usize, what: &str| -> Result<f64> {
            let s = cell(col);
            if s.is_empty() {
                return Ok(f64::NAN);
            }
            s.parse::<f64>().map_err(|_| {
                table_error(
                    name,
                    line,
                    format!("{what} of {id:?} is {s:?}, not a number"),
                )
            })
        };
        let lat = coord(lat_col, "LAT")?;
        let lon = coord(lon_col, "LON")?;
        let mut alt_cm = Vec::new();
        for &(col, year) in &year_cols {
            let s = cell(col);
            if s.is_empty() || s.eq_ignore_ascii_case("na") || s.eq_ignore_ascii_case("nan") {
                continue;
            }
            let v: f64 = s.parse().map_err(|_| {
                table_error(
                    name,
                    line,
                    format!("column {year} of {id:?} is {s:?}, not a number"),
                )
            })?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(table_error(
                    name,
                    line,
                    format!("column {year} of {id:?} is {v}, but ALT must be finite and ≥ 0 cm"),
                ));
            }
            alt_cm.push((year, v));
        }
        alt_cm.sort_by_key(|(y, _)| *y);
        stations.push(Station {
            flag: check.flag(lat, lon),
            id,
            lat,
            lon,
            alt_cm,
        });
    }
    Ok(StationTable {
        years: year_cols.iter().map(|(_, y)| *y).collect(),
        stations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = "ID,LAT,LON,1990,1991,1992\r\nA1,70.1,-150.2,,35.5,40\r\nB2,9.17,154.43,30,,\r\nC3,95,10,1,2,3\r\n";

    #[test]
    fn reads_and_flags() {
        let t = read_station_table(TABLE.as_bytes(), &CoordinateCheck::new()).unwrap();
        assert_eq!(t.years, vec![1990, 1991, 1992]);
        assert_eq!(t.stations.len(), 3);
        let a = t.get("A1").unwrap();
        assert_eq!(a.alt_cm(1990), None);
        assert_eq!(a.alt_cm(1991), Some(35.5));
        assert_eq!(a.alt_m(1992), Some(0.4));
        assert!(a.is_plausible());
        assert!(matches!(
            t.get("B2").unwrap().flag,
            Some(CoordinateFlag::ImplausibleLatitude { .. })
        ));
        assert_eq!(t.get("C3").unwrap().flag, Some(CoordinateFlag::OutOfRange));
        assert_eq!(t.plausible().len(), 1);
        assert_eq!(a.mean_alt_cm(1990, 1992), Some(37.75));
    }

    #[test]
    fn errors_name_line_and_value() {
        let bad = "ID,LAT,LON,1990\nA1,70,-150,abc\n";
        let err = read_station_table(bad.as_bytes(), &CoordinateCheck::new()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line 2") && msg.contains("\"abc\""), "{msg}");
        let no_lat = "ID,LON,1990\nA1,-150,3\n";
        let err = read_station_table(no_lat.as_bytes(), &CoordinateCheck::new()).unwrap_err();
        assert!(err.to_string().contains("no LAT column"), "{err}");
        let dup = "ID,LAT,LON,1990\nA1,70,-150,3\nA1,71,-150,4\n";
        let err = read_station_table(dup.as_bytes(), &CoordinateCheck::new()).unwrap_err();
        assert!(
            err.to_string().contains("line 3") && err.to_string().contains("duplicate"),
            "{err}"
        );
        let neg = "ID,LAT,LON,1990\nA1,70,-150,-3\n";
        assert!(read_station_table(neg.as_bytes(), &CoordinateCheck::new()).is_err());
    }
}
