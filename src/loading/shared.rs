//! A share link's fragment turned into a run.
//!
//! Pure: the browser side (`crate::loader::shared`) reads the fragment from the page's URL.

use crate::runs::{LoadError, Run, Source};

/// What a share link's errors are named after.
pub const WHAT: &str = "shared link";

/// The run a share link's fragment (with or without `#`) carries; the error says what is
/// wrong with the link or with the archive in it.
pub fn open(fragment: &str) -> Result<Run, LoadError> {
    let text = crate::share::decode(fragment).map_err(|e| LoadError {
        what: WHAT.into(),
        message: e.to_string(),
    })?;
    Run::from_bytes(text.as_bytes(), Source::Shared, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_its_archive_as_shared() {
        let text = "## Summary\n- run_id: s1\n";
        let frag = crate::share::encode(text);
        for f in [frag.clone(), format!("#{frag}")] {
            let run = open(&f).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(run.source, Source::Shared);
            assert_eq!(run.run_id(), "s1");
            assert!(run.key.starts_with("shared@"), "{}", run.key);
            assert_eq!(&*run.text, text);
        }
    }

    #[test]
    fn broken_links_and_non_archives_are_named_as_the_link() {
        assert_eq!(Source::Shared.describe(), WHAT);
        let e = open("#nothing-here").err();
        assert!(e.is_some_and(|e| e.what == WHAT && !e.message.is_empty()));
        let frag = crate::share::encode("just prose\n");
        let e = open(&frag).err();
        assert!(
            e.is_some_and(|e| e.what == WHAT && e.message.starts_with("not an experiment archive"))
        );
    }
}
