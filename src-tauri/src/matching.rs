//! Which rule a printed code's link hits, as WeChat's page on opening a Mini
//! Program from an ordinary link QR code states it (扫普通链接二维码打开小程序):
//!
//! 1. the link has the same protocol and domain as the rule;
//! 2. it is the rule itself or a sub-path of it, and sub-paths count only
//!    when the rule ends with `/`;
//! 3. where the rule has parameters (after `?`), the link's parameters must
//!    start with them;
//! 4. the most specific rule that matches wins, published or not: a link
//!    that hits an unpublished rule does not open the Mini Program, even
//!    when a broader published rule would match it (ordinary users land on
//!    the web page).
//!
//! Pure: no I/O, no WeChat. `Reason` says why a link hits no rule.

use std::collections::HashMap;

use serde::Serialize;

/// What the matcher needs of a rule: its prefix and whether it is published.
pub trait AsRule {
    fn prefix(&self) -> &str;
    fn published(&self) -> bool;
}

impl<T: AsRule> AsRule for &T {
    fn prefix(&self) -> &str {
        (*self).prefix()
    }
    fn published(&self) -> bool {
        (*self).published()
    }
}

impl AsRule for crate::wechat::Rule {
    fn prefix(&self) -> &str {
        &self.prefix
    }
    fn published(&self) -> bool {
        self.is_published()
    }
}

/// Why a link opens the Mini Program or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The most specific rule matching it is published.
    Match,
    /// The most specific rule matching it is not published.
    Unpublished,
    /// A rule would match were the link's scheme the rule's.
    Protocol,
    /// A rule would match were the link's domain the rule's.
    Host,
    /// Same scheme and domain; the rule's path starts the link's but the
    /// rule does not end with `/`, or the link's path only starts with the
    /// rule's text (`/scanner` after `/scan`).
    NotSubPath,
    /// Same scheme, domain and path; the link's parameters do not start
    /// with the rule's.
    Parameters,
    /// None of these.
    NoRule,
}

/// The matcher's answer for one link: the rule it hits (for `Match` and
/// `Unpublished`), else the nearest rule and why it does not match.
#[derive(Debug, PartialEq, Eq)]
pub struct Verdict<'a, R> {
    pub reason: Reason,
    pub rule: Option<&'a R>,
}

/// A link or a rule cut into the parts WeChat compares.
#[derive(Debug, PartialEq, Eq)]
struct Parts<'a> {
    scheme: String,
    host: String,
    path: &'a str,
    /// After `?`, when there is one (`Some("")` for a bare `?`).
    query: Option<&'a str>,
}

fn parts(text: &str) -> Option<Parts<'_>> {
    let text = text.trim();
    let (scheme, rest) = text.split_once("://")?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let host_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, rest) = rest.split_at(host_end);
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    if scheme.is_empty() || host.is_empty() {
        return None;
    }
    Some(Parts { scheme: scheme.to_ascii_lowercase(), host: host.to_ascii_lowercase(), path, query })
}

/// Whether the rule's path and parameters take the link's.
fn path_and_query(rule: &Parts, link: &Parts) -> bool {
    let path = rule.path == link.path || (rule.path.ends_with('/') && link.path.starts_with(rule.path));
    let query = match rule.query {
        None => true,
        Some(wanted) => rule.path == link.path && link.query.unwrap_or("").starts_with(wanted),
    };
    path && query
}

/// The rule `link` hits among `rules`, or the nearest one and why not.
/// For many links, build one [`Matcher`].
pub fn match_link<'a, R: AsRule>(link: &str, rules: &'a [R]) -> Verdict<'a, R> {
    Matcher::new(rules).verdict(link)
}

/// Rules cut into parts once and indexed by domain, for many links: only
/// a link's own domain's rules are compared, except to name a near miss
/// on another domain.
pub struct Matcher<'a, R> {
    rules: Vec<(&'a R, Parts<'a>)>,
    by_host: HashMap<String, Vec<usize>>,
}

impl<'a, R: AsRule> Matcher<'a, R> {
    pub fn new(rules: &'a [R]) -> Matcher<'a, R> {
        let rules: Vec<(&R, Parts)> = rules.iter().filter_map(|r| parts(r.prefix()).map(|p| (r, p))).collect();
        let mut by_host: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, (_, rule)) in rules.iter().enumerate() {
            by_host.entry(rule.host.clone()).or_default().push(i);
        }
        Matcher { rules, by_host }
    }

