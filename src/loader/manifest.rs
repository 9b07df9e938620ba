//! Hosted runs: a manifest fetched and listed (its archives fetched too when it is small;
//! the shards a top manifest lists fetched a few at once), and single hosted archives
//! fetched and parsed. `crate::loading::manifest` decides what is fetched and in which order.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;

use super::deliver::report_cut;
use super::dispatch::Dispatch;
use super::fetch::{fetch_archive, fetch_bytes, prefetch, EarlyWork};
use crate::loading::fetch::is_not_found;
use crate::loading::manifest::{
    fetch_plan, read, shard_plan, HostedFetch, ShardFetch, SHARDS_AT_ONCE,
};
use crate::runs::{LoadError, Manifest, Run, Source};
use crate::shell::frames::first_screen;
use crate::state::Action;

/// A performance mark, for the start-up timings the browser tests read.
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// What reading the manifest before the app was mounted ([`prefetch_manifest`]) gave.
enum Early {
    /// Fetched and read.
    Read(Result<Manifest, LoadError>),
    /// Fetched, not read: too big to read before the app is mounted.
    Bytes(Vec<u8>),
    /// The fetch failed.
    Failed(LoadError),
}

thread_local! {
    /// The manifest [`prefetch_manifest`] reads, by its URL, until [`load_manifest`] takes it.
    static EARLY: RefCell<Option<(String, EarlyWork<Early>)>> = const { RefCell::new(None) };
}

/// The run the page opens first (the manifest's first), read and parsed before the app was
/// mounted, with the manifest that lists it: the app's first frame shows it
/// ([`take_seed`]) instead of a bare page that the run replaces a frame or two later.
pub struct Seed {
    /// The manifest's URL.
    pub base: String,
    /// The manifest.
    pub manifest: Manifest,
    /// The run's archive URL.
    pub archive: String,
    /// The run.
    pub run: Rc<Run>,
}

impl Seed {
    /// What the store is told of it: the manifest's runs listed, the run loaded.
    pub fn actions(&self) -> [Action; 2] {
        [
            Action::Manifest {
                base: self.base.clone(),
                manifest: self.manifest.clone(),
            },
            Action::Loaded {
                run: self.run.clone(),
                open: false,
            },
        ]
    }
}

thread_local! {
    /// The seed, until the app's first frame ([`take_seed`]) or [`load_manifest`] takes it.
    static SEED: RefCell<Option<Seed>> = const { RefCell::new(None) };
    /// The seed the first frame took: [`load_manifest`] neither lists its manifest again nor
    /// fetches its run.
    static SEEDED: RefCell<Option<Seed>> = const { RefCell::new(None) };
}

/// The seed, if it was read before the app is mounted; the app's first state is built from
/// its [`Seed::actions`].
pub fn take_seed() -> Option<[Action; 2]> {
    let seed = SEED.with(|s| s.borrow_mut().take())?;
    let actions = seed.actions();
    SEEDED.with(|s| *s.borrow_mut() = Some(seed));
    Some(actions)
}

/// A manifest larger than this is not read before the app is mounted: it lists more runs than
/// are fetched whole ([`crate::loading::manifest::FETCH_ALL_UP_TO`]), and reading it would
/// hold the app's first frame back.
const EARLY_MAX_BYTES: usize = 512 * 1024;

/// Reads the manifest at `url` before the app is mounted and requests the archives the app
/// will fetch from it (a small manifest's), so that they are on their way while the app draws
/// its first frame, and, when `read_first` (the address names no run or view), fetches and
/// parses the first of them (the run the page then opens): the [`Seed`] the app's first
/// state is built from. [`load_manifest`] then takes what it gave (the manifest is fetched
/// and read once, the seed's run not fetched again) and the archives' loads take their
/// requests ([`prefetch`]). The promise resolves once that is done, whether or
/// not it could be.
pub fn prefetch_manifest(url: &str, read_first: bool) -> js_sys::Promise {
    prefetch(url);
    let at = url.to_string();
    let work = EarlyWork::start(async move {
        match fetch_bytes(&at).await {
            Err(e) => Early::Failed(e),
            Ok(bytes) if bytes.len() > EARLY_MAX_BYTES => Early::Bytes(bytes),
            Ok(bytes) => {
                let manifest = read(&at, &bytes);
                let plan = manifest
                    .as_ref()
                    .map(|m| fetch_plan(&at, m))
                    .unwrap_or_default();
                for f in &plan {
                    prefetch(&f.archive);
                }
                // The first run listed is the one the page opens when the address names
                // none (`read_first`): it is read before the app is mounted. A page opened
                // on another run does not wait for it.
                if let (Some(first), Ok(m)) = (plan.first().filter(|_| read_first), &manifest) {
                    let run = fetch_archive(&first.archive)
                        .await
                        .and_then(|(bytes, total)| {
                            parse_hosted(&first.archive, &first.files, &bytes, total)
                        });
                    // One that cannot be read is fetched again by the app's own load of it,
                    // which names what is wrong.
                    if let Ok(run) = run {
                        SEED.with(|s| {
                            *s.borrow_mut() = Some(Seed {
                                base: at.clone(),
                                manifest: m.clone(),
                                archive: first.archive.clone(),
                                run: Rc::new(run),
                            })
                        });
                    }
                }
                Early::Read(manifest)
            }
        }
    });
    let promise = work.promise();
    EARLY.with(|e| *e.borrow_mut() = Some((url.to_string(), work)));
    promise
}

