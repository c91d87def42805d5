//! Person ids as exact 64-bit keys, so that millions of them fit in memory without their text.
//!
//! Three disjoint forms, told apart by the top byte: short ASCII ids packed whole; a letter (or
//! none) followed by up to 14 digits packed as letter, digit count and number (the common
//! `P00001234` shape); anything else numbered in order of first appearance. Two different ids
//! never share a key, and the ids themselves are not kept beyond the intern table of the third form.

use rustc_hash::FxHashMap;

#[derive(Default)]
pub struct PersonKeys {
    interned: FxHashMap<Box<[u8]>, u64>,
}

const INTERNED: u64 = 0xC0 << 56;

impl PersonKeys {
    pub fn key(&mut self, id: &[u8]) -> u64 {
        if let Some(k) = pattern(id) {
            return k;
        }
        if id.len() <= 7 && id.is_ascii() {
            let mut k = (id.len() as u64) << 56;
            for (i, b) in id.iter().enumerate() {
                k |= u64::from(*b) << (8 * (6 - i));
            }
            return k;
        }
        let next = INTERNED | self.interned.len() as u64;
        *self.interned.entry(id.into()).or_insert(next)
    }
}

/// A letter (or none) and 1 to 14 digits: top byte 0x80 | digit count, then the letter (7 bits
/// from bit 47), then the number (below 10^14, so under 47 bits).
fn pattern(id: &[u8]) -> Option<u64> {
    let (letter, digits) = match id.first()? {
        b if b.is_ascii_alphabetic() => (u64::from(*b), &id[1..]),
        _ => (0, id),
    };
    if digits.is_empty() || digits.len() > 14 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = digits.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    Some(((0x80 | digits.len() as u64) << 56) | (letter << 47) | number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn different_ids_never_share_a_key() {
        let mut keys = PersonKeys::default();
        let ids: Vec<&[u8]> = vec![
            b"P00001234",
            b"P0001234",
            b"Q00001234",
            b"00001234",
            b"1234",
            b"P1",
            b"p1",
            b"abc",
            b"abc\xff",
            b"a-very-long-person-identifier",
            b"a-very-long-person-identifier-2",
            b"P99999999999999",
            b"P100000000000000",
            b"P999999999999999",
        ];
        let mut seen: HashMap<u64, &[u8]> = HashMap::new();
        for id in &ids {
            let k = keys.key(id);
            if let Some(other) = seen.insert(k, id) {
                panic!("{:?} and {:?} share a key", String::from_utf8_lossy(id), String::from_utf8_lossy(other));
            }
            assert_eq!(keys.key(id), k, "stable");
        }
    }

    proptest::proptest! {
        #[test]
        fn keys_are_exact(a in proptest::collection::vec(proptest::num::u8::ANY, 1..20), b in proptest::collection::vec(proptest::num::u8::ANY, 1..20)) {
            let mut keys = PersonKeys::default();
            proptest::prop_assert_eq!(keys.key(&a) == keys.key(&b), a == b);
        }
    }
}
