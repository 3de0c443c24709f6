//! A batch on the command line, in words: what its plan leaves out, its
//! progress, how it ended, and the batches left unfinished. (The window
//! shows the same facts with i18n.js; the questions are in `confirm`.)

use crate::history::local_time;
use crate::lang::Lang;
use crate::service::batch::{BatchStatus, Counts, ItemState, ItemStatus};

/// A line of the file that is not a prefix, skipped.
pub fn skipped_not_prefix(text: &str, why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("  skipped, not a prefix: {text:?}: {why}"),
        Lang::ZhCn => format!("  已跳过，不是前缀：{text:?}：{why}"),
    }
}

/// A prefix the account's rule list does not hold, skipped.
pub fn skipped_not_in_list(prefix: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("  skipped, not in the account's rule list: {prefix}"),
        Lang::ZhCn => format!("  已跳过，账号的规则列表里没有：{prefix}"),
    }
}

/// The same, as the `message` of its JSON line.
pub fn not_in_list(lang: Lang) -> &'static str {
    lang.pick("不在账号当前的规则列表里：未发送", "not in the account's current rule list: not sent")
}

/// Prefixes listed more than once.
pub fn duplicates(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("  {count} prefix(es) listed more than once: each is sent once."),
        Lang::ZhCn => format!("  有 {count} 个前缀重复列出：每个只发送一次。"),
    }
}

/// The prefix file holds no prefix.
pub fn no_prefix_in(file: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("--from-file {file}: no prefix in it (one a line, or a CSV with a \"prefix\" column)"),
        Lang::ZhCn => format!("--from-file {file}：里面没有前缀（每行一个，或带 \"prefix\" 列的 CSV）"),
    }
}

/// None of the file's prefixes is in the account's list.
pub fn none_in_list(count: usize, file: &str, lang: Lang) -> String {
    match lang {
        Lang::En => {
            format!("none of the {count} prefix(es) in {file} is in the account's rule list: nothing to delete")
        }
        Lang::ZhCn => format!("{file} 中的 {count} 个前缀都不在账号的规则列表里：没有可删除的"),
    }
}

/// The batch was recorded and is about to be sent.
pub fn begun(id: &str, rules: usize, backup: Option<&str>, lang: Lang) -> String {
    let mut text = match lang {
        Lang::En => format!("Batch {id}: {rules} rule(s)."),
        Lang::ZhCn => format!("批次 {id}：{rules} 条规则。"),
    };
    if let Some(path) = backup {
        text.push_str(&match lang {
            Lang::En => format!("\n  The whole rule list was saved first: {path}"),
            Lang::ZhCn => format!("\n  已先备份完整的规则列表：{path}"),
        });
    }
    text
}

/// After a first Ctrl-C.
pub fn stopping(lang: Lang) -> &'static str {
    lang.pick(
        "\n发完正在进行的这一次后停止（再按一次 Ctrl-C 立即停止）…",
        "\nStopping after the call in flight (Ctrl-C again to stop at once)…",
    )
}

/// The progress line a terminal shows while the batch runs.
pub fn progress(counts: &Counts, eta_seconds: f64, current: Option<&str>, lang: Lang) -> String {
    let sent = counts.done + counts.failed + counts.unknown + counts.still_there;
    let now = current.map(|c| format!("  {c}")).unwrap_or_default();
    match lang {
        Lang::En => format!(
            "[{sent}/{}] deleted {}, failed {}, ~{eta_seconds:.0} s left{now}",
            counts.total, counts.done, counts.failed
        ),
        Lang::ZhCn => format!(
            "[{sent}/{}] 已删除 {}，失败 {}，约剩 {eta_seconds:.0} 秒{now}",
            counts.total, counts.done, counts.failed
        ),
    }
}

/// One item's end, for a log that is not a terminal.
pub fn item_done(state: ItemState, errcode: Option<i64>, prefix: &str, lang: Lang) -> String {
    let word = match (state, lang) {
        (ItemState::Done, Lang::En) => "deleted",
        (ItemState::Failed, Lang::En) => "FAILED",
        (_, Lang::En) => "UNKNOWN",
        (ItemState::Done, Lang::ZhCn) => "已删除",
        (ItemState::Failed, Lang::ZhCn) => "失败",
        (_, Lang::ZhCn) => "结果未知",
    };
    let code = errcode.map(|c| format!(" (errcode {c})")).unwrap_or_default();
    format!("  {word}{code}: {prefix}")
}