/// The manifest at `url` as [`prefetch_manifest`] read it, if it read that one; taken once.
async fn early_manifest(url: &str) -> Option<Early> {
    let work = EARLY.with(|e| {
        let mut e = e.borrow_mut();
        match e.take() {
            Some((u, w)) if u == url => Some(w),
            other => {
                *e = other;
                None
            }
        }
    })?;
    work.take().await
}

/// Loads the manifest at `url` and lists its runs; a small manifest's archives are fetched
/// too, and a top manifest's shards (the one whose key is `first_shard` first).
/// `quiet_404` says nothing when there is no manifest (the default one is optional). Unless
/// the page opens the first listed run (`opens_first`), the archives are parsed once the run
/// it opens is on screen.
pub fn load_manifest(
    url: String,
    first_shard: Option<String>,
    dispatch: Dispatch,
    quiet_404: bool,
    opens_first: bool,
) {
    dispatch.dispatch(Action::Started);
    spawn_local(async move {
        let early = early_manifest(&url).await;
        // A manifest read before the mount had its archives requested then.
        let requested = matches!(early, Some(Early::Read(_)));
        let manifest = match early {
            Some(Early::Read(m)) => {
                mark("runlens:manifest-fetched");
                m
            }
            Some(Early::Bytes(bytes)) => {
                mark("runlens:manifest-fetched");
                read(&url, &bytes)
            }
            Some(Early::Failed(e)) => Err(e),
            None => {
                let fetched = fetch_bytes(&url).await;
                mark("runlens:manifest-fetched");
                fetched.and_then(|bytes| read(&url, &bytes))
            }
        };
        match manifest {
            Ok(manifest) => {
                mark("runlens:manifest-parsed");
                let plan = fetch_plan(&url, &manifest);
                // The first run, read before the mount: in the store since its first frame
                // (then the manifest is listed already), or told now.
                let taken = SEEDED
                    .with(|s| s.borrow_mut().take())
                    .map(|seed| (seed, true));
                let seed = taken
                    .or_else(|| {
                        SEED.with(|s| s.borrow_mut().take())
                            .map(|seed| (seed, false))
                    })
                    .filter(|(seed, _)| seed.base == url);
                // The archives' requests go out before the list is drawn (Yew renders the
                // runs list as the manifest is dispatched), when they were not already sent
                // before the app was mounted: the first run paints sooner.
                if !requested {
                    for f in &plan {
                        prefetch(&f.archive);
                    }
                }
                let shards = shard_plan(&url, &manifest.shards, first_shard.as_deref());
                match &seed {
                    Some((seed, true)) => report_cut(&seed.run, &dispatch),
                    Some((seed, false)) => {
                        for action in seed.actions() {
                            dispatch.dispatch(action);
                        }
                        report_cut(&seed.run, &dispatch);
                    }
                    None => dispatch.dispatch(Action::Manifest {
                        base: url.clone(),
                        manifest,
                    }),
                }
                mark("runlens:manifest-listed");
                if !shards.is_empty() {
                    dispatch.dispatch(Action::Shards(shards.len()));
                    load_shards(shards, &dispatch);
                }
                let seeded = seed.map(|(seed, _)| seed.archive);
                for (i, f) in plan.into_iter().enumerate() {
                    if seeded.as_ref() != Some(&f.archive) {
                        load_listed(f, i > 0 || !opens_first, dispatch.clone());
                    }
                }
            }
            Err(e) if quiet_404 && is_not_found(&e) => {}
            Err(e) => dispatch.dispatch(Action::Error(e)),
        }
        dispatch.dispatch(Action::Finished);
    });
}

