//! `qrjump`: the command-line front end, for scripting and headless use.
//! It shares the core (and the history file) with the desktop app.

mod batch;
mod changes;
mod codes;
mod credentials;
mod delete;
mod doctor;
mod history;
mod outcome;
mod policy;
mod restore;
mod rule_set;
mod rules;
mod team;
mod update;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use serde_json::json;

use qrjump::explain::confirm::Action;
use qrjump::explain::flags::{self, Needed};
use qrjump::explain::{self, Problem};
use qrjump::history::History;
use qrjump::lang::Lang;
use qrjump::service::{self, Target};
use qrjump::wechat::{self, Account, Client, Mode, Scope, Timeouts};

use credentials::{CredentialArgs, account};

const ENVIRONMENT: &str = "\
Credentials come from the environment, never from the command line:
  QRJUMP_APPID + QRJUMP_APP_SECRET   an account's AppID and AppSecret (tokens via
                                     /cgi-bin/stable_token, never /cgi-bin/token)
  QRJUMP_ACCESS_TOKEN                or an access token given directly (e.g. a third
                                     party's authorizer_access_token)
  QRJUMP_TOKEN_URL                   or the company's token server (中控服务器); {appid}
                                     in it is filled from QRJUMP_APPID (a third-party
                                     platform's server for many Mini Programs). This
                                     app then never asks WeChat for a token itself.
  QRJUMP_TOKEN_HEADER                its authentication header, `Name: value`
  QRJUMP_TOKEN_POINTER               where the token is in its answer: a JSON pointer
                                     (default /access_token, e.g. /data/access_token)
                                     or `text` for a plain-text answer
  QRJUMP_TOKEN_EXPIRES_POINTER       where the lifetime in seconds is (e.g. /expires_in)
  QRJUMP_TOKEN_STALE_PARAM           query parameter carrying the token WeChat refused
                                     (40001/42001) when asking the server again, once
  QRJUMP_TOKEN_METHOD                get (default) or post
Routes (the IP WeChat sees must be on the account's whitelist):
  QRJUMP_PROXY       an http:// or https:// forward proxy with a fixed egress IP,
                     credentials as http://user:password@host:port
  QRJUMP_API_BASE    WeChat's API address (default https://api.weixin.qq.com), or
                     the company's API gateway that relays /cgi-bin/...
Policy (what IT fixes for every user of the PC, as for the desktop app):
  /etc/qrjump-admin/policy.json on Linux, HKLM\\Software\\Policies\\QRJumpAdmin on
  Windows: TOKENSERVERURL, TOKENSERVERMETHOD, TOKENPOINTER, APIBASE, PROXYURL and
  TEAMDATABASEURL are the defaults of the settings above; with LOCKED=1 they
  cannot be changed from the environment or the command line.
Other settings:
  QRJUMP_DATA_DIR    folder of the history shared with the desktop app
  QRJUMP_TEAM_DATABASE_URL   the team history, postgres://user:password@host/db
                     (TLS unless the host is this computer), or --team-database-url;
                     commands that record push their records there before they exit
  QRJUMP_TEAM_PASSWORD       its password, kept out of the address (and of argv)
  QRJUMP_TEAM_CA_FILE        a PEM file of CA certificates to trust for it
  QRJUMP_TEAM_TIMEOUT        seconds to wait for it at each step (default 20)

Exit status: 0 success, 1 WeChat answered an error, 2 bad input or refused
confirmation, 3 network or other fault.";

/// Delete WeChat Mini Program QR code jump rules and keep an audit history.
#[derive(Parser)]
#[command(name = "qrjump", version, after_help = ENVIRONMENT)]
struct Cli {
    /// Print one JSON object (with errcode and errmsg) instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Seconds to wait for WeChat before giving up on a request.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 15, env = "QRJUMP_TIMEOUT")]
    timeout: u64,
    /// Name recorded in the history as the account (default: the AppID).
    #[arg(long, global = true, value_name = "NAME")]
    account: Option<String>,
    #[command(flatten)]
    credentials: CredentialArgs,
    #[command(flatten)]
    team: team::TeamArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The team's shared history on PostgreSQL (QRJUMP_TEAM_DATABASE_URL).
    #[command(subcommand)]
    Team(team::TeamCommand),
    /// Delete one QR code jump rule, or many from a file (asks for confirmation unless --yes).
    #[command(
        after_help = "Examples:\n  qrjump delete --prefix https://example.com/qr/\n  qrjump delete --prefix http://weixin.qq.com/q/02P5KzM_xxxxx --appid wx1234567890abcdef --yes\n  qrjump delete --from-file campaign-2025.csv --yes --json\n\nA batch (--from-file) reads the rule list once, saves it as a backup, records\nthe batch, then deletes at WeChat's pace (5 a second; in service-account mode\nalso 200 a minute). Ctrl-C stops after the call in flight; `qrjump batch resume`\ngoes on later. Exit status 1 if any item got a WeChat error."
    )]
    Delete {
        /// The rule's prefix, exactly as set in WeChat (a link such as https://…; ftp:// and other schemes WeChat holds work too).
        #[arg(long, required_unless_present = "from_file", conflicts_with = "from_file")]
        prefix: Option<String>,
        /// Delete every prefix in FILE: one a line, or a CSV with a "prefix" column.
        #[arg(long, value_name = "FILE")]
        from_file: Option<PathBuf>,
        /// Service-account mode: the Mini Program's AppID (the credentials are the service account's).
        #[arg(long, value_name = "APPID")]
        appid: Option<String>,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// List the QR code jump rules, or save them all as a backup (rules export).
    #[command(args_conflicts_with_subcommands = true)]
    Rules {
        /// Service-account mode: the Mini Program's AppID.
        #[arg(long, value_name = "APPID")]
        appid: Option<String>,
        #[command(subcommand)]
        command: Option<rules::RulesCommand>,
    },
    /// Add a deleted rule back: from a delete in the history, or from a rule backup.
    #[command(
        after_help = "Examples:\n  qrjump restore 42 --publish\n  qrjump restore --from-backup rules.json --prefix https://example.com/qr/a/ --yes\n\nA publish spends one of the month's publishes (qrcodejump_pub_quota)."
    )]
    Restore {
        /// The history record of the delete to undo.
        #[arg(required_unless_present = "from_backup", conflicts_with = "from_backup")]
        record: Option<i64>,
        /// A rule backup (JSON or CSV, from `qrjump rules export`).
        #[arg(long, value_name = "FILE")]
        from_backup: Option<PathBuf>,
        /// With --from-backup: only these prefixes (default: every rule in the file).
        #[arg(long, requires = "from_backup")]
        prefix: Vec<String>,
        /// With --from-backup in service-account mode: the Mini Program's AppID.
        #[arg(long, value_name = "APPID", requires = "from_backup")]
        appid: Option<String>,
        /// Publish the rule once it is added.
        #[arg(long)]
        publish: bool,
        /// Where to save WeChat's verification file if the add asks for it (85068/85069).
        #[arg(long, value_name = "DIR")]
        verification_file_dir: Option<PathBuf>,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Which account holds a prefix: searches the rule lists (ordinary mode, and
    /// service-account mode for each --appid).
    Find {
        /// The prefix to look for.
        prefix: String,
        /// Also search the service account's rules for this Mini Program (repeatable).
        #[arg(long, value_name = "APPID")]
        appid: Vec<String>,
    },
    /// Which rule each printed code's link hits, or why none does (WeChat's
    /// matching: protocol, domain, sub-path, parameters, most specific wins).
    #[command(
        after_help = "With --json, one object a line: {input, url, prefix, state, reason, nearest}, where reason is\nmatch, unpublished, protocol, host, not_sub_path, parameters or no_rule."
    )]
    Match {
        /// Links as printed in the codes.
        inputs: Vec<String>,
        /// Also the links in FILE, one a line.
        #[arg(long, value_name = "FILE")]
        codes: Option<PathBuf>,
        /// Service-account mode: the Mini Program's AppID.
        #[arg(long, value_name = "APPID")]
        appid: Option<String>,
    },
    /// What deleting a rule does to the codes under it: taken over by a broader
    /// published rule, or no longer opening the Mini Program.
    Impact {
        #[arg(long)]
        prefix: String,
        /// Printed codes (links, one a line) to count as broken or moved.
        #[arg(long, value_name = "FILE")]
        codes: Option<PathBuf>,
        /// Service-account mode: the Mini Program's AppID.
        #[arg(long, value_name = "APPID")]
        appid: Option<String>,
    },
    /// Unfinished batches: list, show, resume, close.
    #[command(subcommand)]
    Batch(BatchCommand),
    /// The account of these credentials: `accounts test` fetches a token by its
    /// route and reads the rule list, reporting each step.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Review, check and export the local audit history.
    #[command(subcommand)]
    History(history::HistoryCommand),
    /// The policy IT set for this PC: each setting in force, where it was read
    /// from, and any value ignored and why.
    #[command(
        after_help = "With --json: {\"source\", \"settings\": {key: value}, \"ignored\": [{\"key\", \"reason\"}]},\nkeys as in /etc/qrjump-admin/policy.json (token_server_url, api_base, ...)."
    )]
    Policy,
    /// A newer version: `update check` asks the update feed, `update install`
    /// downloads it, checks its signature and installs it.
    #[command(subcommand)]
    Update(update::UpdateCommand),
}

