//! Helpers for the JSON Schemas generated from the output types (`assets/schema/`, see
//! [`crate::cli::json`]).

use schemars::{JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;
use std::marker::PhantomData;

/// The schema of an `Option<T>` that is always written, as `null` when there is nothing: the
/// key is required, its value `T` or `null` (`#[schemars(with = "Nullable<T>")]` on the field).
pub struct Nullable<T>(PhantomData<T>);

impl<T: JsonSchema> JsonSchema for Nullable<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Option::<T>::json_schema(generator)
    }
}
