//! The history on the command line, this computer's and the team's: one
//! line a record, what an export wrote, a push, and what verifying the team
//! history found. (The window shows the same with i18n.js; verifying this
//! computer's history is `report::verification`.)

use crate::history::{Action, Conclusion, Record, Status, local_time};
use crate::lang::Lang;
use crate::team::{InstallationCheck, LocalComparison, Pushed, TeamRecord};
use crate::wechat::Mode;

fn action(action: Action, lang: Lang) -> &'static str {
    match (action, lang) {
        (action, Lang::En) => action.as_str(),
        (Action::Delete, Lang::ZhCn) => "删除",
        (Action::Restore, Lang::ZhCn) => "恢复",
        (Action::Publish, Lang::ZhCn) => "发布",
        (Action::Check, Lang::ZhCn) => "核对",
        (Action::Add, Lang::ZhCn) => "添加",
        (Action::Edit, Lang::ZhCn) => "修改",
    }
}

/// What a check found: the rule gone, or still there.
pub fn conclusion(conclusion: Conclusion, lang: Lang) -> &'static str {
    match (conclusion, lang) {
        (conclusion, Lang::En) => conclusion.as_str(),
        (Conclusion::Gone, Lang::ZhCn) => "已不在",
        (Conclusion::Present, Lang::ZhCn) => "仍在",
    }
}

fn status(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (status, Lang::En) => status.as_str(),
        (Status::Pending, Lang::ZhCn) => "进行中",
        (Status::Ok, Lang::ZhCn) => "成功",
        (Status::Failed, Lang::ZhCn) => "失败",
        (Status::Unknown, Lang::ZhCn) => "结果未知",
    }
}

/// One record of this computer's history: id, when, what, how it ended,
/// the mode, the prefix, then its errcode, check, link and batch.
pub fn line(r: &Record, lang: Lang) -> String {
    let mut notes = Vec::new();
    notes.extend(r.errcode.map(|c| format!("errcode {c}")));
    notes.extend(r.conclusion.map(|c| format!("{} {}", lang.pick("规则", "rule"), conclusion(c, lang))));
    notes.extend(r.related_id.map(|id| format!("-> #{id}")));
    notes.extend(r.batch_id.as_ref().map(|b| format!("{} {b}", lang.pick("批次", "batch"))));
    let mode = match (r.mode, lang) {
        (mode, Lang::En) => mode.as_str(),
        (Mode::ServiceAccount, Lang::ZhCn) => "服务号",
        (Mode::Ordinary, Lang::ZhCn) => "普通二维码",
    };
    format!(
        "#{:<6} {}  {:<7} {:<8} {:<15} {}  {}",
        r.id,
        local_time(&r.started_at),
        action(r.action, lang),
        status(r.status, lang),
        mode,
        r.prefix,
        notes.join("  ")
    )
}

/// One record of the team history: which computer, who, then as `line`.
pub fn team_line(t: &TeamRecord, lang: Lang) -> String {
    let r = &t.record;
    format!(
        "{:<16} {:<12} #{:<6} {}  {:<7} {:<8} {}  {}",
        t.computer,
        r.operator,
        r.id,
        local_time(&r.started_at),
        action(r.action, lang),
        status(r.status, lang),
        r.prefix,
        r.errcode.map(|c| format!("errcode {c}")).unwrap_or_default()
    )
}

/// Under a list of records.
pub fn count(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} record(s)"),
        Lang::ZhCn => format!("共 {n} 条记录"),
    }
}

/// What an export of this computer's history wrote, and where its
/// manifest is.
pub fn exported(written: u64, file: &str, manifest: &str, lang: Lang) -> String {
    match lang {
        Lang::En => {
            format!("Wrote {written} record(s) to {file}\n  Manifest (keep it apart from the computer): {manifest}")
        }
        Lang::ZhCn => format!("已把 {written} 条记录写入 {file}\n  清单文件（请与这台电脑分开保存）：{manifest}"),
    }
}

/// What an export of the team history wrote.
pub fn team_exported(written: u64, file: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Wrote {written} record(s) of the team history to {file}"),
        Lang::ZhCn => format!("已把团队历史记录中的 {written} 条写入 {file}"),
    }
}

/// `qrjump team push`.
pub fn pushed(p: &Pushed, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Pushed {} record(s) to the team history ({} already there); {} waiting.",
            p.sent, p.already, p.waiting
        ),
        Lang::ZhCn => {
            format!("已向团队历史记录推送 {} 条（{} 条早已在那里）；还有 {} 条等待推送。", p.sent, p.already, p.waiting)
        }
    }
}

