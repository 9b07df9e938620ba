//! Turning the bytes of a file into archive text, with a precise reason when they are not
//! one (binary, not UTF-8, empty).
//!
//! Pure: takes bytes, does no I/O. Shared by the CLI and the browser so both say the same.

use std::fmt;

/// Why a file's bytes are not archive text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// Zero bytes, or only white space.
    Empty,
    /// A NUL byte: an image, an event file, an archive of another kind.
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// Not valid UTF-8.
    NotUtf8 {
        /// Offset of the first byte that is not valid UTF-8.
        offset: usize,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => write!(f, "the file is empty"),
            InputError::Binary { offset } => write!(
                f,
                "this is a binary file (NUL byte at offset {offset}), not a Markdown archive"
            ),
            InputError::NotUtf8 { offset } => write!(
                f,
                "the file is not valid UTF-8 text (first bad byte at offset {offset})"
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Most bytes of an archive that are read. Real archives are kilobytes to a few megabytes
/// (a 100,000-line one is 3.6 MB); a bigger file is read up to here, so a 1 GB file dropped
/// by mistake neither fills the browser's memory nor freezes the page.
pub const MAX_ARCHIVE_BYTES: usize = 16_000_000;

/// The part of a file that is read as its archive: all of `bytes`, or, when the file (of
/// `total` bytes; `bytes` may be only its head) is bigger than [`MAX_ARCHIVE_BYTES`], up to
/// the last line end before the limit, with a note that says so.
pub fn archive_head(bytes: &[u8], total: u64) -> (&[u8], Option<String>) {
    let total = total.max(bytes.len() as u64);
    if total <= MAX_ARCHIVE_BYTES as u64 {
        return (bytes, None);
    }
    let limit = bytes.len().min(MAX_ARCHIVE_BYTES);
    let cut = match bytes[..limit].iter().rposition(|&b| b == b'\n') {
        Some(nl) => nl + 1,
        // One huge line: cut where a UTF-8 character starts.
        None => (0..=limit)
            .rev()
            .find(|&i| i == 0 || i == bytes.len() || (bytes[i] & 0xc0) != 0x80)
            .unwrap_or(0),
    };
    let head = &bytes[..cut];
    let lines = head.iter().filter(|&&b| b == b'\n').count();
    let note = format!(
        "the file is {}, more than the {} an archive is read up to: its first {} ({lines} lines) were read, the rest was not",
        crate::format::bytes(total),
        crate::format::bytes(MAX_ARCHIVE_BYTES as u64),
        crate::format::bytes(cut as u64),
    );
    (head, Some(note))
}

/// Checks that `bytes` are archive text and returns them as `&str`.
pub fn decode(bytes: &[u8]) -> Result<&str, InputError> {
    if let Some(offset) = bytes.iter().take(1 << 16).position(|&b| b == 0) {
        return Err(InputError::Binary { offset });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| InputError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_bad_input_is_named() {
        assert_eq!(decode(b""), Err(InputError::Empty));
        assert_eq!(decode(b" \n\t"), Err(InputError::Empty));
        assert_eq!(decode(b"ab\0cd"), Err(InputError::Binary { offset: 2 }));
        assert_eq!(decode(b"ok\xff"), Err(InputError::NotUtf8 { offset: 2 }));
        assert_eq!(decode("## Summary".as_bytes()), Ok("## Summary"));
    }

    #[test]
    fn a_file_past_the_limit_is_read_to_its_last_whole_line() {
        let small = b"## Summary\n- run_id: x\n";
        assert_eq!(archive_head(small, small.len() as u64), (&small[..], None));
        let line = "- note: é and more text\n";
        let mut big = String::from("## Summary\n");
        while big.len() <= MAX_ARCHIVE_BYTES + 100 {
            big.push_str(line);
        }
        let (head, note) = archive_head(big.as_bytes(), 1 << 30);
        assert!(head.len() <= MAX_ARCHIVE_BYTES && head.len() > MAX_ARCHIVE_BYTES - line.len());
        assert!(head.ends_with(b"\n"));
        let note = note.expect("a note");
        assert!(
            note.contains("1.0 GB") || note.contains("1 GB") || note.contains("1.00 GB"),
            "{note}"
        );
        let lines = head.iter().filter(|&&b| b == b'\n').count();
        assert!(note.contains(&format!("({lines} lines)")), "{note}");
        // One huge line: cut at a character boundary, so the head is still UTF-8.
        let one = "é".repeat(MAX_ARCHIVE_BYTES);
        let (head, _) = archive_head(one.as_bytes(), one.len() as u64);
        assert!(std::str::from_utf8(head).is_ok());
        assert!(head.len() >= MAX_ARCHIVE_BYTES - 1);
    }
}
