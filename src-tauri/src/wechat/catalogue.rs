//! What WeChat's error codes mean to an admin, and what to do about them,
//! in Chinese and English. Sources: WeChat's documentation of the
//! qrcodejump* and token APIs, and DESIGN.md §1.

use super::input::Mode;
use crate::lang::Lang;

pub struct Entry {
    pub codes: &'static [i64],
    meaning_zh: &'static str,
    meaning_en: &'static str,
    todo_zh: &'static str,
    todo_en: &'static str,
}

impl Entry {
    pub fn meaning(&self, lang: Lang) -> &'static str {
        lang.pick(self.meaning_zh, self.meaning_en)
    }

    pub fn what_to_do(&self, lang: Lang) -> &'static str {
        lang.pick(self.todo_zh, self.todo_en)
    }
}

/// The entry for `errcode`, or `None` for a code WeChat added that we do not
/// know: the caller then shows the raw errcode and errmsg.
pub fn lookup(errcode: i64) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|entry| entry.codes.contains(&errcode))
}

/// The entry for `errcode` as it applies in `mode`: a few codes mean
/// something else in service-account mode (85073: a lifetime count of adds,
/// not a number of rules).
pub fn lookup_in(errcode: i64, mode: Option<Mode>) -> Option<&'static Entry> {
    let special = match mode {
        Some(Mode::ServiceAccount) => SERVICE_ACCOUNT.iter().find(|entry| entry.codes.contains(&errcode)),
        _ => None,
    };
    special.or_else(|| lookup(errcode))
}

/// Every code the catalogue explains (the tests walk through all of them).
pub fn all_codes() -> impl Iterator<Item = i64> {
    CATALOGUE.iter().flat_map(|entry| entry.codes.iter().copied())
}

const fn e(
    codes: &'static [i64],
    meaning_zh: &'static str,
    meaning_en: &'static str,
    todo_zh: &'static str,
    todo_en: &'static str,
) -> Entry {
    Entry { codes, meaning_zh, meaning_en, todo_zh, todo_en }
}

