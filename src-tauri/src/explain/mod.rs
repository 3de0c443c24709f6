//! Words for the admin: what a verdict, an error or a refused input means
//! and what to do next, in either language. The window and the CLI both
//! say things through here; the logic below them returns types, never text.

pub mod batch;
pub mod codes;
pub mod confirm;
pub mod connection;
pub mod doctor;
pub mod file_dialog;
pub mod flags;
pub mod policy;
mod problem;
pub mod records;
pub mod report;
pub mod start;
pub mod update;
mod verdict;
mod wechat;

use serde::Serialize;

use crate::lang::Lang;
use crate::wechat::InputError;
use crate::wechat::input::{PAGE_PATH_MAX_CHARS, PREFIX_MAX_CHARS};

pub use problem::{Problem, app, file_problem, server_url};
pub use verdict::{headline, outcome, recorded, verdict};
pub use wechat::error;

/// What something means, and what the admin can do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub meaning: String,
    pub what_to_do: String,
}

impl Explanation {
    /// Both parts as one line, as the history keeps them.
    pub fn text(&self) -> String {
        format!("{} {}", self.meaning, self.what_to_do).trim_end().to_owned()
    }
}

/// A field's name, as its label reads in the window.
pub fn field(field: crate::wechat::Field, lang: Lang) -> &'static str {
    use crate::wechat::Field as F;
    match (field, lang) {
        (field, Lang::En) => field.name(),
        (F::Prefix, Lang::ZhCn) => "二维码规则（前缀）",
        (F::TargetAppid, Lang::ZhCn) => "小程序 AppID",
        (F::AccountAppid, Lang::ZhCn) => "AppID",
        (F::AppSecret, Lang::ZhCn) => "AppSecret",
        (F::AccessToken, Lang::ZhCn) => "access token",
        (F::PagePath, Lang::ZhCn) => "小程序页面路径",
        (F::DebugUrl, Lang::ZhCn) => "测试链接",
        (F::HeaderValue, Lang::ZhCn) => "认证请求头的值",
        (F::ProxyPassword, Lang::ZhCn) => "代理密码",
    }
}

/// A refused input, naming the field and what is allowed.
pub fn input(error: &InputError, lang: Lang) -> String {
    match lang {
        Lang::En => error.to_string(),
        Lang::ZhCn => {
            let label = field(error.field(), lang);
            match error {
                InputError::Empty(_) => format!("{label}：不能为空"),
                InputError::PrefixNotUrl => {
                    format!("{label}：必须以 http:// 或 https:// 开头并包含域名，例如 https://example.com/qr/")
                }
                InputError::PrefixControl => format!("{label}：含有换行、制表符等控制字符，请只粘贴网址本身"),
                InputError::PrefixSpace => format!("{label}：含有空格，二维码网址中不应有空格"),
                InputError::PrefixTooLong(n) => {
                    format!("{label}：长度为 {n} 个字符，最多允许 {PREFIX_MAX_CHARS} 个")
                }
                InputError::TooManyDebugUrls(n) => format!("{label}：填了 {n} 个，微信最多允许 5 个"),
                InputError::DebugUrlNotUnderPrefix(url) => {
                    format!("{label}：{url} 不在规则前缀之下，每个测试链接都必须以前缀开头")
                }
                InputError::NotServiceAccountPrefix => {
                    format!("{label}：服务号的规则必须是它自己的二维码链接，以 http://weixin.qq.com/q/ 开头")
                }
                InputError::PagePathShape => format!(
                    "{label}：应为小程序页面，例如 pages/index/index（开头不加 /，不含空格，不是网址，最多 {PAGE_PATH_MAX_CHARS} 个字符）"
                ),
                InputError::AppId(_) => {
                    format!("{label}：格式应为 \"wx\" 加 16 位小写十六进制字符（0-9、a-f），例如 wx1234567890abcdef")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_input_names_its_field_in_both_languages() {
        assert!(input(&InputError::PrefixNotUrl, Lang::En).starts_with("prefix:"));
        assert!(input(&InputError::PrefixNotUrl, Lang::ZhCn).contains("二维码规则"));
    }
}