#[derive(Subcommand)]
enum AccountsCommand {
    /// Fetch a token (AppSecret, given token or token server) by the route
    /// (direct, QRJUMP_PROXY or the gateway in QRJUMP_API_BASE), then read the
    /// rule list; the step that fails is named.
    Test {
        /// Service-account mode: the Mini Program's AppID whose rules to read.
        #[arg(long, value_name = "APPID")]
        appid: Option<String>,
    },
}

#[derive(Subcommand)]
enum BatchCommand {
    /// The batches not finished yet, with where their items stand.
    List,
    /// One batch, item by item.
    Show { id: String },
    /// Check each item whose outcome is unknown, send again only those whose
    /// rule is still there, then send the items never sent.
    Resume {
        /// The batch (default: the one unfinished batch of these credentials).
        id: Option<String>,
        /// Do not ask for confirmation (required when stdin is not a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Set a batch aside: it is no longer offered for resuming (its records stay).
    Close { id: String },
}

/// The exit statuses promised in --help.
#[derive(Clone, Copy)]
enum Exit {
    Ok = 0,
    WeChat = 1,
    Input = 2,
    Fault = 3,
}

impl Exit {
    /// The graver of two statuses (a fault outranks a WeChat error).
    fn worst(self, other: Exit) -> Exit {
        if other as u8 > self as u8 { other } else { self }
    }
}

/// A message and the exit status it ends with.
struct Failure {
    exit: Exit,
    kind: String,
    /// WeChat's own answer, when it gave one.
    errcode: Option<i64>,
    errmsg: Option<String>,
    message: String,
    hint: Option<String>,
}

impl Failure {
    fn input(message: impl Into<String>) -> Failure {
        Failure::told(Problem::new("input", message, ""), Exit::Input)
    }
    fn fault(message: impl Into<String>) -> Failure {
        Failure::told(Problem::new("fault", message, ""), Exit::Fault)
    }
    /// What `explain` says of an error, ending with `exit`.
    fn told(problem: Problem, exit: Exit) -> Failure {
        Failure {
            exit,
            kind: problem.kind,
            errcode: problem.errcode,
            errmsg: problem.errmsg,
            message: problem.message,
            hint: Some(problem.hint).filter(|hint| !hint.is_empty()),
        }
    }
}

/// The messages' language: the POSIX locale variables, else the system's
/// (on Windows, where none is set, the language of the user's Windows).
fn lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
        .or_else(sys_locale::get_locale)
        .map(|tag| Lang::from_locale(&tag))
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A policy value that does not hold is said, and left out; never fatal.
    // (`qrjump policy` says them in its answer.)
    let problems =
        if matches!(cli.command, Command::Policy) { &[][..] } else { &qrjump::policy::current().problems[..] };
    let lang = lang();
    for problem in problems {
        eprintln!("{}", explain::policy::ignored(problem, lang));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return report(&cli, Err(Failure::fault(flags::cannot_start(&error.to_string(), lang)))),
    };
    let result = runtime.block_on(run(&cli));
    let exit = report(&cli, result);
    // After the command's own answer: a slow team server delays nothing shown.
    if records_attempts(&cli.command) {
        runtime.block_on(team::push_after_recording(&cli.team));
    }
    exit
}

