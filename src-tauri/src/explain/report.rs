//! The CLI's reports in words: a rule list, and which accounts hold a
//! prefix. (The window draws the same facts as tables, with i18n.js.)

use crate::lang::Lang;
use crate::service::owners::{OwnerSearch, Relation};
use crate::wechat::RuleList;

/// One line a rule, then the count and the month's publishes left.
pub fn rule_list(list: &RuleList, lang: Lang) -> String {
    let mut text = String::new();
    for rule in &list.rule_list {
        let state = match (rule.is_published(), lang) {
            (true, Lang::En) => "published  ",
            (false, Lang::En) => "unpublished",
            (true, Lang::ZhCn) => "已发布",
            (false, Lang::ZhCn) => "未发布",
        };
        let version = match rule.open_version {
            Some(1) => lang.pick(" [开发版]", " [development]"),
            Some(2) => lang.pick(" [体验版]", " [trial]"),
            Some(3) => lang.pick(" [线上版]", " [release]"),
            _ => "",
        };
        text.push_str(&format!("{state}  {}  ->  {}{version}\n", rule.prefix, rule.path));
    }
    let n = list.rule_list.len();
    text.push_str(&match lang {
        Lang::En => format!("{n} rule(s)"),
        Lang::ZhCn => format!("共 {n} 条规则"),
    });
    if let Some(quota) = list.qrcodejump_pub_quota {
        text.push_str(&match lang {
            Lang::En => format!(", {quota} publish(es) left this month"),
            Lang::ZhCn => format!("，本月还可发布 {quota} 次"),
        });
    }
    text
}

/// Each account holding `prefix` (or a broader or narrower rule), each list
/// that could not be read, and whether any holds the prefix itself.
pub fn owners(found: &OwnerSearch, prefix: &str, lang: Lang) -> String {
    let mut lines = Vec::new();
    for holding in &found.holdings {
        let how = match holding.relation {
            Relation::Exact => lang.pick("持有这个前缀", "holds it"),
            Relation::Covers => lang.pick("有更宽的规则", "has a broader rule"),
            Relation::Under => lang.pick("有更窄的规则", "has a narrower rule"),
        };
        let name = &holding.whose.account_name;
        let (rule, path) = (&holding.rule.prefix, &holding.rule.path);
        lines.push(match (&holding.whose.target_appid, lang) {
            (Some(appid), Lang::En) => format!("{name} for {appid} {how}: {rule} -> {path}"),
            (Some(appid), Lang::ZhCn) => format!("{name}（小程序 {appid}）{how}：{rule} -> {path}"),
            (None, Lang::En) => format!("{name} {how}: {rule} -> {path}"),
            (None, Lang::ZhCn) => format!("{name} {how}：{rule} -> {path}"),
        });
    }
    for searched in found.searched.iter().filter(|s| s.error.is_some()) {
        let (name, error) = (&searched.whose.account_name, searched.error.as_deref().unwrap_or(""));
        lines.push(match lang {
            Lang::En => format!("{name}: not searched: {error}"),
            Lang::ZhCn => format!("{name}：未能查找：{error}"),
        });
    }
    if !found.holdings.iter().any(|h| h.relation == Relation::Exact) {
        lines.push(match lang {
            Lang::En => format!("No searched account holds {prefix} itself."),
            Lang::ZhCn => format!("查找过的账号都不持有 {prefix} 本身。"),
        });
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::Rule;

    #[test]
    fn a_rule_list_reads_in_both_languages() {
        let rule: Rule = serde_json::from_value(serde_json::json!({
            "prefix": "https://a.test/qr/", "path": "pages/a", "state": 2, "open_version": 3,
            "debug_url": [], "permit_sub_rule": 1
        }))
        .unwrap();
        let list = RuleList { rule_list: vec![rule], qrcodejump_pub_quota: Some(99), ..RuleList::default() };
        let en = rule_list(&list, Lang::En);
        assert!(en.starts_with("published    https://a.test/qr/  ->  pages/a [release]"), "{en}");
        assert!(en.ends_with("1 rule(s), 99 publish(es) left this month"), "{en}");
        let zh = rule_list(&list, Lang::ZhCn);
        assert!(
            zh.contains("已发布") && zh.contains("[线上版]") && zh.ends_with("共 1 条规则，本月还可发布 99 次"),
            "{zh}"
        );
    }
}
