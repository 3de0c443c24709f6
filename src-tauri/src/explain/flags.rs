//! What only the command line refuses: a flag or a file given wrongly, or
//! a data folder it cannot start in. Each names the flag or variable, as IT
//! typed it, then what is wrong. (Errors of the layers below are in
//! `problem`; the wrongly given value's own words, when it has them, come
//! from there.)

use crate::lang::Lang;
use crate::team::{ENV_DATABASE_URL, ENV_TIMEOUT};
use crate::wechat::InputError;

/// `flag: what is wrong`, with the colon of `lang` (for words a layer below
/// has already put in `lang`).
pub fn named(flag: &str, what: &str, lang: Lang) -> String {
    format!("{flag}{}{what}", lang.pick("：", ": "))
}

/// A command given neither of the two ways it works.
#[derive(Debug, Clone, Copy)]
pub enum Needed {
    /// `delete`: --prefix or --from-file.
    PrefixOrFile,
    /// `restore`: a record id or --from-backup.
    RecordOrBackup,
}

pub fn needed(which: Needed, lang: Lang) -> &'static str {
    match which {
        Needed::PrefixOrFile => lang.pick("必须给出 --prefix 或 --from-file", "--prefix or --from-file is required"),
        Needed::RecordOrBackup => {
            lang.pick("必须给出记录编号或 --from-backup", "a record id or --from-backup is required")
        }
    }
}

/// --appid (or another flag holding a validated value) refused.
pub fn input(flag: &str, error: &InputError, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{flag} {error}"),
        Lang::ZhCn => named(flag, &super::input(error, lang), lang),
    }
}

/// A file the flag names could not be read or written; `why` is the
/// system's words (English whatever the locale, so Chinese says first what
/// failed).
pub fn file(flag: &str, path: &str, why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{flag} {path}: {why}"),
        Lang::ZhCn => format!("{flag} {path}：无法读写：{why}"),
    }
}

/// Resuming (or restoring) with another account's credentials.
/// `what` is the batch's or the record's id, `made_by` its account's AppID,
/// `caller` this one's (`None`: a token given as it is).
pub fn other_account(what: Made, made_by: &str, caller: Option<&str>, lang: Lang) -> String {
    let caller = caller.unwrap_or(lang.pick("直接给定的令牌", "a given token"));
    match (what, lang) {
        (Made::Batch(id), Lang::En) => format!(
            "batch {id} was made by account {made_by}; these credentials are of {caller}: set the same account's credentials"
        ),
        (Made::Batch(id), Lang::ZhCn) => {
            format!("批次 {id} 由账号 {made_by} 创建，而这些凭据属于 {caller}：请设置同一账号的凭据")
        }
        (Made::Record(id), Lang::En) => {
            format!("record {id} was made by account {made_by}; these credentials are of {caller}")
        }
        (Made::Record(id), Lang::ZhCn) => format!("记录 {id} 由账号 {made_by} 产生，而这些凭据属于 {caller}"),
    }
}

/// What `other_account` speaks of.
#[derive(Debug, Clone, Copy)]
pub enum Made<'a> {
    Batch(&'a str),
    Record(i64),
}

/// `restore` with an id the history does not hold.
pub fn no_record(id: i64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("there is no history record {id}"),
        Lang::ZhCn => format!("历史记录中没有编号为 {id} 的记录"),
    }
}

/// `restore --from-backup --prefix` naming a rule the backup lacks.
pub fn not_in_backup(prefix: &str, file: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("--prefix {prefix}: not in {file}"),
        Lang::ZhCn => format!("--prefix {prefix}：{file} 中没有这条规则"),
    }
}

/// A backup without rules.
pub fn empty_backup(file: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("--from-backup {file}: no rule in it"),
        Lang::ZhCn => format!("--from-backup {file}：里面没有规则"),
    }
}

/// Why a saved file is not WeChat's verification file.
#[derive(Debug, Clone, Copy)]
pub enum NotVerificationFile {
    Name,
    TooLarge { kib: u64 },
    NotText,
}