/// Whether `command` may have written records to the history.
fn records_attempts(command: &Command) -> bool {
    matches!(
        command,
        Command::Delete { .. }
            | Command::Restore { .. }
            | Command::Batch(_)
            | Command::Find { .. }
            | Command::Rules {
                command: Some(
                    rules::RulesCommand::Add(_) | rules::RulesCommand::Edit(_) | rules::RulesCommand::Publish(_)
                ),
                ..
            }
    )
}

/// Prints the result (text or JSON) and turns it into the exit status.
fn report(cli: &Cli, result: Result<(Exit, serde_json::Value, String), Failure>) -> ExitCode {
    match result {
        Ok((exit, value, text)) => {
            if cli.json {
                // Null: the command printed its JSON lines as it went.
                if !value.is_null() {
                    println!("{value}");
                }
            } else if !text.is_empty() {
                println!("{text}");
            }
            ExitCode::from(exit as u8)
        }
        Err(failure) => {
            if cli.json {
                println!(
                    "{}",
                    json!({ "ok": false, "kind": failure.kind, "errcode": failure.errcode, "errmsg": failure.errmsg, "message": failure.message, "hint": failure.hint })
                );
            } else {
                eprintln!("qrjump: {}", failure.message);
                if let Some(errcode) = failure.errcode {
                    eprintln!("  errcode {errcode}: {}", failure.errmsg.unwrap_or_default());
                }
                if let Some(hint) = failure.hint {
                    eprintln!("  {hint}");
                }
            }
            ExitCode::from(failure.exit as u8)
        }
    }
}

