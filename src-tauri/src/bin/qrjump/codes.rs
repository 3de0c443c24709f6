//! Printed codes against the rule list: `qrjump match` (which rule a link
//! hits, or why none does) and `qrjump impact` (what a delete does to the
//! codes under a prefix). The matching itself is `qrjump::matching`.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use qrjump::explain::codes as words;
use qrjump::explain::flags;
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
    let lang = lang();
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
            return Err(Failure::input(words::neither_link_nor_image(given, lang)));
        }
    }
    if let Some(file) = file {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::input(flags::file("--codes", &shown, &e.to_string(), lang)))?;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !line.contains("://") {
                return Err(Failure::input(words::not_a_link(&shown, line, lang)));
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
    let lang = lang();
    let inputs = links(inputs, codes.map(PathBuf::as_path))?;
    if inputs.is_empty() {
        return Err(Failure::input(words::nothing_to_check(lang)));
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
                text.push_str(&words::no_code_in(&input.given, lang));
                text.push('\n');
            }
            continue;
        };
        let verdict = matcher.verdict(link);
        if cli.json {
            // One object a line, as they come.
            println!("{}", verdict_json(input, &verdict));
            continue;
        }
        let rule = verdict.rule.map(|r| (r.prefix.as_str(), r.path.as_str()));
        let from = (input.given != *link).then_some(input.given.as_str());
        text.push_str(&words::matched(link, from, verdict.reason, rule, lang));
        text.push('\n');
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
    let lang = lang();
    let prefix = Prefix::parse(prefix).map_err(|e| Failure::input(format!("--{}", e)))?;
    let links: Vec<String> = links(&[], codes.map(PathBuf::as_path))?.into_iter().filter_map(|i| i.url).collect();
    let rules = rule_list(cli, appid).await?;
    if !rules.iter().any(|r| r.prefix == prefix.as_str()) {
        return Err(Failure::input(words::no_such_rule(prefix.as_str(), lang)));
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
    let broken: Vec<&str> = impact.broken.iter().map(String::as_str).collect();
    let text = words::impact(prefix.as_str(), takes_over.as_deref(), links.len(), &broken, impact.moved.len(), lang);
    Ok((Exit::Ok, value, text))
}
