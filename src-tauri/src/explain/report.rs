//! The CLI's reports in words: a rule list, which accounts hold a prefix,
//! and what verifying the history found. (The window draws the same facts
//! with i18n.js.)

use crate::history::signing::{Broken, Signing};
use crate::history::{AnchorReport, CsvCheck, Verification};
use crate::lang::Lang;
use crate::service::owners::{OwnerSearch, Relation};
use crate::service::rules::{AddPlan, EditKind, EditPlan, PublishPlan, StepRole};
use crate::wechat::{Rule, RuleList};

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

/// What `history verify` found: the chain, the export it was checked
/// against (if any), the head's signature and the export's.
pub fn verification(
    verification: &Verification,
    anchor: Option<&AnchorReport>,
    signing: &Signing,
    lang: Lang,
) -> String {
    let mut lines = vec![match (verification, lang) {
        (Verification::Intact { records }, Lang::En) => {
            format!("History intact: {records} completed record(s) check out.")
        }
        (Verification::Intact { records }, Lang::ZhCn) => {
            format!("历史记录完整：{records} 条已完成的记录均未被改动或删除。")
        }
        (Verification::Altered { id, .. }, Lang::En) => {
            format!("History ALTERED: record {id} was changed outside the app.")
        }
        (Verification::Altered { id, .. }, Lang::ZhCn) => {
            format!("历史记录被改动：第 {id} 条记录在本应用之外被修改过。")
        }
        (Verification::Removed { after_id, .. }, Lang::En) => {
            format!("History ALTERED: a record after record {after_id} was removed outside the app.")
        }
        (Verification::Removed { after_id, .. }, Lang::ZhCn) => {
            format!("历史记录被改动：第 {after_id} 条记录之后有记录在本应用之外被删除。")
        }
        (Verification::Truncated { expected, found }, Lang::En) => format!(
            "History ALTERED: the export saw {expected} completed record(s); only {found} remain, so the newest were removed."
        ),
        (Verification::Truncated { expected, found }, Lang::ZhCn) => {
            format!("历史记录被改动：导出时有 {expected} 条已完成的记录，现在只剩 {found} 条，最新的记录被删除了。")
        }
    }];
    if let Some(report) = anchor {
        if matches!(verification, Verification::Intact { .. }) {
            let (time, n) = (&report.exported_at, report.chain_records);
            lines.push(match lang {
                Lang::En => format!("  Everything the export of {time} saw ({n} record(s)) is still there, unchanged."),
                Lang::ZhCn => format!("  {time} 的导出所见的 {n} 条记录都还在，且未被改动。"),
            });
        }
        lines.push(
            match report.csv {
                CsvCheck::Matches => lang.pick("  导出的 CSV 与清单相符。", "  The exported CSV matches its manifest."),
                CsvCheck::Differs => lang.pick(
                    "  导出的 CSV 在导出后被改动过（SHA-256 不符）。",
                    "  The exported CSV was CHANGED after the export (its SHA-256 differs).",
                ),
                CsvCheck::Missing => lang.pick(
                    "  清单旁没有导出的 CSV：未验证。",
                    "  The exported CSV is not beside the manifest: not checked.",
                ),
            }
            .to_owned(),
        );
    }
    lines.push(format!("  {}", signed(signing, lang)));
    if let Some(report) = anchor
        && !matches!(report.signing, Signing::Unsigned)
    {
        lines.push(match lang {
            Lang::En => format!("  The export's signed head: {}", signed(&report.signing, lang)),
            Lang::ZhCn => format!("  导出时已签名的链头：{}", signed(&report.signing, lang)),
        });
    }
    lines.join("\n")
}

