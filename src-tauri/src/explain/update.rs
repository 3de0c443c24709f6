//! Updates in the admin's words: why none was found or installed, and what
//! to do. A refused signature says plainly that nothing was installed.

use super::Problem;
use crate::lang::Lang;
use crate::update::{Error, Installed, Release};

impl Problem {
    pub fn update(error: &Error, lang: Lang) -> Problem {
        let say = |zh: String, en: String| if lang == Lang::ZhCn { zh } else { en };
        let tell_it = lang.pick("请告知 IT。", "Tell IT.").to_owned();
        let (message, hint) = match error {
            Error::Off => (
                lang.pick("IT 策略已关闭本机的更新检查（UPDATES=0）。", "IT policy turns updates off on this PC (UPDATES=0).").into(),
                lang.pick("新版本由 IT 统一部署。", "IT deploys new versions.").into(),
            ),
            Error::NoFeed => (
                lang.pick("没有设置更新源。", "No update feed is set.").into(),
                lang.pick("请 IT 用策略 UPDATEURL 指定更新源。", "IT sets one with the UPDATEURL policy.").into(),
            ),
            Error::InsecureFeed(url) => (
                say(format!("更新源地址必须以 https:// 开头：{url}"), format!("The update feed's address must be https://: {url}")),
                lang.pick("更新只通过 HTTPS 获取。", "Updates are fetched over HTTPS only.").into(),
            ),
            Error::InsecurePackage(url) => (
                say(
                    format!("更新源中的安装包地址不是 https://，已拒绝，未下载任何内容：{url}"),
                    format!("The feed names a package not over https://: refused, nothing was downloaded: {url}"),
                ),
                tell_it,
            ),
            Error::NoTrustedKey => (
                lang.pick(
                    "本程序没有内置可用的更新公钥，无法确认更新来自发布者。",
                    "This program has no usable update key built in, so it cannot tell an update came from its publisher.",
                )
                .into(),
                lang.pick("请从 IT 处获取新版本。", "Get new versions from IT.").into(),
            ),
            Error::Network { place, reason } => (
                say(format!("无法连接 {place}（{reason}）。"), format!("Could not reach {place} ({reason}).")),
                lang.pick("请检查网络或代理后再试。", "Check the network or proxy and try again.").into(),
            ),
            Error::Status { place, status } => (
                say(format!("{place} 返回 HTTP {status}。"), format!("{place} answered HTTP {status}.")),
                lang.pick("更新源暂时不可用，请稍后再试或告知 IT。", "The feed is not available now; try later or tell IT.").into(),
            ),
            Error::TooLarge { place, limit } => (
                say(
                    format!("{place} 超过 {} MB 的上限，已停止下载。", limit >> 20),
                    format!("{place} is larger than {} MB: the download was stopped.", limit >> 20),
                ),
                tell_it,
            ),
            Error::NotAFeed(why) => (
                say(format!("更新源的内容不是有效的 latest.json：{why}"), format!("The update feed is not a valid latest.json: {why}")),
                tell_it,
            ),
            Error::NoPackage { version, targets } => (
                say(
                    format!("更新源提供了 {version}，但没有适用于本安装方式的安装包（{}）。", targets.join("、")),
                    format!("The feed offers {version} but no package for this install ({}).", targets.join(", ")),
                ),
                tell_it,
            ),
            Error::SignatureUnreadable => (
                lang.pick(
                    "更新的签名无法读取：已拒绝，未下载任何内容。",
                    "The update's signature cannot be read: refused, nothing was downloaded.",
                )
                .into(),
                tell_it,
            ),
            Error::OtherKey { signed_by, trusted } => (
                say(
                    format!("这个更新由另一把密钥（{signed_by}）签名，不是本程序信任的密钥（{trusted}）：已拒绝，未下载任何内容。"),
                    format!(
                        "This update is signed with another key ({signed_by}) than the one this program trusts ({trusted}): refused, nothing was downloaded."
                    ),
                ),
                lang.pick("它可能是伪造的。请告知 IT。", "It may be forged. Tell IT.").into(),
            ),
            Error::Tampered => (
                lang.pick(
                    "下载的安装包与其签名不符：已拒绝，未安装。",
                    "The downloaded package does not match its signature: refused, not installed.",
                )
                .into(),
                lang.pick("它可能在途中被改动过。请告知 IT。", "It may have been changed on the way. Tell IT.").into(),
            ),
            Error::WrongKind(name) => (
                say(
                    format!("下载的文件不是本安装方式的安装包（{name}）：未安装。"),
                    format!("The download is not this install's kind of package ({name}): not installed."),
                ),
                tell_it,
            ),
            Error::Save(why) => (
                say(format!("无法保存下载的安装包：{why}"), format!("The package could not be saved: {why}")),
                lang.pick("请检查磁盘空间后再试。", "Check the disk space and try again.").into(),
            ),
            Error::Installer(why) => (
                say(format!("安装程序失败：{why}"), format!("The installer failed: {why}")),
                lang.pick("当前版本保持不变。", "This version is unchanged.").into(),
            ),
            Error::Cancelled => (
                lang.pick("已取消下载，未安装任何内容。", "Download cancelled: nothing was installed.").into(),
                lang.pick("可以随时再次下载。", "You can download it again at any time.").into(),
            ),
        };
        let kind = if matches!(error, Error::Cancelled) { "cancelled" } else { "update" };
        Problem::new(kind, message, hint)
    }
}