/// How the batch ended: the counts, each failure with WeChat's answer, and
/// how to go on if it did not finish.
pub fn summary(status: &BatchStatus, stopped: bool, lang: Lang) -> String {
    let c = status.counts;
    let id = &status.batch.id;
    let unknown = c.unknown + c.still_there;
    let mut text = match lang {
        Lang::En => format!("Batch {id}: {} of {} deleted, {} failed", c.done, c.total, c.failed),
        Lang::ZhCn => format!("批次 {id}：{} 条中已删除 {}，失败 {}", c.total, c.done, c.failed),
    };
    if unknown > 0 {
        text.push_str(&match lang {
            Lang::En => format!(", {unknown} outcome unknown"),
            Lang::ZhCn => format!("，结果未知 {unknown}"),
        });
    }
    if c.never_sent > 0 {
        text.push_str(&match (lang, stopped) {
            (Lang::En, false) => format!(", {} not sent", c.never_sent),
            (Lang::En, true) => format!(", {} not sent (stopped)", c.never_sent),
            (Lang::ZhCn, false) => format!("，未发送 {}", c.never_sent),
            (Lang::ZhCn, true) => format!("，未发送 {}（已停止）", c.never_sent),
        });
    }
    text.push_str(lang.pick("。", "."));
    for item in status.items.iter().filter(|i| i.state == ItemState::Failed) {
        text.push_str(&format!(
            "\n  {}: {} errcode {} {}\n    {}",
            lang.pick("失败", "failed"),
            item.prefix,
            item.errcode.map(|c| c.to_string()).unwrap_or_default(),
            item.errmsg.as_deref().unwrap_or(""),
            item.explanation.as_deref().unwrap_or("")
        ));
    }
    if !c.finished() {
        text.push_str(&match lang {
            Lang::En => format!("\n  Go on later with: qrjump batch resume {id}"),
            Lang::ZhCn => format!("\n  稍后继续：qrjump batch resume {id}"),
        });
    }
    text
}

/// One line for a batch: when, whose, and where it stands.
pub fn status_line(status: &BatchStatus, lang: Lang) -> String {
    let c = status.counts;
    let (id, when, who) = (&status.batch.id, local_time(&status.batch.created_at), &status.batch.account_name);
    match lang {
        Lang::En => format!(
            "{id}  {when}  {who}: {} rule(s), {} deleted, {} failed, {} outcome unknown, {} to send again, {} never sent",
            c.total, c.done, c.failed, c.unknown, c.still_there, c.never_sent
        ),
        Lang::ZhCn => format!(
            "{id}  {when}  {who}：{} 条规则，已删除 {}，失败 {}，结果未知 {}，待重发 {}，从未发送 {}",
            c.total, c.done, c.failed, c.unknown, c.still_there, c.never_sent
        ),
    }
}

/// One item of a batch, under its `status_line`.
pub fn item_line(item: &ItemStatus, lang: Lang) -> String {
    // English shows the state's code, as --json names it.
    let code = serde_json::to_value(item.state).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let state = match (item.state, lang) {
        (_, Lang::En) => code.as_str(),
        (ItemState::NeverSent, Lang::ZhCn) => "未发送",
        (ItemState::InFlight, Lang::ZhCn) => "正在发送",
        (ItemState::Done, Lang::ZhCn) => "已删除",
        (ItemState::Failed, Lang::ZhCn) => "失败",
        (ItemState::Unknown, Lang::ZhCn) => "结果未知",
    };
    let check = item
        .check
        .map(|c| match lang {
            Lang::En => format!(" (checked: {})", super::records::conclusion(c, lang)),
            Lang::ZhCn => format!("（核对：{}）", super::records::conclusion(c, lang)),
        })
        .unwrap_or_default();
    format!("  {:>4}  {state:<10} {}{check}", item.position, item.prefix)
}

/// The count under `qrjump batch list`.
pub fn unfinished(count: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{count} unfinished batch(es)"),
        Lang::ZhCn => format!("共 {count} 个未完成的批次"),
    }
}

/// `qrjump batch close`.
pub fn closed(id: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Batch {id} closed: it is no longer offered for resuming."),
        Lang::ZhCn => format!("批次 {id} 已关闭：不会再提示继续它。"),
    }
}

/// Resuming a batch that has nothing left.
pub fn nothing_left(id: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Batch {id} has nothing left to do."),
        Lang::ZhCn => format!("批次 {id} 已没有要做的了。"),
    }
}

/// Resuming, with no batch of these credentials left unfinished.
pub fn none_unfinished(lang: Lang) -> &'static str {
    lang.pick("这些凭据没有未完成的批次。", "No unfinished batch for these credentials.")
}

/// Resuming without an id, with several to choose from.
pub fn several_unfinished(ids: &[&str], lang: Lang) -> String {
    match lang {
        Lang::En => format!("several unfinished batches: name one ({})", ids.join(", ")),
        Lang::ZhCn => format!("有多个未完成的批次，请指明一个（{}）", ids.join("、")),
    }
}

/// What resuming will do, before its question.
pub fn resume_plan(unknown: usize, to_send: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Resuming checks the {unknown} item(s) whose outcome is unknown against the rule list, sends again only those still there, then sends the {to_send} never sent."
        ),
        Lang::ZhCn => format!(
            "继续时先对照规则列表核对 {unknown} 条结果未知的，只重发仍然存在的，再发送从未发送的 {to_send} 条。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_what_was_sent() {
        let counts = Counts { total: 10, done: 3, failed: 1, unknown: 1, still_there: 0, never_sent: 5, in_flight: 0 };
        assert_eq!(progress(&counts, 4.2, None, Lang::En), "[5/10] deleted 3, failed 1, ~4 s left");
        assert_eq!(
            progress(&counts, 4.2, Some("https://a.cn/x"), Lang::ZhCn),
            "[5/10] 已删除 3，失败 1，约剩 4 秒  https://a.cn/x"
        );
    }
}
