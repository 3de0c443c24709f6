//! An error as the window shows it and the CLI prints it: what happened,
//! what to do, and which field it is about, for each layer's errors.

use serde::Serialize;

use crate::accounts;
use crate::app::AppError;
use crate::history;
use crate::lang::Lang;
use crate::wechat;
use crate::wechat::token_server::ServerUrlError;

/// An error as the UI shows it: what happened, what to do, and which
/// field it is about.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub kind: String,
    pub field: Option<wechat::Field>,
    pub errcode: Option<i64>,
    pub errmsg: Option<String>,
    pub message: String,
    pub hint: String,
}

impl Problem {
    pub fn new(kind: &str, message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            kind: kind.into(),
            field: None,
            errcode: None,
            errmsg: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn input(error: &wechat::InputError, lang: Lang) -> Problem {
        Problem { field: Some(error.field()), ..Problem::new("input", super::input(error, lang), "") }
    }

    pub fn wechat(error: &wechat::Error, lang: Lang) -> Problem {
        if let wechat::Error::Input(input) = error {
            return Problem::input(input, lang);
        }
        let explanation = super::error(error, None, lang);
        let (errcode, errmsg) = match error {
            wechat::Error::Api { errcode, errmsg, .. } => (Some(*errcode), Some(errmsg.clone())),
            _ => (None, None),
        };
        Problem {
            kind: error.kind().as_str().into(),
            field: None,
            errcode,
            errmsg,
            message: explanation.meaning,
            hint: explanation.what_to_do,
        }
    }

    pub fn history(error: &history::Error, lang: Lang) -> Problem {
        match error {
            history::Error::Filter { .. } => Problem::new("input", error.to_string(), ""),
            history::Error::ReadOnly { dir } => Problem::new(
                "read_only",
                match lang {
                    Lang::ZhCn => format!("历史记录文件夹 {} 无法写入（只读磁盘或没有权限）。", dir.display()),
                    Lang::En => format!("The history folder {} cannot be written (a read-only disk or no permission).", dir.display()),
                },
                lang.pick(
                    "无法记录就不会发送任何请求。查看、检查和导出历史记录仍然可以使用。",
                    "Nothing can be recorded, so nothing is sent. Reviewing, checking and exporting the history still work.",
                ),
            ),
            history::Error::ExportFile { path, source } => Problem::new(
                "export",
                match lang {
                    Lang::ZhCn => format!("无法写入导出文件 {}：{source}", path.display()),
                    Lang::En => format!("The export file {} cannot be written: {source}", path.display()),
                },
                lang.pick("请选择一个可以写入的位置。", "Choose a place you can write to."),
            ),
            history::Error::Manifest { path, problem } => Problem::new(
                "manifest",
                match lang {
                    Lang::ZhCn => format!("导出清单 {}：{problem}", path.display()),
                    Lang::En => sentence(error),
                },
                lang.pick(
                    "请选择导出 CSV 时一同保存的 .manifest.json 文件。",
                    "Choose the .manifest.json file saved beside an exported CSV.",
                ),
            ),
            history::Error::NewerFile { found, supported } => Problem::new(
                "history",
                match lang {
                    Lang::ZhCn => format!(
                        "历史记录文件由更新版本的二维码跳转规则管理写入（结构版本 {found}，本版本只能读取到 {supported}）。"
                    ),
                    Lang::En => sentence(error),
                },
                lang.pick(
                    "请安装新版本；本版本不会改动这个文件。",
                    "Install the newer version; this one leaves the file as it is.",
                ),
            ),
            history::Error::BadSchema { found } => Problem::new(
                "history",
                match lang {
                    Lang::ZhCn => format!(
                        "历史记录文件标明结构版本 {found}，任何版本的二维码跳转规则管理都不会写入这个值：文件被其他程序改动过。"
                    ),
                    Lang::En => sentence(error),
                },
                lang.pick("请从备份恢复历史记录文件。", "Restore the history file from a backup."),
            ),
            history::Error::NeedsUpgrade { found, latest } => Problem::new(
                "history",
                match lang {
                    Lang::ZhCn => format!(
                        "历史记录文件是旧的结构（版本 {found}），又在只读磁盘上，无法升级到版本 {latest}。"
                    ),
                    Lang::En => sentence(error),
                },
                lang.pick(
                    "请先在可以写入的位置打开它一次，完成升级。",
                    "Open it once where it can be written, to upgrade it.",
                ),
            ),
            history::Error::NotCompleted { id, answer, source } => Problem::new(
                "history",
                match lang {
                    Lang::ZhCn => format!(
                        "微信已经答复（{answer}），但记录 {id} 无法完成（{source}）；在检查之前它显示为“未知”。"
                    ),
                    Lang::En => sentence(error),
                },
                lang.pick(
                    "请检查磁盘空间与文件夹权限，然后在历史记录中检查这条记录。",
                    "Check disk space and folder permissions, then check the record in the history.",
                ),
            ),
            _ => Problem::new(
                "history",
                match (error, lang) {
                    (history::Error::Sqlite(e), Lang::ZhCn) => format!("历史记录数据库出错：{e}"),
                    (history::Error::Io(e), Lang::ZhCn) => format!("历史记录文件夹无法读写：{e}"),
                    (history::Error::Csv(e), Lang::ZhCn) => format!("写入 CSV 时出错：{e}"),
                    (history::Error::NotPending(id), Lang::ZhCn) => format!("记录 {id} 已经完成，不能再次完成。"),
                    _ => sentence(error),
                },
                lang.pick(
                    "历史记录文件无法读写；没有发送任何请求。请检查磁盘空间与文件夹权限。",
                    "The history file could not be read or written; nothing was sent. Check disk space and folder permissions.",
                ),
            ),
        }
    }

    pub fn service(error: &crate::service::Error, lang: Lang) -> Problem {
        use crate::service::Error as E;
        use crate::service::error::NotRestorable as N;
        match error {
            E::History(e) => Problem::history(e, lang),
            E::Wechat(e) => Problem::wechat(e, lang),
            E::Input(e) => Problem::input(e, lang),
            E::BatchBusy(_) => Problem::new(
                "batch_busy",
                lang.pick(
                    "这批删除正在由另一个窗口或脚本发送。",
                    "This batch is being sent by another window or script.",
                ),
                lang.pick("请等它结束后再继续。", "Wait for it to finish before going on."),
            ),
            E::NoBatch(_) | E::NotCheckable(_) => Problem::new("input", error.to_string(), ""),
            E::EmptyBatch => Problem::new(
                "input",
                lang.pick(
                    "没有可删除的规则：所选前缀都不在当前规则列表中。",
                    "Nothing to delete: none of the prefixes is in the current rule list.",
                ),
                "",
            ),
            E::NotRestorable { reason, .. } => Problem::new(
                "not_restorable",
                match (lang, reason) {
                    (Lang::ZhCn, N::NoRecord) => "没有这条记录。".into(),
                    (Lang::ZhCn, N::NotDelete) => "只有删除记录可以恢复。".into(),
                    (Lang::ZhCn, N::NotDeleted) => "这次删除没有成功，规则仍在，无需恢复。".into(),
                    (Lang::ZhCn, N::NoSnapshot) => {
                        "删除前没能读到这条规则，不知道它的页面和设置，无法按原样恢复。".into()
                    }
                    (Lang::En, reason) => format!("This record cannot be restored: {reason}."),
                },
                "",
            ),
            E::Refused(refusal) => Problem::refusal(refusal, lang),
            E::RuleFile { path, problem } => Problem::new(
                "file",
                match lang {
                    Lang::En => error.to_string(),
                    Lang::ZhCn => format!("规则文件 {}：{}", path.display(), file_problem(problem, lang)),
                },
                lang.pick(
                    "请选择 .csv 或 .json 文件，并确认位置可以写入。",
                    "Choose a .csv or .json file in a place you can write to.",
                ),
            ),
        }
    }

    /// Restoring from a backup before one was opened.
    pub fn no_backup_open(lang: Lang) -> Problem {
        Problem::new("input", lang.pick("请先打开一个规则备份文件。", "Open a rule backup file first."), "")
    }

    /// A rule request refused before anything was sent.
    pub fn refusal(refusal: &crate::service::rules::Refusal, lang: Lang) -> Problem {
        use crate::service::rules::Refusal as R;
        let (message, hint) = match (refusal, lang) {
            (R::Exists(p), Lang::ZhCn) => (
                format!("二维码规则（前缀）：{p} 已是本账号的规则（微信会返回 85071）。"),
                "请改为修改这条规则。".to_owned(),
            ),
            (R::Exists(_), Lang::En) => (refusal.to_string(), "Edit that rule instead.".into()),
            (R::NotFound(p), Lang::ZhCn) => {
                (format!("二维码规则（前缀）：{p} 不是本账号的规则。"), "请检查前缀，或先添加这条规则。".into())
            }
            (R::NotFound(_), Lang::En) => (refusal.to_string(), "Check the prefix, or add the rule first.".into()),
            (R::RuleLimit { count, limit }, Lang::ZhCn) => (
                format!("本账号已有 {count} 条规则，微信最多允许 {limit} 条（85073）。"),
                "请先删除不再使用的规则，再添加。".into(),
            ),
            (R::RuleLimit { .. }, Lang::En) => (refusal.to_string(), "Delete a rule no longer in use first.".into()),
            (R::Quota { needed, left }, Lang::ZhCn) => (
                format!("需要发布 {needed} 次，本月只剩 {left} 次（qrcodejump_pub_quota），没有发送任何请求。"),
                "请减少要发布的规则，或等到下个月。".into(),
            ),
            (R::Quota { .. }, Lang::En) => (refusal.to_string(), "Publish fewer rules, or wait for next month.".into()),
            (R::Unchanged(p), Lang::ZhCn) => (format!("{p} 已是这些设置，没有需要修改的。"), String::new()),
            (R::Unchanged(_), Lang::En) => (refusal.to_string(), String::new()),
            (R::AlreadyPublished(p), Lang::ZhCn) => (format!("{p} 已经发布。"), String::new()),
            (R::AlreadyPublished(_), Lang::En) => (refusal.to_string(), String::new()),
            (R::Incomplete(p), Lang::ZhCn) => {
                (format!("微信的规则列表没有给出 {p} 的打开版本和子规则设置。"), "请同时指定这两项。".into())
            }
            (R::Incomplete(_), Lang::En) => (refusal.to_string(), "Give both settings.".into()),
        };
        // The window offers to edit a rule that exists: it needs to know which refusal this is.
        let kind = if matches!(refusal, R::Exists(_)) { "rule_exists" } else { "refused" };
        Problem::new(kind, message, hint)
    }

    fn printed(error: &crate::printed::Error, lang: Lang) -> Problem {
        use crate::printed::Error as E;
        use crate::qr_image::ImageError;
        let (message, hint) = match (error, lang) {
            (E::NoLinks { path }, Lang::ZhCn) => (
                format!("{}：里面没有找到链接（以 https:// 或 http:// 开头）。", path.display()),
                "请选择每行一个链接的文本文件、含链接列的 CSV 表格，或二维码图片所在的文件夹。",
            ),
            (E::NoLinks { .. }, Lang::En) => (
                error.to_string(),
                "Choose a text file with one link a line, a CSV table with a column of links, or a folder of QR code images.",
            ),
            (E::Image(ImageError::Format { path, .. }), Lang::ZhCn) => {
                (format!("{path}：不是本程序能读取的 PNG 或 JPEG 图片。"), "请换一张 PNG 或 JPEG 图片。")
            }
            (E::Image(ImageError::Format { .. }), Lang::En) => (error.to_string(), "Use a PNG or JPEG image."),
            (E::Image(ImageError::TooLarge { path, width, height }), Lang::ZhCn) => (
                format!("{path}：{width}×{height} 像素，超过本程序读取的上限（4000 万像素）。"),
                "请缩小图片，或只截取二维码所在的部分。",
            ),
            (E::Image(ImageError::TooLarge { .. }), Lang::En) => {
                (error.to_string(), "Make the image smaller, or crop it to the QR code.")
            }
            (E::Read { .. } | E::Image(ImageError::Read { .. }), _) => (
                error.to_string(),
                lang.pick("请确认文件存在并且可以读取。", "Check that the file exists and can be read."),
            ),
            (E::Save { .. }, _) => (
                error.to_string(),
                lang.pick("请检查磁盘空间与数据文件夹的权限。", "Check disk space and the data folder's permissions."),
            ),
        };
        Problem::new("printed", message, hint)
    }

    fn account(error: &accounts::Error, lang: Lang) -> Problem {
        match error {
            accounts::Error::Input(input) => Problem::input(input, lang),
            accounts::Error::NameEmpty => {
                Problem::new("input", lang.pick("名称：不能为空", "name: must not be empty"), "")
            }
            accounts::Error::NameTaken(name) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("名称：已有名为“{name}”的账号"),
                    Lang::En => format!("name: another account is already called {name:?}"),
                },
                "",
            ),
            accounts::Error::SecretMissing(name) => Problem::new(
                "secret_missing",
                match lang {
                    Lang::ZhCn => format!("本次运行中不知道账号“{name}”的密钥（系统凭据存储不可用）。"),
                    Lang::En => {
                        format!("The secret of account {name:?} is not known in this session (no credential store).")
                    }
                },
                lang.pick(
                    "请在“账号”页编辑该账号，重新填入 AppSecret 或令牌。",
                    "Edit the account on the Accounts page and enter its AppSecret or token again.",
                ),
            ),
            accounts::Error::BadExpiry(_) => {
                Problem::new("input", lang.pick("令牌到期时间：不是有效的时间", "token expiry: not a valid time"), "")
            }
            accounts::Error::Route(wechat::RouteError::BadProxy) => Problem::new(
                "input",
                lang.pick(
                    "代理服务器：必须是 http:// 或 https:// 地址，例如 http://proxy.corp:3128（用户名和密码另填）",
                    "proxy: must be an http:// or https:// URL such as http://proxy.corp:3128 (user and password go in their own fields)",
                ),
                "",
            ),
            accounts::Error::Route(wechat::RouteError::BadGateway) => Problem::new(
                "input",
                lang.pick(
                    "API 网关：必须是 https:// 地址，例如 https://wx-gateway.corp",
                    "gateway: must be an https:// base URL such as https://wx-gateway.corp",
                ),
                "",
            ),
            accounts::Error::Route(wechat::RouteError::GatewayNotTls) => Problem::new(
                "input",
                lang.pick(
                    "API 网关：必须是 https://（http:// 只允许指向本机），否则访问令牌会以明文经过网络",
                    "gateway: must be https:// (http:// only to this computer): the token would cross the network unencrypted",
                ),
                "",
            ),
            accounts::Error::NoServer => Problem::new(
                "input",
                lang.pick("令牌服务器：请选择该账号的令牌来自哪个令牌服务器", "token server: choose the token server this account's token comes from"),
                lang.pick("还没有令牌服务器时，请先在下方“令牌服务器”中添加。", "If there is none yet, add one under \"Token servers\" below first."),
            ),
            accounts::Error::BadServerUrl(why) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("令牌服务器地址：{}", server_url(why, lang)),
                    Lang::En => format!("token server URL: {}", server_url(why, lang)),
                },
                "",
            ),
            accounts::Error::SecretForNewPlace(field) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("{}：地址已改变，请重新填写（已保存的密钥不会发往新的地址）", super::field(*field, lang)),
                    Lang::En => error.to_string(),
                },
                "",
            ),
            accounts::Error::BadPointer(why) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("令牌位置：{why}；请填 JSON 指针（如 /data/access_token）或 text"),
                    Lang::En => format!("where the token is: {why}; enter a JSON pointer (e.g. /data/access_token) or text"),
                },
                "",
            ),
            accounts::Error::BadHeaderName(name) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("认证请求头名称：{name:?} 不是有效的 HTTP 请求头名称（例如 Authorization）"),
                    Lang::En => format!("header name: {name:?} is not a valid HTTP header name (e.g. Authorization)"),
                },
                "",
            ),
            accounts::Error::ServerInUse(server, users) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("令牌服务器“{server}”仍被这些账号使用：{users}"),
                    Lang::En => format!("The token server {server:?} is still used by: {users}"),
                },
                lang.pick("请先删除这些账号或让它们改用其他令牌来源。", "Remove those accounts, or give them another token source, first."),
            ),
            accounts::Error::SetByPolicy(source) => Problem::new(
                "policy",
                match lang {
                    Lang::ZhCn => format!("这个令牌服务器由 IT 策略设定（{source}），不能在这里修改或删除。"),
                    Lang::En => format!("This token server is set by IT policy ({source}): it cannot be changed or removed here."),
                },
                lang.pick("如需修改，请联系 IT。", "Ask IT to change it."),
            ),
            accounts::Error::ServesMissing => Problem::new(
                "input",
                lang.pick("令牌用途：请选择令牌属于小程序还是服务号", "token for: choose whether the token is a Mini Program's or a service account's"),
                "",
            ),
            accounts::Error::BadAppIdLine { line, text } => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("AppID 列表第 {line} 行：{text:?} 不是 AppID（wx 加 16 位字母或数字）"),
                    Lang::En => format!("AppIDs, line {line}: {text:?} is not an AppID (wx followed by 16 letters or digits)"),
                },
                lang.pick("没有添加任何账号；请改正后再试。", "No account was added; correct it and try again."),
            ),
            other => Problem::new("accounts", other.to_string(), ""),
        }
    }
}

