//! Fetching, put into words: the message for each way a fetch fails, what the headers say
//! about a body's size, and trying a file's URLs in turn. Every error names the URL.
//!
//! Pure: the browser side (`crate::loader::fetch`) does the requests.

use crate::runs::LoadError;

fn error(url: &str, message: String) -> LoadError {
    LoadError {
        what: url.to_string(),
        message,
    }
}

/// The request got no response: offline, refused, or the server does not allow this page
/// to read it.
pub fn unreachable(url: &str) -> LoadError {
    error(
        url,
        "could not be fetched: the network failed or the server does not allow this page to read it (CORS)".into(),
    )
}

/// The response has a failing `status`: `HTTP 404 Not Found`, with the server's status text
/// (or the number alone when it sent none; HTTP/2 servers send none).
pub fn status_failed(url: &str, status: u16, status_text: &str) -> LoadError {
    let reason = match status {
        404 => "Not Found".to_string(),
        403 => "Forbidden".to_string(),
        s if status_text.is_empty() => format!("status {s}"),
        _ => status_text.to_string(),
    };
    error(url, format!("HTTP {status} {reason}"))
}

/// Whether `e` says the server had no such file (an optional manifest may be absent).
pub fn is_not_found(e: &LoadError) -> bool {
    e.message.starts_with("HTTP 404")
}

/// The body could not be read at all.
pub fn body_unreadable(url: &str, cause: &str) -> LoadError {
    error(url, format!("the response could not be read: {cause}"))
}

/// The body broke off after `read` bytes.
pub fn broke_off(url: &str, read: u64, cause: Option<String>) -> LoadError {
    error(
        url,
        format!(
            "the download broke off after {}: {}",
            crate::format::bytes(read),
            cause.unwrap_or_else(|| "network error".into())
        ),
    )
}

/// The length a `Content-Length` header declares, when it is a number.
pub fn declared_length(header: Option<&str>) -> Option<u64> {
    header.and_then(|v| v.trim().parse::<u64>().ok())
}

/// A file's size from a download: the declared length, or the bytes read when more arrived
/// (or none was declared).
pub fn file_size(declared: Option<u64>, read: u64) -> u64 {
    declared.unwrap_or(read).max(read)
}

/// Trying a file's URLs in turn: a URL that fails before its body is skipped for the next;
/// one that fails partway ends the reading (what was fed cannot be taken back).
#[derive(Debug, Default)]
pub struct UrlFallback {
    tried: Vec<String>,
}

impl UrlFallback {
    /// No URL tried yet.
    pub fn new() -> UrlFallback {
        UrlFallback::default()
    }

    /// Records that `url` failed with `e`; `fed` says whether part of its body had been
    /// read. `Err` is the message that ends the reading.
    pub fn failed(&mut self, url: &str, e: &LoadError, fed: bool) -> Result<(), String> {
        if fed {
            return Err(e.to_string());
        }
        self.tried.push(format!("{url} ({})", e.message));
        Ok(())
    }

    /// The message when every URL failed before its body, naming each with its reason.
    pub fn exhausted(&self) -> String {
        format!(
            "not found next to the archive; tried {}",
            self.tried.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_name_the_url_and_prefer_fixed_reasons() {
        let e = status_failed("runs.json", 404, "");
        assert_eq!(e.to_string(), "runs.json: HTTP 404 Not Found");
        assert!(is_not_found(&e));
        assert_eq!(
            status_failed("a", 403, "Nope").message,
            "HTTP 403 Forbidden"
        );
        assert_eq!(
            status_failed("a", 500, "Internal Server Error").message,
            "HTTP 500 Internal Server Error"
        );
        // HTTP/2 carries no status text.
        assert_eq!(status_failed("a", 502, "").message, "HTTP 502 status 502");
        assert!(!is_not_found(&status_failed("a", 500, "")));
        assert!(!is_not_found(&unreachable("a")));
    }

    #[test]
    fn broken_downloads_say_how_far_they_got() {
        let e = broke_off("u/x.csv", 0, None);
        assert_eq!(e.what, "u/x.csv");
        assert!(
            e.message.starts_with("the download broke off after ")
                && e.message.ends_with(": network error"),
            "{}",
            e.message
        );
        let e = broke_off("u", 5 << 20, Some("reset".into()));
        assert!(e.message.ends_with(": reset"), "{}", e.message);
        assert_eq!(
            body_unreadable("u", "bad").to_string(),
            "u: the response could not be read: bad"
        );
    }

    #[test]
    fn declared_length_and_size() {
        assert_eq!(declared_length(Some(" 1234 ")), Some(1234));
        assert_eq!(declared_length(Some("x")), None);
        assert_eq!(declared_length(Some("-1")), None);
        assert_eq!(declared_length(None), None);
        assert_eq!(file_size(Some(100), 10), 100);
        // A server that declared less than it sent (or nothing) is not believed.
        assert_eq!(file_size(Some(10), 100), 100);
        assert_eq!(file_size(None, 7), 7);
    }

    #[test]
    fn url_fallback_skips_missing_urls_and_stops_on_broken_bodies() {
        let mut f = UrlFallback::new();
        assert_eq!(
            f.failed("a/x.log", &status_failed("a/x.log", 404, ""), false),
            Ok(())
        );
        assert_eq!(f.failed("b/x.log", &unreachable("b/x.log"), false), Ok(()));
        let m = f.exhausted();
        assert!(
            m.starts_with("not found next to the archive; tried a/x.log (HTTP 404 Not Found), b/x.log (could not be fetched"),
            "{m}"
        );
        let broken = broke_off("c/x.log", 10, Some("reset".into()));
        let stop = f.failed("c/x.log", &broken, true);
        assert_eq!(stop, Err(broken.to_string()));
        assert!(stop.err().is_some_and(|m| m.starts_with("c/x.log: ")));
    }
}