/// After a command that recorded attempts, when the push failed; the
/// records stay waiting. `waiting`: how many, when it could be read.
pub fn not_pushed(waiting: Option<u64>, why: &str, lang: Lang) -> String {
    match (waiting, lang) {
        (Some(n), Lang::En) => format!("qrjump: team history not pushed ({n} record(s) waiting): {why}"),
        (None, Lang::En) => format!("qrjump: team history not pushed: {why}"),
        (Some(n), Lang::ZhCn) => format!("qrjump：未推送到团队历史记录（{n} 条在等待）：{why}"),
        (None, Lang::ZhCn) => format!("qrjump：未推送到团队历史记录：{why}"),
    }
}

/// What verifying the team history found for one installation (a line,
/// then one line a finding when it was altered).
pub fn installation(check: &InstallationCheck, lang: Lang) -> Vec<String> {
    let name = format!("{} ({})", check.installation_id, check.computer);
    let signed = match (check.signed, check.unsigned, lang) {
        (false, _, Lang::En) => ", unsigned (no key registered)".to_owned(),
        (true, 0, Lang::En) => ", every record signed by its key".to_owned(),
        (true, n, Lang::En) => format!(", signed; {n} record(s) without a signature only claim to be its"),
        (false, _, Lang::ZhCn) => "，未签名（没有登记密钥）".to_owned(),
        (true, 0, Lang::ZhCn) => "，每条记录都有它的密钥签名".to_owned(),
        (true, n, Lang::ZhCn) => format!("，已签名；{n} 条没有签名的记录只是自称属于它"),
    };
    if check.intact() {
        return vec![match lang {
            Lang::En => format!("{name}: intact, {} record(s){signed}", check.records),
            Lang::ZhCn => format!("{name}：完好，{} 条记录{signed}", check.records),
        }];
    }
    let mut lines = vec![match lang {
        Lang::En => format!("{name}: ALTERED{signed}"),
        Lang::ZhCn => format!("{name}：已被改动{signed}"),
    }];
    for id in &check.forged {
        lines.push(match lang {
            Lang::En => format!("  record {id} is NOT signed by this installation's key: it only claims to be"),
            Lang::ZhCn => format!("  记录 {id} 不是这个安装的密钥签的：它只是自称属于它"),
        });
    }
    if check.conflicts > 0 {
        lines.push(match lang {
            Lang::En => format!(
                "  {} push(es) met another record already there under this installation (qrjump_conflicts)",
                check.conflicts
            ),
            Lang::ZhCn => {
                format!("  有 {} 次推送遇到这个安装名下已有的另一条记录（qrjump_conflicts）", check.conflicts)
            }
        });
    }
    for id in &check.altered {
        lines.push(match lang {
            Lang::En => format!("  record {id} was changed on the server"),
            Lang::ZhCn => format!("  记录 {id} 在服务器上被修改过"),
        });
    }
    for (first, last) in &check.gaps {
        lines.push(match (first == last, lang) {
            (true, Lang::En) => format!("  chain position {first} was removed from the server"),
            (false, Lang::En) => format!("  chain positions {first} to {last} were removed from the server"),
            (true, Lang::ZhCn) => format!("  链上第 {first} 条已从服务器删除"),
            (false, Lang::ZhCn) => format!("  链上第 {first} 到第 {last} 条已从服务器删除"),
        });
    }
    lines
}

/// Verifying a team history that holds nothing.
pub fn team_empty(lang: Lang) -> &'static str {
    lang.pick("团队历史记录中还没有记录。", "The team history holds no records yet.")
}

/// This computer's chain held against the server's copy of it.
pub fn local(local: &LocalComparison, lang: Lang) -> Vec<String> {
    let mut lines = vec![match lang {
        Lang::En => format!(
            "This computer ({}): {} record(s) confirmed pushed, the server holds {}, {} waiting here.",
            local.installation_id, local.pushed, local.on_server, local.waiting
        ),
        Lang::ZhCn => format!(
            "这台电脑（{}）：已确认推送 {} 条，服务器上有 {} 条，本机还有 {} 条在等待。",
            local.installation_id, local.pushed, local.on_server, local.waiting
        ),
    }];
    if local.removed_from_end() {
        let (first, last) = (local.on_server + 1, local.pushed);
        lines.push(match lang {
            Lang::En => {
                format!("  ALTERED: records {first} to {last} were removed from the server after it confirmed them")
            }
            Lang::ZhCn => format!("  已被改动：第 {first} 到第 {last} 条在服务器确认收到之后被删除了"),
        });
    }
    if !local.foreign.is_empty() {
        let shown = &local.foreign[..local.foreign.len().min(10)];
        lines.push(match lang {
            Lang::En => format!(
                "  ALTERED: {} record(s) on the server under this installation were not made here (positions {shown:?}): a copy of this data folder, or someone else, pushes under its name",
                local.foreign.len()
            ),
            Lang::ZhCn => format!(
                "  已被改动：服务器上这个安装名下有 {} 条记录不是这里产生的（位置 {shown:?}）：有人（或这个数据文件夹的副本）在以它的名义推送",
                local.foreign.len()
            ),
        });
    }
    lines
}