pub fn not_verification_file(path: &str, why: NotVerificationFile, lang: Lang) -> String {
    let why = match (why, lang) {
        (NotVerificationFile::Name, Lang::En) => "not a verification file's name (letters, digits, . _ -)".to_owned(),
        (NotVerificationFile::Name, Lang::ZhCn) => "不是校验文件的文件名（只能有字母、数字和 . _ -）".to_owned(),
        (NotVerificationFile::TooLarge { kib }, Lang::En) => format!("larger than {kib} KiB: not a verification file"),
        (NotVerificationFile::TooLarge { kib }, Lang::ZhCn) => format!("超过 {kib} KiB：不是校验文件"),
        (NotVerificationFile::NotText, Lang::En) => "not text: not a verification file".to_owned(),
        (NotVerificationFile::NotText, Lang::ZhCn) => "不是文本：不是校验文件".to_owned(),
    };
    file("--file", path, &why, lang)
}

/// The data folder's history could not be opened (`reading`: only to read it).
pub fn history_unopenable(dir: &str, why: &str, reading: bool, lang: Lang) -> String {
    match (reading, lang) {
        (false, Lang::En) => format!("cannot open the history in {dir}: {why}"),
        (true, Lang::En) => format!("cannot read the history in {dir}: {why}"),
        (false, Lang::ZhCn) => format!("无法打开 {dir} 中的历史记录：{why}"),
        (true, Lang::ZhCn) => format!("无法读取 {dir} 中的历史记录：{why}"),
    }
}

/// The program could not start at all.
pub fn cannot_start(why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("cannot start: {why}"),
        Lang::ZhCn => format!("无法启动：{why}"),
    }
}

/// `team history --linked-to`.
pub fn linked_to_is_local(lang: Lang) -> &'static str {
    lang.pick(
        "--linked-to 指的是这台电脑历史记录中的记录，不是团队的",
        "--linked-to names a record of this computer's history, not the team's",
    )
}

/// The team database's address does not hold.
pub fn team_database(why: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("--team-database-url ({ENV_DATABASE_URL}): {why}"),
        Lang::ZhCn => format!("--team-database-url（{ENV_DATABASE_URL}）：{why}"),
    }
}

/// A team command with no team database named.
pub fn no_team_database(lang: Lang) -> String {
    match lang {
        Lang::En => {
            format!("no team database: --team-database-url or {ENV_DATABASE_URL}, postgres://user@host/database")
        }
        Lang::ZhCn => format!(
            "没有团队数据库：请用 --team-database-url 或 {ENV_DATABASE_URL} 指定，例如 postgres://user@host/database"
        ),
    }
}

/// The team database's timeout is not a number of seconds.
pub fn team_timeout(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{ENV_TIMEOUT}: {text:?} is not a number of seconds (1 or more)"),
        Lang::ZhCn => format!("{ENV_TIMEOUT}：{text:?} 不是秒数（至少 1）"),
    }
}

/// A rule file the flag names that could not be read or written.
pub fn rule_file(flag: &str, error: &crate::service::Error, lang: Lang) -> String {
    match (error, lang) {
        (_, Lang::En) => format!("{flag} {error}"),
        (crate::service::Error::RuleFile { path, problem }, Lang::ZhCn) => {
            format!("{flag} {}：{}", path.display(), super::file_problem(problem, lang))
        }
        (error, Lang::ZhCn) => named(flag, &super::Problem::service(error, lang).message, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{Error, FileProblem};

    #[test]
    fn a_token_given_as_it_is_is_named_so() {
        assert!(
            other_account(Made::Record(7), "wx1", None, Lang::En).ends_with("these credentials are of a given token")
        );
        assert!(other_account(Made::Batch("b1"), "wx1", Some("wx2"), Lang::ZhCn).contains("wx2"));
    }

    #[test]
    fn every_rule_file_problem_is_said_in_either_language_after_the_flag_and_the_file() {
        let problems = vec![
            FileProblem::Io("denied".into()),
            FileProblem::Format,
            FileProblem::NotBackup("eof".into()),
            FileProblem::Csv("eof".into()),
            FileProblem::NoPrefixColumn,
            FileProblem::NotANumber { row: 3, column: "state".into(), value: "x".into() },
            FileProblem::Twice("https://a.cn/".into()),
            FileProblem::NeedsOrdinarySettings("https://a.cn/".into()),
            FileProblem::BadRule { prefix: "https://a.cn/".into(), error: Box::new(Error::EmptyBatch) },
        ];
        for problem in problems {
            let error = Error::RuleFile { path: "r.csv".into(), problem };
            let zh = rule_file("--out", &error, Lang::ZhCn);
            assert!(zh.starts_with("--out r.csv："), "{zh}");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
            let en = rule_file("--out", &error, Lang::En);
            assert!(en.starts_with("--out the rule file r.csv: "), "{en}");
        }
    }
}
