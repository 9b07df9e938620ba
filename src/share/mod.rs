//! Sharing without uploading: an archive compressed into the URL fragment (which browsers
//! never send to a server), and a standalone HTML report when it is too large for a link.
//!
//! **Invariant: decoding any fragment, hostile or corrupt, returns a value or an error that
//! says what is wrong; it never panics and never inflates past a size cap.** Pure.

pub mod curves;
pub mod route;
pub mod url;
pub mod workspace;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::archive::Parsed;
use crate::diff::export::esc;

/// The fragment prefix of a share link (versioned, so the format can change).
pub const PREFIX: &str = "share=v1.";

/// Links longer than this break in chat tools and some browsers: offer a report instead.
pub const MAX_LINK_CHARS: usize = 100_000;

/// Largest archive a link may inflate to (a decompression bomb stops here).
pub const MAX_INFLATED: usize = 64 << 20;

/// Why a share link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not a runlens share fragment.
    NotAShareLink,
    /// The payload is not base64url (the link was cut or edited).
    Damaged(String),
    /// The data does not inflate.
    NotCompressed(String),
    /// It inflates past the cap.
    TooLarge,
    /// The archive is not UTF-8 text.
    NotText,
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotAShareLink => write!(f, "this is not a runlens share link"),
            ShareError::Damaged(e) => {
                write!(f, "the link is damaged or cut off ({e}); ask for it again")
            }
            ShareError::NotCompressed(e) => write!(f, "the link's data is corrupt ({e})"),
            ShareError::TooLarge => write!(
                f,
                "the link expands to more than {} MB; refused",
                MAX_INFLATED >> 20
            ),
            ShareError::NotText => write!(f, "the link's archive is not UTF-8 text"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The fragment (without `#`) that carries `text`.
pub fn encode(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The archive text a fragment carries.
pub fn decode(fragment: &str) -> Result<String, ShareError> {
    let frag = fragment.strip_prefix('#').unwrap_or(fragment);
    let payload = frag
        .split('&')
        .find_map(|p| p.strip_prefix(PREFIX))
        .ok_or(ShareError::NotAShareLink)?;
    String::from_utf8(unpack(payload)?).map_err(|_| ShareError::NotText)
}

/// The bytes of one fragment part: base64url, then inflated up to [`MAX_INFLATED`].
pub(crate) fn unpack(payload: &str) -> Result<Vec<u8>, ShareError> {
    let packed = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| ShareError::Damaged(e.to_string()))?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            s => ShareError::NotCompressed(format!("{s:?}")),
        }
    })
}

/// A standalone HTML report of one run (no scripts; every value escaped): the first-glance
/// facts, the steps, and the whole archive text.
pub fn report_html(parsed: &Parsed, text: &str) -> String {
    let a = &parsed.archive;
    let s = &a.summary;
    let title = format!(
        "{} / {}",
        a.experiment().unwrap_or("run"),
        a.run_id().unwrap_or("?")
    );
    let mut o = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>{t}</title><style>body{{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24}}table{{border-collapse:collapse;margin:8px 0 18px}}td,th{{border:1px solid #d8dce3;padding:3px 8px;text-align:left;vertical-align:top}}th{{background:#f6f7f9}}pre{{background:#f6f7f9;padding:10px;overflow:auto}}.failed{{color:#b42318}}.success{{color:#1a7f37}}</style></head><body><h1>{t} <small class=\"{cls}\">{st}</small></h1><table>",
        t = esc(&title),
        cls = a.status().class(),
        st = esc(&a.status().label())
    );
    for (k, n) in s.fields.iter() {
        o.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>",
            esc(k),
            esc(&n.text)
        ));
    }
    o.push_str("</table><h2>Steps</h2><table><tr><th>#</th><th>step</th><th>status</th><th>final loss</th><th>error</th></tr>");
    for st in &a.steps.steps {
        let loss = st
            .training()
            .and_then(|t| t.final_loss)
            .map(|l| l.to_string())
            .unwrap_or_default();
        o.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            st.id().map(|i| i.to_string()).unwrap_or_default(),
            esc(&st.label()),
            st.status().class(),
            esc(&st.status().label()),
            esc(&loss),
            esc(st.text("error").unwrap_or(""))
        ));
    }
    o.push_str("</table><h2>Archive</h2><pre>");
    o.push_str(&esc(text));
    o.push_str("</pre></body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = "# Experiment Archive\n## Summary\n- run_id: r1\n- note: 中文 <script>\n";
        let link = encode(text);
        assert!(link.starts_with(PREFIX));
        assert!(
            link.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=.".contains(c)),
            "{link}"
        );
        assert_eq!(decode(&format!("#{link}")).as_deref(), Ok(text));
    }

    #[test]
    fn hostile_and_corrupt_fragments_are_errors() {
        assert_eq!(decode("#run=1"), Err(ShareError::NotAShareLink));
        assert!(matches!(
            decode("#share=v1.!!!"),
            Err(ShareError::Damaged(_))
        ));
        assert!(matches!(
            decode("#share=v1.AAAA"),
            Err(ShareError::NotCompressed(_))
        ));
        // A link cut in the middle.
        let link = encode(&"- key: value\n".repeat(500));
        assert!(decode(&link[..link.len() / 2]).is_err());
        // A bomb: 80 MB of one letter compresses to a short link; it must stop at the cap.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; 80 << 20], 9);
        let frag = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bomb));
        assert_eq!(decode(&frag), Err(ShareError::TooLarge));
        // Not UTF-8.
        let bin = miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe, 0x00], 9);
        assert_eq!(
            decode(&format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bin))),
            Err(ShareError::NotText)
        );
    }

    #[test]
    fn report_escapes_everything() {
        let text = "## Summary\n- run_id: <img src=x onerror=alert(1)>\n- status: failed\n";
        let html = report_html(&crate::archive::parse(text), text);
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(!html.contains("<script"));
    }
}
