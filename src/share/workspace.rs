//! The workspace's settings as the URL writes them (`?workspace=` names the runs; `wtag=`,
//! `wstep=`, `wx=`, `wzoom=`, `wsync=`, `wcols=`, `wgroup=`, `wstat=`, `wband=`, `wcolor=`,
//! `wrobust=`, `wrange=`, `whide=`, `wsolo=`, `wpz=` the rest), and the compact form of a
//! long run list.
//!
//! Hidden runs and the run shown alone are positions in the `?workspace=` list (`whide=0,3,5-9`,
//! `wsolo=4`): a few characters however long the runs' names are, and never ambiguous when
//! runs share a run id. The run a legend row highlights is not in the link: it follows the
//! pointer (or focus) and ends when the pointer leaves, like the crosshair; a link opened
//! with one run highlighted would show the others muted with nothing under the pointer to
//! explain it or end it.
//!
//! Pure. Parsing is forgiving (a damaged value is the default); `decode(encode(x)) == x`.

use std::collections::{BTreeMap, BTreeSet};

use super::url::AxisChoice;

/// Which training step feeds the panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StepChoice {
    /// The runs' CPT train step.
    #[default]
    Cpt,
    /// The runs' SFT train step.
    Sft,
    /// The CPT curve followed by the SFT curve on one x axis.
    Both,
}

impl StepChoice {
    /// Every choice, in menu order.
    pub const ALL: [StepChoice; 3] = [StepChoice::Cpt, StepChoice::Sft, StepChoice::Both];

    /// The name in the URL and the menu.
    pub fn as_str(self) -> &'static str {
        match self {
            StepChoice::Cpt => "cpt",
            StepChoice::Sft => "sft",
            StepChoice::Both => "both",
        }
    }

    /// What the menu says.
    pub fn label(self) -> &'static str {
        match self {
            StepChoice::Cpt => "CPT step",
            StepChoice::Sft => "SFT step",
            StepChoice::Both => "CPT then SFT",
        }
    }

    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<StepChoice> {
        StepChoice::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The line a group draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupStat {
    /// The members' mean.
    #[default]
    Mean,
    /// The members' median.
    Median,
    /// The lowest member.
    Min,
    /// The highest member.
    Max,
}

impl GroupStat {
    /// Every choice, in menu order.
    pub const ALL: [GroupStat; 4] = [
        GroupStat::Mean,
        GroupStat::Median,
        GroupStat::Min,
        GroupStat::Max,
    ];

    /// The name in the URL and the menu.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupStat::Mean => "mean",
            GroupStat::Median => "median",
            GroupStat::Min => "min",
            GroupStat::Max => "max",
        }
    }

    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<GroupStat> {
        GroupStat::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// The band around a group's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BandChoice {
    /// From the lowest to the highest member.
    #[default]
    MinMax,
    /// The mean plus and minus one standard deviation.
    Std,
    /// No band.
    None,
}

impl BandChoice {
    /// Every choice, in menu order.
    pub const ALL: [BandChoice; 3] = [BandChoice::MinMax, BandChoice::Std, BandChoice::None];

