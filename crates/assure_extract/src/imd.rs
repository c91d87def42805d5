//! The IMD 2019 decile of each English LSOA, embedded (see `data/README.md`).

use std::io::Read;
use std::sync::OnceLock;

const DATA: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/imd2019_deciles.csv.gz"));
/// LSOA codes run from E01000001 to E01033768.
const MAX: usize = 34_000;

/// Decile by the LSOA code's number (E01xxxxxx); 0 where there is no such LSOA.
pub fn table() -> &'static [u8] {
    static TABLE: OnceLock<Vec<u8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut text = String::new();
        // The embedded file is checked by a test; a failure here would be a build defect.
        let _ = flate2::read::GzDecoder::new(DATA).read_to_string(&mut text);
        let mut table = vec![0u8; MAX];
        for line in text.lines().skip(1) {
            if let Some((code, decile)) = line.split_once(',')
                && let (Some(n), Ok(d)) = (number(code.as_bytes()), decile.parse::<u8>())
            {
                table[n] = d;
            }
        }
        table
    })
}

fn number(code: &[u8]) -> Option<usize> {
    lsoa_number(code).map(|n| n as usize)
}

/// The number of an English LSOA code (`E01` and six digits) within the table's range.
pub fn lsoa_number(code: &[u8]) -> Option<u32> {
    if code.len() != 9 || &code[..3] != b"E01" || !code[3..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = code[3..].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    ((n as usize) < MAX).then_some(n)
}

/// The IMD 2019 decile (1 = most deprived) of an LSOA code; 0 when it is not an English LSOA.
pub fn decile(code: &[u8]) -> u8 {
    number(code).map(|n| table()[n]).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lsoa_has_its_decile() {
        assert_eq!(decile(b"E01000001"), 9);
        assert_eq!(decile(b"E01033768"), 1);
        assert_eq!(table().iter().filter(|d| **d > 0).count(), 32_844);
        assert_eq!(decile(b"W01000001"), 0);
        assert_eq!(decile(b"E0100000"), 0);
        assert_eq!(decile(b""), 0);
    }
}
