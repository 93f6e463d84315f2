//! The skim read as `serde_json` reads: fields, items, strings and heads.

use super::*;

#[test]
fn finds_fields_items_and_strings_like_serde() {
    let line = br#" {"a":"x\"y\\","b":[1,{"c":"}]"},[]],"n":-12.5e3,"t":true,"u":null,"e":"caf\u00e9 \ud83d\ude00"} "#;
    let v = Json::new(line).unwrap();
    let [a, b, n, t, u, e] = v.pick(["a", "b", "n", "t", "u", "e"]);
    assert_eq!(a.unwrap().str().unwrap(), "x\"y\\");
    let items: Vec<_> = b.unwrap().items().collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].get("c").unwrap().str().unwrap(), "}]");
    assert_eq!(n.unwrap().f64(), Some(-12500.0));
    assert_eq!(t.unwrap().bool(), Some(true));
    assert_eq!(u.unwrap().raw(), b"null");
    assert_eq!(e.unwrap().str().unwrap(), "café 😀");
    assert!(Json::new(br#"{"a":"unclosed}"#).is_none());
    assert!(Json::new(br#"{"a":[1,2"#).is_none());
    assert!(Json::new(b"{} x").is_none());
}

#[test]
fn a_head_is_cut_on_a_character_with_the_full_size_counted() {
    let raw = format!("\"{}\"", "é\\n".repeat(10));
    let v = Json::new(raw.as_bytes()).unwrap();
    let full = "é\n".repeat(10);
    let h = v.head(5).unwrap();
    assert_eq!(h.text, "é\né");
    assert_eq!(h.cut, Some(full.len() as u64));
    let all = v.head(1000).unwrap();
    assert_eq!((all.text.as_str(), all.cut), (full.as_str(), None));
}