/// Shards read but not listed yet, when runs were last listed (ms), and the wait before
/// the next listing.
#[derive(Default)]
struct Pending {
    read: Vec<(String, crate::runs::Manifest)>,
    listed_at: Option<f64>,
    every: f64,
}

/// The first wait between two listings of read shards (ms); each listing doubles it. Each
/// listing rebuilds what the runs table derives from every run (its field table above all),
/// so 20 shards arriving together are listed in a few steps (the first at once), and the
/// work stays within about twice that of listing every run once.
const LIST_FIRST_WAIT_MS: f64 = 300.0;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lists the shards read so far when `all` or when the wait since the last listing is over.
fn list_read(pending: &RefCell<Pending>, dispatch: &Dispatch, all: bool) {
    let now = now_ms();
    let batch = {
        let mut p = pending.borrow_mut();
        let due = p.listed_at.is_none_or(|t| now - t >= p.every);
        if p.read.is_empty() || !(all || due) {
            return;
        }
        p.every = if p.listed_at.is_none() {
            LIST_FIRST_WAIT_MS
        } else {
            p.every * 2.0
        };
        p.listed_at = Some(now);
        std::mem::take(&mut p.read)
    };
    dispatch.dispatch(Action::ShardsRead(batch));
}

/// Fetches the shard manifests of `plan`, [`SHARDS_AT_ONCE`] at a time, in its order, and
/// lists their runs as they arrive; a shard that cannot be read is named (URL and why)
/// while the others go on.
fn load_shards(plan: Vec<ShardFetch>, dispatch: &Dispatch) {
    let queue = Rc::new(RefCell::new(VecDeque::from(plan)));
    let pending = Rc::new(RefCell::new(Pending::default()));
    for _ in 0..SHARDS_AT_ONCE {
        let queue = queue.clone();
        let pending = pending.clone();
        let dispatch = dispatch.clone();
        dispatch.dispatch(Action::Started);
        spawn_local(async move {
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some(shard) = next else { break };
                let got = fetch_bytes(&shard.url)
                    .await
                    .and_then(|bytes| read(&shard.url, &bytes));
                match got {
                    Ok(manifest) => {
                        pending.borrow_mut().read.push((shard.url, manifest));
                        list_read(&pending, &dispatch, false);
                    }
                    Err(e) => dispatch.dispatch(Action::ShardFailed(e)),
                }
            }
            // No shard left to start: whatever was read is listed now.
            list_read(&pending, &dispatch, true);
            dispatch.dispatch(Action::Finished);
        });
    }
}

/// Fetches and parses the hosted archive at `url`, with the URLs of its `files`; `key` is
/// the manifest row it fills in (marked failed if it cannot be read); `open` opens it.
pub fn load_hosted(
    url: String,
    files: Vec<String>,
    key: Option<String>,
    open: bool,
    dispatch: Dispatch,
) {
    load_hosted_when(url, files, key, open, false, dispatch)
}

/// [`load_hosted`] for one of a manifest's archives: a `later` one (all but the run the
/// page opens) is parsed and listed once that run is on screen ([`first_screen`]); its
/// request is on its way before then.
fn load_listed(f: HostedFetch, later: bool, dispatch: Dispatch) {
    load_hosted_when(f.archive, f.files, f.key, false, later, dispatch)
}

fn load_hosted_when(
    url: String,
    files: Vec<String>,
    key: Option<String>,
    open: bool,
    later: bool,
    dispatch: Dispatch,
) {
    dispatch.dispatch(Action::Started);
    if let Some(k) = &key {
        dispatch.dispatch(Action::Fetching(k.clone()));
    }
    spawn_local(async move {
        if later {
            first_screen().await;
        }
        let result = fetch_archive(&url)
            .await
            .and_then(|(bytes, total)| parse_hosted(&url, &files, &bytes, total));
        match (result, key) {
            (Ok(run), _) => {
                report_cut(&run, &dispatch);
                dispatch.dispatch(Action::Loaded {
                    run: Rc::new(run),
                    open,
                })
            }
            (Err(error), Some(key)) => dispatch.dispatch(Action::SlotFailed { key, error }),
            (Err(e), None) => dispatch.dispatch(Action::Error(e)),
        }
        dispatch.dispatch(Action::Finished);
    });
}

/// The run of the hosted archive at `url` (`bytes` of its `total`), with the URLs of its
/// `files`.
fn parse_hosted(url: &str, files: &[String], bytes: &[u8], total: u64) -> Result<Run, LoadError> {
    let run = Run::from_file_head(bytes, total, Source::Hosted(url.to_string()), Vec::new())?;
    Ok(if files.is_empty() {
        run
    } else {
        run.with_hosted_files(files)
    })
}
