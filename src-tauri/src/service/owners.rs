//! "Which account owns this prefix?": one prefix searched across every
//! configured account's rule list. WeChat answers 85072 when another
//! account holds a prefix, without saying which; merchants with several
//! Mini Programs cannot tell.

use serde::Serialize;

use super::Target;
use crate::lang::Lang;
use crate::wechat::{Mode, Prefix, Rule, Scope};

/// How a rule stands to the prefix searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The rule is exactly this prefix.
    Exact,
    /// The rule is broader: the prefix falls under it.
    Covers,
    /// The rule is narrower: it falls under the prefix.
    Under,
}

impl Relation {
    pub fn of(rule: &str, searched: &str) -> Option<Relation> {
        if rule == searched {
            Some(Relation::Exact)
        } else if searched.starts_with(rule) {
            Some(Relation::Covers)
        } else if rule.starts_with(searched) {
            Some(Relation::Under)
        } else {
            None
        }
    }
}

/// One account (and mode) to search.
pub struct Searchable {
    pub account_id: Option<String>,
    pub target: Target,
    pub scope: Scope,
}

/// Whose a rule list is: the account, its mode and (service-account mode)
/// the Mini Program.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Whose {
    pub account_id: Option<String>,
    pub account_name: String,
    pub mode: Mode,
    pub target_appid: Option<String>,
}

impl Whose {
    fn of(account: &Searchable) -> Whose {
        Whose {
            account_id: account.account_id.clone(),
            account_name: account.target.account_name.clone(),
            mode: account.scope.mode(),
            target_appid: account.scope.target_appid().map(|a| a.as_str().to_owned()),
        }
    }
}

/// A rule found, and whose it is.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Holding {
    #[serde(flatten)]
    pub whose: Whose,
    pub relation: Relation,
    pub rule: Rule,
}

/// An account searched, and whether its list could be read.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Searched {
    #[serde(flatten)]
    pub whose: Whose,
    pub rules: usize,
    /// Why the list could not be read, in the admin's language.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerSearch {
    pub prefix: String,
    /// Exact holders first, then broader and narrower rules.
    pub holdings: Vec<Holding>,
    pub searched: Vec<Searched>,
}

/// One account's list as read (empty when it could not be).
pub struct ListRead {
    pub whose: Whose,
    pub rules: Vec<Rule>,
    pub searched: Searched,
}

/// Reads each account's whole list, one after another (each has its own
/// limits); a list that cannot be read is reported, not fatal.
pub async fn read_lists(accounts: &[Searchable], lang: Lang) -> Vec<ListRead> {
    let mut read = Vec::new();
    for account in accounts {
        let list = account.target.client.all_jump_qrcodes(&account.target.account, &account.scope).await;
        let (rules, error) = match list {
            Ok(list) => (list.rule_list, None),
            Err(error) => (Vec::new(), Some(crate::explain::error(&error, Some(account.scope.mode()), lang).text())),
        };
        let whose = Whose::of(account);
        let searched = Searched { whose: whose.clone(), rules: rules.len(), error };
        read.push(ListRead { whose, rules, searched });
    }
    read
}

/// Reads each account's whole list and reports every rule related to `prefix`.
pub async fn find(accounts: &[Searchable], prefix: &Prefix, lang: Lang) -> OwnerSearch {
    let lists = read_lists(accounts, lang).await;
    let mut holdings = Vec::new();
    for list in &lists {
        for rule in &list.rules {
            if let Some(relation) = Relation::of(&rule.prefix, prefix.as_str()) {
                holdings.push(Holding { whose: list.whose.clone(), relation, rule: rule.clone() });
            }
        }
    }
    holdings.sort_by_key(|h| h.relation != Relation::Exact);
    let searched = lists.into_iter().map(|list| list.searched).collect();
    OwnerSearch { prefix: prefix.as_str().to_owned(), holdings, searched }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations() {
        assert_eq!(Relation::of("https://a.com/qr/", "https://a.com/qr/"), Some(Relation::Exact));
        assert_eq!(Relation::of("https://a.com/", "https://a.com/qr/"), Some(Relation::Covers));
        assert_eq!(Relation::of("https://a.com/qr/x/", "https://a.com/qr/"), Some(Relation::Under));
        assert_eq!(Relation::of("https://b.com/", "https://a.com/qr/"), None);
    }
}
