//! Column and table definitions, and how they map onto Arrow.
//!
//! Every column has a Pixie data type, a semantic type (how to format it, which unit it carries) and a
//! pattern type (counter, gauge, enum…). Low-cardinality string columns are flagged `dict`: storage keeps
//! them dictionary-encoded, while producers and queries see plain `Utf8`.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::datatypes::{DataType as ArrowType, Field, Schema, SchemaRef, TimeUnit};

/// Field-metadata key holding the column's Pixie data type name (e.g. `"UINT128"`).
pub const META_DATA_TYPE: &str = "seer.data_type";
/// Field-metadata key holding the column's semantic type name (e.g. `"ST_BYTES"`).
pub const META_SEMANTIC_TYPE: &str = "seer.semantic_type";
/// Name of the time column every time-ordered table has.
pub const TIME_COLUMN: &str = "time_";
/// Name of the UPID column.
pub const UPID_COLUMN: &str = "upid";

/// Pixie's column data types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    /// `BOOLEAN`.
    Boolean,
    /// `INT64`.
    Int64,
    /// `UINT128` (UPIDs), stored as 16 big-endian bytes.
    UInt128,
    /// `FLOAT64`.
    Float64,
    /// `STRING`.
    String,
    /// `TIME64NS`: nanoseconds since the Unix epoch.
    Time64Ns,
}

impl DataType {
    /// Pixie's name for the type.
    pub fn name(self) -> &'static str {
        match self {
            Self::Boolean => "BOOLEAN",
            Self::Int64 => "INT64",
            Self::UInt128 => "UINT128",
            Self::Float64 => "FLOAT64",
            Self::String => "STRING",
            Self::Time64Ns => "TIME64NS",
        }
    }

    /// The logical Arrow type queries see.
    pub fn arrow(self) -> ArrowType {
        match self {
            Self::Boolean => ArrowType::Boolean,
            Self::Int64 => ArrowType::Int64,
            Self::UInt128 => ArrowType::FixedSizeBinary(16),
            Self::Float64 => ArrowType::Float64,
            Self::String => ArrowType::Utf8,
            Self::Time64Ns => ArrowType::Timestamp(TimeUnit::Nanosecond, None),
        }
    }
}

