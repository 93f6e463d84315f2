//! Ids compared as people read them: runs of digits as numbers, so `#9` comes before `#10`
//! and `wa-9` before `wa-10`, everywhere ids are listed (panes, CLI and JSON).

use std::cmp::Ordering;

/// `a` and `b` in natural order: digit runs compare as numbers, the rest as text; two ids
/// that read the same (`7` and `07`) are told apart by their bytes, so the order is total.
#[must_use]
pub fn compare(a: &str, b: &str) -> Ordering {
    alphanumeric_sort::compare_str(a, b).then_with(|| a.cmp(b))
}

/// An id that sorts in natural order (see [`compare`]), for sort keys and for the keys of
/// maps written out in that order (it serializes, and has the schema of, a plain string).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct NaturalKey(pub String);

impl schemars::JsonSchema for NaturalKey {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        String::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl Ord for NaturalKey {
    fn cmp(&self, other: &Self) -> Ordering {
        compare(&self.0, &other.0)
    }
}

impl PartialOrd for NaturalKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_as_numbers() {
        let mut ids = vec!["90", "9", "88", "10", "89"];
        ids.sort_by(|a, b| compare(a, b));
        assert_eq!(ids, ["9", "10", "88", "89", "90"]);
        let mut beads = vec!["wa-10", "wa-9", "wa-1f6b", "bd-2", "wa-100"];
        beads.sort_by(|a, b| compare(a, b));
        assert_eq!(beads, ["bd-2", "wa-1f6b", "wa-9", "wa-10", "wa-100"]);
    }

    #[test]
    fn a_map_by_natural_key_serializes_in_natural_order() {
        let map: std::collections::BTreeMap<NaturalKey, u8> = ["bd-10", "bd-2", "bd-1"]
            .into_iter()
            .map(|k| (NaturalKey(k.to_owned()), 0))
            .collect();
        let text = serde_json::to_string(&map).unwrap();
        assert_eq!(text, r#"{"bd-1":0,"bd-2":0,"bd-10":0}"#);
    }

    #[test]
    fn the_order_is_total() {
        assert_eq!(compare("7", "07").reverse(), compare("07", "7"));
        assert_ne!(compare("7", "07"), Ordering::Equal);
        assert_eq!(compare("x", "x"), Ordering::Equal);
    }

    proptest::proptest! {
        #[test]
        fn natural_order_is_a_total_order(a in "[a-c0-9-]{0,6}", b in "[a-c0-9-]{0,6}", c in "[a-c0-9-]{0,6}") {
            proptest::prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
            proptest::prop_assert_eq!(compare(&a, &b) == Ordering::Equal, a == b);
            if compare(&a, &b) != Ordering::Greater && compare(&b, &c) != Ordering::Greater {
                proptest::prop_assert_ne!(compare(&a, &c), Ordering::Greater);
            }
        }
    }
}
