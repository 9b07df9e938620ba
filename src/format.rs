//! Human forms of exact numbers: durations, byte sizes, counts, commit hashes.
//!
//! Pure: no I/O. The exact value is always available to the caller for a tooltip.

/// `32588` seconds as `9 h 3 m`; under a minute as `42 s`.
pub fn duration(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "n/a".to_string();
    }
    let s = secs.round() as u64;
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec} s"),
        (0, 0, m) if sec == 0 => format!("{m} m"),
        (0, 0, m) => format!("{m} m {sec} s"),
        (0, h, m) => format!("{h} h {m} m"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// `24811590144` as `24.8 GB` (decimal units, as disks and datasets are quoted).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else if v >= 100.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// `4182733` as `4.18 M`; small numbers as they are.
pub fn count(n: u64) -> String {
    let v = n as f64;
    if n < 10_000 {
        grouped(n)
    } else if v < 1e6 {
        format!("{:.1} k", v / 1e3)
    } else if v < 1e9 {
        format!("{:.2} M", v / 1e6)
    } else {
        format!("{:.2} B", v / 1e9)
    }
}

/// `4182733` as `4,182,733`.
pub fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first 7 characters of a commit hash.
pub fn short_commit(hash: &str) -> &str {
    let end = hash.char_indices().nth(7).map_or(hash.len(), |(i, _)| i);
    &hash[..end]
}

/// A number as the shortest text that reads back the same, without exponent noise for
/// ordinary magnitudes.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A value read from a curve: shortest text that reads back the same, as the writer stored
/// it (`1.62008` for an `f32`, not `1.6200799942016602`).
pub fn value(v: f64) -> String {
    let narrow = v as f32;
    if narrow as f64 == v {
        format!("{narrow}")
    } else {
        format!("{v}")
    }
}

/// Whether an archive value may become a link, and its target: only absolute http(s) URLs.
/// Paths in archives name files on the training cluster, not next to the page, so they stay
/// text; `javascript:`, `data:` and every other scheme are never links.
pub fn safe_href(s: &str) -> Option<String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| t.to_string())
}

/// Escapes text for HTML and SVG (exports, reports, the lineage picture): markup characters
/// become entities, and control characters (invalid in SVG, never meant in a report) become
/// U+FFFD.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_forms() {
        assert_eq!(duration(32588.0), "9 h 3 m");
        assert_eq!(duration(42.0), "42 s");
        assert_eq!(duration(600.0), "10 m");
        assert_eq!(duration(611.0), "10 m 11 s");
        assert_eq!(duration(200_000.0), "2 d 7 h");
        assert_eq!(bytes(24_811_590_144), "24.8 GB");
        assert_eq!(bytes(402_118_877), "402 MB");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(count(4_182_733), "4.18 M");
        assert_eq!(grouped(4_182_733), "4,182,733");
        assert_eq!(short_commit("9f2c41e7d0b8"), "9f2c41e");
        assert_eq!(short_commit("abc"), "abc");
        assert_eq!(value(1.62008f32 as f64), "1.62008");
        assert_eq!(value(0.1), "0.1");
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(
            safe_href(" https://x.org/a "),
            Some("https://x.org/a".into())
        );
        assert_eq!(safe_href("HTTP://x"), Some("HTTP://x".into()));
        for s in [
            "javascript:alert(1)",
            "data:text/html,x",
            "/mnt/ckpt",
            "ckpt/a",
            "ftp://x",
        ] {
            assert_eq!(safe_href(s), None, "{s}");
        }
    }
}