/// What the admin reads of an app error, in `lang`.
pub fn app(error: &AppError, lang: Lang) -> Problem {
    match error {
            AppError::Input(error) => Problem::input(error, lang),
            AppError::Wechat(error) => Problem::wechat(error, lang),
            AppError::History(error) => Problem::history(error, lang),
            AppError::Accounts(error) => Problem::account(error, lang),
            AppError::Config(error) => Problem::new("config", error.to_string(), ""),
            AppError::ModeNotAllowed => Problem::new(
                "input",
                lang.pick(
                    "该账号类型不能使用这种模式：普通二维码模式需要小程序账号，服务号模式需要服务号账号。",
                    "This kind of account cannot use this mode: ordinary-QR mode needs a Mini Program account, service-account mode a service account.",
                ),
                "",
            ),
            AppError::Demo(error) => Problem::new(
                "demo",
                error.to_string(),
                lang.pick("演示模拟器无法启动。", "The demo simulator could not start."),
            ),
            AppError::Service(error) => Problem::service(error, lang),
            AppError::Printed(error) => Problem::printed(error, lang),
            AppError::Connection { step, route, source } => {
                let told = Problem::wechat(source, lang);
                let message = super::connection::failed(*step, route, &told.message, lang);
                Problem { message, ..told }
            }
            AppError::NoRecord(id) => Problem::new(
                "input",
                match lang {
                    Lang::ZhCn => format!("没有编号为 {id} 的历史记录。"),
                    Lang::En => format!("There is no history record {id}."),
                },
                "",
            ),
            AppError::RecordAccountGone | AppError::BatchAccountGone => Problem::new(
                "account_gone",
                lang.pick(
                    "做这件事的账号已不在账号列表中。",
                    "The account that did this is no longer in the account list.",
                ),
                lang.pick(
                    "请在“账号”页用同一名称重新添加该账号，然后再试。",
                    "Add the account again on the Accounts page under the same name, then try again.",
                ),
            ),
            AppError::SaveFile { .. } => Problem::new(
                "save",
                error.to_string(),
                lang.pick("请选择一个可以写入的位置。", "Choose a place you can write to."),
            ),
            AppError::OpenFolder { path, .. } => Problem::new(
                "open_folder",
                match lang {
                    Lang::ZhCn => format!("无法用文件管理器打开 {}。", path.display()),
                    Lang::En => format!("Could not open {} in a file manager.", path.display()),
                },
                lang.pick("请在文件管理器中手动打开这个文件夹。", "Open this folder in your file manager by hand."),
            ),
            AppError::Settings { .. } => Problem::new(
                "settings",
                error.to_string(),
                lang.pick("请检查数据文件夹是否可以写入。", "Check that the data folder can be written to."),
            ),
            AppError::Team(error) => Problem::team(error, lang),
            AppError::Update(error) => Problem::update(error, lang),
            AppError::UpdateNotOffered(version) => Problem::new(
                "update",
                match lang {
                    Lang::ZhCn => format!("没有可安装的 {version} 更新；请重新检查。"),
                    Lang::En => format!("No update to {version} was offered; check again."),
                },
                "",
            ),
            AppError::TeamPasswordAgain => Problem::new(
                "input",
                lang.pick(
                    "密码：服务器已改变，请重新填写密码（已保存的密码不会发往新的服务器）",
                    "password: the server changed, so enter its password again (a kept password is not sent to a new server)",
                ),
                "",
            ),
            AppError::TeamField { field } => {
                let name = match (*field, lang) {
                    ("host", Lang::ZhCn) => "服务器",
                    ("database", Lang::ZhCn) => "数据库",
                    ("user", Lang::ZhCn) => "用户名",
                    (other, _) => other,
                };
                Problem::new(
                    "input",
                    match lang {
                        Lang::ZhCn => format!("{name}：必填，且不能含空格。"),
                        Lang::En => format!("{name}: required, without spaces."),
                    },
                    "",
                )
            }
            AppError::TeamNotSet => Problem::new(
                "team",
                lang.pick("还没有设置团队历史记录。", "No team history is set up yet."),
                lang.pick("请先填写团队数据库的连接信息。", "Fill in the team database's connection first."),
            ),
        }
}