    /// The name in the URL and the menu.
    pub fn as_str(self) -> &'static str {
        match self {
            BandChoice::MinMax => "minmax",
            BandChoice::Std => "std",
            BandChoice::None => "none",
        }
    }

    /// What the menu says.
    pub fn label(self) -> &'static str {
        match self {
            BandChoice::MinMax => "band min–max",
            BandChoice::Std => "band ±1 std",
            BandChoice::None => "no band",
        }
    }

    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<BandChoice> {
        BandChoice::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Everything a workspace shows besides its runs.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceView {
    /// Tag filter: a regex, or plain text when it is not one (`wtag=`).
    pub tags: String,
    /// Which step feeds the panels (`wstep=`).
    pub step: StepChoice,
    /// The x axis of every panel (`wx=`).
    pub axis: AxisChoice,
    /// The zoomed x range of every panel (`wzoom=lo~hi`).
    pub zoom: Option<(f64, f64)>,
    /// Zooming one panel zooms all (`wsync=0` turns it off).
    pub sync_x: bool,
    /// Panels in one column instead of a grid (`wcols=1`).
    pub one_column: bool,
    /// The field the runs are grouped by (`wgroup=`); `None`: no groups.
    pub group: Option<String>,
    /// The line each group draws (`wstat=`).
    pub stat: GroupStat,
    /// The band around it (`wband=`).
    pub band: BandChoice,
    /// The field the lines are coloured by (`wcolor=`); `None`: by run.
    pub color: Option<String>,
    /// Robust y range per panel (`wrobust=1`).
    pub robust: bool,
    /// The step range of the range table (`wrange=lo~hi`).
    pub range: Option<(f64, f64)>,
    /// Hidden runs: positions in the `?workspace=` list (`whide=0,3,5-9`).
    pub hidden: BTreeSet<usize>,
    /// The run shown alone, whatever is hidden: its position in the list (`wsolo=N`).
    pub solo: Option<usize>,
    /// Each panel's own x range while x is not synced (`wpz=TAG~lo~hi`, once per panel;
    /// the tag may hold `~`: the numbers are the last two parts).
    pub panel_zooms: BTreeMap<String, (f64, f64)>,
}

impl Default for WorkspaceView {
    fn default() -> Self {
        WorkspaceView {
            tags: String::new(),
            step: StepChoice::Cpt,
            axis: AxisChoice::Step,
            zoom: None,
            sync_x: true,
            one_column: false,
            group: None,
            stat: GroupStat::Mean,
            band: BandChoice::MinMax,
            color: None,
            robust: false,
            range: None,
            hidden: BTreeSet::new(),
            solo: None,
            panel_zooms: BTreeMap::new(),
        }
    }
}

/// The URL parameters [`WorkspaceView`] owns.
pub const PARAMS: [&str; 15] = [
    "wtag", "wstep", "wx", "wzoom", "wsync", "wcols", "wgroup", "wstat", "wband", "wcolor",
    "wrobust", "wrange", "whide", "wsolo", "wpz",
];

/// The most positions a `whide=` range adds (a damaged link cannot fill memory).
const MAX_HIDDEN: usize = 100_000;

/// Positions as `0,3,5-9` (runs of three or more consecutive positions as a range).
pub fn encode_positions(set: &BTreeSet<usize>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut it = set.iter().copied().peekable();
    while let Some(a) = it.next() {
        let mut b = a;
        while it.peek() == Some(&(b + 1)) {
            b += 1;
            it.next();
        }
        match b - a {
            0 => out.push(a.to_string()),
            1 => out.push(format!("{a},{b}")),
            _ => out.push(format!("{a}-{b}")),
        }
    }
    out.join(",")
}

/// Reads [`encode_positions`]' form; parts that are not a position or a range are skipped,
/// and at most [`MAX_HIDDEN`] positions are read.
pub fn decode_positions(s: &str) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for part in s.split(',').map(str::trim) {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<usize>(), b.trim().parse::<usize>()),
            None => (part.parse::<usize>(), part.parse::<usize>()),
        };
        let (Ok(a), Ok(b)) = (a, b) else { continue };
        for p in (a..=b).take(MAX_HIDDEN.saturating_sub(out.len())) {
            out.insert(p);
        }
    }
    out
}

/// A panel's zoom as `wpz=` writes it.
fn panel_zoom(tag: &str, (a, b): (f64, f64)) -> String {
    format!("{tag}~{a}~{b}")
}

/// Reads `TAG~lo~hi` (the numbers are the last two parts).
fn read_panel_zoom(s: &str) -> Option<(String, (f64, f64))> {
    let mut parts = s.rsplitn(3, '~');
    let (b, a, tag) = (parts.next()?, parts.next()?, parts.next()?);
    Some((tag.to_string(), read_pair(&format!("{a}~{b}"))?))
}

fn pair(v: Option<(f64, f64)>) -> Option<String> {
    v.map(|(a, b)| format!("{a}~{b}"))
}

fn read_pair(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once('~')?;
    let (a, b) = (a.parse::<f64>().ok()?, b.parse::<f64>().ok()?);
    (a.is_finite() && b.is_finite() && b > a).then_some((a, b))
}

