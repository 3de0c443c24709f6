//! Secrets (AppSecret, access tokens) that cannot leak by accident.

use std::fmt;

/// A secret string. It has no `Display`, its `Debug` prints `***`, and the
/// value is reached only through [`Secret::expose`], which is easy to audit.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Replaces every `access_token=...` query value and every given secret in
/// `text` with `***`. Used on any text that came near a request URL.
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    const KEY: &str = "access_token=";
    while let Some(at) = rest.find(KEY) {
        out.push_str(&rest[..at + KEY.len()]);
        out.push_str("***");
        rest = &rest[at + KEY.len()..];
        let end = rest
            .find(|c: char| c == '&' || c == '#' || c.is_whitespace() || c == '"' || c == ')')
            .unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    for secret in secrets {
        if secret.0.len() >= 4 {
            out = out.replace(&secret.0, "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value() {
        let secret = Secret::new("s3cr3t-value");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(Secret(***))");
    }

    #[test]
    fn redact_query_and_values() {
        let token = Secret::new("TOKEN123");
        let text = "POST http://h/cgi?access_token=TOKEN123&x=1 failed; echo TOKEN123";
        assert_eq!(redact(text, &[&token]), "POST http://h/cgi?access_token=***&x=1 failed; echo ***");
        assert_eq!(redact("url?access_token=abc", &[]), "url?access_token=***");
    }
}