async fn run(cli: &Cli) -> Result<(Exit, serde_json::Value, String), Failure> {
    match &cli.command {
        Command::Delete { prefix: Some(prefix), appid, yes, .. } => {
            delete::one(cli, prefix, appid.as_deref(), *yes).await
        }
        Command::Delete { from_file: Some(file), appid, yes, .. } => {
            batch::delete_from_file(cli, file, appid.as_deref(), *yes).await
        }
        Command::Delete { .. } => Err(Failure::input(flags::needed(Needed::PrefixOrFile, lang()))),
        Command::Rules { command: Some(rules::RulesCommand::Export { out, appid }), .. } => {
            rules::export(cli, out, appid.as_deref()).await
        }
        Command::Rules { command: Some(rules::RulesCommand::Add(args)), .. } => changes::add(cli, args).await,
        Command::Rules { command: Some(rules::RulesCommand::Edit(args)), .. } => changes::edit(cli, args).await,
        Command::Rules { command: Some(rules::RulesCommand::Publish(args)), .. } => changes::publish(cli, args).await,
        Command::Rules { command: Some(rules::RulesCommand::Doctor(args)), .. } => doctor::run(cli, args).await,
        Command::Rules { command: Some(rules::RulesCommand::Plan(args)), .. } => rule_set::show(cli, args).await,
        Command::Rules { command: Some(rules::RulesCommand::Apply(args)), .. } => rule_set::apply(cli, args).await,
        Command::Rules { appid, command: None } => rules::list(cli, appid.as_deref()).await,
        Command::Restore { record, from_backup, prefix, appid, publish, verification_file_dir, yes } => {
            let options = restore::Options { publish: *publish, yes: *yes, files: verification_file_dir.clone() };
            match (record, from_backup) {
                (Some(id), _) => restore::of_record(cli, *id, &options).await,
                (None, Some(file)) => restore::from_backup(cli, file, prefix, appid.as_deref(), &options).await,
                (None, None) => Err(Failure::input(flags::needed(Needed::RecordOrBackup, lang()))),
            }
        }
        Command::Find { prefix, appid } => rules::find(cli, prefix, appid).await,
        Command::Batch(command) => batch::command(cli, command).await,
        Command::Accounts(AccountsCommand::Test { appid }) => credentials::test(cli, appid.as_deref()).await,
        Command::Match { inputs, codes, appid } => codes::matches(cli, inputs, codes.as_ref(), appid.as_deref()).await,
        Command::Impact { prefix, codes, appid } => codes::impact(cli, prefix, codes.as_ref(), appid.as_deref()).await,
        Command::History(command) => history::command(command),
        Command::Team(command) => team::command(&cli.team, command).await,
        Command::Policy => Ok(policy::show(lang())),
        Command::Update(command) => update::command(cli, command).await,
    }
}

/// --appid given means service-account mode.
fn scope(appid: Option<&str>) -> Result<Scope, Failure> {
    let mode = if appid.is_some() { Mode::ServiceAccount } else { Mode::Ordinary };
    Scope::from_input(mode, appid).map_err(|e| Failure::input(flags::input("--appid", &e, lang())))
}

/// The client, sharing the 5-calls-a-second limit with every other process
/// on the same data folder.
fn client(cli: &Cli) -> Result<Client, Failure> {
    let base = qrjump::config::api_base().map_err(|e| Failure::input(e.to_string()))?;
    let dir = data_dir()?;
    let timeouts = Timeouts {
        connect: Duration::from_secs(cli.timeout.clamp(1, 10)),
        total: Duration::from_secs(cli.timeout.max(1)),
    };
    Ok(Client::with_timeouts(&base, timeouts).map_err(|e| Failure::fault(e.to_string()))?.with_shared_throttle(&dir))
}

fn data_dir() -> Result<PathBuf, Failure> {
    qrjump::config::data_dir().map_err(|e| Failure::fault(e.to_string()))
}

