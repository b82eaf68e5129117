//! CSV and TSV files as records, streamed one row at a time.

use std::io::Read;

use serde_json::{Map, Value};

use crate::ingest::error::ReadError;

/// Streams the records of a CSV (`b','`) or TSV (`b'\t'`) file.
///
/// The first row names the fields. Each item is the 1-based data row number
/// and the row as a record of strings (empty cells are left out, so the
/// common names can fall through to the next one). Fields may be quoted with
/// `"` and span lines. A row whose field count differs from the header's is an
/// `Err` naming the row, its line and both counts; reading goes on. An
/// unreadable or empty header is one `Err` for row 0, and an I/O error ends the
/// stream. Only one row is held at a time.
pub fn csv_records<R: Read>(
    reader: R,
    delimiter: u8,
) -> impl Iterator<Item = (usize, Result<Map<String, Value>, ReadError>)> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header = header_names(&mut csv);
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let header = match &header {
            Ok(h) if !h.iter().all(String::is_empty) => h,
            Ok(_) => {
                done = true;
                return Some((0, Err(ReadError::EmptyHeader)));
            }
            Err(e) => {
                done = true;
                return Some((0, Err(e.clone())));
            }
        };
        match csv.read_record(&mut record) {
            Ok(false) => {
                done = true;
                None
            }
            Ok(true) => {
                row += 1;
                Some((row, row_record(header, &record, row)))
            }
            Err(e) => {
                row += 1;
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    done = true;
                }
                let line = e.position().map_or(0, |p| p.line());
                let message = e.to_string();
                Some((row, Err(ReadError::BadRow { row, line, message })))
            }
        }
    })
}

/// The header's field names, trimmed (the first without a byte-order mark).
fn header_names<R: Read>(csv: &mut csv::Reader<R>) -> Result<Vec<String>, ReadError> {
    csv.headers()
        .map(|h| {
            h.iter()
                .enumerate()
                .map(|(i, name)| {
                    let name = if i == 0 {
                        name.trim_start_matches('\u{feff}')
                    } else {
                        name
                    };
                    name.trim().to_string()
                })
                .collect()
        })
        .map_err(|e| ReadError::CsvHeader(e.to_string()))
}

/// One data row as a record of its non-empty cells (the first of two
/// columns with one name wins); a row with another field count than the
/// header's is an error.
fn row_record(
    header: &[String],
    record: &csv::StringRecord,
    row: usize,
) -> Result<Map<String, Value>, ReadError> {
    let line = record.position().map_or(0, |p| p.line());
    if record.len() != header.len() {
        return Err(ReadError::FieldCount {
            row,
            line,
            found: record.len(),
            expected: header.len(),
        });
    }
    let mut map = Map::new();
    for (name, value) in header.iter().zip(record.iter()) {
        if name.is_empty() || value.trim().is_empty() || map.contains_key(name) {
            continue;
        }
        map.insert(name.clone(), Value::String(value.to_string()));
    }
    Ok(map)
}