macro_rules! semantic_types {
    ($($variant:ident = $code:literal, $name:literal;)*) => {
        /// Pixie's semantic types: how a value is formatted and which unit it has.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SemanticType {
            $(#[doc = $name] $variant,)*
        }

        impl SemanticType {
            /// Pixie's numeric code.
            pub fn code(self) -> i32 {
                match self { $(Self::$variant => $code,)* }
            }
            /// Pixie's name, e.g. `"ST_BYTES"`.
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }
            /// Parses Pixie's name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

semantic_types! {
    None = 1, "ST_NONE";
    TimeNs = 2, "ST_TIME_NS";
    AgentUid = 100, "ST_AGENT_UID";
    Asid = 101, "ST_ASID";
    Upid = 200, "ST_UPID";
    ServiceName = 300, "ST_SERVICE_NAME";
    PodName = 400, "ST_POD_NAME";
    PodPhase = 401, "ST_POD_PHASE";
    PodStatus = 402, "ST_POD_STATUS";
    NodeName = 500, "ST_NODE_NAME";
    ContainerName = 600, "ST_CONTAINER_NAME";
    ContainerState = 601, "ST_CONTAINER_STATE";
    ContainerStatus = 602, "ST_CONTAINER_STATUS";
    NamespaceName = 700, "ST_NAMESPACE_NAME";
    Bytes = 800, "ST_BYTES";
    Percent = 900, "ST_PERCENT";
    DurationNs = 901, "ST_DURATION_NS";
    ThroughputPerNs = 902, "ST_THROUGHPUT_PER_NS";
    ThroughputBytesPerNs = 903, "ST_THROUGHPUT_BYTES_PER_NS";
    Quantiles = 1000, "ST_QUANTILES";
    DurationNsQuantiles = 1001, "ST_DURATION_NS_QUANTILES";
    IpAddress = 1100, "ST_IP_ADDRESS";
    Port = 1200, "ST_PORT";
    HttpReqMethod = 1300, "ST_HTTP_REQ_METHOD";
    HttpRespStatus = 1400, "ST_HTTP_RESP_STATUS";
    HttpRespMessage = 1500, "ST_HTTP_RESP_MESSAGE";
    ScriptReference = 3000, "ST_SCRIPT_REFERENCE";
}

/// Stirling's pattern types: what kind of value a column holds over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatternType {
    /// Free-form value.
    General,
    /// One of a small set of values (an enum).
    GeneralEnum,
    /// Structured text (JSON).
    Structured,
    /// Monotonic counter.
    MetricCounter,
    /// Point-in-time gauge.
    MetricGauge,
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnDef {
    /// Column name (Pixie's).
    pub name: &'static str,
    /// Data type.
    pub data_type: DataType,
    /// Semantic type.
    pub semantic: SemanticType,
    /// Pattern type.
    pub pattern: PatternType,
    /// Low-cardinality string: stored dictionary-encoded.
    pub dict: bool,
    /// One-line description.
    pub desc: &'static str,
}

impl ColumnDef {
    /// A column with no semantic type, general pattern, not dictionary-encoded.
    pub const fn new(name: &'static str, data_type: DataType, desc: &'static str) -> Self {
        Self {
            name,
            data_type,
            semantic: SemanticType::None,
            pattern: PatternType::General,
            dict: false,
            desc,
        }
    }

    /// Sets the semantic type.
    pub const fn semantic(mut self, semantic: SemanticType) -> Self {
        self.semantic = semantic;
        self
    }

    /// Sets the pattern type.
    pub const fn pattern(mut self, pattern: PatternType) -> Self {
        self.pattern = pattern;
        self
    }

    /// Marks a string column as low-cardinality (dictionary-encoded in storage).
    pub const fn dict(mut self) -> Self {
        self.dict = true;
        self
    }

    /// The logical Arrow field, with data and semantic type in its metadata.
    pub fn field(&self) -> Field {
        Field::new(self.name, self.data_type.arrow(), false).with_metadata(self.metadata())
    }

    /// The Arrow field storage uses (dictionary-encoded when `dict`).
    pub fn storage_field(&self) -> Field {
        let ty = if self.dict && self.data_type == DataType::String {
            ArrowType::Dictionary(Box::new(ArrowType::Int32), Box::new(ArrowType::Utf8))
        } else {
            self.data_type.arrow()
        };
        Field::new(self.name, ty, false).with_metadata(self.metadata())
    }

    fn metadata(&self) -> HashMap<String, String> {
        HashMap::from([
            (META_DATA_TYPE.to_string(), self.data_type.name().to_string()),
            (META_SEMANTIC_TYPE.to_string(), self.semantic.name().to_string()),
        ])
    }
}

/// One table: name, description and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDef {
    /// Table name (Pixie's, including suffixes such as `.beta`).
    pub name: &'static str,
    /// One-line description.
    pub desc: &'static str,
    /// Columns in order.
    pub columns: &'static [ColumnDef],
}

impl TableDef {
    /// The logical Arrow schema producers write and queries read.
    pub fn arrow_schema(&self) -> SchemaRef {
        Arc::new(Schema::new(
            self.columns.iter().map(ColumnDef::field).collect::<Vec<_>>(),
        ))
    }

    /// The Arrow schema storage holds (dictionary-encoded low-cardinality strings).
    pub fn storage_schema(&self) -> SchemaRef {
        Arc::new(Schema::new(
            self.columns.iter().map(ColumnDef::storage_field).collect::<Vec<_>>(),
        ))
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Index of the `time_` column, if the table has one.
    pub fn time_index(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.name == TIME_COLUMN)
    }
}

/// Reads the semantic type recorded in an Arrow field's metadata.
pub fn semantic_of(field: &Field) -> SemanticType {
    field
        .metadata()
        .get(META_SEMANTIC_TYPE)
        .and_then(|s| SemanticType::from_name(s))
        .unwrap_or(SemanticType::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semantic_names_round_trip() {
        for st in [
            SemanticType::None,
            SemanticType::Upid,
            SemanticType::Bytes,
            SemanticType::ScriptReference,
        ] {
            assert_eq!(SemanticType::from_name(st.name()), Some(st));
        }
        assert_eq!(SemanticType::Bytes.code(), 800);
    }

    #[test]
    fn dict_only_changes_storage_type() {
        let c = ColumnDef::new("req_path", DataType::String, "path").dict();
        assert_eq!(c.field().data_type(), &ArrowType::Utf8);
        assert!(matches!(c.storage_field().data_type(), ArrowType::Dictionary(_, _)));
        assert_eq!(semantic_of(&c.field()), SemanticType::None);
    }
}
