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
}