    /// The most specific rule among `indices` passing `test`: the longest
    /// prefix (the first of equals in the list's order wins ties, as before).
    fn longest(&self, indices: impl Iterator<Item = usize>, test: impl Fn(&Parts) -> bool) -> Option<&'a R> {
        indices.filter(|&i| test(&self.rules[i].1)).map(|i| self.rules[i].0).max_by_key(|r| r.prefix().trim().len())
    }

    /// The published rule that opens `link`, if any.
    pub fn opened_by(&self, link: &str) -> Option<&'a R> {
        match self.verdict(link) {
            Verdict { reason: Reason::Match, rule } => rule,
            _ => None,
        }
    }

    pub fn verdict(&self, link: &str) -> Verdict<'a, R> {
        let Some(link) = parts(link) else { return Verdict { reason: Reason::NoRule, rule: None } };
        let same_host = self.by_host.get(&link.host).map_or(&[][..], Vec::as_slice);
        let on_host = |test: &dyn Fn(&Parts) -> bool| self.longest(same_host.iter().copied(), test);
        if let Some(rule) = on_host(&|rule| rule.scheme == link.scheme && path_and_query(rule, &link)) {
            let reason = if rule.published() { Reason::Match } else { Reason::Unpublished };
            return Verdict { reason, rule: Some(rule) };
        }
        let found = |reason: Reason, rule: Option<&'a R>| rule.map(|rule| Verdict { reason, rule: Some(rule) });
        let protocol = || on_host(&|rule| rule.scheme != link.scheme && path_and_query(rule, &link));
        // The only question that looks at other domains' rules.
        let host = || {
            self.longest(0..self.rules.len(), |rule| {
                rule.scheme == link.scheme && rule.host != link.host && path_and_query(rule, &link)
            })
        };
        let sub_path = || {
            on_host(&|rule| {
                rule.scheme == link.scheme
                    && link.path != rule.path
                    && link.path.starts_with(rule.path)
                    && !rule.path.ends_with('/')
            })
        };
        let parameters =
            || on_host(&|rule| rule.scheme == link.scheme && rule.path == link.path && rule.query.is_some());
        found(Reason::Protocol, protocol())
            .or_else(|| found(Reason::Host, host()))
            .or_else(|| found(Reason::NotSubPath, sub_path()))
            .or_else(|| found(Reason::Parameters, parameters()))
            .unwrap_or(Verdict { reason: Reason::NoRule, rule: None })
    }
}

/// The published rule that takes over the codes under `prefix` once that
/// rule is deleted (the most specific other rule matching it), if any:
/// without one, those codes stop opening the Mini Program.
pub fn takes_over<'a, R: AsRule>(prefix: &str, rules: &'a [R]) -> Option<&'a R> {
    let others: Vec<&R> = rules.iter().filter(|r| r.prefix().trim() != prefix.trim()).collect();
    Matcher::new(&others).opened_by(prefix).copied()
}

/// What deleting some rules does to the codes under them and to a list of
/// printed codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Impact {
    /// For each rule deleted, the published rule that takes its codes over
    /// (`None`: they stop opening the Mini Program).
    pub takes_over: Vec<TakeOver>,
    /// How many printed codes were checked.
    pub codes: usize,
    /// Printed codes that open the Mini Program through a deleted rule and
    /// will open nothing.
    pub broken: Vec<String>,
    /// Printed codes that will open it through another rule.
    pub moved: Vec<Moved>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TakeOver {
    pub prefix: String,
    pub rule: Option<crate::wechat::Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    pub code: String,
    /// The rule that opens it once the others are gone.
    pub to: String,
    pub path: String,
}

