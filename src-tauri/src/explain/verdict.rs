//! What an audited call came to, in words: for the window, the CLI and the
//! explanation the record keeps.

use crate::history::{Action, Conclusion, Status};
use crate::lang::Lang;
use crate::service::{ActionOutcome, Verdict};
use crate::wechat::Mode;

use super::Explanation;

/// What `verdict` means for the admin, after `action` in `mode`.
pub fn verdict(verdict: &Verdict, action: Action, mode: Mode, lang: Lang) -> Explanation {
    match verdict {
        Verdict::Done(_) => Explanation { meaning: success(action, lang).into(), what_to_do: String::new() },
        Verdict::Found(conclusion) => found(*conclusion, lang),
        Verdict::Failed(error) => super::error(error, Some(mode), lang),
        Verdict::DoneBeforeRetry { retry } => {
            let code = retry.errcode().unwrap_or_default();
            let meaning = match lang {
                Lang::ZhCn => format!(
                    "{}微信先回答“系统繁忙”，但删除其实已生效：重试时微信回答了错误码 {code}，而规则已不在列表中。",
                    success(action, lang)
                ),
                Lang::En => format!(
                    "{} WeChat first answered “system busy”, but the delete had taken effect: the retry was answered with errcode {code}, and the rule is no longer in the list.",
                    success(action, lang)
                ),
            };
            Explanation { meaning, what_to_do: String::new() }
        }
        Verdict::StillThere { retry } => {
            let base = super::error(retry, Some(mode), lang);
            let note = lang.pick(
                "（微信先回答“系统繁忙”；重试失败后核对了规则列表：规则仍在，没有被删除。）",
                "(WeChat first answered “system busy”; after the retry failed, the rule list was checked: the rule is still there, not deleted.)",
            );
            Explanation { meaning: format!("{} {note}", base.meaning), what_to_do: base.what_to_do }
        }
        Verdict::Unsettled { retry, lookup } => {
            let code = retry.errcode().unwrap_or_default();
            let lookup = super::error(lookup, None, lang).meaning;
            let meaning = match lang {
                Lang::ZhCn => format!(
                    "微信先回答“系统繁忙”，重试时回答了错误码 {code}，而规则列表无法读取（{lookup}）：不确定规则是否已删除。"
                ),
                Lang::En => format!(
                    "WeChat first answered “system busy”, the retry was answered with errcode {code}, and the rule list could not be read ({lookup}): it is not known whether the rule was deleted."
                ),
            };
            let what_to_do = lang
                .pick(
                    "请刷新规则列表确认结果，再决定是否重试。",
                    "Refresh the rule list to see the result, then decide whether to retry.",
                )
                .to_owned();
            Explanation { meaning, what_to_do }
        }
    }
}

/// The explanation as the record keeps it: one line, and for a fault that
/// is not WeChat's answer, its technical detail (which carries no secret:
/// `wechat::Error` redacts them).
pub fn recorded(verdict: &Verdict, explanation: &Explanation) -> String {
    let mut text = explanation.text();
    if let Verdict::Failed(error) = verdict
        && error.errcode().is_none()
    {
        text.push_str(&format!(" ({error})"));
    }
    text
}

/// What a successful action means.
fn success(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::Delete => lang.pick(
            "规则已删除。使用该前缀的二维码将不再打开小程序。",
            "The rule was deleted. QR codes with this prefix no longer open the Mini Program.",
        ),
        Action::Restore => lang.pick(
            "规则已重新添加。发布后，使用该前缀的二维码将再次打开小程序。",
            "The rule was added again. Once published, QR codes with this prefix open the Mini Program again.",
        ),
        Action::Publish => lang.pick(
            "规则已发布，扫码即可打开小程序。",
            "The rule was published: scanning its codes opens the Mini Program.",
        ),
        Action::Check => lang.pick("已向微信核实规则的当前状态。", "The rule's current state was checked with WeChat."),
        Action::Add => lang.pick(
            "规则已添加（未发布）。发布后，使用该前缀的二维码才会打开小程序。",
            "The rule was added, unpublished. Once published, QR codes with this prefix open the Mini Program.",
        ),
        Action::Edit => lang.pick("规则已修改。", "The rule was changed."),
    }
}

/// What a check's finding means.
fn found(conclusion: Conclusion, lang: Lang) -> Explanation {
    match conclusion {
        Conclusion::Gone => Explanation {
            meaning: lang
                .pick(
                    "核对结果：规则已不在列表中，删除已生效。",
                    "Checked: the rule is no longer in the list; the delete took effect.",
                )
                .into(),
            what_to_do: String::new(),
        },
        Conclusion::Present => Explanation {
            meaning: lang
                .pick(
                    "核对结果：规则仍在列表中，删除没有生效。",
                    "Checked: the rule is still in the list; the delete did not take effect.",
                )
                .into(),
            what_to_do: lang.pick("可以再次删除。", "It can be deleted again.").into(),
        },
    }
}

