//! `qrjump policy`: what IT fixed for this PC, as the app reads it.

use serde_json::json;

use crate::Exit;

pub fn show() -> (Exit, serde_json::Value, String) {
    let loaded = qrjump::policy::current();
    let source = loaded.policy.source.clone().unwrap_or_else(qrjump::policy::place);
    let settings = loaded.policy.settings();
    let ignored: Vec<serde_json::Value> =
        loaded.problems.iter().map(|problem| json!({ "key": problem.key, "reason": problem.problem })).collect();
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
        text.push_str(&format!("\nIgnored {key}: {}", problem.problem));
    }
    (Exit::Ok, value, text)
}