static CATALOGUE: &[Entry] = &[
    e(&[0], "操作成功。", "Done.", "", ""),
    e(
        &[-1, 886001],
        "微信系统繁忙。",
        "WeChat's system is busy.",
        "本程序已自动等待并重试；请稍后再试一次。",
        "The app already waited and retried; try again in a few minutes.",
    ),
    e(
        &[40001, 40014, 42001],
        "访问令牌（access token）无效或已过期。",
        "The access token is invalid or has expired.",
        "本程序已自动刷新令牌并重试一次。若仍出现，请核对 AppSecret；如果是手工填入的令牌，请填入新的令牌。",
        "The app already fetched a new token and retried once. If this persists, check the AppSecret; for a pasted token, paste a fresh one.",
    ),
    e(
        &[40002, 41002],
        "请求缺少或带错了必要参数（grant_type / appid）。",
        "The request lacked or mangled a required parameter (grant_type / appid).",
        "这是本程序的问题，请把错误码和 rid 报告给维护人员。",
        "This is a bug in the app: report the errcode and rid to its maintainers.",
    ),
    e(
        &[40013],
        "AppID 无效。",
        "The AppID is not valid.",
        "请在账号设置中核对 AppID（在微信公众平台“开发管理 > 开发设置”中查看）。",
        "Check the AppID in the account settings (shown in the WeChat console under Development > Settings).",
    ),
    e(
        &[40125],
        "AppSecret 无效。",
        "The AppSecret is not valid.",
        "请在微信公众平台重新获取 AppSecret，并在账号设置中更新。",
        "Get the AppSecret again in the WeChat console and update it in the account settings.",
    ),
    e(
        &[40243],
        "AppSecret 已被冻结。",
        "The AppSecret has been frozen.",
        "请管理员在微信公众平台解冻 AppSecret 后再试。",
        "An administrator must unfreeze the AppSecret in the WeChat console, then try again.",
    ),
    e(
        &[40164],
        "本机的 IP 地址不在该账号的 API IP 白名单中。",
        "This computer's IP address is not on the account's API IP whitelist.",
        "请在微信公众平台“开发管理 > 开发设置 > IP 白名单”中加入本机的公网 IP（见错误信息中的 IP）。办公网络的 IP 常会变化：可让账号的令牌来自公司令牌服务器，或让调用经由固定出口 IP 的代理或公司 API 网关。",
        "Add this computer's public IP (shown in the message) in the WeChat console under Development > Settings > IP whitelist. Office IPs often change: take the account's tokens from the company token server, or route its calls through a proxy or API gateway with a fixed IP.",
    ),
    e(
        &[61004],
        "本机的 IP 地址不在第三方平台的白名单中。",
        "This computer's IP address is not on the third-party platform's whitelist.",
        "请让第三方平台（服务商）在开放平台把错误信息中的 IP 加入白名单，或经由其固定出口 IP 的服务器调用。",
        "Ask the third-party platform (service provider) to add the IP shown in the message to its whitelist on the Open Platform, or call through its server with a fixed IP.",
    ),
    e(
        &[40090],
        "请求来源无效（调用方 IP 不被接受）。",
        "The request's source is not accepted (the caller's IP).",
        "请检查本机的出口 IP 与账号的 IP 白名单设置；公司网络可经由固定 IP 的代理或服务器调用。",
        "Check this computer's public IP against the account's IP whitelist; an office network can call through a proxy or server with a fixed IP.",
    ),
    e(
        &[41001],
        "请求没有带上访问令牌（access token）。",
        "The request carried no access token.",
        "这是本程序或令牌服务器的问题：请检查账号设置中的令牌来源，并把错误码和 rid 报告给维护人员。",
        "This is a problem of the app or of the token server: check the account's token source, and report the errcode and rid to the maintainers.",
    ),
    e(
        &[89501],
        "本次调用的 IP 正在等待管理员确认。",
        "The IP this call came from is waiting for an administrator's confirmation.",
        "请账号管理员在微信中确认该 IP（或在公众平台把它加入白名单），然后重试。",
        "Have the account's administrator confirm the IP in WeChat (or add it to the whitelist in the console), then retry.",
    ),
    e(
        &[89506],
        "该 IP 在 24 小时内被管理员拒绝了两次，24 小时内不能再用它调用。",
        "An administrator refused this IP twice within 24 hours: it cannot call for 24 hours.",
        "请 24 小时后再试，或从已在白名单中的 IP 调用。",
        "Try again after 24 hours, or call from an IP on the whitelist.",
    ),
    e(
        &[89507],
        "该 IP 在 1 小时内被管理员拒绝过一次，1 小时内不能再用它调用。",
        "An administrator refused this IP within the last hour: it cannot call for an hour.",
        "请 1 小时后再试，或从已在白名单中的 IP 调用。",
        "Try again after an hour, or call from an IP on the whitelist.",
    ),
    e(
        &[89503],
        "本次调用的 IP 需要管理员确认。",
        "A WeChat administrator must confirm the IP this call came from.",
        "请账号管理员在微信中确认本次调用的 IP，或在公众平台把本机 IP 加入白名单，然后重试。",
        "Have the account's administrator confirm the calling IP in WeChat, or add this computer's IP to the whitelist in the console, then retry.",
    ),
    e(
        &[40097],
        "参数无效（例如规则不存在，或已发布的规则不能修改）。",
        "Invalid arguments (for example the rule does not exist, or a published rule cannot be edited).",
        "请核对二维码规则与小程序 AppID；可先刷新规则列表确认该规则仍然存在。",
        "Check the prefix and the Mini Program AppID; refresh the rule list to see whether the rule still exists.",
    ),
    e(
        &[44990],
        "调用过于频繁（每秒超过 5 次）。",
        "Too many calls (more than 5 a second).",
        "本程序会自动限速，一般不会出现；请稍等几秒再试。",
        "The app limits its own pace, so this should not happen; wait a few seconds and try again.",
    ),
    e(
        &[45009],
        "今日调用次数已达上限。",
        "Today's call quota for this API is used up.",
        "请明天再试，或在公众平台查看接口调用额度。",
        "Try again tomorrow, or check the API quota in the WeChat console.",
    ),
    e(&[45011], "调用太频繁。", "Calls are too frequent.", "请稍后再试。", "Wait a while and try again."),
    e(
        &[48001],
        "该账号没有此接口的权限，或使用了错误类型的令牌。",
        "This account has no permission for this API, or the token is of the wrong kind.",
        "请确认账号类型：普通二维码模式需要小程序的令牌，服务号模式需要已认证服务号的令牌；第三方平台需获得相应授权。",
        "Check the account kind: ordinary-QR mode needs the Mini Program's token, service-account mode a verified service account's; a third-party platform needs the authorisation.",
    ),
    e(
        &[61007],
        "第三方平台未获得该接口所需的权限集（二维码规则接口属于权限集 3 或 18）。",
        "The third-party platform lacks the permission set this API needs (QR code rules belong to permission set 3 or 18).",
        "请让账号管理员在授权给第三方平台时勾选权限集 3（账号服务）或 18（开发管理），然后重试。",
        "Ask the account's administrator to grant the platform permission set 3 (account services) or 18 (development management), then retry.",
    ),
    e(
        &[85066],
        "二维码规则（前缀）不合法。",
        "The prefix is not a valid QR code rule.",
        "请核对前缀；服务号模式的前缀必须形如 http://weixin.qq.com/q/...",
        "Check the prefix; in service-account mode it must look like http://weixin.qq.com/q/...",
    ),
    e(
        &[85068],
        "测试链接不符合二维码规则。",
        "A test link does not fall under the prefix.",
        "请确保每个测试链接都以该前缀开头。",
        "Make sure every test link starts with the prefix.",
    ),
    e(
        &[85069],
        "校验文件检查失败。",
        "The verification file check failed.",
        "请保存微信的校验文件（本应用会提供），原样放到网站上前缀所指的最后一级目录（或网站根目录），不要跳转、不要登录页，然后重试；“检查校验文件”可以逐个地址核对。",
        "Save WeChat's verification file (the app offers it) and serve it byte for byte from the last directory the prefix names (or the site's top level), with no redirect or login page, then retry; the verification-file doctor checks each place.",
    ),
    e(
        &[85070],
        "该前缀在黑名单中，或为个人账号，不能设置。",
        "The prefix is blacklisted (or the account is personal) and cannot be used.",
        "请查看微信返回的原始信息；换用其他前缀。",
        "Read WeChat's message as sent; use a different prefix.",
    ),
    e(
        &[85071],
        "该规则已存在。",
        "This rule already exists.",
        "无需重复添加；如需修改请编辑现有规则。",
        "No need to add it again; edit the existing rule instead.",
    ),
    e(
        &[85072],
        "该前缀已被其他账号占用。",
        "Another account already uses this prefix.",
        "请联系占用该前缀的账号，或换用其他前缀。",
        "Contact the account that owns it, or use a different prefix.",
    ),
    e(
        &[85073],
        "规则数量已达上限（100 条）。",
        "The rule limit (100) has been reached.",
        "请先删除不用的规则。",
        "Delete rules that are no longer needed first.",
    ),
    e(
        &[85074],
        "小程序还没有已发布的正式版本。",
        "The Mini Program has no released version.",
        "请先发布一个小程序正式版本。",
        "Release a version of the Mini Program first.",
    ),
    e(
        &[85075],
        "个人类型的小程序不能设置二维码规则。",
        "Personal Mini Programs cannot have QR code rules.",
        "这是账号类型的限制，无法通过操作解决。",
        "This is a limit of the account type; nothing can be done here.",
    ),
    e(
        &[85076],
        "ICP 备案检查未通过（微信未公开说明）。",
        "The ICP filing check failed (not documented by WeChat).",
        "备案完成后约需 3 个工作日才生效，请稍后再试。",
        "A new ICP filing takes about 3 working days to count; try again later.",
    ),
    e(
        &[85095],
        "规则数据异常。",
        "The rule's data is abnormal.",
        "请删除该规则后重新添加。",
        "Delete the rule and add it again.",
    ),
    e(
        &[886000],
        "本月发布次数已用完（每月 100 次）。",
        "This month's publish quota (100) is used up.",
        "请等到下个月；可在规则列表中查看剩余发布次数。",
        "Wait for next month; the rule list shows how many publishes are left.",
    ),
];