impl WorkspaceView {
    /// The parameters that differ from the default, in [`PARAMS`] order.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let d = WorkspaceView::default();
        let mut out = Vec::new();
        let mut put = |k: &'static str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k, v));
            }
        };
        put("wtag", (!self.tags.is_empty()).then(|| self.tags.clone()));
        put(
            "wstep",
            (self.step != d.step).then(|| self.step.as_str().into()),
        );
        put(
            "wx",
            (self.axis != d.axis).then(|| self.axis.as_str().into()),
        );
        put("wzoom", pair(self.zoom));
        put("wsync", (!self.sync_x).then(|| "0".into()));
        put("wcols", self.one_column.then(|| "1".into()));
        put("wgroup", self.group.clone());
        put(
            "wstat",
            (self.stat != d.stat).then(|| self.stat.as_str().into()),
        );
        put(
            "wband",
            (self.band != d.band).then(|| self.band.as_str().into()),
        );
        put("wcolor", self.color.clone());
        put("wrobust", self.robust.then(|| "1".into()));
        put("wrange", pair(self.range));
        put(
            "whide",
            (!self.hidden.is_empty()).then(|| encode_positions(&self.hidden)),
        );
        put("wsolo", self.solo.map(|p| p.to_string()));
        for (tag, z) in &self.panel_zooms {
            out.push(("wpz", panel_zoom(tag, *z)));
        }
        out
    }

    /// Reads the view from `all(param)`: every trimmed, non-empty value of a parameter, in
    /// order (the first counts where one is meant).
    pub fn from_params(all: impl Fn(&str) -> Vec<String>) -> WorkspaceView {
        let d = WorkspaceView::default();
        let get = |k: &str| all(k).into_iter().next();
        WorkspaceView {
            tags: get("wtag").unwrap_or_default(),
            step: get("wstep")
                .and_then(|s| StepChoice::from_name(&s))
                .unwrap_or(d.step),
            axis: get("wx")
                .and_then(|s| AxisChoice::from_name(&s))
                .unwrap_or(d.axis),
            zoom: get("wzoom").and_then(|s| read_pair(&s)),
            sync_x: get("wsync").as_deref() != Some("0"),
            one_column: get("wcols").as_deref() == Some("1"),
            group: get("wgroup"),
            stat: get("wstat")
                .and_then(|s| GroupStat::from_name(&s))
                .unwrap_or(d.stat),
            band: get("wband")
                .and_then(|s| BandChoice::from_name(&s))
                .unwrap_or(d.band),
            color: get("wcolor"),
            robust: get("wrobust").as_deref() == Some("1"),
            range: get("wrange").and_then(|s| read_pair(&s)),
            hidden: get("whide")
                .map(|s| decode_positions(&s))
                .unwrap_or_default(),
            solo: get("wsolo").and_then(|s| s.parse().ok()),
            panel_zooms: all("wpz")
                .iter()
                .filter_map(|s| read_panel_zoom(s))
                .collect(),
        }
    }

    /// Whether the run at `pos` in the `?workspace=` list is drawn: the run shown alone, or,
    /// when none is, any run not hidden.
    pub fn shows(&self, pos: usize) -> bool {
        match self.solo {
            Some(s) => s == pos,
            None => !self.hidden.contains(&pos),
        }
    }
}

/// How many bytes every item shares with the first, from its start or from its end.
fn shared_len(items: &[String], from_end: bool) -> usize {
    let Some(first) = items.first().map(String::as_bytes) else {
        return 0;
    };
    let at = |s: &[u8], i: usize| {
        if from_end {
            s.iter().rev().nth(i).copied()
        } else {
            s.get(i).copied()
        }
    };
    items
        .iter()
        .map(|it| {
            let it = it.as_bytes();
            (0..first.len().min(it.len()))
                .take_while(|&i| at(first, i) == at(it, i))
                .count()
        })
        .min()
        .unwrap_or(0)
}