/// The history, to record attempts in.
fn open_history() -> Result<History, Failure> {
    let dir = data_dir()?;
    let mut history = History::open(&dir).map_err(|e| match e {
        qrjump::history::Error::ReadOnly { .. } => Failure::told(Problem::history(&e, lang()), Exit::Fault),
        other => {
            Failure::fault(flags::history_unopenable(&dir.display().to_string(), &other.to_string(), false, lang()))
        }
    })?;
    sign_if_possible(&mut history);
    Ok(history)
}

/// Signs the chain's head with the installation's key when this user's
/// credential store holds it (as the desktop app does); else the records
/// this run adds stay unsigned, and `history verify` says how many.
fn sign_if_possible(history: &mut History) {
    #[cfg(feature = "desktop")]
    if history.writable() && qrjump::vault::keyring_available() {
        let mut vault = qrjump::vault::KeyringVault;
        let key = history.installation_id().ok().and_then(|id| qrjump::accounts::installation_key(&mut vault, &id));
        if let Some((key, existed)) = key {
            let _ = history.sign_with(key, existed);
        }
    }
    #[cfg(not(feature = "desktop"))]
    let _ = history;
}

/// The history, to read it. Where the folder can be written, it is opened
/// as for recording, so records of interrupted runs are settled as
/// "unknown" first; on a read-only disk it is opened read-only.
fn read_history() -> Result<History, Failure> {
    let dir = data_dir()?;
    let fault = |e: qrjump::history::Error| {
        Failure::fault(flags::history_unopenable(&dir.display().to_string(), &e.to_string(), true, lang()))
    };
    match History::open(&dir) {
        Err(qrjump::history::Error::ReadOnly { .. }) => History::open_read_only(&dir).map_err(fault),
        other => {
            let mut history = other.map_err(fault)?;
            sign_if_possible(&mut history);
            Ok(history)
        }
    }
}

/// WeChat's error as a failure with exit status 1 (2 for input, 3 for faults).
fn wechat_failure(error: &wechat::Error, lang: Lang) -> Failure {
    let exit = match error.kind() {
        wechat::Kind::Wechat => Exit::WeChat,
        wechat::Kind::Input => Exit::Input,
        _ => Exit::Fault,
    };
    Failure::told(Problem::wechat(error, lang), exit)
}

/// Whether a question can be asked: refuses, naming `what`, without a terminal.
fn need_terminal(action: Action) -> Result<(), Failure> {
    if std::io::stdin().is_terminal() {
        return Ok(());
    }
    Err(Failure::input(explain::confirm::no_terminal(action, lang())))
}

/// Asks `question` on the terminal; anything but yes refuses `action`.
fn confirmed(action: Action, question: &str) -> Result<(), Failure> {
    if yes_answer(&ask(question)?) {
        Ok(())
    } else {
        Err(Failure::input(explain::confirm::not_confirmed(action, lang())))
    }
}

/// Reads one answer line from the terminal.
fn ask(question: &str) -> Result<String, Failure> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{question}");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| Failure::fault(e.to_string()))?;
    Ok(answer.trim().to_owned())
}

fn yes_answer(answer: &str) -> bool {
    matches!(answer.to_lowercase().as_str(), "y" | "yes" | "是")
}

/// The name the history gives the account of these credentials.
fn account_name(cli: &Cli, account: &Account) -> String {
    cli.account.clone().unwrap_or_else(|| match account.appid() {
        Some(appid) => format!("cli {appid}"),
        None => "cli (access token)".into(),
    })
}

/// The account of the environment, ready to act, with its name.
fn target(cli: &Cli) -> Result<Target, Failure> {
    let account = account(cli)?;
    let client = client(cli)?;
    let account_name = account_name(cli, &account);
    Ok(Target { client, account: Arc::new(account), account_name, demo: false })
}

/// A clean-up's error as the exit status promises: a WeChat answer 1, a
/// request the command refuses 2, a fault (disk, network) 3.
fn service_failure(error: service::Error) -> Failure {
    let lang = lang();
    match &error {
        service::Error::Wechat(e) => wechat_failure(e, lang),
        service::Error::History(e) => Failure::told(Problem::history(e, lang), Exit::Fault),
        service::Error::Input(_)
        | service::Error::BatchBusy(_)
        | service::Error::NoBatch(_)
        | service::Error::EmptyBatch
        | service::Error::NotCheckable(_)
        | service::Error::NotRestorable { .. }
        | service::Error::Refused(_) => Failure::told(Problem::service(&error, lang), Exit::Input),
        // Writing a batch's backup failed: the disk, not the request.
        service::Error::RuleFile { .. } => Failure::told(Problem::service(&error, lang), Exit::Fault),
    }
}

fn history_failure(error: qrjump::history::Error) -> Failure {
    Failure::told(Problem::history(&error, lang()), Exit::Fault)
}
