//! The JSON Schemas of `assets/schema/`, for tests that validate real outputs against them.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Where the schemas are.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/schema")
}

/// `assets/schema/NAME.json`, compiled.
pub fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(dir().join(format!("{name}.json"))).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Fails with every error when `value` does not validate against `assets/schema/NAME.json`.
pub fn check(name: &str, value: &Value) {
    let errors: Vec<String> = validator(name)
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\nin {value:#}");
}