/// Longest common prefix of `items` in bytes, cut back to a character boundary.
fn common_prefix(items: &[String]) -> usize {
    let first = items.first().map_or("", String::as_str);
    let mut n = shared_len(items, false);
    while !first.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// Longest common suffix of `items` in bytes, cut back to a character boundary.
fn common_suffix(items: &[String]) -> usize {
    let first = items.first().map_or("", String::as_str);
    let mut n = shared_len(items, true);
    while !first.is_char_boundary(first.len() - n) {
        n -= 1;
    }
    n
}

/// A run list for `?workspace=`: the entries joined by commas, or, when they share a prefix
/// or suffix worth eliding, brace form `PREFIX{a,b,c}SUFFIX` (`samples/{r1,r2}/archive.md`).
/// Entries never contain commas.
pub fn encode_runs(items: &[String]) -> String {
    let plain = items.join(",");
    let braces = items.iter().any(|i| i.contains(['{', '}']));
    if items.len() < 2 && !braces {
        return plain;
    }
    let shortest = items.iter().map(String::len).min().unwrap_or(0);
    let mut pre = common_prefix(items);
    let first = items.first().map(String::as_str).unwrap_or("");
    // The prefix ends before the first `{`, the suffix starts after the last `}`: the
    // decoder finds the list between them.
    if let Some(b) = first.get(..pre).and_then(|p| p.find('{')) {
        pre = b;
    }
    let mut suf = common_suffix(items);
    if let Some(b) = first.get(first.len() - suf..).and_then(|s| s.rfind('}')) {
        suf -= b + 1;
    }
    // Every entry keeps at least one character of its own.
    while pre + suf >= shortest && (pre > 0 || suf > 0) {
        if suf > 0 {
            suf -= 1;
            while !first.is_char_boundary(first.len() - suf) {
                suf -= 1;
            }
        } else {
            pre -= 1;
            while !first.is_char_boundary(pre) {
                pre -= 1;
            }
        }
    }
    let middles: Vec<&str> = items
        .iter()
        .map(|i| i.get(pre..i.len() - suf).unwrap_or(i))
        .collect();
    let compact = format!(
        "{}{{{}}}{}",
        first.get(..pre).unwrap_or(""),
        middles.join(","),
        first.get(first.len() - suf..).unwrap_or("")
    );
    if braces || compact.len() < plain.len() {
        compact
    } else {
        plain
    }
}

/// Reads a `?workspace=` run list (either form of [`encode_runs`]).
pub fn decode_runs(s: &str) -> Vec<String> {
    let s = s.trim();
    if let (Some(open), Some(close)) = (s.find('{'), s.rfind('}')) {
        if open < close {
            let (pre, suf) = (&s[..open], &s[close + 1..]);
            return s[open + 1..close]
                .split(',')
                .filter(|m| !m.is_empty())
                .map(|m| format!("{pre}{m}{suf}"))
                .collect();
        }
    }
    s.split(',')
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_hundred_runs_round_trip_in_a_short_link() {
        let runs: Vec<String> = (0..200)
            .map(|i| {
                format!(
                    "runs/2025-11/202511{:02}-{:04}-a{i:03}/archive.md",
                    i % 28,
                    i
                )
            })
            .collect();
        let enc = encode_runs(&runs);
        assert_eq!(decode_runs(&enc), runs);
        let plain = runs.join(",").len();
        assert!(enc.len() * 2 < plain, "{} of {plain}: {enc}", enc.len());
        assert!(enc.starts_with("runs/2025-11/2025"), "{enc}");
        assert!(enc.ends_with("}/archive.md"), "{enc}");
        // Run ids with nothing in common stay a plain list.
        let ids: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(encode_runs(&ids), "a,b,c");
        assert_eq!(decode_runs("a, b ,,c"), ids);
    }

    #[test]
    fn odd_entries_round_trip() {
        let cases: Vec<Vec<&str>> = vec![
            vec!["x{y}z"],
            vec!["ab", "abab", "ab"],
            vec!["a{", "a{b"],
            vec!["}x", "}}x"],
            vec!["中a中", "中b中"],
            vec!["aaa", "aaaa"],
        ];
        for c in cases {
            let v: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            let enc = encode_runs(&v);
            assert_eq!(decode_runs(&enc), v, "{enc}");
        }
    }

    #[test]
    fn view_params_round_trip() {
        let v = WorkspaceView {
            tags: "loss|lr".into(),
            step: StepChoice::Both,
            axis: AxisChoice::Tokens,
            zoom: Some((10.0, 20.5)),
            sync_x: false,
            one_column: true,
            group: Some("train.cpt.lr".into()),
            stat: GroupStat::Median,
            band: BandChoice::Std,
            color: Some("status".into()),
            robust: true,
            range: Some((1.0, 2.0)),
            hidden: [0, 3, 4, 5, 6, 9, 10, 199].into_iter().collect(),
            solo: Some(7),
            panel_zooms: [
                ("lm loss".to_string(), (1.5, 2e9)),
                ("a~b,c".to_string(), (-3.0, 1e-300)),
            ]
            .into_iter()
            .collect(),
        };
        let p = v.params();
        let all = |k: &str| {
            p.iter()
                .filter(|(n, _)| *n == k)
                .map(|(_, v)| v.clone())
                .collect()
        };
        assert_eq!(WorkspaceView::from_params(all), v);
        assert!(WorkspaceView::default().params().is_empty());
        let hide = p
            .iter()
            .find(|(n, _)| *n == "whide")
            .map(|(_, v)| v.as_str());
        assert_eq!(hide, Some("0,3-6,9,10,199"));
    }

    #[test]
    fn positions_read_forgivingly_and_never_without_bound() {
        assert_eq!(
            decode_positions("2, 0-1,x,5-3,,7"),
            [0, 1, 2, 7].into_iter().collect()
        );
        assert_eq!(decode_positions("0-99999999999").len(), MAX_HIDDEN);
        assert_eq!(read_panel_zoom("t~3~1"), None, "low above high");
        assert_eq!(read_panel_zoom("~1~2"), Some((String::new(), (1.0, 2.0))));
        let v = WorkspaceView {
            hidden: [1].into_iter().collect(),
            solo: Some(2),
            ..WorkspaceView::default()
        };
        assert_eq!((v.shows(0), v.shows(1), v.shows(2)), (false, false, true));
        let v = WorkspaceView { solo: None, ..v };
        assert_eq!((v.shows(0), v.shows(1), v.shows(2)), (true, false, true));
    }
}