/// What is wrong with a rule file, after its name.
pub fn file_problem(problem: &crate::service::FileProblem, lang: Lang) -> String {
    use crate::service::FileProblem as P;
    match (problem, lang) {
        (problem, Lang::En) => problem.to_string(),
        (P::Io(words), Lang::ZhCn) => format!("无法读写（{words}）"),
        (P::Format, Lang::ZhCn) => "文件名必须以 .json 或 .csv 结尾（由它决定格式）".into(),
        (P::NotBackup(words), Lang::ZhCn) => format!("不是规则备份（{words}）"),
        (P::Csv(words), Lang::ZhCn) => format!("不是有效的 CSV（{words}）"),
        (P::NoPrefixColumn, Lang::ZhCn) => "没有 \"prefix\" 列".into(),
        (P::NotANumber { row, column, value }, Lang::ZhCn) => format!("第 {row} 行：{column} 的 {value:?} 不是数字"),
        (P::Twice(prefix), Lang::ZhCn) => format!("{prefix} 在文件中出现了两次"),
        (P::NeedsOrdinarySettings(prefix), Lang::ZhCn) => {
            format!("{prefix}：普通二维码模式的规则需要 open_version 和 permit_sub_rule")
        }
        (P::BadRule { prefix, error }, Lang::ZhCn) => format!("{prefix}：{}", Problem::service(error, lang).message),
    }
}

