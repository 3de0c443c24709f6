//! `qrjump policy`: what IT fixed for this PC, as the app reads it.

use qrjump::explain;
use qrjump::lang::Lang;
use serde_json::json;

use crate::Exit;

/// The policy's settings as the app reads them, and what it left out.
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

    let shown: Vec<(&str, String)> = settings
        .iter()
        .map(|(key, value)| (*key, value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string())))
        .collect();
    let text = explain::policy::report(&source, &shown, loaded.policy.locked, &loaded.problems, lang);
    (Exit::Ok, value, text)
}