/// What the chain head's signature says.
fn signed(signing: &Signing, lang: Lang) -> String {
    match (signing, lang) {
        (Signing::Unsigned, _) => lang
            .pick(
                "未签名：记录产生时没有系统凭据存储保管本机的密钥，整个文件被重写将无法发现。",
                "UNSIGNED: no credential store held this installation's key where records were made, so a rewrite of the whole file would not be seen.",
            )
            .into(),
        (Signing::Signed { seq, after: 0 }, Lang::En) => {
            format!("Signed: the chain up to record {seq} is as this installation's key signed it.")
        }
        (Signing::Signed { seq, after: 0 }, Lang::ZhCn) => format!("已签名：直到第 {seq} 条的记录链与本机密钥签名时一致。"),
        (Signing::Signed { seq, after }, Lang::En) => {
            format!("Signed up to chain record {seq}; {after} newer record(s) were added without the key (unsigned).")
        }
        (Signing::Signed { seq, after }, Lang::ZhCn) => {
            format!("已签名到链上第 {seq} 条；之后有 {after} 条较新的记录在没有密钥时加入（未签名）。")
        }
        (Signing::Broken { reason }, _) => {
            let why = match reason {
                Broken::BadSignature => lang.pick("签名文件不是有效的签名。", "the signature file is not a valid signature."),
                Broken::OtherKey => lang.pick(
                    "链头由另一把密钥签名，不是本机的密钥。",
                    "the head was signed with a key that is not this installation's.",
                ),
                Broken::OtherInstallation => {
                    lang.pick("签名属于另一个历史记录文件。", "the signature belongs to another history file.")
                }
                Broken::Rewritten => lang.pick(
                    "签名位置上的记录变了：历史记录被没有密钥的人重写过。",
                    "the record at the signed position changed: the history was rewritten by someone without the key.",
                ),
                Broken::Missing => lang.pick(
                    "本机会为历史记录签名，但签名被删除了。",
                    "this installation signs its history, but the signature was removed.",
                ),
            };
            match lang {
                Lang::En => format!("SIGNATURE BROKEN: {why}"),
                Lang::ZhCn => format!("签名无效：{why}"),
            }
        }
    }
}

/// The page and settings of a rule, on one line.
fn rule_line(rule: &Rule, lang: Lang) -> String {
    let version = match rule.open_version {
        Some(1) => lang.pick("开发版", "development"),
        Some(2) => lang.pick("体验版", "trial"),
        Some(3) => lang.pick("线上版", "release"),
        _ => "",
    };
    let mut line = format!("{}  ->  {}", rule.prefix, rule.path);
    if !version.is_empty() {
        let sub = match rule.permit_sub_rule {
            Some(2) => lang.pick("，含子规则", ", sub-rules yes"),
            _ => lang.pick("，不含子规则", ", sub-rules no"),
        };
        line.push_str(&format!("  [{version}{sub}]"));
    }
    for url in rule.debug_url.iter().flatten() {
        line.push_str(&format!("\n      {} {url}", lang.pick("测试链接", "test link")));
    }
    line
}

fn publishes(left: Option<i64>, needed: usize, lang: Lang) -> String {
    match (left, lang) {
        (Some(left), Lang::En) => format!("Spends {needed} of this month's publishes ({left} left)."),
        (Some(left), Lang::ZhCn) => format!("将用掉本月发布次数 {needed} 次（还剩 {left} 次）。"),
        (None, Lang::En) => format!("Spends {needed} of this month's publishes (how many are left is not known)."),
        (None, Lang::ZhCn) => format!("将用掉本月发布次数 {needed} 次（不知道还剩多少）。"),
    }
}

/// What an add will do, before it is confirmed.
pub fn add_plan(plan: &AddPlan, lang: Lang) -> String {
    let mut text =
        format!("{}\n  {}", lang.pick("将添加规则：", "About to add the rule:"), rule_line(&plan.rule, lang));
    if let Some(host) = &plan.first_on_host {
        text.push_str(&match lang {
            Lang::En => format!(
                "\nThe account has no rule on {host} yet: WeChat first checks its verification file there (85069 if it is missing; \"Check file\" or `qrjump rules doctor` tells beforehand)."
            ),
            Lang::ZhCn => format!(
                "\n本账号在 {host} 上还没有规则：微信会先到那里核对校验文件（缺少时返回 85069；可先用“检查校验文件”或 qrjump rules doctor 检查）。"
            ),
        });
    }
    if plan.publish {
        text.push_str(&format!("\n{}", lang.pick("添加后发布。", "It is published once added.")));
        text.push_str(&format!(" {}", publishes(plan.publishes_left, 1, lang)));
    } else if plan.publish_held {
        text.push_str(&format!(
            "\n{}",
            lang.pick(
                "本月的发布次数已用完：只添加，不发布；下个月再发布。",
                "No publishes are left this month: the rule is added unpublished; publish it next month.",
            )
        ));
    }
    text
}