/// `qrjump update`: this is the newest.
pub fn up_to_date(current: &semver::Version, lang: Lang) -> String {
    match lang {
        Lang::En => format!("This is the newest version ({current})."),
        Lang::ZhCn => format!("已是最新版本（{current}）。"),
    }
}

/// The feed offers an older version, which is never installed.
pub fn older(offered: &semver::Version, current: &semver::Version, lang: Lang) -> String {
    match lang {
        Lang::En => format!("The feed offers {offered}, older than this {current}: a downgrade is never installed."),
        Lang::ZhCn => format!("更新源提供的 {offered} 比当前的 {current} 旧：从不安装旧版本。"),
    }
}

/// A newer version: which, when it was published, what is new; and, when
/// only checking, how to install it.
pub fn available(release: &Release, current: &semver::Version, how_to_install: bool, lang: Lang) -> String {
    let version = &release.version;
    let mut text = match lang {
        Lang::En => format!("QR Jump Admin {version} is available (this is {current})."),
        Lang::ZhCn => format!("二维码跳转规则管理 {version} 已发布（当前为 {current}）。"),
    };
    if let Some(date) = &release.date {
        text.push_str(&match lang {
            Lang::En => format!(" Published {date}."),
            Lang::ZhCn => format!("发布于 {date}。"),
        });
    }
    if !release.notes.is_empty() {
        let notes: Vec<String> = release.notes.lines().map(|line| format!("  {line}")).collect();
        text.push_str(lang.pick("\n更新内容：\n", "\nWhat's new:\n"));
        text.push_str(&notes.join("\n"));
    }
    if how_to_install {
        text.push_str(lang.pick("\n安装命令：qrjump update install", "\nInstall it with: qrjump update install"));
    }
    text
}

/// How an install ended.
pub fn installed(version: &semver::Version, how: &Installed, package: &std::path::Path, lang: Lang) -> String {
    match (how, lang) {
        (Installed::Done, Lang::En) => format!("Installed {version} (signature checked)."),
        (Installed::Done, Lang::ZhCn) => format!("已安装 {version}（签名已核对）。"),
        (Installed::Handed, Lang::En) => {
            format!("The installer of {version} is running (signature checked); it replaces this version.")
        }
        (Installed::Handed, Lang::ZhCn) => format!("{version} 的安装程序正在运行（签名已核对），它会替换当前版本。"),
        (Installed::RunThis(command), Lang::En) => format!(
            "Downloaded {version} and checked its signature: {}\nThis program cannot install it here; run:\n  {command}",
            package.display()
        ),
        (Installed::RunThis(command), Lang::ZhCn) => format!(
            "已下载 {version} 并核对了签名：{}\n本程序无法在这里安装它，请运行：\n  {command}",
            package.display()
        ),
    }
}

/// The download's progress, for one line of a terminal.
pub fn downloading(received: u64, total: Option<u64>, lang: Lang) -> String {
    let got = size(received);
    match (total, lang) {
        (Some(total), Lang::ZhCn) if total > 0 => {
            format!("正在下载：{got} / {}（{}%）", size(total), received * 100 / total)
        }
        (Some(total), Lang::En) if total > 0 => {
            format!("Downloading: {got} of {} ({}%)", size(total), received * 100 / total)
        }
        (_, Lang::ZhCn) => format!("正在下载：已收到 {got}"),
        (_, Lang::En) => format!("Downloading: {got} so far"),
    }
}

/// `512 KB`, `12.3 MB`.
fn size(bytes: u64) -> String {
    if bytes < 1 << 20 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    }
}
