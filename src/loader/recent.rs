//! Remembered runs in browser storage: dropped, picked, pasted and shared archives listed
//! again on the next visit. `crate::loading::recent` decides what is kept.

use std::rc::Rc;

use super::dispatch::Dispatch;
use crate::loading::recent::Remembered;
use crate::loading::recent::{decode, encode, entry_for, reopen, with_entry, STORAGE_KEY};
use crate::runs::Run;
use crate::state::Action;

/// The page's local storage, when the browser allows it.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn recent_list() -> Vec<Remembered> {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    decode(stored.as_deref())
}

/// Remembers a dropped, picked, pasted or shared archive (newest first, within the size
/// cap). Best effort: the run is open either way, so a full or refused storage is not an
/// alert.
pub fn remember(run: &Run) {
    let Some(entry) = entry_for(run) else {
        return;
    };
    let list = with_entry(recent_list(), entry);
    if let (Some(s), Ok(text)) = (storage(), encode(&list)) {
        let _ = s.set_item(STORAGE_KEY, &text);
    }
}

/// How many archives are remembered.
pub fn recent_count() -> usize {
    recent_list().len()
}

/// Forgets every remembered archive.
pub fn forget_recent() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
    super::kept_files::forget();
}

/// Lists the remembered archives again (without opening them). An entry that no longer
/// reads as an archive is left out silently: it was one when it was stored.
pub fn load_recent(dispatch: &Dispatch) {
    for run in reopen(&recent_list()).into_iter().flatten() {
        let key = run.key.clone();
        dispatch.dispatch(Action::Loaded {
            run: Rc::new(run),
            open: false,
        });
        // The files that came with it, when this browser kept them.
        super::kept_files::restore(key, dispatch.clone());
    }
}
