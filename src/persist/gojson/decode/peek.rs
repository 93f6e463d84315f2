//! Reading typed fields from an object without taking it apart: the same Go rules as
//! [`Fields`](super::Fields) (case-insensitive keys, the last non-`null` spelling wins), for
//! data that must stay exactly as read (a record's unknown keys, read on every draw).

use super::{FieldError, Object, has_mixed_case};
use serde_json::Value;

/// Typed reads from a borrowed object; nothing is removed from it.
#[derive(Debug, Clone, Copy)]
pub struct FieldsRef<'a> {
    map: &'a Object,
    mixed_case: bool,
}

impl<'a> FieldsRef<'a> {
    /// Reads from `map`.
    #[must_use]
    pub fn new(map: &'a Object) -> FieldsRef<'a> {
        FieldsRef {
            map,
            mixed_case: has_mixed_case(map),
        }
    }

    /// The value Go's decoder would use for `name` (a copy), or `None` when absent or `null`.
    #[must_use]
    pub fn take(&mut self, name: &str) -> Option<Value> {
        if !self.mixed_case && !name.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.map.get(name).filter(|v| !v.is_null()).cloned();
        }
        self.map
            .iter()
            .rev()
            .find(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_null())
            .map(|(_, v)| v.clone())
    }

    /// A Go `map[string]any` (spellings merged in file order, as [`super::Fields::object`]).
    ///
    /// # Errors
    /// Any non-object value.
    pub fn object(&mut self, name: &str) -> Result<Object, FieldError> {
        let mut all = super::Fields {
            map: self
                .map
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            mixed_case: true,
        };
        all.object(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_as_fields_does_and_leaves_the_object_alone() {
        let Value::Object(map) = json!({"n": 3, "Name": "a", "NAME": null, "name": "b", "t": "2026-01-02T03:04:05Z", "u": [1]})
        else {
            unreachable!()
        };
        let before = map.clone();
        let mut f = FieldsRef::new(&map);
        assert_eq!(f.int("n").unwrap(), 3);
        assert_eq!(
            f.string("name").unwrap(),
            "b",
            "the last non-null spelling wins"
        );
        assert!(f.optional_time("t").unwrap().is_some());
        assert_eq!(f.ints("u").unwrap(), vec![1]);
        assert!(f.string("n").is_err());
        assert_eq!(map, before);
    }
}