/// What a code means in service-account mode, where that differs.
static SERVICE_ACCOUNT: &[Entry] = &[e(
    &[85073],
    "该小程序的服务号二维码规则已达上限：一个小程序一生最多可添加 10 万条（按添加次数计，删除不会返还）。",
    "The Mini Program has reached its limit of service-account QR rules: 100,000 adds over its life (deleting does not give any back).",
    "无法再为该小程序添加服务号二维码规则；请联系微信确认。",
    "No more service-account rules can be added for this Mini Program; ask WeChat.",
)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_design_code_is_explained_in_both_languages() {
        let design = [
            -1, 886001, 40001, 40014, 42001, 40002, 41002, 40013, 40125, 40243, 40164, 89503, 40097, 44990, 45009,
            45011, 48001, 61007, 85066, 85068, 85069, 85070, 85071, 85072, 85073, 85074, 85075, 85076, 85095, 886000,
            61004, 40090, 41001, 89501, 89506, 89507,
        ];
        for code in design {
            let entry = lookup(code).unwrap_or_else(|| panic!("{code} missing"));
            assert!(!entry.meaning(Lang::ZhCn).is_empty() && !entry.what_to_do(Lang::ZhCn).is_empty());
            assert!(!entry.meaning(Lang::En).is_empty() && !entry.what_to_do(Lang::En).is_empty());
        }
        assert!(lookup(99999).is_none());
    }

    #[test]
    fn the_rule_limit_reads_by_mode() {
        let ordinary = lookup_in(85073, Some(Mode::Ordinary)).unwrap();
        let service = lookup_in(85073, Some(Mode::ServiceAccount)).unwrap();
        assert!(ordinary.meaning(Lang::En).contains("100)"), "{}", ordinary.meaning(Lang::En));
        assert!(service.meaning(Lang::En).contains("100,000"));
        assert!(service.meaning(Lang::ZhCn).contains("10 万"));
        assert!(std::ptr::eq(lookup_in(40097, Some(Mode::ServiceAccount)).unwrap(), lookup(40097).unwrap()));
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<i64> = all_codes().collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n);
    }
}
