//! PxL's column types, as seen through the Arrow types of a plan's schema.

use datafusion::arrow::datatypes::{DataType, TimeUnit};

/// The PxL type class of an Arrow type; operator rules are written against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PxType {
    Boolean,
    Int64,
    Float64,
    String,
    Time,
    UInt128,
    Other,
}

impl PxType {
    /// Classifies an Arrow type. Dictionary-encoded strings are strings; all integer widths are INT64.
    pub fn of(dt: &DataType) -> Self {
        match dt {
            DataType::Boolean => Self::Boolean,
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => Self::Int64,
            DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => Self::Int64,
            DataType::Float16 | DataType::Float32 | DataType::Float64 => Self::Float64,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Self::String,
            DataType::Dictionary(_, value) => match Self::of(value) {
                Self::String => Self::String,
                _ => Self::Other,
            },
            DataType::Timestamp(TimeUnit::Nanosecond, _) => Self::Time,
            DataType::FixedSizeBinary(16) => Self::UInt128,
            _ => Self::Other,
        }
    }

    /// Whether arithmetic applies.
    pub fn is_numeric(self) -> bool {
        matches!(self, Self::Int64 | Self::Float64)
    }
}

/// Pixie's name for an Arrow type (`STRING`, `INT64`…), or Arrow's own name when PxL has none.
pub(crate) fn type_name(dt: &DataType) -> String {
    match PxType::of(dt) {
        PxType::Boolean => "BOOLEAN".into(),
        PxType::Int64 => "INT64".into(),
        PxType::Float64 => "FLOAT64".into(),
        PxType::String => "STRING".into(),
        PxType::Time => "TIME64NS".into(),
        PxType::UInt128 => "UINT128".into(),
        PxType::Other => dt.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_strings_are_strings() {
        let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        assert_eq!(PxType::of(&dict), PxType::String);
        assert_eq!(type_name(&dict), "STRING");
        let dict_int = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Int64));
        assert_eq!(PxType::of(&dict_int), PxType::Other);
    }

    #[test]
    fn classes() {
        assert_eq!(
            PxType::of(&DataType::Timestamp(TimeUnit::Nanosecond, None)),
            PxType::Time
        );
        assert_eq!(PxType::of(&DataType::FixedSizeBinary(16)), PxType::UInt128);
        assert_eq!(PxType::of(&DataType::Int32), PxType::Int64);
        assert!(PxType::Float64.is_numeric());
        assert!(!PxType::String.is_numeric());
        assert_eq!(type_name(&DataType::Date32), "Date32");
    }
}
