//! `qrjump policy`: what IT fixed for this PC, as the app reads it.

use qrjump::explain;
use qrjump::lang::Lang;
use serde_json::json;

use crate::Exit;

/// What is wrong with a value is said in `lang`; the rest, like the other
/// reports, in English.
pub fn show(lang: Lang) -> (Exit, serde_json::Value, String) {
    let loaded = qrjump::policy::current();
    let source = loaded.policy.source.clone().unwrap_or_else(qrjump::policy::place);
    let settings = loaded.policy.settings();
    let ignored: Vec<serde_json::Value> = loaded
        .problems
        .iter()
        .map(|problem| {
            json!({ "key": problem.key, "code": problem.fault.code(), "reason": explain::policy::fault(&problem.fault, lang) })
        })
        .collect();
    let value = json!({
        "source": source,
        "settings": settings.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<serde_json::Map<_, _>>(),
        "ignored": ignored,
    });

    let mut text =
        if settings.is_empty() { format!("No policy is set ({source}).") } else { format!("Policy from {source}:") };
    for (key, value) in &settings {
        let shown = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
        text.push_str(&format!("\n  {key} = {shown}"));
    }
    if loaded.policy.locked {
        text.push_str("\nLocked: these settings cannot be changed from the environment or the command line.");
    }
    for problem in &loaded.problems {
        let key = problem.key.as_deref().unwrap_or("the whole policy");
        text.push_str(&format!("\nIgnored {key}: {}", explain::policy::fault(&problem.fault, lang)));
    }
    (Exit::Ok, value, text)
}