/// What an edit will do, before it is confirmed: in place, or the three
/// linked steps of a new page for a published rule.
pub fn edit_plan(plan: &EditPlan, lang: Lang) -> String {
    let mut text = format!(
        "{}\n  {}: {}\n  {}: {}",
        lang.pick("将修改规则：", "About to change the rule:"),
        lang.pick("现在", "now"),
        rule_line(&plan.before, lang),
        lang.pick("改为", "to"),
        rule_line(&plan.after, lang),
    );
    if plan.kind == EditKind::Replace {
        text.push_str(&format!(
            "\n{}\n  1. {}\n  2. {}\n  3. {}\n{} {}",
            lang.pick(
                "已发布规则的页面不能直接修改，将分三步进行：",
                "A published rule's page cannot be edited, so this is three steps:",
            ),
            lang.pick(
                "删除这条规则（此刻起它的二维码不再打开小程序）",
                "delete the rule (its codes stop opening the Mini Program)"
            ),
            lang.pick("以新页面重新添加", "add it again with the new page"),
            lang.pick("发布（二维码恢复打开，进入新页面）", "publish it (its codes open the new page)"),
            publishes(plan.publishes_left, plan.publishes_needed, lang),
            lang.pick(
                "如果第 2 步失败，原规则会被加回并重新发布。",
                "If step 2 fails, the old rule is added back and published again.",
            ),
        ));
    }
    text
}

/// What a publish will do, before it is confirmed.
pub fn publish_plan(plan: &PublishPlan, lang: Lang) -> String {
    let mut text = lang.pick("将发布：", "About to publish:").to_owned();
    for rule in &plan.rules {
        text.push_str(&format!("\n  {}", rule_line(rule, lang)));
    }
    for prefix in &plan.already {
        text.push_str(&format!("\n  {prefix}  ({})", lang.pick("已发布，跳过", "published already, left alone")));
    }
    text.push_str(&format!("\n{}", publishes(plan.publishes_left, plan.publishes_needed, lang)));
    text
}

/// What applying a rule file would change.
pub fn rule_set_plan(plan: &crate::service::plan::Plan, lang: Lang) -> String {
    if plan.is_empty() {
        return lang
            .pick(
                "账号的规则已与文件一致，没有需要修改的。",
                "The account's rules already match the file: nothing to change.",
            )
            .into();
    }
    let mut text = String::new();
    let groups = [
        (lang.pick("添加", "add"), &plan.add),
        (lang.pick("删除", "delete"), &plan.delete),
        (lang.pick("修改", "edit"), &plan.edit),
        (lang.pick("发布", "publish"), &plan.publish),
    ];
    for (label, prefixes) in groups {
        for prefix in prefixes {
            text.push_str(&format!(
                "{label:<8} {prefix}
"
            ));
        }
    }
    text.push_str(&match (plan.quota_left, lang) {
        (Some(left), Lang::En) => format!("Publishes: {} needed, {left} left this month.", plan.quota_needed),
        (Some(left), Lang::ZhCn) => format!("发布次数：需要 {} 次，本月还剩 {left} 次。", plan.quota_needed),
        (None, Lang::En) => format!("Publishes: {} needed.", plan.quota_needed),
        (None, Lang::ZhCn) => format!("发布次数：需要 {} 次。", plan.quota_needed),
    });
    if let Some(refusal) = &plan.refused {
        text.push_str(&format!(
            "
{}",
            super::Problem::refusal(refusal, lang).message
        ));
    }
    text
}

/// What each step of an edit was for.
pub fn step(role: StepRole, lang: Lang) -> &'static str {
    match role {
        StepRole::Edit => lang.pick("修改", "edit"),
        StepRole::Delete => lang.pick("第 1 步 删除", "step 1, delete"),
        StepRole::Add => lang.pick("第 2 步 添加", "step 2, add"),
        StepRole::Publish => lang.pick("第 3 步 发布", "step 3, publish"),
        StepRole::PutBack => lang.pick("撤回：加回原规则", "undo: the old rule added back"),
        StepRole::PublishBack => lang.pick("撤回：重新发布原规则", "undo: the old rule published again"),
    }
}

