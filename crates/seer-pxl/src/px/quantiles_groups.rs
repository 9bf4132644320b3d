//! `px.quantiles` for grouped aggregation: one t-digest per group, values buffered per group and folded in
//! 4096 at a time. Avoids DataFusion's per-group row-accumulator adapter, which sorts each batch's rows by
//! group and calls a separate accumulator for every group present in the batch.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Float64Builder, ListBuilder, StringArray, UInt64Array,
};
use datafusion::arrow::datatypes::Float64Type;
use datafusion::common::{Result, ScalarValue, internal_err};
use datafusion::logical_expr::{EmitTo, GroupsAccumulator};
use datafusion_functions_aggregate_common::tdigest::{DEFAULT_MAX_SIZE, TDigest};

use super::quantiles::{BUFFER, render};

/// Digests and pending values of every group.
#[derive(Debug, Default)]
pub(crate) struct QuantilesGroups {
    digests: Vec<TDigest>,
    buffers: Vec<Vec<f64>>,
}

impl QuantilesGroups {
    fn resize(&mut self, groups: usize) {
        if self.digests.len() < groups {
            self.digests.resize_with(groups, || TDigest::new(DEFAULT_MAX_SIZE));
            self.buffers.resize_with(groups, Vec::new);
        }
    }

    fn flush(&mut self, g: usize) {
        let values = std::mem::take(&mut self.buffers[g]);
        if !values.is_empty() {
            self.digests[g] = self.digests[g].merge_unsorted_f64(values);
        }
    }

    /// Flushes and removes the groups `emit_to` asks for.
    fn take(&mut self, emit_to: EmitTo) -> Vec<TDigest> {
        let n = match emit_to {
            EmitTo::All => self.digests.len(),
            EmitTo::First(n) => n.min(self.digests.len()),
        };
        for g in 0..n {
            self.flush(g);
        }
        let _ = emit_to.take_needed(&mut self.buffers);
        emit_to.take_needed(&mut self.digests)
    }
}

fn selected(filter: Option<&BooleanArray>, row: usize) -> bool {
    filter.is_none_or(|f| f.is_valid(row) && f.value(row))
}