/// What deleting every rule in `deleted` (at once, as a batch does) does to
/// the codes under them and to `codes`, the links printed.
pub fn impact(deleted: &[&str], rules: &[crate::wechat::Rule], codes: &[String]) -> Impact {
    let gone = |prefix: &str| deleted.iter().any(|d| d.trim() == prefix.trim());
    let after: Vec<&crate::wechat::Rule> = rules.iter().filter(|r| !gone(&r.prefix)).collect();
    let (now, then) = (Matcher::new(rules), Matcher::new(&after));
    // What takes a deleted prefix's codes over is what matches the prefix
    // itself among the rules left (none of which is that prefix).
    let takes_over = deleted
        .iter()
        .map(|prefix| TakeOver {
            prefix: (*prefix).to_owned(),
            rule: then.opened_by(prefix).map(|rule| (*rule).clone()),
        })
        .collect();
    let (mut broken, mut moved) = (Vec::new(), Vec::new());
    for code in codes {
        // Only a code that opens the Mini Program through a deleted rule
        // changes: one that hits an unpublished rule opens nothing already.
        let before = now.verdict(code);
        if before.reason != Reason::Match || !before.rule.is_some_and(|r| gone(&r.prefix)) {
            continue;
        }
        match then.opened_by(code) {
            Some(rule) => moved.push(Moved { code: code.clone(), to: rule.prefix.clone(), path: rule.path.clone() }),
            None => broken.push(code.clone()),
        }
    }
    Impact { takes_over, codes: codes.len(), broken, moved }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Eq)]
    struct R(&'static str, bool);

    impl AsRule for R {
        fn prefix(&self) -> &str {
            self.0
        }
        fn published(&self) -> bool {
            self.1
        }
    }

    fn verdict(rules: &[R], link: &str) -> (Reason, Option<&'static str>) {
        let v = match_link(link, rules);
        (v.reason, v.rule.map(|r| r.0))
    }

    /// WeChat's own table of common mistakes, and its example of an
    /// unpublished rule shadowing a published one.
    #[test]
    fn wechats_examples() {
        let cases: [(&[R], &str, Reason, Option<&str>); 7] = [
            (
                &[R("http://www.qq.com/a/b", true)],
                "https://www.qq.com/a/b",
                Reason::Protocol,
                Some("http://www.qq.com/a/b"),
            ),
            (
                &[R("https://www.qq.com/a/b", true)],
                "https://www.weixin.qq.com/a/b",
                Reason::Host,
                Some("https://www.qq.com/a/b"),
            ),
            (
                &[R("https://www.qq.com/a/b?id=123", true)],
                "https://www.qq.com/a/b?id=132",
                Reason::Parameters,
                Some("https://www.qq.com/a/b?id=123"),
            ),
            (
                &[R("https://www.qq.com/a/b", true)],
                "https://www.qq.com/a/bc",
                Reason::NotSubPath,
                Some("https://www.qq.com/a/b"),
            ),
            (
                &[R("https://www.qq.com/a/b", true)],
                "https://www.qq.com/a/b/123",
                Reason::NotSubPath,
                Some("https://www.qq.com/a/b"),
            ),
            (
                &[R("https://www.qq.com/a/", true), R("https://www.qq.com/a/b", false)],
                "https://www.qq.com/a/b",
                Reason::Unpublished,
                Some("https://www.qq.com/a/b"),
            ),
            // And the sub-path the page's note gives: rule /a/ for /a/123456.
            (
                &[R("http://www.qq.com/a/", true)],
                "http://www.qq.com/a/123456",
                Reason::Match,
                Some("http://www.qq.com/a/"),
            ),
        ];
        for (rules, link, reason, rule) in cases {
            assert_eq!(verdict(rules, link), (reason, rule), "{link}");
        }
    }

    #[test]
    fn parameters_the_most_specific_and_no_rule() {
        let rules = [
            R("http://www.qq.com/mypath?", true),
            R("https://shop.example.com/qr/", true),
            R("https://shop.example.com/qr/event/", false),
            R("https://shop.example.com/qr/event/2025/", true),
        ];
        assert_eq!(verdict(&rules, "http://www.qq.com/mypath?a=1&b=2").0, Reason::Match);
        assert_eq!(verdict(&rules, "https://shop.example.com/qr/x").1, Some("https://shop.example.com/qr/"));
        // The deeper published rule wins over the unpublished one between.
        assert_eq!(verdict(&rules, "https://shop.example.com/qr/event/2025/7").0, Reason::Match);
        assert_eq!(verdict(&rules, "https://shop.example.com/qr/event/2026/7").0, Reason::Unpublished);
        assert_eq!(
            verdict(&rules, "HTTPS://SHOP.example.com/qr/x").0,
            Reason::Match,
            "scheme and host are not case-sensitive"
        );
        assert_eq!(verdict(&rules, "https://other.example.com/"), (Reason::NoRule, None));
        assert_eq!(verdict(&rules, "not a link"), (Reason::NoRule, None));
        assert_eq!(verdict(&[], "https://a.example.com/"), (Reason::NoRule, None));
    }

    #[test]
    fn the_rule_that_takes_over() {
        let rules = [
            R("https://s.example.com/qr/", true),
            R("https://s.example.com/qr/event/", false),
            R("https://s.example.com/qr/event/2025/", true),
        ];
        let over = |p: &str| takes_over(p, &rules).map(|r| r.0);
        assert_eq!(over("https://s.example.com/qr/event/2025/"), None, "the unpublished /event/ shadows /qr/");
        assert_eq!(over("https://s.example.com/qr/event/"), Some("https://s.example.com/qr/"));
        assert_eq!(over("https://s.example.com/qr/"), None);
    }

    /// Properties over many generated rules and links.
    #[test]
    fn properties() {
        let segments = ["a", "qr", "store-01", "x.html", "中文", "2025"];
        let pick = |n: u64| segments[(n % segments.len() as u64) as usize];
        for seed in 0..2000u64 {
            let depth = 1 + seed % 3;
            let path: String = (0..depth).map(|i| format!("/{}", pick(seed / 7 + i * 3))).collect();
            let base = format!("https://h{}.example.com{path}", seed % 5);
            let slash = format!("{base}/");
            let rules = [R(Box::leak(slash.clone().into_boxed_str()), true)];
            // rule + "/" + segment always matches a rule ending in "/".
            let link = format!("{slash}{}", pick(seed));
            assert_eq!(verdict(&rules, &link).0, Reason::Match, "{link} under {slash}");
            // A different scheme never matches.
            let other = link.replacen("https://", "http://", 1);
            assert_ne!(verdict(&rules, &other).0, Reason::Match, "{other}");
            // Without the final "/", the same link is not a sub-path.
            let bare = [R(Box::leak(base.clone().into_boxed_str()), true)];
            assert_eq!(verdict(&bare, &link).0, Reason::NotSubPath, "{link} under {base}");
            // The rule itself always matches itself.
            assert_eq!(verdict(&bare, &base).0, Reason::Match);
        }
    }

    #[test]
    fn the_impact_on_printed_codes() {
        let rule = |prefix: &str, state: i64| crate::wechat::Rule {
            prefix: prefix.into(),
            path: format!("pages/{}", prefix.len()),
            state,
            ..Default::default()
        };
        let rules = [
            rule("https://s.example.com/qr/", 2),
            rule("https://s.example.com/qr/a/", 2),
            rule("https://s.example.com/qr/b/", 2),
            rule("https://s.example.com/off/", 1),
        ];
        let codes: Vec<String> = [
            "https://s.example.com/qr/a/1",
            "https://s.example.com/qr/a/2",
            "https://s.example.com/qr/b/1",
            "https://s.example.com/qr/c/1",
            "https://other.example.com/qr/a/1",
        ]
        .map(String::from)
        .into();
        // /qr/a/ alone: its codes move to /qr/.
        let one = impact(&["https://s.example.com/qr/a/"], &rules, &codes);
        assert_eq!(one.codes, 5);
        assert_eq!(one.moved.len(), 2);
        assert!(one.moved.iter().all(|m| m.to == "https://s.example.com/qr/"));
        assert!(one.broken.is_empty());
        assert_eq!(one.takes_over[0].rule.as_ref().map(|r| r.prefix.as_str()), Some("https://s.example.com/qr/"));
        // With /qr/ in the same batch, nothing takes them over.
        let all = impact(&["https://s.example.com/qr/a/", "https://s.example.com/qr/"], &rules, &codes);
        assert_eq!(
            all.broken,
            ["https://s.example.com/qr/a/1", "https://s.example.com/qr/a/2", "https://s.example.com/qr/c/1"]
        );
        assert!(all.moved.is_empty());
        assert!(all.takes_over.iter().all(|t| t.rule.is_none()));
        // An unpublished rule's codes open nothing before or after.
        let off = impact(&["https://s.example.com/off/"], &rules, &["https://s.example.com/off/1".into()]);
        assert!(off.broken.is_empty() && off.moved.is_empty());
    }
}
