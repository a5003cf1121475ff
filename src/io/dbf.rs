//! The raw text of a Shapefile's `.dbf` table, for what GDAL's reading hides: a number field
//! whose text is not a whole number (`4O20` read as 4, `6.395` in an integer field read as 6,
//! without a word), and text in UTF-8 while the `.cpg` declares a single-byte code page (every
//! accented letter becomes two, "CafÃ©").
//!
//! Hand-written because GDAL gives the parsed value only, and the `dbase` crate parses numbers
//! too; what is needed is the bytes of each cell. The dBASE III layout (a 32-byte header, one
//! 32-byte descriptor per field ending with 0x0D, fixed-width records each starting with a
//! deletion flag) is all that is read; every offset is checked against the file's length.

use std::path::{Path, PathBuf};

/// One field of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct DbfField {
    /// The field name as stored.
    pub name: String,
    /// The dBASE type: `N` and `F` numbers, `C` text, others.
    pub kind: u8,
    /// Offset of the field in a record (after the deletion flag).
    offset: usize,
    /// Width in bytes.
    len: usize,
}

/// A `.dbf` file in memory.
#[derive(Debug)]
pub struct Dbf {
    /// The fields in file order (GDAL's field order).
    pub fields: Vec<DbfField>,
    bytes: Vec<u8>,
    header_len: usize,
    record_len: usize,
    records: usize,
}

impl Dbf {
    /// Read the table next to a `.shp` (or the `.dbf` itself); `None` when there is none or it
    /// is not a dBASE table this reader understands (GDAL has read it; nothing is checked).
    pub fn beside(path: &Path) -> Option<Self> {
        let dbf = sidecar(path, "dbf")?;
        Self::parse(std::fs::read(dbf).ok()?)
    }

    /// A table from its bytes; `None` when they are not a dBASE table this reader understands.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        Self::parse(bytes)
    }

    fn parse(bytes: Vec<u8>) -> Option<Self> {
        if bytes.len() < 32 {
            return None;
        }
        let records = u32::from_le_bytes(bytes[4..8].try_into().ok()?) as usize;
        let header_len = u16::from_le_bytes(bytes[8..10].try_into().ok()?) as usize;
        let record_len = u16::from_le_bytes(bytes[10..12].try_into().ok()?) as usize;
        let mut fields = Vec::new();
        let mut offset = 1;
        let mut at = 32;
        while at + 32 <= header_len.min(bytes.len()) && bytes[at] != 0x0D {
            let d = &bytes[at..at + 32];
            let name_end = d[..11].iter().position(|b| *b == 0).unwrap_or(11);
            let len = d[16] as usize;
            fields.push(DbfField {
                name: String::from_utf8_lossy(&d[..name_end]).into_owned(),
                kind: d[11].to_ascii_uppercase(),
                offset,
                len,
            });
            offset += len;
            at += 32;
        }
        (offset <= record_len).then_some(Dbf {
            fields,
            bytes,
            header_len,
            record_len,
            records,
        })
    }

    /// The bytes of field `field` in record `record` (the feature id of a Shapefile feature),
    /// `None` beyond the table or the file.
    pub fn cell(&self, record: usize, field: usize) -> Option<&[u8]> {
        let f = self.fields.get(field)?;
        if record >= self.records {
            return None;
        }
        let start = self.header_len + record * self.record_len + f.offset;
        self.bytes.get(start..start + f.len)
    }
}

