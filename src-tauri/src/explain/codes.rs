//! Printed codes on the command line, in words: which rule a link hits (or
//! why none does) and what a delete does to the codes under a prefix. (The
//! window's Look up tab says the same with i18n.js.)

use crate::lang::Lang;
use crate::matching::Reason;

/// Why a link opens the Mini Program, or why it does not.
pub fn reason(reason: Reason, lang: Lang) -> &'static str {
    match reason {
        Reason::Match => lang.pick("打开小程序", "opens the Mini Program"),
        Reason::Unpublished => lang.pick(
            "命中的规则未发布：普通用户扫码只会打开网页",
            "hits an unpublished rule: ordinary users land on the web page",
        ),
        Reason::Protocol => lang.pick(
            "换个协议就会命中这条规则（http 与 https 是两回事）",
            "a rule would match with its scheme (http/https differ)",
        ),
        Reason::Host => lang.pick("换个域名就会命中这条规则", "a rule would match with its domain"),
        Reason::NotSubPath => lang.pick(
            "不是子路径：规则不以 / 结尾（或只是文字相同）",
            "not a sub-path: the rule does not end with / (or only the text matches)",
        ),
        Reason::Parameters => {
            lang.pick("链接的参数不以规则的参数开头", "the link's parameters do not start with the rule's")
        }
        Reason::NoRule => lang.pick(
            "本账号没有规则命中它：二维码属于别人，或不属于任何小程序",
            "no rule of this account: someone else's, or nobody's",
        ),
    }
}

/// One link's answer: the link (and the image it was read from), why, and
/// the rule it hits or nearly hits.
pub fn matched(link: &str, from: Option<&str>, why: Reason, rule: Option<(&str, &str)>, lang: Lang) -> String {
    let from = match (from, lang) {
        (Some(file), Lang::En) => format!(" (in {file})"),
        (Some(file), Lang::ZhCn) => format!("（来自 {file}）"),
        (None, _) => String::new(),
    };
    let rule = rule.map(|(prefix, path)| format!(": {prefix} -> {path}")).unwrap_or_default();
    format!("{link}{from}\n  {}{rule}", reason(why, lang))
}

/// An image with no QR code in it.
pub fn no_code_in(image: &str, lang: Lang) -> String {
    format!("{image}\n  {}", lang.pick("图片中没有找到二维码", "no QR code found in the image"))
}

/// What was given is neither a link nor an image file.
pub fn neither_link_nor_image(given: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{given:?} is neither a link (scheme://host/path) nor an image file"),
        Lang::ZhCn => format!("{given:?} 既不是链接（scheme://host/path），也不是图片文件"),
    }
}

/// A line of the --codes file that is not a link.
pub fn not_a_link(file: &str, line: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("--codes {file}: {line:?} is not a link"),
        Lang::ZhCn => format!("--codes {file}：{line:?} 不是链接"),
    }
}

/// `qrjump match` with nothing to match.
pub fn nothing_to_check(lang: Lang) -> &'static str {
    lang.pick("请给出要核对的链接或图片，或用 --codes 文件", "give links or images to check, or --codes FILE")
}

/// `qrjump impact` for a prefix the account has no rule for.
pub fn no_such_rule(prefix: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("--prefix {prefix}: no such rule in this account's list"),
        Lang::ZhCn => format!("--prefix {prefix}：本账号的规则列表里没有这条规则"),
    }
}

/// What deleting `prefix` does: where its codes go, and, for the printed
/// codes given, how many stop working (each listed) and how many move.
pub fn impact(
    prefix: &str,
    takes_over: Option<&str>,
    codes: usize,
    broken: &[&str],
    moved: usize,
    lang: Lang,
) -> String {
    let mut text = match (takes_over, lang) {
        (Some(rule), Lang::En) => format!("Deleting {prefix}: its codes move to the published rule {rule}."),
        (Some(rule), Lang::ZhCn) => format!("删除 {prefix}：它的二维码会改由已发布的规则 {rule} 打开。"),
        (None, Lang::En) => {
            format!("Deleting {prefix}: its codes stop opening the Mini Program (no broader published rule).")
        }
        (None, Lang::ZhCn) => format!("删除 {prefix}：它的二维码将无法再打开小程序（没有更宽的已发布规则）。"),
    };
    if codes > 0 {
        let stopped = broken.len();
        text.push_str(&match lang {
            Lang::En => {
                format!("\nOf {codes} printed code(s): {stopped} stop working, {moved} move to another rule.")
            }
            Lang::ZhCn => {
                format!("\n给出的 {codes} 个已印出的二维码中：{stopped} 个将失效，{moved} 个改由别的规则打开。")
            }
        });
        for code in broken {
            text.push_str(&format!("\n  {}: {code}", lang.pick("失效", "stops")));
        }
    }
    text
}
