//! The fields of an object and the items of an array, each found by skipping over the
//! values before it.

use super::{Json, Squeezed, skip_str, skip_value, skip_ws};

/// The fields of an object (see [`Json::fields`]); stops at the first structural error.
pub(crate) struct Fields<'a> {
    pub(super) b: &'a [u8],
    pub(super) i: usize,
    pub(super) line: Option<&'a Squeezed>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = (&'a [u8], Json<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        let mut i = skip_ws(b, self.i);
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        }
        if b.get(i) != Some(&b'"') {
            self.i = b.len();
            return None;
        }
        let key_end = skip_str(b, i)?;
        let key = &b[i + 1..key_end - 1];
        let colon = skip_ws(b, key_end);
        if b.get(colon) != Some(&b':') {
            self.i = b.len();
            return None;
        }
        let start = skip_ws(b, colon + 1);
        let Some(end) = skip_value(b, start) else {
            self.i = b.len();
            return None;
        };
        self.i = end;
        Some((
            key,
            Json {
                raw: &b[start..end],
                line: self.line,
            },
        ))
    }
}

/// The items of an array (see [`Json::items`]); stops at the first structural error.
pub(crate) struct Items<'a> {
    pub(super) b: &'a [u8],
    pub(super) i: usize,
    pub(super) line: Option<&'a Squeezed>,
}

impl<'a> Iterator for Items<'a> {
    type Item = Json<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        let mut i = skip_ws(b, self.i);
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        }
        if matches!(b.get(i), None | Some(b']')) {
            self.i = b.len();
            return None;
        }
        let Some(end) = skip_value(b, i) else {
            self.i = b.len();
            return None;
        };
        self.i = end;
        Some(Json {
            raw: &b[i..end],
            line: self.line,
        })
    }
}