/// One line saying what became of `action` on `prefix`: "Deleted …",
/// "Not deleted: …", "Outcome unknown for …".
pub fn headline(action: Action, status: Status, prefix: &str, lang: Lang) -> String {
    let (done, not_done) = match action {
        Action::Delete => (lang.pick("已删除", "Deleted"), lang.pick("未删除", "Not deleted")),
        Action::Restore => (lang.pick("已恢复", "Restored"), lang.pick("未恢复", "Not restored")),
        Action::Publish => (lang.pick("已发布", "Published"), lang.pick("未发布", "Not published")),
        Action::Check => (lang.pick("已核对", "Checked"), lang.pick("未能核对", "Not checked")),
        Action::Add => (lang.pick("已添加", "Added"), lang.pick("未添加", "Not added")),
        Action::Edit => (lang.pick("已修改", "Changed"), lang.pick("未修改", "Not changed")),
    };
    match (status, lang) {
        (Status::Ok, Lang::ZhCn) => format!("{done}：{prefix}"),
        (Status::Ok, Lang::En) => format!("{done} {prefix}"),
        (Status::Unknown | Status::Pending, Lang::ZhCn) => format!("结果未知：{prefix}"),
        (Status::Unknown | Status::Pending, Lang::En) => format!("Outcome unknown for {prefix}"),
        (Status::Failed, Lang::ZhCn) => format!("{not_done}：{prefix}"),
        (Status::Failed, Lang::En) => format!("{not_done}: {prefix}"),
    }
}

/// An action's outcome as the CLI prints it: the headline, WeChat's own
/// answer, what it means and what to do, the record, and the check that
/// settled it.
pub fn outcome(outcome: &ActionOutcome, prefix: &str, lang: Lang) -> String {
    let mut text = headline(outcome.action, outcome.status, prefix, lang);
    if let Some(errcode) = outcome.errcode {
        let errmsg = outcome.errmsg.as_deref().unwrap_or("");
        text.push_str(&match lang {
            Lang::ZhCn => format!("\n  微信错误码 {errcode}：{errmsg}"),
            Lang::En => format!("\n  errcode {errcode}: {errmsg}"),
        });
    }
    text.push_str(&format!("\n  {}", outcome.explanation.meaning));
    if !outcome.explanation.what_to_do.is_empty() {
        text.push_str(&format!("\n  {}", outcome.explanation.what_to_do));
    }
    text.push_str(&match lang {
        Lang::ZhCn => format!("\n  （历史记录 {}）", outcome.record_id),
        Lang::En => format!("\n  (history record {})", outcome.record_id),
    });
    if let Some(check) = &outcome.check {
        text.push_str(&match lang {
            Lang::ZhCn => format!("\n  {}（核对记录 {}）", check.explanation.meaning, check.record_id),
            Lang::En => format!("\n  {} (check record {})", check.explanation.meaning, check.record_id),
        });
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wechat::{self, Answer};

    #[test]
    fn each_verdict_reads_in_both_languages() {
        let busy = || wechat::Error::Api { errcode: -1, errmsg: "system error".into(), caller: None };
        let verdicts = [
            Verdict::Done(Answer { errcode: 0, errmsg: "ok".into() }),
            Verdict::Found(Conclusion::Present),
            Verdict::Failed(wechat::Error::Connect("api.weixin.qq.com".into())),
            Verdict::DoneBeforeRetry { retry: busy() },
            Verdict::StillThere { retry: busy() },
            Verdict::Unsettled { retry: busy(), lookup: wechat::Error::Connect("x".into()) },
        ];
        for v in &verdicts {
            let (zh, en) = (
                verdict(v, Action::Delete, Mode::Ordinary, Lang::ZhCn),
                verdict(v, Action::Delete, Mode::Ordinary, Lang::En),
            );
            assert!(!zh.meaning.is_empty() && zh.meaning != en.meaning, "{v:?}");
        }
        let fault = &verdicts[2];
        let told = verdict(fault, Action::Delete, Mode::Ordinary, Lang::En);
        assert!(recorded(fault, &told).ends_with("(could not connect to api.weixin.qq.com)"));
    }

    #[test]
    fn headlines_name_the_action_and_the_prefix() {
        let p = "https://a.test/qr/";
        assert_eq!(headline(Action::Delete, Status::Ok, p, Lang::En), "Deleted https://a.test/qr/");
        assert_eq!(headline(Action::Restore, Status::Failed, p, Lang::En), "Not restored: https://a.test/qr/");
        assert_eq!(headline(Action::Delete, Status::Unknown, p, Lang::ZhCn), "结果未知：https://a.test/qr/");
    }
}
