//! More of Go's field types, as today's NTM store declares them: `bool`, `uint64`, `[]string`,
//! `[]int` and `map[string]uint64`, each with Go's decoding rules (absent or `null` is the zero
//! value; a value of the wrong type is an error naming the field).

use super::{FieldError, Fields, Object, describe};
use serde_json::Value;
use std::collections::BTreeMap;

fn wrong(name: &str, expected: &str, found: &Value) -> FieldError {
    FieldError::new(
        name,
        format!("expected {expected}, found {}", describe(found)),
    )
}

fn int_of(name: &str, value: &Value) -> Result<i64, FieldError> {
    match value {
        Value::Null => Ok(0),
        Value::Number(n) => n.as_i64().ok_or_else(|| wrong(name, "an integer", value)),
        other => Err(wrong(name, "an integer", other)),
    }
}

fn uint_of(name: &str, value: &Value) -> Result<u64, FieldError> {
    match value {
        Value::Null => Ok(0),
        Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| wrong(name, "an unsigned integer", value)),
        other => Err(wrong(name, "an unsigned integer", other)),
    }
}

fn as_bool(name: &str, value: Option<Value>) -> Result<bool, FieldError> {
    match value {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(other) => Err(wrong(name, "a boolean", &other)),
    }
}

fn as_strings(name: &str, value: Option<Value>) -> Result<Vec<String>, FieldError> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::Null => Ok(String::new()),
                Value::String(s) => Ok(s),
                other => Err(wrong(name, "an array of strings", &other)),
            })
            .collect(),
        Some(other) => Err(wrong(name, "an array of strings", &other)),
    }
}

fn as_ints(name: &str, value: Option<Value>) -> Result<Vec<i64>, FieldError> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items.iter().map(|item| int_of(name, item)).collect(),
        Some(other) => Err(wrong(name, "an array of integers", &other)),
    }
}

fn as_uint_map(name: &str, map: Object) -> Result<BTreeMap<String, u64>, FieldError> {
    map.into_iter()
        .map(|(k, v)| {
            let n = uint_of(&format!("{name}.{k}"), &v)?;
            Ok((k, n))
        })
        .collect()
}

/// The list and map readers, for both ways of reading fields.
macro_rules! list_readers {
    ($ty:ty) => {
        impl $ty {
            /// A Go `bool`; absent or `null` is false.
            ///
            /// # Errors
            /// Any non-boolean value.
            pub fn bool(&mut self, name: &str) -> Result<bool, FieldError> {
                as_bool(name, self.take(name))
            }

            /// A Go `uint64`; absent or `null` is 0.
            ///
            /// # Errors
            /// A negative number, a fraction, a string.
            pub fn uint(&mut self, name: &str) -> Result<u64, FieldError> {
                self.take(name).map_or(Ok(0), |v| uint_of(name, &v))
            }

            /// A Go `[]string`; absent or `null` is empty, a `null` element is "".
            ///
            /// # Errors
            /// A non-array, or an element that is not a string.
            pub fn strings(&mut self, name: &str) -> Result<Vec<String>, FieldError> {
                as_strings(name, self.take(name))
            }

            /// A Go `[]int`; absent or `null` is empty, a `null` element is 0.
            ///
            /// # Errors
            /// A non-array, or an element that is not an integer.
            pub fn ints(&mut self, name: &str) -> Result<Vec<i64>, FieldError> {
                as_ints(name, self.take(name))
            }

            /// A Go `map[string]uint64`; absent or `null` is empty.
            ///
            /// # Errors
            /// A non-object, or a value that is not an unsigned integer.
            pub fn uint_map(&mut self, name: &str) -> Result<BTreeMap<String, u64>, FieldError> {
                as_uint_map(name, self.object(name)?)
            }
        }
    };
}

list_readers!(Fields);
list_readers!(super::FieldsRef<'_>);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_types() {
        let mut f = Fields::from_value(
            json!({"b": true, "u": 7, "s": ["a", null], "i": [1, null], "m": {"x": 2}, "n": null}),
            "doc",
        )
        .unwrap();
        assert!(f.bool("b").unwrap());
        assert!(!f.bool("n").unwrap());
        assert_eq!(f.uint("u").unwrap(), 7);
        assert_eq!(f.strings("s").unwrap(), vec!["a", ""]);
        assert_eq!(f.ints("i").unwrap(), vec![1, 0]);
        assert_eq!(f.uint_map("m").unwrap()["x"], 2);
        assert_eq!(f.uint("missing").unwrap(), 0);
    }

    #[test]
    fn wrong_types_are_named() {
        let mut f = Fields::from_value(
            json!({"b": 1, "u": -1, "s": [1], "i": ["1"], "m": {"x": "2"}}),
            "doc",
        )
        .unwrap();
        assert!(f.bool("b").unwrap_err().to_string().contains("a boolean"));
        assert!(f.uint("u").is_err());
        assert!(f.strings("s").is_err());
        assert!(f.ints("i").is_err());
        assert_eq!(f.uint_map("m").unwrap_err().field, "m.x");
    }
}
