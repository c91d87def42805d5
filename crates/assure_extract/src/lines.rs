//! Reading an extract's lines fast: a thread fills large blocks while this one finds each line's
//! commas eight bytes at a time, with lines that straddle two blocks joined.

use std::io::{self, Read};

use crate::{ExtractError, MAX_LINE, Unsorted};

const BLOCK: usize = 8 << 20;

/// Where a line's fields are: the line's bounds and up to seven commas, and whether it has a quote.
pub(crate) struct Line {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) commas: [usize; 7],
    pub(crate) count: usize,
    pub(crate) quoted: bool,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that equals `byte`, exactly (no false positives).
#[inline]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & !HIGHS).wrapping_add(!HIGHS)) | x) & HIGHS
}

/// Finds the delimiters of every complete line in `buf` eight bytes at a time, calling `each`
/// per line. Returns how many bytes the complete lines took.
fn scan<E>(buf: &[u8], mut each: impl FnMut(&Line) -> Result<(), E>) -> Result<usize, E> {
    let mut line = Line { start: 0, end: 0, commas: [0; 7], count: 0, quoted: false };
    let mut delimiter = |at: usize, b: u8, line: &mut Line| -> Result<(), E> {
        match b {
            b',' => {
                if line.count < 7 {
                    line.commas[line.count] = at;
                }
                line.count += 1;
            }
            b'"' => line.quoted = true,
            _ => {
                line.end = at;
                each(line)?;
                *line = Line { start: at + 1, end: 0, commas: [0; 7], count: 0, quoted: false };
            }
        }
        Ok(())
    };
    let mut i = 0;
    while i + 8 <= buf.len() {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(&buf[i..i + 8]);
        let word = u64::from_le_bytes(chunk);
        let mut found = bytes_equal(word, b',') | bytes_equal(word, b'\n') | bytes_equal(word, b'"');
        while found != 0 {
            let at = i + (found.trailing_zeros() / 8) as usize;
            delimiter(at, buf[at], &mut line)?;
            found &= found - 1;
        }
        i += 8;
    }
    for (at, &b) in buf.iter().enumerate().skip(i) {
        if matches!(b, b',' | b'\n' | b'"') {
            delimiter(at, b, &mut line)?;
        }
    }
    Ok(line.start)
}

/// Calls `each` with every line (its bytes, without the line ending, and where its commas
/// are) and its row number. A third thread reads the file in large blocks while this one
/// scans them, so that copying from the operating system overlaps the work. Returns how many
/// rows there were.
pub(crate) fn read_lines(
    reader: impl Read + Send,
    mut each: impl FnMut(u64, &[u8], &Line) -> Result<Result<(), Unsorted>, ExtractError>,
) -> Result<Result<u64, Unsorted>, ExtractError> {
    let (to_scanner, blocks) = std::sync::mpsc::sync_channel::<io::Result<(Vec<u8>, usize)>>(2);
    let (give_back, returned) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        scope.spawn(move || fill_blocks(reader, &to_scanner, &returned));

        let mut row: u64 = 0;
        let mut unsorted = None;
        // The start of a line that ran past the end of the last block.
        let mut carry: Vec<u8> = Vec::new();
        let mut handle = |buf: &[u8], row: &mut u64, unsorted: &mut Option<Unsorted>| {
            scan(buf, |line| {
                *row += 1;
                let mut bytes = &buf[line.start..line.end];
                if bytes.last() == Some(&b'\r') {
                    bytes = &bytes[..bytes.len() - 1];
                }
                match each(*row, bytes, line)? {
                    Ok(()) => Ok(()),
                    Err(u) => {
                        *unsorted = Some(u);
                        // Stop scanning: the caller starts again in any-order mode.
                        Err(ExtractError::Io(io::Error::other("unsorted")))
                    }
                }
            })
        };
        let finish = |result: Result<usize, ExtractError>, unsorted: &mut Option<Unsorted>| match result {
            Ok(consumed) => Ok(consumed),
            Err(e) => Err(match unsorted.take() {
                Some(u) => Ok(u),
                None => Err(e),
            }),
        };
        for message in blocks {
            let (block, filled) = message?;
            if filled == 0 {
                break;
            }
            let data = &block[..filled];
            let mut from = 0;
            if !carry.is_empty() {
                // Complete the carried line with this block's first line, or carry on.
                match memchr::memchr(b'\n', data) {
                    Some(nl) => {
                        carry.extend_from_slice(&data[..=nl]);
                        let joined = std::mem::take(&mut carry);
                        match finish(handle(&joined, &mut row, &mut unsorted), &mut unsorted) {
                            Ok(_) => {}
                            Err(Ok(u)) => return Ok(Err(u)),
                            Err(Err(e)) => return Err(e),
                        }
                        from = nl + 1;
                    }
                    None => {
                        carry.extend_from_slice(data);
                        let _ = give_back.send(block);
                        if carry.len() > MAX_LINE {
                            return Err(line_too_long(row + 1));
                        }
                        continue;
                    }
                }
            }
            match finish(handle(&data[from..], &mut row, &mut unsorted), &mut unsorted) {
                Ok(consumed) => {
                    carry.extend_from_slice(&data[from + consumed..]);
                    if carry.len() > MAX_LINE {
                        return Err(line_too_long(row + 1));
                    }
                }
                Err(Ok(u)) => return Ok(Err(u)),
                Err(Err(e)) => return Err(e),
            }
            let _ = give_back.send(block);
        }
        if !carry.is_empty() {
            // The last line has no line ending: give it one.
            carry.push(b'\n');
            match finish(handle(&carry, &mut row, &mut unsorted), &mut unsorted) {
                Ok(_) => {}
                Err(Ok(u)) => return Ok(Err(u)),
                Err(Err(e)) => return Err(e),
            }
        }
        Ok(Ok(row))
    })
}

/// The reading thread: fills blocks from `reader` (four go round: two queued, one being scanned,
/// one being filled) and sends each on, full or at the end, until the end or an error.
fn fill_blocks(
    mut reader: impl Read,
    to_scanner: &std::sync::mpsc::SyncSender<io::Result<(Vec<u8>, usize)>>,
    returned: &std::sync::mpsc::Receiver<Vec<u8>>,
) {
    let mut made = 0;
    loop {
        let mut block = match returned.try_recv() {
            Ok(block) => block,
            Err(_) if made < 4 => {
                made += 1;
                vec![0u8; BLOCK]
            }
            Err(_) => match returned.recv() {
                Ok(block) => block,
                Err(_) => return,
            },
        };
        let mut filled = 0;
        // Fill the block (or reach the end), so that blocks stay large.
        let outcome = loop {
            match reader.read(&mut block[filled..]) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    filled += n;
                    if filled == block.len() {
                        break Ok(());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        let last = filled == 0;
        let message = outcome.map(|()| (block, filled));
        let failed = message.is_err();
        if to_scanner.send(message).is_err() || last || failed {
            return;
        }
    }
}

pub(crate) fn line_too_long(row: u64) -> ExtractError {
    ExtractError::Row {
        row,
        column: None,
        message: format!("the line is longer than {} KB: an extract has one contact per line", MAX_LINE / 1024),
    }
}
