//! Writing a Go struct's fields once, for two destinations: an ordered JSON value (for `--json`
//! output and tests) or straight into the file's bytes (the store's hot path, with no
//! intermediate tree). Both apply Go's `omitempty` the same way.

use super::encode::{Style, write_string, write_value};
use super::{GoTime, Object, ObjectBuilder, format_time, go_map};
use serde_json::Value;

/// Where a struct's fields go, in declaration order.
pub trait FieldSink {
    /// A string field that is always written.
    fn string(&mut self, key: &str, value: &str);
    /// An integer field that is always written.
    fn int(&mut self, key: &str, value: i64);
    /// A `time.Time` field (always written).
    fn time(&mut self, key: &str, value: &GoTime);
    /// Any JSON value, written as it is.
    fn value(&mut self, key: &str, value: &Value);

    /// A `string ,omitempty` field.
    fn string_omitempty(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            self.string(key, value);
        }
    }

    /// An `int ,omitempty` field.
    fn int_omitempty(&mut self, key: &str, value: i64) {
        if value != 0 {
            self.int(key, value);
        }
    }

    /// A `*time.Time ,omitempty` field.
    fn time_omitempty(&mut self, key: &str, value: Option<&GoTime>) {
        if let Some(t) = value {
            self.time(key, t);
        }
    }

    /// A `map[string]any ,omitempty` field (keys sorted, as Go writes maps).
    fn map_omitempty(&mut self, key: &str, value: &Object) {
        if !value.is_empty() {
            self.value(key, &go_map(value));
        }
    }

    /// Unknown keys kept from the file, in file order (never replacing a known field; callers
    /// pass only keys the struct does not declare).
    fn extra(&mut self, extra: &Object) {
        for (k, v) in extra {
            self.value(k, v);
        }
    }
}

impl FieldSink for ObjectBuilder {
    fn string(&mut self, key: &str, value: &str) {
        self.insert(key, Value::String(value.to_owned()));
    }
    fn int(&mut self, key: &str, value: i64) {
        self.insert(key, Value::from(value));
    }
    fn time(&mut self, key: &str, value: &GoTime) {
        self.insert(key, Value::String(format_time(value)));
    }
    fn value(&mut self, key: &str, value: &Value) {
        self.insert(key, value.clone());
    }
}

/// Streams an object's fields into Go's exact bytes.
#[derive(Debug)]
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    style: Style,
    depth: usize,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    /// Starts an object at nesting `depth` (0 for a top-level document).
    pub fn begin(out: &'a mut String, style: Style, depth: usize) -> ObjectWriter<'a> {
        out.push('{');
        ObjectWriter {
            out,
            style,
            depth,
            first: true,
        }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        if self.style.pretty {
            self.out.push('\n');
            for _ in 0..=self.depth {
                self.out.push_str("  ");
            }
        }
        write_string(self.out, key, self.style.escape_html);
        self.out.push(':');
        if self.style.pretty {
            self.out.push(' ');
        }
    }

    /// Starts a nested object as the value of `key`.
    pub fn object(&mut self, key: &str) -> ObjectWriter<'_> {
        self.key(key);
        let (style, depth) = (self.style, self.depth + 1);
        ObjectWriter::begin(self.out, style, depth)
    }

    /// Closes the object (`{}` when it had no fields, as Go writes an empty map).
    pub fn end(self) {
        if !self.first && self.style.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
        self.out.push('}');
    }
}

impl FieldSink for ObjectWriter<'_> {
    fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        write_string(self.out, value, self.style.escape_html);
    }
    fn int(&mut self, key: &str, value: i64) {
        self.key(key);
        self.out.push_str(itoa_like(value).as_str());
    }
    fn time(&mut self, key: &str, value: &GoTime) {
        self.key(key);
        self.out.push('"');
        self.out.push_str(&format_time(value));
        self.out.push('"');
    }
    fn value(&mut self, key: &str, value: &Value) {
        self.key(key);
        write_value(self.out, value, self.style, self.depth + 1);
    }
}

fn itoa_like(n: i64) -> String {
    n.to_string()
}
