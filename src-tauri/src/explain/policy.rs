//! IT's policy in the admin's words: which value did not hold and why, said
//! where the app starts (the window's banner, the CLI's warning).

use crate::lang::Lang;
use crate::policy::{Fault, PolicyProblem};

/// `place: what is wrong`, in `lang`.
pub fn problem(problem: &PolicyProblem, lang: Lang) -> String {
    format!("{}{}{}", problem.place, lang.pick("：", ": "), fault(&problem.fault, lang))
}

/// The command line's warning for a value it left out, before it goes on.
pub fn ignored(problem: &PolicyProblem, lang: Lang) -> String {
    match lang {
        Lang::En => format!("qrjump: policy {} (ignored)", self::problem(problem, lang)),
        Lang::ZhCn => format!("qrjump：策略 {}（已忽略）", self::problem(problem, lang)),
    }
}

/// What is wrong, without the place, in `lang`.
pub fn fault(fault: &Fault, lang: Lang) -> String {
    match lang {
        Lang::En => fault.to_string(),
        Lang::ZhCn => fault_zh(fault),
    }
}

/// `qrjump policy`: where the policy was read, each setting, whether it is
/// locked, and each value left out with why.
pub fn report(
    source: &str,
    settings: &[(&str, String)],
    locked: bool,
    problems: &[PolicyProblem],
    lang: Lang,
) -> String {
    let mut text = match (settings.is_empty(), lang) {
        (true, Lang::En) => format!("No policy is set ({source})."),
        (true, Lang::ZhCn) => format!("没有设置策略（{source}）。"),
        (false, Lang::En) => format!("Policy from {source}:"),
        (false, Lang::ZhCn) => format!("策略来自 {source}："),
    };
    for (key, value) in settings {
        text.push_str(&format!("\n  {key} = {value}"));
    }
    if locked {
        text.push_str(lang.pick(
            "\n已锁定：这些设置不能由环境变量或命令行更改。",
            "\nLocked: these settings cannot be changed from the environment or the command line.",
        ));
    }
    for problem in problems {
        let reason = fault(&problem.fault, lang);
        text.push_str(&match (&problem.key, lang) {
            (Some(key), Lang::En) => format!("\nIgnored {key}: {reason}"),
            (None, Lang::En) => format!("\nIgnored the whole policy: {reason}"),
            (Some(key), Lang::ZhCn) => format!("\n已忽略 {key}：{reason}"),
            (None, Lang::ZhCn) => format!("\n已忽略整个策略：{reason}"),
        });
    }
    text
}

fn fault_zh(fault: &Fault) -> String {
    match fault {
        Fault::Unreadable(reason) => format!("无法读取（{reason}），整个策略未生效"),
        Fault::NotJsonObject(reason) => format!("不是 JSON 对象（{reason}），整个策略未生效"),
        Fault::NotTextOrFlag(value) => format!("{value} 既不是文字，也不是 0 或 1"),
        Fault::Empty => "为空".into(),
        Fault::NumberForText(n) => format!("是数字 {n}，这里应填文字"),
        Fault::NotFlag => "只能是 0 或 1".into(),
        Fault::NotHeaderName => "不是有效的 HTTP 请求头名称（例如 Authorization）".into(),
        Fault::NotGetOrPost => "只能是 get 或 post".into(),
        Fault::NotTokenPointer(value) => format!("“{value}”既不是 JSON 指针（以 / 开头），也不是 text"),
        Fault::NotApiBase => {
            "必须是 https:// 地址，例如 https://api.weixin.qq.com，且不能含用户名、密码或查询参数".into()
        }
        Fault::NotHttps => "必须是 https:// 地址".into(),
        Fault::NotTls => "必须是 https://（http:// 只允许指向本机），否则令牌和密钥会以明文经过网络".into(),
        Fault::SecretInQuery => "查询参数中不能含密钥、令牌或签名：应由每位用户填在认证请求头中".into(),
        Fault::HoldsPassword => "含有密码；本机所有用户都能读取策略，请去掉密码（由每位用户自己输入）".into(),
        Fault::Credentials => "不能含用户名或密码（user:password@）：密钥应由每位用户填在认证请求头中".into(),
        Fault::NotProxyUrl => "必须是 http:// 或 https:// 地址，例如 http://proxy.corp:3128".into(),
        Fault::NotPostgres => "必须是 postgres:// 地址".into(),
        Fault::Unknown(names) => format!("不是本程序认识的策略（认识的有：{}）", names.join("、")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_fault() -> Vec<Fault> {
        vec![
            Fault::Unreadable("Permission denied".into()),
            Fault::NotJsonObject("expected value at line 1".into()),
            Fault::NotTextOrFlag("[1]".into()),
            Fault::Empty,
            Fault::NumberForText(7),
            Fault::NotFlag,
            Fault::NotHeaderName,
            Fault::NotGetOrPost,
            Fault::NotTokenPointer("data".into()),
            Fault::NotApiBase,
            Fault::NotHttps,
            Fault::NotTls,
            Fault::SecretInQuery,
            Fault::HoldsPassword,
            Fault::Credentials,
            Fault::NotProxyUrl,
            Fault::NotPostgres,
            Fault::Unknown(vec!["APIBASE".into(), "LOCKED".into()]),
        ]
    }

    #[test]
    fn every_fault_is_said_in_chinese_and_in_english_with_a_code_of_its_own() {
        let faults = every_fault();
        let mut codes: Vec<&str> = faults.iter().map(Fault::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), faults.len(), "one code per fault");
        for fault in &faults {
            let zh = super::fault(fault, Lang::ZhCn);
            let en = super::fault(fault, Lang::En);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{fault:?}: {zh}");
            assert!(!en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{fault:?}: {en}");
            assert_ne!(zh, en);
        }
    }

    #[test]
    fn the_place_comes_first_in_either_language() {
        let problem = PolicyProblem {
            place: "/etc/qrjump-admin/policy.json: SHOWDEMO".into(),
            key: Some("SHOWDEMO".into()),
            fault: Fault::NotFlag,
        };
        assert_eq!(super::problem(&problem, Lang::En), "/etc/qrjump-admin/policy.json: SHOWDEMO: must be 0 or 1");
        assert_eq!(super::problem(&problem, Lang::ZhCn), "/etc/qrjump-admin/policy.json: SHOWDEMO：只能是 0 或 1");
    }
}
