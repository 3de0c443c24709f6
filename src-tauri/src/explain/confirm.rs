//! The questions the command line asks before it changes anything, and what
//! it says when it cannot ask or is not told yes. (The window asks with its
//! own dialogs, worded in i18n.js.)

use crate::lang::Lang;

/// What the command line is about to do, for its question and its refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Delete,
    ResumeBatch,
    Restore,
    AddRule,
    ChangeRule,
    Publish,
    ApplyRuleSet,
    InstallUpdate,
}

impl Action {
    fn en(self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::ResumeBatch => "resume the batch",
            Action::Restore => "restore",
            Action::AddRule => "add a rule",
            Action::ChangeRule => "change a rule",
            Action::Publish => "publish",
            Action::ApplyRuleSet => "apply a rule set",
            Action::InstallUpdate => "install an update",
        }
    }

    fn zh(self) -> &'static str {
        match self {
            Action::Delete => "删除",
            Action::ResumeBatch => "继续这一批",
            Action::Restore => "恢复规则",
            Action::AddRule => "添加规则",
            Action::ChangeRule => "修改规则",
            Action::Publish => "发布",
            Action::ApplyRuleSet => "应用规则集",
            Action::InstallUpdate => "安装更新",
        }
    }
}

/// Why nothing was done: no terminal to ask on, and no --yes.
pub fn no_terminal(action: Action, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "refusing to {} without confirmation: stdin is not a terminal (pass --yes to confirm in a script)",
            action.en()
        ),
        Lang::ZhCn => format!("未经确认不会{}：标准输入不是终端（在脚本中请加 --yes 表示确认）", action.zh()),
    }
}

/// Why nothing was done: the answer was not yes.
pub fn not_confirmed(action: Action, lang: Lang) -> String {
    match (action, lang) {
        (Action::Delete, Lang::En) => "not deleted: not confirmed".into(),
        (Action::ResumeBatch, Lang::En) => "not resumed: not confirmed".into(),
        (Action::Restore, Lang::En) => "not restored: not confirmed".into(),
        (Action::ApplyRuleSet, Lang::En) => "not applied: not confirmed".into(),
        (Action::InstallUpdate, Lang::En) => "not installed: not confirmed".into(),
        (Action::AddRule | Action::ChangeRule | Action::Publish, Lang::En) => {
            format!("not done: not confirmed ({})", action.en())
        }
        (_, Lang::ZhCn) => format!("没有{}：未得到确认", action.zh()),
    }
}

/// The question after a plan has been shown.
pub fn go_ahead(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::Delete => lang.pick("删除吗？[y/N] ", "Delete them? [y/N] "),
        Action::ResumeBatch => lang.pick("继续吗？[y/N] ", "Resume? [y/N] "),
        Action::InstallUpdate => lang.pick("下载并安装吗？[y/N] ", "Download and install it? [y/N] "),
        _ => lang.pick("继续吗？[y/N] ", "Go ahead? [y/N] "),
    }
}

/// Above `TYPE_THE_COUNT` rules the admin types how many, as the window asks.
pub fn type_the_count(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Type the number of rules ({count}) to delete them: "),
        Lang::ZhCn => format!("请输入规则条数（{count}）以确认删除："),
    }
}

/// The typed count was not the count.
pub fn count_differs(lang: Lang) -> &'static str {
    lang.pick("没有删除：输入的条数不一致", "not deleted: the number typed does not match")
}

/// Before one delete: which rule, and for which Mini Program in
/// service-account mode.
pub fn delete_one(prefix: &str, appid: Option<&str>, lang: Lang) -> String {
    let mut text = match lang {
        Lang::En => format!("About to delete the QR code jump rule:\n  prefix: {prefix}"),
        Lang::ZhCn => format!("即将删除这条二维码跳转规则：\n  前缀：{prefix}"),
    };
    if let Some(appid) = appid {
        text.push_str(&match lang {
            Lang::En => format!("\n  Mini Program AppID: {appid} (service-account mode)"),
            Lang::ZhCn => format!("\n  小程序 AppID：{appid}（服务号模式）"),
        });
    }
    text
}

/// The question after `delete_one`.
pub fn delete_it(lang: Lang) -> &'static str {
    lang.pick(
        "已印出的带这个前缀的二维码将无法再打开小程序。删除吗？[y/N] ",
        "Printed QR codes with this prefix will stop opening the Mini Program. Delete it? [y/N] ",
    )
}

/// Before a batch: how many, then each rule (`rule_line`), then what it breaks.
pub fn delete_many(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("About to delete {count} QR code jump rule(s):"),
        Lang::ZhCn => format!("即将删除 {count} 条二维码跳转规则："),
    }
}

/// What deleting several rules breaks.
pub fn many_stop_opening(lang: Lang) -> &'static str {
    lang.pick(
        "已印出的带这些前缀的二维码将无法再打开小程序。",
        "Printed QR codes with these prefixes will stop opening the Mini Program.",
    )
}

/// Before a restore: how many rules come back, then each (`rule_line`).
pub fn restore_many(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("About to add back {count} rule(s):"),
        Lang::ZhCn => format!("即将加回 {count} 条规则："),
    }
}

/// What publishing while restoring spends; `left` when it could be read.
pub fn publishes_spent(left: Option<i64>, used: usize, lang: Lang) -> String {
    match (left, lang) {
        (Some(left), Lang::En) => {
            format!("Each publish spends one of this month's publishes: {left} left, {used} would be used.")
        }
        (Some(left), Lang::ZhCn) => format!("每次发布都会用掉本月的一次发布机会：还剩 {left} 次，这次将用 {used} 次。"),
        (None, Lang::En) => {
            "Each publish spends one of this month's publishes (how many are left could not be read).".into()
        }
        (None, Lang::ZhCn) => "每次发布都会用掉本月的一次发布机会（未能读到还剩几次）。".into(),
    }
}

/// One rule in a list shown before a change.
pub fn rule_line(prefix: &str, path: &str) -> String {
    format!("  {prefix}  ->  {path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_named_in_both_languages() {
        let all = [
            Action::Delete,
            Action::ResumeBatch,
            Action::Restore,
            Action::AddRule,
            Action::ChangeRule,
            Action::Publish,
            Action::ApplyRuleSet,
            Action::InstallUpdate,
        ];
        for action in all {
            assert!(no_terminal(action, Lang::En).contains("--yes"));
            assert!(no_terminal(action, Lang::ZhCn).contains(action.zh()));
            assert!(not_confirmed(action, Lang::En).starts_with("not "));
            assert!(not_confirmed(action, Lang::ZhCn).starts_with('没'));
        }
    }
}