/// Where WeChat's verification file was saved and where it must be served.
pub fn verification_file(saved: &std::path::Path, places: &[String], lang: Lang) -> String {
    let mut text = match lang {
        Lang::En => format!(
            "Saved WeChat's verification file: {}\nPut it on the web server so that it opens at:",
            saved.display()
        ),
        Lang::ZhCn => format!("已保存微信的校验文件：{}\n请把它放到网站上，使下列地址能打开它：", saved.display()),
    };
    for place in places {
        text.push_str(&format!("\n  {place}"));
    }
    text
}

/// WeChat asks for a verification file and no folder was given to save it.
pub fn verification_file_wanted(lang: Lang) -> &'static str {
    lang.pick(
        "\n  微信要在网站上核对校验文件：加上 --verification-file-dir 目录 再运行一次，即可保存它。",
        "\n  WeChat checks a verification file on the web server: run again with --verification-file-dir DIR to save it.",
    )
}

/// Settings a service-account rule does not have.
pub fn ordinary_only_settings(lang: Lang) -> &'static str {
    lang.pick(
        "--open-version、--sub-rules 和 --debug-url 只用于普通二维码模式；服务号的规则只有页面（--path）",
        "--open-version, --sub-rules and --debug-url are ordinary-mode settings; a service-account rule has only its page (--path)",
    )
}

/// A rule added while no publishes were left.
pub fn added_unpublished(lang: Lang) -> &'static str {
    lang.pick(
        "本月的发布次数已用完：规则已添加但未发布。",
        "No publishes were left this month: the rule was added, unpublished.",
    )
}

/// An edit whose new page could not be added: the old rule is back.
pub fn edit_rolled_back(lang: Lang) -> &'static str {
    lang.pick(
        "新页面没能添加，原规则已加回（见上面的撤回记录）。",
        "The new page could not be added; the old rule was put back (see the undo records above).",
    )
}

/// Rules left unsent because WeChat's answer holds for the whole account.
pub fn rules_not_sent(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{count} rule(s) not sent: the answer above holds for the whole account."),
        Lang::ZhCn => format!("还有 {count} 条没有发送：上面的答复对整个账号都成立。"),
    }
}

/// Where `rules apply` saved the list before changing it.
pub fn list_saved_in(path: &std::path::Path, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The list as it was is saved in {}", path.display()),
        Lang::ZhCn => format!("原来的规则列表已备份到 {}", path.display()),
    }
}

/// Changes of a rule set left unsent; running it again finishes them.
pub fn changes_not_sent(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{count} change(s) not sent: the answer above holds for the whole account. Run `rules apply` again later to finish."
        ),
        Lang::ZhCn => {
            format!("还有 {count} 项没有发送：上面的答复对整个账号都成立。稍后再运行一次 rules apply 即可完成。")
        }
    }
}

/// `qrjump rules export`.
pub fn rules_written(count: usize, file: &std::path::Path, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Wrote {count} rule(s) to {}", file.display()),
        Lang::ZhCn => format!("已把 {count} 条规则写入 {}", file.display()),
    }
}

/// How far a long rule listing is, for one line of a terminal.
pub fn reading_rules(fetched: usize, total: Option<i64>, lang: Lang) -> String {
    match (total, lang) {
        (Some(total), Lang::En) => format!("  read {fetched} of {total} rule(s)…"),
        (None, Lang::En) => format!("  read {fetched} rule(s)…"),
        (Some(total), Lang::ZhCn) => format!("  已读取 {fetched} / {total} 条规则…"),
        (None, Lang::ZhCn) => format!("  已读取 {fetched} 条规则…"),
    }
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

    #[test]
    fn a_verification_reads_in_both_languages() {
        let intact = Verification::Intact { records: 3 };
        let en = verification(&intact, None, &Signing::Unsigned, Lang::En);
        assert_eq!(en.lines().count(), 2, "{en}");
        assert!(en.starts_with("History intact: 3 completed record(s)") && en.contains("UNSIGNED"), "{en}");
        let broken = Signing::Broken { reason: Broken::Rewritten };
        let zh = verification(&Verification::Altered { id: 7, checked: 6 }, None, &broken, Lang::ZhCn);
        assert!(zh.contains("第 7 条") && zh.contains("签名无效"), "{zh}");
    }
}
