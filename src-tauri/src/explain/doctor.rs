//! The verification-file doctor's findings in words: what each address
//! served, and what to do about it.

use super::Explanation;
use crate::doctor::{Finding, Place, Report, SLOW};
use crate::lang::Lang;

/// What one place served and what to do.
pub fn finding(place: &Place, file_name: &str, lang: Lang) -> Explanation {
    let detail = place.detail.as_deref().unwrap_or("");
    let status = place.status.map(|s| s.to_string()).unwrap_or_default();
    let slow = SLOW.as_secs();
    let (meaning, what_to_do) = match (place.finding, lang) {
        (Finding::Ok, Lang::ZhCn) => ("微信能在这里取到校验文件，内容一致。".to_owned(), String::new()),
        (Finding::Ok, Lang::En) => ("WeChat finds the file here, byte for byte.".to_owned(), String::new()),
        (Finding::NotFound, Lang::ZhCn) => (
            format!("找不到文件（HTTP {status}）：这个地址上没有它。"),
            format!("把 {file_name} 原样放到网站的这个目录下。"),
        ),
        (Finding::NotFound, Lang::En) => (
            format!("Not found (HTTP {status}): the file is not at this address."),
            format!("Put {file_name}, unchanged, in this folder of the web site."),
        ),
        (Finding::Html, Lang::ZhCn) => (
            "返回的是网页而不是文件（登录页、错误页或网站首页）。".to_owned(),
            "让这个地址直接返回文件本身，不要求登录，作为普通文件提供。".to_owned(),
        ),
        (Finding::Html, Lang::En) => (
            "A web page came back instead of the file (a login page, an error page or the home page).".to_owned(),
            "Serve the file itself at this address, as a plain file, without a login.".to_owned(),
        ),
        (Finding::WrongContent, Lang::ZhCn) => (
            "这里有文件，但内容与微信的不一致（旧文件、多了换行，或是别的账号的文件）。".to_owned(),
            "换成微信给的文件，逐字节一致（重新保存，不要编辑）。".to_owned(),
        ),
        (Finding::WrongContent, Lang::En) => (
            "A file is there, but its bytes differ from WeChat's (an old file, an added line break, another account's file).".to_owned(),
            "Replace it with the file WeChat gave, byte for byte (save it again; do not edit it).".to_owned(),
        ),
        (Finding::Redirect, Lang::ZhCn) => (
            format!("服务器把这个地址跳转到了 {detail}，微信核对校验文件时不跟随跳转。"),
            "让文件就在这个地址上返回（为它关闭跳转，例如 http 转 https 或加 www 的跳转）。".to_owned(),
        ),
        (Finding::Redirect, Lang::En) => (
            format!("The server redirects this address to {detail}; WeChat does not follow redirects for this check."),
            "Serve the file at this exact address (turn the redirect off for it, such as http to https or adding www).".to_owned(),
        ),
        (Finding::Tls, Lang::ZhCn) => (
            format!("证书对这个域名无效（过期、自签名或属于别的域名）：{detail}"),
            "为这个域名安装公共证书机构签发的有效证书。".to_owned(),
        ),
        (Finding::Tls, Lang::En) => (
            format!("The certificate is not valid for this host (expired, self-signed or for another name): {detail}"),
            "Install a certificate from a public certificate authority, valid for this host name.".to_owned(),
        ),
        (Finding::Slow, Lang::ZhCn) => (
            format!("用了 {} 毫秒；超过 {slow} 秒微信就放弃了。", place.ms),
            "让这个文件快速返回（静态文件，不经过慢的后端）。".to_owned(),
        ),
        (Finding::Slow, Lang::En) => (
            format!("It took {} ms; WeChat gives up after {slow} s.", place.ms),
            "Make the file answer quickly (a static file, not through a slow back end).".to_owned(),
        ),
        (Finding::Unreachable, Lang::ZhCn) => (
            if status.is_empty() { format!("连不上：{detail}") } else { format!("服务器出错（HTTP {status}）。") },
            "确认域名指向网站服务器，服务器正在运行并对外开放。".to_owned(),
        ),
        (Finding::Unreachable, Lang::En) => (
            if status.is_empty() { format!("No answer: {detail}") } else { format!("The server failed (HTTP {status}).") },
            "Check that the host name points at the web server and that it runs and is open to the internet.".to_owned(),
        ),
    };
    Explanation { meaning, what_to_do }
}

/// The whole report, a place a line, for the terminal.
pub fn report(report: &Report, lang: Lang) -> String {
    let mut text = match (report.verdict, lang) {
        (Finding::Ok, Lang::ZhCn) => format!("校验文件 {}：微信能取到。", report.file_name),
        (Finding::Ok, Lang::En) => format!("Verification file {}: WeChat can fetch it.", report.file_name),
        (_, Lang::ZhCn) => {
            format!("校验文件 {}：微信取不到，添加规则 {} 会失败（85069）。", report.file_name, report.prefix)
        }
        (_, Lang::En) => format!(
            "Verification file {}: WeChat cannot fetch it, so adding {} fails (85069).",
            report.file_name, report.prefix
        ),
    };
    for place in &report.urls {
        let words = finding(place, &report.file_name, lang);
        let mark = if place.finding == Finding::Ok { "✓" } else { "✗" };
        text.push_str(&format!(
            "\n{mark} {}  [{}, {} ms]\n    {}",
            place.url,
            place.finding.code(),
            place.ms,
            words.meaning
        ));
        if !words.what_to_do.is_empty() {
            text.push_str(&format!("\n    {}", words.what_to_do));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_speaks_both_languages() {
        for finding in Finding::ALL {
            let place = Place {
                url: "https://a.test/x.txt".into(),
                finding,
                status: Some(404),
                ms: 10,
                detail: Some("d".into()),
            };
            for lang in [Lang::ZhCn, Lang::En] {
                let words = super::finding(&place, "x.txt", lang);
                assert!(!words.meaning.is_empty(), "{finding:?}");
                assert_eq!(words.what_to_do.is_empty(), finding == Finding::Ok, "{finding:?}");
            }
        }
    }
}
