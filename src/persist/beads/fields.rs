//! Typed access to the fields of one issue object: a field of the wrong type takes its default
//! and leaves a note naming the bead, the field and what was found.

use super::model::{DEFAULT_PRIORITY, Dependency};
use super::parse::Notes;
use crate::persist::gojson::{describe, parse_time};
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

type Object = Map<String, Value>;

/// Typed access to one issue object's fields, noting wrong types.
pub(super) struct Fields<'m, 'n, 'p> {
    pub(super) map: &'m Object,
    pub(super) id: &'m str,
    pub(super) n: &'n mut Notes<'p>,
}

impl<'m> Fields<'m, '_, '_> {
    /// The field's value; `None` when missing or `null`.
    fn get(&self, key: &str) -> Option<&'m Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&mut self, key: &str, value: &Value, want: &str, fallback: &str) {
        let (id, what) = (self.id, describe(value));
        self.n.push(format_args!(
            "{id}: \"{key}\" is {what}, not {want}; using {fallback}"
        ));
    }

    pub(super) fn text(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong(key, other, "a string", "nothing");
                None
            }
        }
    }

    pub(super) fn flag(&mut self, key: &str) -> bool {
        match self.get(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.wrong(key, other, "true or false", "false");
                false
            }
        }
    }

    pub(super) fn time(&mut self, key: &str) -> Option<DateTime<FixedOffset>> {
        let value = self.get(key)?;
        let parsed = match value {
            Value::String(s) => parse_time(s),
            other => Err(format!("{}, not a string", describe(other))),
        };
        match parsed {
            Ok(t) => Some(t),
            Err(why) => {
                let id = self.id;
                self.n.push(format_args!("{id}: \"{key}\": {why}; ignored"));
                None
            }
        }
    }

    /// An integer, or a string as br's `Priority::from_str` reads it (`"1"`, `"P1"`, 0..=4).
    pub(super) fn priority(&mut self) -> i64 {
        let Some(value) = self.get("priority") else {
            return DEFAULT_PRIORITY;
        };
        let parsed = match value {
            Value::Number(num) => num.as_i64(),
            Value::String(s) => {
                let s = s.trim().to_uppercase();
                let digits = s.strip_prefix('P').unwrap_or(&s);
                digits.parse::<i64>().ok().filter(|p| (0..=4).contains(p))
            }
            _ => None,
        };
        parsed.unwrap_or_else(|| {
            self.wrong("priority", value, "an integer priority", "2");
            DEFAULT_PRIORITY
        })
    }

    pub(super) fn labels(&mut self) -> Vec<String> {
        let items = match self.get("labels") {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.wrong("labels", other, "an array", "no labels");
                return Vec::new();
            }
        };
        let mut labels = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => labels.push(s.clone()),
                other => {
                    let (id, what) = (self.id, describe(other));
                    self.n
                        .push(format_args!("{id}: a label is {what}; dropped"));
                }
            }
        }
        labels
    }

    pub(super) fn dependencies(&mut self) -> Vec<Dependency> {
        let items = match self.get("dependencies") {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.wrong("dependencies", other, "an array", "no dependencies");
                return Vec::new();
            }
        };
        let mut deps = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match dependency(item) {
                Ok((dep, defaulted)) => {
                    if defaulted {
                        let id = self.id;
                        self.n.push(format_args!(
                            "{id}: dependency {} on {:?} has no string \"type\"; taken as blocks",
                            i + 1,
                            dep.depends_on_id
                        ));
                    }
                    deps.push(dep);
                }
                Err(why) => {
                    let id = self.id;
                    self.n
                        .push(format_args!("{id}: dependency {} dropped: {why}", i + 1));
                }
            }
        }
        deps
    }
}

/// One dependency object; the flag says its type was missing and defaulted to `blocks` (the
/// default of `bd dep add`, and the safe reading: never call a bead ready on a guess).
fn dependency(item: &Value) -> Result<(Dependency, bool), String> {
    let Value::Object(obj) = item else {
        return Err(format!("{} is not an object", describe(item)));
    };
    let target = match obj.get("depends_on_id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(other) => return Err(format!("\"depends_on_id\" is {}", describe(other))),
        None => return Err("it has no \"depends_on_id\"".to_owned()),
    };
    let (kind, defaulted) = match obj.get("type") {
        Some(Value::String(kind)) => (kind.trim().to_lowercase(), false),
        _ => ("blocks".to_owned(), true),
    };
    Ok((
        Dependency {
            depends_on_id: target,
            kind,
        },
        defaulted,
    ))
}
