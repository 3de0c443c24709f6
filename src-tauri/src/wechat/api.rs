//! The shapes of WeChat's qrcodejump requests and answers.

use serde::{Deserialize, Serialize};

/// One QR code jump rule as `qrcodejumpget` lists it. Fields only the
/// ordinary mode returns are optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub prefix: String,
    #[serde(default)]
    pub path: String,
    /// 1 unpublished, 2 published.
    #[serde(default)]
    pub state: i64,
    /// 1 development, 2 trial, 3 release (ordinary mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug_url: Option<Vec<String>>,
    /// 1 not exclusive of sub-rules, 2 exclusive (ordinary mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_sub_rule: Option<i64>,
}

impl Rule {
    pub fn is_published(&self) -> bool {
        self.state == 2
    }
}

/// The answer of `qrcodejumpget`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RuleList {
    #[serde(default)]
    pub rule_list: Vec<Rule>,
    /// 1 when the account has QR code jumping switched on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qrcodejump_open: Option<i64>,
    #[serde(default)]
    pub list_size: i64,
    #[serde(default)]
    pub total_count: i64,
    /// Publishes left this month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qrcodejump_pub_quota: Option<i64>,
}

/// `get_type` of `qrcodejumpget` in service-account mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleQuery {
    /// get_type 0: the newest 10 000.
    Newest,
    /// get_type 1: the rules with these prefixes (at most 200).
    Prefixes(Vec<String>),
    /// get_type 2: one page, `page_num` from 1, `page_size` at most 200.
    Page { page_num: u32, page_size: u32 },
}

pub const PAGE_SIZE_MAX: u32 = 200;

/// A rule to add or edit (`qrcodejumpadd`); also how a deleted rule is restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRule {
    pub prefix: String,
    pub path: String,
    /// Ordinary mode only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_sub_rule: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debug_url: Option<Vec<String>>,
    /// 0 add, 1 edit.
    pub is_edit: i64,
}

/// The errcode/errmsg of a successful call, kept to show and record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub errcode: i64,
    pub errmsg: String,
}