/// The file next to `path` with extension `ext` (also in upper case, as ArcGIS writes them).
pub fn sidecar(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_string(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

/// The code page a `.cpg` file declares, in upper case (`UTF-8`, `1252`, `ISO-8859-1`), when
/// there is one next to `path`.
pub fn declared_code_page(path: &Path) -> Option<String> {
    let cpg = sidecar(path, "cpg")?;
    let text = std::fs::read_to_string(cpg).ok()?;
    Some(text.trim().to_ascii_uppercase())
}

/// True when `cpg` names a single-byte code page (Windows-1252, Latin-1 and the like), in which
/// UTF-8's two-byte letters would be read as two characters.
pub fn single_byte(cpg: &str) -> bool {
    let c = cpg.replace(['-', '_', ' '], "");
    !c.contains("UTF8") && !c.contains("65001") && !c.is_empty()
}

/// The text of a number cell that is not a plain number: `Some(text)` for `4O20`, `*****`
/// (dBASE's overflow) or `4.020,5`; `None` for a number (`  4020`, `6.395`, `-1.5e3`) or an
/// empty cell.
pub fn not_a_plain_number(cell: &[u8]) -> Option<String> {
    let t = String::from_utf8_lossy(cell);
    let t = t.trim().trim_matches('\0').trim();
    if t.is_empty() || t.parse::<f64>().is_ok_and(f64::is_finite) {
        return None;
    }
    Some(t.to_string())
}

/// The number a number cell holds, read from its text (GDAL truncates `6.395` in an integer
/// field to 6); `None` for an empty cell or text that is not a plain number.
pub fn cell_number(cell: &[u8]) -> Option<f64> {
    let t = String::from_utf8_lossy(cell);
    t.trim()
        .trim_matches('\0')
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// True when a text cell holds UTF-8 with at least one letter outside ASCII: in a file whose
/// `.cpg` says 1252 that is mojibake in waiting (C3 A9 is "é" in UTF-8, "Ã©" in 1252, and
/// real 1252 text almost never forms valid multi-byte UTF-8).
pub fn utf8_beyond_ascii(cell: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(cell).ok()?;
    (!s.is_ascii()).then(|| s.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table with a numeric field `pop` (N, 6) and a text field `name` (C, 8).
    fn table(rows: &[(&str, &[u8])]) -> Dbf {
        let mut b = vec![0u8; 32];
        b[0] = 3;
        b[4..8].copy_from_slice(&(rows.len() as u32).to_le_bytes());
        let header_len = 32 + 2 * 32 + 1;
        b[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
        b[10..12].copy_from_slice(&(1u16 + 6 + 8).to_le_bytes());
        for (name, kind, len) in [("pop", b'N', 6u8), ("name", b'C', 8)] {
            let mut d = [0u8; 32];
            d[..name.len()].copy_from_slice(name.as_bytes());
            d[11] = kind;
            d[16] = len;
            b.extend_from_slice(&d);
        }
        b.push(0x0D);
        for (pop, name) in rows {
            b.push(b' ');
            b.extend_from_slice(format!("{pop:>6}").as_bytes());
            let mut n = name.to_vec();
            n.resize(8, b' ');
            b.extend_from_slice(&n);
        }
        Dbf::parse(b).unwrap()
    }

    #[test]
    fn cells_are_read_as_stored() {
        let t = table(&[("4O20", b"Noord"), ("6.395", "Café".as_bytes())]);
        assert_eq!(t.fields[0].name, "pop");
        assert_eq!(t.fields[1].kind, b'C');
        assert_eq!(
            not_a_plain_number(t.cell(0, 0).unwrap()),
            Some("4O20".into())
        );
        assert_eq!(not_a_plain_number(t.cell(1, 0).unwrap()), None);
        assert_eq!(cell_number(t.cell(1, 0).unwrap()), Some(6.395));
        assert_eq!(utf8_beyond_ascii(t.cell(0, 1).unwrap()), None);
        assert_eq!(
            utf8_beyond_ascii(t.cell(1, 1).unwrap()),
            Some("Café".into())
        );
        // Latin-1 "é" alone is not UTF-8.
        assert_eq!(utf8_beyond_ascii(b"Caf\xe9    "), None);
        assert_eq!(t.cell(2, 0), None);
    }

    #[test]
    fn code_pages() {
        assert!(single_byte("1252"));
        assert!(single_byte("ISO-8859-1"));
        assert!(!single_byte("UTF-8"));
        assert!(!single_byte("utf8".to_ascii_uppercase().as_str()));
        assert!(!single_byte("65001"));
    }
}
