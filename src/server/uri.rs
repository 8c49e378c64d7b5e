//! `file:` URIs as the client sends them ↔ paths.

use std::path::PathBuf;

/// The path of a `file:` URI (`file:///home/a/%E7%A8%BF.txt`, `file://localhost/…`,
/// `file:///C:/…` on Windows), percent-decoded. `None` for other schemes (`untitled:`) and for
/// URIs with a host, which name no local file.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let (scheme, rest) = uri.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = rest.strip_prefix("//")?;
    let (host, path) = rest.split_at(rest.find('/')?);
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    // A query or fragment is not part of the path.
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = percent_decode(path)?;
    #[cfg(windows)]
    {
        let s = String::from_utf8(bytes).ok()?;
        let s = match s.as_bytes() {
            [b'/', d, b':', ..] if d.is_ascii_alphabetic() => s[1..].to_string(),
            _ => s,
        };
        Some(PathBuf::from(s))
    }
    #[cfg(not(windows))]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Whether the URI names a config file (`…/.lintrc.toml`).
pub fn is_config(uri: &str) -> bool {
    let path = uri.split(['?', '#']).next().unwrap_or(uri);
    path.rsplit('/').next() == Some(newslint_core::config::CONFIG_FILE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(windows))]
    fn file_uris_decode_to_paths() {
        assert_eq!(
            to_path("file:///tmp/%E7%A8%BF%20%E4%BB%B6.txt"),
            Some(PathBuf::from("/tmp/稿 件.txt"))
        );
        assert_eq!(
            to_path("file://localhost/a/b.md"),
            Some(PathBuf::from("/a/b.md"))
        );
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file://server/share/a.txt"), None);
        assert_eq!(to_path("file:///a/%zz.txt"), None);
        assert!(is_config("file:///w/.lintrc.toml"));
        assert!(!is_config("file:///w/x.lintrc.toml"));
    }
}