impl GroupsAccumulator for QuantilesGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.resize(total_num_groups);
        let Some(v) = values.first().and_then(|a| a.as_primitive_opt::<Float64Type>()) else {
            return internal_err!("quantiles expects Float64 values");
        };
        for (row, &g) in group_indices.iter().enumerate() {
            if v.is_null(row) || !selected(opt_filter, row) {
                continue;
            }
            let x = v.value(row);
            if x.is_finite() {
                self.buffers[g].push(x);
                if self.buffers[g].len() >= BUFFER {
                    self.flush(g);
                }
            }
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let digests = self.take(emit_to);
        Ok(Arc::new(StringArray::from_iter_values(digests.iter().map(render))))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let states: Vec<Vec<ScalarValue>> = self.take(emit_to).iter().map(TDigest::to_scalar_state).collect();
        (0..6)
            .map(|col| ScalarValue::iter_to_array(states.iter().map(|s| s[col].clone())))
            .collect()
    }

    fn merge_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], total_num_groups: usize) -> Result<()> {
        self.resize(total_num_groups);
        if values.len() != 6 {
            return internal_err!("quantiles state has 6 columns, got {}", values.len());
        }
        let mut incoming: Vec<Vec<TDigest>> = vec![Vec::new(); total_num_groups];
        for (row, &g) in group_indices.iter().enumerate() {
            if values[0].is_null(row) {
                continue;
            }
            let state = values
                .iter()
                .map(|a| ScalarValue::try_from_array(a, row))
                .collect::<Result<Vec<_>>>()?;
            let digest = TDigest::from_scalar_state(&state);
            if digest.count() > 0.0 {
                incoming[g].push(digest);
            }
        }
        for (g, digests) in incoming.into_iter().enumerate() {
            if digests.is_empty() {
                continue;
            }
            self.flush(g);
            let all = std::iter::once(&self.digests[g]).chain(digests.iter());
            self.digests[g] = TDigest::merge_digests(all);
        }
        Ok(())
    }

    /// Each row as its own group: a digest of its one value (empty when null, filtered out or not finite).
    fn convert_to_state(&self, values: &[ArrayRef], opt_filter: Option<&BooleanArray>) -> Result<Vec<ArrayRef>> {
        let Some(v) = values.first().and_then(|a| a.as_primitive_opt::<Float64Type>()) else {
            return internal_err!("quantiles expects Float64 values");
        };
        let n = v.len();
        let (mut sum, mut count, mut max, mut min) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut centroids = ListBuilder::with_capacity(Float64Builder::with_capacity(2 * n), n);
        for row in 0..n {
            let x = (v.is_valid(row) && selected(opt_filter, row))
                .then(|| v.value(row))
                .filter(|x| x.is_finite());
            sum.push(x.unwrap_or(0.0));
            count.push(if x.is_some() { 1.0 } else { 0.0 });
            max.push(x.unwrap_or(f64::NAN));
            min.push(x.unwrap_or(f64::NAN));
            if let Some(x) = x {
                centroids.values().append_slice(&[x, 1.0]);
            }
            centroids.append(true);
        }
        let f64s = |v: Vec<f64>| -> ArrayRef { Arc::new(Float64Array::from(v)) };
        Ok(vec![
            Arc::new(UInt64Array::from(vec![DEFAULT_MAX_SIZE as u64; n])),
            f64s(sum),
            f64s(count),
            f64s(max),
            f64s(min),
            Arc::new(centroids.finish()),
        ])
    }

    fn size(&self) -> usize {
        let buffered: usize = self.buffers.iter().map(|b| b.capacity() * 8).sum();
        let digests: usize = self.digests.iter().map(|d| d.size()).sum();
        std::mem::size_of_val(self) + buffered + digests
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::Float64Array;
    use datafusion::logical_expr::Accumulator;

    use super::*;
    use crate::px::quantiles::Quantiles;

    fn values(range: std::ops::Range<i32>) -> ArrayRef {
        Arc::new(Float64Array::from_iter_values(range.map(f64::from)))
    }

    fn json(s: &str) -> serde_json::Value {
        serde_json::from_str(s).unwrap_or_default()
    }

    #[test]
    fn groups_match_the_row_accumulator_and_merge_through_state() -> Result<()> {
        // Rows 0..10000 alternate between groups 0 and 1; group 2 never appears.
        let v = values(0..10_000);
        let groups: Vec<usize> = (0..10_000).map(|i| i % 2).collect();
        let mut acc = QuantilesGroups::default();
        acc.update_batch(std::slice::from_ref(&v), &groups, None, 3)?;
        let mut row = Quantiles::default();
        let evens: ArrayRef = Arc::new(Float64Array::from_iter_values((0..10_000).step_by(2).map(f64::from)));
        row.update_batch(&[evens])?;

        // Partial → state → final, as a two-phase aggregation does.
        let state = acc.state(EmitTo::All)?;
        let mut fin = QuantilesGroups::default();
        fin.merge_batch(&state, &[0, 1, 2], 3)?;
        let out = fin.evaluate(EmitTo::All)?;
        let out = out.as_string::<i32>();
        // Same values, one digest each way: equal up to t-digest merge error (0.5 % of the range here).
        let (grouped, single) = (json(out.value(0)), json(&row.evaluate()?.to_string()));
        for key in ["p01", "p10", "p25", "p50", "p75", "p90", "p99"] {
            let (a, b) = (grouped[key].as_f64(), single[key].as_f64());
            assert!(
                a.zip(b).is_some_and(|(a, b)| (a - b).abs() <= 50.0),
                "{key}: {a:?} vs {b:?}"
            );
        }
        let p50 = json(out.value(1))["p50"].as_f64().unwrap_or_default();
        assert!((4900.0..5100.0).contains(&p50), "{p50}");
        assert_eq!(json(out.value(2))["p50"], serde_json::Value::Null);
        Ok(())
    }

    #[test]
    fn filters_emit_first_and_convert_to_state() -> Result<()> {
        let v = values(0..100);
        let keep = BooleanArray::from((0..100).map(|i| i < 50).collect::<Vec<_>>());
        let mut acc = QuantilesGroups::default();
        acc.update_batch(std::slice::from_ref(&v), &[0; 100], Some(&keep), 2)?;
        let first = acc.evaluate(EmitTo::First(1))?;
        let max = json(first.as_string::<i32>().value(0))["p99"]
            .as_f64()
            .unwrap_or_default();
        assert!(max < 50.0, "filtered rows ignored: {max}");
        assert_eq!(acc.digests.len(), 1, "one group left");

        let state = acc.convert_to_state(std::slice::from_ref(&v), Some(&keep))?;
        let mut fin = QuantilesGroups::default();
        fin.merge_batch(&state, &[0; 100], 1)?;
        let out = fin.evaluate(EmitTo::All)?;
        let p50 = json(out.as_string::<i32>().value(0))["p50"]
            .as_f64()
            .unwrap_or_default();
        assert!((23.0..=26.0).contains(&p50), "{p50}");
        Ok(())
    }
}
