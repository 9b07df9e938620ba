//! Reading a big file a slice at a time: where the slices fall, when the page gets a turn to
//! paint, and when progress is worth reporting.
//!
//! Pure: the browser side (`crate::loader::curves`, `crate::loader::fetch`) reads the bytes.

use std::ops::Range;

/// Bytes per slice: big enough to read fast, small enough to keep the page responsive.
pub const SLICE: u64 = 4 << 20;

/// The byte ranges that read `total` bytes `slice` bytes at a time, in order; the last may be
/// shorter. A zero `slice` is read one byte at a time rather than never.
pub fn slices(total: u64, slice: u64) -> impl Iterator<Item = Range<u64>> {
    let step = slice.max(1);
    (0..total.div_ceil(step)).map(move |i| i * step..((i + 1) * step).min(total))
}

/// Says when a position has moved `every` bytes or more past the last time it said so: when
/// to yield to the page while a body arrives, and when to report progress.
#[derive(Debug, Clone)]
pub struct Pacer {
    every: u64,
    last: u64,
}

impl Pacer {
    /// A pacer starting at byte 0.
    pub fn new(every: u64) -> Pacer {
        Pacer { every, last: 0 }
    }

    /// True when `at` is `every` bytes or more past the last true; then counts from `at`.
    pub fn due(&mut self, at: u64) -> bool {
        if at.saturating_sub(self.last) >= self.every {
            self.last = at;
            true
        } else {
            false
        }
    }
}

/// Progress of a download whose length may be declared: reported every slice and once the
/// declared length is reached, so the bar neither floods the store nor stops short of full.
#[derive(Debug, Clone)]
pub struct DownloadProgress {
    pacer: Pacer,
}

impl DownloadProgress {
    /// Progress reported every `every` bytes.
    pub fn new(every: u64) -> DownloadProgress {
        DownloadProgress {
            pacer: Pacer::new(every),
        }
    }

    /// After `read` bytes of a body `declared` long: `Some((read, total))` to report, where
    /// `total` is never below `read` (0 and growing when nothing was declared).
    pub fn update(&mut self, read: u64, declared: Option<u64>) -> Option<(u64, u64)> {
        let due = self.pacer.due(read);
        if due || declared == Some(read) {
            self.pacer.last = read;
            Some((read, declared.unwrap_or(0).max(read)))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_cover_the_file_once_in_order() {
        let s: Vec<_> = slices(10, 4).collect();
        assert_eq!(s, vec![0..4, 4..8, 8..10]);
        assert_eq!(slices(8, 4).collect::<Vec<_>>(), vec![0..4, 4..8]);
        assert_eq!(slices(0, 4).count(), 0);
        assert_eq!(slices(3, 0).collect::<Vec<_>>(), vec![0..1, 1..2, 2..3]);
        let big = 3 * SLICE + 1;
        let s: Vec<_> = slices(big, SLICE).collect();
        assert_eq!(s.len(), 4);
        assert_eq!(s.last(), Some(&(3 * SLICE..big)));
        assert!(s.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn pacer_fires_once_per_stride() {
        let mut p = Pacer::new(10);
        assert!(!p.due(0));
        assert!(!p.due(9));
        assert!(p.due(10));
        assert!(!p.due(19));
        assert!(p.due(25));
        assert!(!p.due(34));
        assert!(p.due(35));
    }

    #[test]
    fn download_progress_reports_each_slice_and_the_end() {
        let mut p = DownloadProgress::new(10);
        assert_eq!(p.update(4, Some(23)), None);
        assert_eq!(p.update(12, Some(23)), Some((12, 23)));
        assert_eq!(p.update(20, Some(23)), None);
        // The last piece of a declared body is reported even short of a slice.
        assert_eq!(p.update(23, Some(23)), Some((23, 23)));
    }

    #[test]
    fn download_progress_without_a_length_grows_its_total() {
        let mut p = DownloadProgress::new(10);
        assert_eq!(p.update(15, None), Some((15, 15)));
        assert_eq!(p.update(20, None), None);
        assert_eq!(p.update(25, None), Some((25, 25)));
        // A server that declared too little: the total follows what arrived.
        let mut p = DownloadProgress::new(10);
        assert_eq!(p.update(30, Some(5)), Some((30, 30)));
    }
}
