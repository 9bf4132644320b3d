//! `px.quantiles`: one t-digest per group, evaluated to Pixie's JSON string
//! `{"p01":…,"p10":…,"p25":…,"p50":…,"p75":…,"p90":…,"p99":…}` (read it with `px.pluck_float64`).
//! Mergeable: the state is the digest's centroids, so partial aggregates combine. Grouped aggregation uses
//! [`QuantilesGroups`] (one digest per group in one accumulator).

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::format_state_name;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, GroupsAccumulator, Signature, Volatility};
use datafusion_functions_aggregate_common::tdigest::{DEFAULT_MAX_SIZE, TDigest};

use super::quantiles_groups::QuantilesGroups;

/// The quantiles reported, with their JSON keys.
const QUANTILES: [(&str, f64); 7] = [
    ("p01", 0.01),
    ("p10", 0.10),
    ("p25", 0.25),
    ("p50", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
    ("p99", 0.99),
];

/// Values buffered before they are folded into the digest.
pub(super) const BUFFER: usize = 4096;

/// The `quantiles(Float64) -> Utf8` aggregate.
pub(crate) fn udaf() -> Arc<AggregateUDF> {
    static UDAF: LazyLock<Arc<AggregateUDF>> = LazyLock::new(|| {
        Arc::new(AggregateUDF::from(QuantilesUdaf {
            signature: Signature::exact(vec![DataType::Float64], Volatility::Immutable),
        }))
    });
    UDAF.clone()
}

/// The aggregate: a row accumulator (no GROUP BY) and a groups accumulator (GROUP BY).
#[derive(Debug, PartialEq, Eq, Hash)]
struct QuantilesUdaf {
    signature: Signature,
}

impl AggregateUDFImpl for QuantilesUdaf {
    fn name(&self) -> &str {
        "quantiles"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Quantiles::default()))
    }

    /// The digest's state as [`TDigest::to_scalar_state`] lays it out.
    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let list = DataType::List(Arc::new(Field::new_list_field(DataType::Float64, true)));
        let types = [
            ("max_size", DataType::UInt64),
            ("sum", DataType::Float64),
            ("count", DataType::Float64),
            ("max", DataType::Float64),
            ("min", DataType::Float64),
            ("centroids", list),
        ];
        Ok(types
            .into_iter()
            .map(|(name, t)| Arc::new(Field::new(format_state_name(args.name, name), t, true)))
            .collect())
    }

    fn groups_accumulator_supported(&self, _: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(QuantilesGroups::default()))
    }
}

/// The row accumulator (aggregation without GROUP BY).
#[derive(Debug)]
pub(super) struct Quantiles {
    digest: TDigest,
    buffer: Vec<f64>,
}

impl Default for Quantiles {
    fn default() -> Self {
        Self {
            digest: TDigest::new(DEFAULT_MAX_SIZE),
            buffer: Vec::new(),
        }
    }
}

impl Quantiles {
    fn flush(&mut self) {
        if !self.buffer.is_empty() {
            self.digest = self.digest.merge_unsorted_f64(std::mem::take(&mut self.buffer));
        }
    }
}

/// The JSON rendering of a digest (`null` values when it is empty).
pub(super) fn render(digest: &TDigest) -> String {
    let mut map = serde_json::Map::new();
    for (key, q) in QUANTILES {
        let v = if digest.count() == 0.0 {
            serde_json::Value::Null
        } else {
            serde_json::Number::from_f64(digest.estimate_quantile(q)).map_or(serde_json::Value::Null, Into::into)
        };
        map.insert(key.to_string(), v);
    }
    serde_json::Value::Object(map).to_string()
}

impl Accumulator for Quantiles {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if let Some(v) = values.first().and_then(|a| a.as_primitive_opt::<Float64Type>()) {
            self.buffer.extend(v.iter().flatten().filter(|x| x.is_finite()));
            if self.buffer.len() >= BUFFER {
                self.flush();
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.flush();
        Ok(ScalarValue::Utf8(Some(render(&self.digest))))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.buffer.capacity() * 8 + self.digest.size() * 16
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.flush();
        Ok(self.digest.to_scalar_state())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.flush();
        let rows = states.first().map_or(0, |a| a.len());
        let mut digests = vec![self.digest.clone()];
        for row in 0..rows {
            let state = states
                .iter()
                .map(|a| ScalarValue::try_from_array(a, row))
                .collect::<Result<Vec<_>>>()?;
            if state.len() == 6 && !matches!(state[0], ScalarValue::UInt64(None)) {
                digests.push(TDigest::from_scalar_state(&state));
            }
        }
        self.digest = TDigest::merge_digests(&digests);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Float64Array;

    #[test]
    fn json_of_quantiles_and_merging() -> Result<()> {
        let mut a = Quantiles::default();
        let mut b = Quantiles::default();
        let values: ArrayRef = Arc::new(Float64Array::from_iter_values((1..=100).map(f64::from)));
        a.update_batch(std::slice::from_ref(&values))?;
        let state: Vec<ArrayRef> = a.state()?.iter().map(|s| s.to_array()).collect::<Result<_>>()?;
        b.merge_batch(&state)?;
        let json: serde_json::Value = serde_json::from_str(&b.evaluate()?.to_string()).unwrap_or_default();
        let p50 = json["p50"].as_f64().unwrap_or(0.0);
        assert!((49.0..=52.0).contains(&p50), "{json}");
        assert_eq!(json.as_object().map(|m| m.len()), Some(7));
        assert_eq!(
            render(&TDigest::new(10)),
            r#"{"p01":null,"p10":null,"p25":null,"p50":null,"p75":null,"p90":null,"p99":null}"#
        );
        Ok(())
    }
}