/// What is wrong with a token server's URL, after the name of its field.
pub fn server_url(why: &ServerUrlError, lang: Lang) -> String {
    match (why, lang) {
        (ServerUrlError::NotUrl, Lang::ZhCn) => "必须是 https:// 地址，可含 {appid}".into(),
        (ServerUrlError::NotTls, Lang::ZhCn) => {
            "必须是 https://（http:// 只允许指向本机），否则认证请求头和令牌会以明文经过网络".into()
        }
        (ServerUrlError::Credentials, Lang::ZhCn) => {
            "不能含用户名或密码（user:password@）；密钥请填在认证请求头中，由系统凭据存储保管".into()
        }
        (ServerUrlError::KeyInQuery, Lang::ZhCn) => {
            "查询参数中不能含密钥、令牌或签名；请填在认证请求头中，由系统凭据存储保管".into()
        }
        (why, Lang::En) => why.to_string(),
    }
}

/// An error's words as a sentence: a capital first, a full stop last.
fn sentence(error: &impl std::fmt::Display) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

impl Problem {
    pub fn team(error: &crate::team::Error, lang: Lang) -> Problem {
        use crate::team::Error as E;
        let (message, hint) = match (error, lang) {
            (E::Unreachable { host, problem }, Lang::ZhCn) => (
                format!("无法连接团队数据库 {host}：{problem}"),
                "请检查服务器地址、端口和网络；记录会先保存在本机，恢复连接后自动上传。",
            ),
            (E::NoAnswer { host, seconds }, Lang::ZhCn) => {
                (format!("团队数据库 {host} 在 {seconds} 秒内没有应答。"), "记录会先保存在本机，稍后自动重试上传。")
            }
            (E::TlsRequired { host }, Lang::ZhCn) => {
                (format!("团队数据库 {host} 不在本机：连接必须加密（TLS）。"), "请让 IT 为数据库开启 TLS。")
            }
            (E::NewerSchema { found, supported }, Lang::ZhCn) => (
                format!("团队数据库由更新版本的 QR Jump Admin 设置（结构版本 {found}，本版本支持 {supported}）。"),
                "请更新本应用。",
            ),
            (E::BadSchema { found }, Lang::ZhCn) => (
                format!(
                    "团队数据库的结构版本是 {found}，任何版本的 QR Jump Admin 都不会写入这个值：表 qrjump_schema 被其他程序改动过。"
                ),
                "请联系数据库管理员检查。",
            ),
            (E::Server(words), Lang::ZhCn) => (format!("团队数据库拒绝了请求：{words}"), "请检查用户名、密码和权限。"),
            (_, Lang::ZhCn) => (error.to_string(), "请检查团队数据库的连接信息。"),
            (E::Unreachable { .. } | E::NoAnswer { .. }, Lang::En) => (
                sentence(error),
                "The records are kept on this computer first and pushed once the database can be reached.",
            ),
            (E::Server(_), Lang::En) => (sentence(error), "Check the user name, the password and its rights."),
            (_, Lang::En) => (sentence(error), "Check the team database's connection."),
        };
        Problem::new("team", message, hint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_history_error_is_worded_in_chinese_for_a_chinese_admin() {
        let io = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let errors = [
            history::Error::Sqlite(rusqlite::Error::InvalidQuery),
            history::Error::Io(io()),
            history::Error::NotPending(7),
            history::Error::ReadOnly { dir: "/media/usb".into() },
            history::Error::NewerFile { found: 9, supported: 8 },
            history::Error::NotCompleted {
                id: 3,
                answer: "errcode 0".into(),
                source: Box::new(history::Error::Io(io())),
            },
            history::Error::BadSchema { found: -1 },
            history::Error::NeedsUpgrade { found: 3, latest: 8 },
            history::Error::ExportFile { path: "/tmp/x.csv".into(), source: io() },
            history::Error::Manifest { path: "/tmp/x.manifest.json".into(), problem: "not JSON".into() },
        ];
        for error in &errors {
            let (zh, en) = (Problem::history(error, Lang::ZhCn), Problem::history(error, Lang::En));
            assert!(chinese(&zh.message) && chinese(&zh.hint), "{error:?}: {zh:?}");
            assert!(!chinese(&en.message) && !chinese(&en.hint), "{error:?}: {en:?}");
        }
        // The numbers an admin would report stay in the words.
        let newer = Problem::history(&errors[4], Lang::ZhCn).message;
        assert!(newer.contains('9') && newer.contains('8'), "{newer}");
    }
}
