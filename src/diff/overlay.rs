//! Which series of two curve files an overlay draws against each other.
//!
//! Pure.

use crate::ingest::loss_tag_index;

/// The series of each file to overlay: the same tag when both files have it (the loss
/// first, by the core's rule), else each file's own loss (a TensorBoard `lm_loss` against a
/// CSV export named after its file).
pub fn matched_series(tags_a: &[String], tags_b: &[String]) -> (usize, usize) {
    let shared: Vec<String> = tags_a
        .iter()
        .filter(|t| tags_b.contains(t))
        .cloned()
        .collect();
    match shared.get(loss_tag_index(&shared)) {
        Some(tag) => (
            tags_a.iter().position(|t| t == tag).unwrap_or(0),
            tags_b.iter().position(|t| t == tag).unwrap_or(0),
        ),
        None => (loss_tag_index(tags_a), loss_tag_index(tags_b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_loss_tag_else_each_files_loss() {
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let a = s(&["learning-rate", "lm_loss"]);
        assert_eq!(matched_series(&a, &s(&["lm_loss", "grad-norm"])), (1, 0));
        assert_eq!(matched_series(&a, &s(&["sft_lm_loss"])), (1, 0));
    }
}
