//! CSV and TSV files as records, streamed one row at a time.

use std::io::Read;

use serde_json::{Map, Value};

use crate::ingest::error::ReadError;

/// Streams the records of a CSV (`b','`) or TSV (`b'\t'`) file.
///
/// The first row names the fields. Each item is the file line (from 1,
/// the header being line 1, and a quoted field that spans lines counting
/// each of them) where the row starts, and the row as a record of strings
/// (empty cells are left out, so the common names can fall through to the
/// next one). A row whose field count differs from the header's is an `Err`
/// giving both counts; reading goes on. An unreadable or empty header is one
/// `Err` for line 0, and an I/O error ends the stream. Only one row is held
/// at a time.
///
/// With a `map`, a header that lacks a column the map names explicitly is
/// one `Err` for line 0 ([`ReadError::MappedColumnMissing`]) and nothing else.
pub fn csv_records<R: Read>(
    reader: R,
    delimiter: u8,
    map: Option<&super::FieldMap>,
) -> impl Iterator<Item = (usize, Result<Map<String, Value>, ReadError>)> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header = header_names(&mut csv).and_then(|h| match map {
        Some(map) if !h.iter().all(String::is_empty) => map.check_columns(&h).map(|()| h),
        _ => Ok(h),
    });
    let mut record = csv::StringRecord::new();
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
                let line = record.position().map_or(0, |p| p.line() as usize);
                Some((line, row_record(header, &record)))
            }
            Err(e) => {
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    done = true;
                }
                let line = e.position().map_or(0, |p| p.line() as usize);
                Some((line, Err(ReadError::BadRow(row_message(&e)))))
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
) -> Result<Map<String, Value>, ReadError> {
    if record.len() != header.len() {
        return Err(ReadError::FieldCount {
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

/// What the csv crate says about a row, without its own record and line
/// numbers (the skip line starts with the file line).
fn row_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not valid UTF-8 (first bad byte at offset {})",
            err.field() + 1,
            err.valid_up_to()
        ),
        _ => e.to_string(),
    }
}
