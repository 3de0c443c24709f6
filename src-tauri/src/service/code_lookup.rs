//! "Which rule does this printed code hit?": links (typed, or read from
//! images) checked against every account's rule list with WeChat's
//! matching ([`crate::matching`]).

use serde::{Deserialize, Serialize};

use super::owners::{ListRead, Searchable, Searched, Whose, read_lists};
use crate::lang::Lang;
use crate::matching::{Matcher, Reason};
use crate::wechat::Rule;

/// One thing to check: what the admin gave (a link, an image's name) and
/// the link in it (`None`: an image with no QR code in it).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeInput {
    pub label: String,
    pub url: Option<String>,
}

/// The answer for one code.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeVerdict {
    pub label: String,
    pub url: Option<String>,
    /// `None` when no code was read from the image.
    pub reason: Option<Reason>,
    /// The rule hit (`match`, `unpublished`), or the nearest rule and why
    /// it does not match; `None` for `no_rule`.
    pub rule: Option<Rule>,
    pub whose: Option<Whose>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeLookup {
    pub codes: Vec<CodeVerdict>,
    pub searched: Vec<Searched>,
}

/// How near a reason is to a match: the lower, the nearer.
fn nearness(reason: Reason) -> u8 {
    match reason {
        Reason::Match | Reason::Unpublished => 0,
        Reason::Protocol => 1,
        Reason::Host => 2,
        Reason::NotSubPath => 3,
        Reason::Parameters => 4,
        Reason::NoRule => 5,
    }
}

/// The verdict for `link` over every list (with its matcher): the most
/// specific rule hit in any of them, else the nearest miss.
pub fn verdict_over<'a>(
    link: &str,
    lists: &'a [ListRead],
    matchers: &[Matcher<'a, Rule>],
) -> (Reason, Option<(&'a Rule, &'a Whose)>) {
    let best = lists
        .iter()
        .zip(matchers)
        .filter_map(|(list, matcher)| {
            let verdict = matcher.verdict(link);
            verdict.rule.map(|rule| (verdict.reason, rule, &list.whose))
        })
        // Nearest first; among equals, the longest (most specific) prefix.
        .min_by_key(|(reason, rule, _)| (nearness(*reason), std::cmp::Reverse(rule.prefix.trim().len())));
    match best {
        Some((reason, rule, whose)) => (reason, Some((rule, whose))),
        None => (Reason::NoRule, None),
    }
}

/// Reads every account's list once and checks each code against all of them.
pub async fn lookup(accounts: &[Searchable], codes: &[CodeInput], lang: Lang) -> CodeLookup {
    let lists = read_lists(accounts, lang).await;
    let matchers: Vec<Matcher<Rule>> = lists.iter().map(|list| Matcher::new(&list.rules)).collect();
    let codes = codes
        .iter()
        .map(|code| {
            let Some(url) = &code.url else {
                return CodeVerdict { label: code.label.clone(), url: None, reason: None, rule: None, whose: None };
            };
            let (reason, found) = verdict_over(url, &lists, &matchers);
            CodeVerdict {
                label: code.label.clone(),
                url: Some(url.clone()),
                reason: Some(reason),
                rule: found.map(|(rule, _)| rule.clone()),
                whose: found.map(|(_, whose)| whose.clone()),
            }
        })
        .collect();
    CodeLookup { codes, searched: lists.into_iter().map(|list| list.searched).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::Mode;

    fn list(name: &str, rules: &[(&str, i64)]) -> ListRead {
        let whose = Whose { account_id: None, account_name: name.into(), mode: Mode::Ordinary, target_appid: None };
        let rules: Vec<Rule> = rules
            .iter()
            .map(|(prefix, state)| Rule { prefix: (*prefix).into(), state: *state, ..Rule::default() })
            .collect();
        let searched = Searched { whose: whose.clone(), rules: rules.len(), error: None };
        ListRead { whose, rules, searched }
    }

    #[test]
    fn the_most_specific_hit_across_accounts_then_the_nearest_miss() {
        let lists = [
            list("Brand A", &[("https://a.example.com/qr/", 2)]),
            list("Brand B", &[("https://a.example.com/qr/b/", 1), ("http://b.example.com/qr/", 2)]),
        ];
        let matchers: Vec<Matcher<Rule>> = lists.iter().map(|l| Matcher::new(&l.rules)).collect();
        let verdict_over = |link: &str| verdict_over(link, &lists, &matchers);
        let name = |(reason, found): (Reason, Option<(&Rule, &Whose)>)| {
            (reason, found.map(|(rule, whose)| (rule.prefix.clone(), whose.account_name.clone())))
        };
        assert_eq!(
            name(verdict_over("https://a.example.com/qr/b/1")),
            (Reason::Unpublished, Some(("https://a.example.com/qr/b/".into(), "Brand B".into())))
        );
        assert_eq!(
            name(verdict_over("https://a.example.com/qr/c")),
            (Reason::Match, Some(("https://a.example.com/qr/".into(), "Brand A".into())))
        );
        assert_eq!(
            name(verdict_over("https://b.example.com/qr/1")),
            (Reason::Protocol, Some(("http://b.example.com/qr/".into(), "Brand B".into())))
        );
        assert_eq!(name(verdict_over("https://c.example.com/")), (Reason::NoRule, None));
    }
}
