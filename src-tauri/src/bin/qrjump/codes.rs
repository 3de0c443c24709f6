//! Printed codes against the rule list: `qrjump match` (which rule a link
//! hits, or why none does) and `qrjump impact` (what a delete does to the
//! codes under a prefix). The matching itself is `qrjump::matching`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use qrjump::matching::{self, Matcher, Reason, Verdict};
use qrjump::qr_image;
use qrjump::wechat::{Prefix, Rule};

use super::{Cli, Exit, Failure, account, client, lang, scope, wechat_failure};

/// One thing to check: what was given, and the link in it (`None`: an
/// image with no code in it).
struct Input {
    given: String,
    url: Option<String>,
}

/// The links of `inputs` (links, or image files whose codes are read) and
/// of `file` (links, one a line), all read before WeChat is asked.
fn links(inputs: &[String], file: Option<&Path>) -> Result<Vec<Input>, Failure> {
    let mut found = Vec::new();
    for given in inputs {
        if given.contains("://") {
            found.push(Input { given: given.clone(), url: Some(given.clone()) });
        } else if Path::new(given).is_file() {
            let codes = qr_image::read_codes(Path::new(given)).map_err(|e| Failure::input(e.to_string()))?;
            if codes.is_empty() {
                found.push(Input { given: given.clone(), url: None });
            }
            found.extend(codes.into_iter().map(|url| Input { given: given.clone(), url: Some(url) }));
        } else {
            return Err(Failure::input(format!("{given:?} is neither a link (scheme://host/path) nor an image file")));
        }
    }
    if let Some(file) = file {
        let text =
            std::fs::read_to_string(file).map_err(|e| Failure::input(format!("--codes {}: {e}", file.display())))?;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !line.contains("://") {
                return Err(Failure::input(format!("--codes {}: {line:?} is not a link", file.display())));
            }
            found.push(Input { given: line.to_owned(), url: Some(line.to_owned()) });
        }
    }
    Ok(found)
}

async fn rule_list(cli: &Cli, appid: Option<&str>) -> Result<Vec<Rule>, Failure> {
    let scope = scope(appid)?;
    let account = account(cli)?;
    let client = client(cli)?;
    let list = client.all_jump_qrcodes(&account, &scope).await.map_err(|e| wechat_failure(&e, lang()))?;
    Ok(list.rule_list)
}

fn reason_words(reason: Reason) -> &'static str {
    match reason {
        Reason::Match => "opens the Mini Program",
        Reason::Unpublished => "hits an unpublished rule: ordinary users land on the web page",
        Reason::Protocol => "a rule would match with its scheme (http/https differ)",
        Reason::Host => "a rule would match with its domain",
        Reason::NotSubPath => "not a sub-path: the rule does not end with / (or only the text matches)",
        Reason::Parameters => "the link's parameters do not start with the rule's",
        Reason::NoRule => "no rule of this account: someone else's, or nobody's",
    }
}

fn verdict_json(input: &Input, verdict: &Verdict<'_, Rule>) -> Value {
    let hit = matches!(verdict.reason, Reason::Match | Reason::Unpublished);
    json!({
        "input": input.given,
        "url": input.url,
        "prefix": verdict.rule.filter(|_| hit).map(|r| r.prefix.clone()),
        "state": verdict.rule.filter(|_| hit).map(|r| r.state),
        "reason": serde_json::to_value(verdict.reason).unwrap_or(Value::Null),
        "nearest": verdict.rule.filter(|_| !hit).map(|r| r.prefix.clone()),
    })
}

/// `qrjump match`: one line (or JSON object) per link or image code.
pub async fn matches(
    cli: &Cli,
    inputs: &[String],
    codes: Option<&PathBuf>,
    appid: Option<&str>,
) -> Result<(Exit, Value, String), Failure> {
    let inputs = links(inputs, codes.map(PathBuf::as_path))?;
    if inputs.is_empty() {
        return Err(Failure::input("give links or images to check, or --codes FILE"));
    }
    let rules = rule_list(cli, appid).await?;
    let matcher = Matcher::new(&rules);
    let mut text = String::new();
    for input in &inputs {
        let Some(link) = &input.url else {
            if cli.json {
                let line = json!({
                    "input": input.given, "url": null, "prefix": null, "state": null, "reason": "no_code", "nearest": null,
                });
                println!("{line}");
            } else {
                text.push_str(&format!("{}\n  no QR code found in the image\n", input.given));
            }
            continue;
        };
        let verdict = matcher.verdict(link);
        if cli.json {
            // One object a line, as they come.
            println!("{}", verdict_json(input, &verdict));
            continue;
        }
        let rule = verdict.rule.map(|r| format!(": {} -> {}", r.prefix, r.path)).unwrap_or_default();
        let from = if input.given == *link { String::new() } else { format!(" (in {})", input.given) };
        text.push_str(&format!("{link}{from}\n  {}{rule}\n", reason_words(verdict.reason)));
    }
    Ok((Exit::Ok, Value::Null, text.trim_end().to_owned()))
}

/// `qrjump impact`: what deleting `prefix` does to the codes under it.
pub async fn impact(
    cli: &Cli,
    prefix: &str,
    codes: Option<&PathBuf>,
    appid: Option<&str>,
) -> Result<(Exit, Value, String), Failure> {
    let prefix = Prefix::parse(prefix).map_err(|e| Failure::input(format!("--{}", e)))?;
    let links: Vec<String> = links(&[], codes.map(PathBuf::as_path))?.into_iter().filter_map(|i| i.url).collect();
    let rules = rule_list(cli, appid).await?;
    if !rules.iter().any(|r| r.prefix == prefix.as_str()) {
        return Err(Failure::input(format!("--prefix {prefix}: no such rule in this account's list")));
    }
    let impact = matching::impact(&[prefix.as_str()], &rules, &links);
    let takes_over = impact.takes_over[0].rule.as_ref().map(|r| r.prefix.clone());
    let value = json!({
        "prefix": prefix.as_str(),
        "takes_over": takes_over,
        "codes": links.len(),
        "broken": impact.broken.len(),
        "moved": impact.moved.len(),
        "broken_codes": impact.broken.iter().map(|code| json!({ "code": code })).collect::<Vec<_>>(),
        "moved_codes": impact.moved.iter().map(|m| json!({ "code": m.code, "to": m.to })).collect::<Vec<_>>(),
    });
    let mut text = match &takes_over {
        Some(rule) => format!("Deleting {prefix}: its codes move to the published rule {rule}."),
        None => format!("Deleting {prefix}: its codes stop opening the Mini Program (no broader published rule)."),
    };
    if !links.is_empty() {
        text.push_str(&format!(
            "\nOf {} printed code(s): {} stop working, {} move to another rule.",
            links.len(),
            value["broken"],
            value["moved"]
        ));
        for code in value["broken_codes"].as_array().into_iter().flatten() {
            text.push_str(&format!("\n  stops: {}", code["code"].as_str().unwrap_or_default()));
        }
    }
    Ok((Exit::Ok, value, text))
}
