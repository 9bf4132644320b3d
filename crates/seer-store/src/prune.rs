//! Extracting `time_` bounds from pushed-down filters, to skip batches a query cannot need.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::{BinaryExpr, Expr, Operator};
use seer_types::schema::TIME_COLUMN;

/// Inclusive time range `[lo, hi]` in ns; `None` ends are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TimeRange {
    pub lo: Option<i64>,
    pub hi: Option<i64>,
}

impl TimeRange {
    /// Whether a batch spanning `[min, max]` may hold rows in the range.
    pub fn overlaps(&self, min: i64, max: i64) -> bool {
        self.lo.is_none_or(|lo| max >= lo) && self.hi.is_none_or(|hi| min <= hi)
    }

    fn tighten_lo(&mut self, v: i64) {
        self.lo = Some(self.lo.map_or(v, |lo| lo.max(v)));
    }

    fn tighten_hi(&mut self, v: i64) {
        self.hi = Some(self.hi.map_or(v, |hi| hi.min(v)));
    }
}

/// Whether `expr` is a comparison of `time_` with a constant that [`time_range`] understands.
pub(crate) fn is_time_bound(expr: &Expr) -> bool {
    bound(expr).is_some()
}

/// The intersection of every understood bound among `filters` (others are ignored, never wrong).
pub(crate) fn time_range(filters: &[Expr]) -> TimeRange {
    let mut range = TimeRange::default();
    for f in filters {
        for conj in split_and(f) {
            match bound(conj) {
                Some((Operator::GtEq, v)) => range.tighten_lo(v),
                Some((Operator::Gt, v)) => range.tighten_lo(v.saturating_add(1)),
                Some((Operator::LtEq, v)) => range.tighten_hi(v),
                Some((Operator::Lt, v)) => range.tighten_hi(v.saturating_sub(1)),
                Some((Operator::Eq, v)) => {
                    range.tighten_lo(v);
                    range.tighten_hi(v);
                }
                _ => {}
            }
        }
    }
    range
}

fn split_and(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::BinaryExpr(BinaryExpr {
            left,
            op: Operator::And,
            right,
        }) => {
            let mut v = split_and(left);
            v.extend(split_and(right));
            v
        }
        other => vec![other],
    }
}

/// `time_ <op> const` (or `const <op> time_`, flipped) as `(op, ns)`.
fn bound(e: &Expr) -> Option<(Operator, i64)> {
    let Expr::BinaryExpr(BinaryExpr { left, op, right }) = e else {
        return None;
    };
    if is_time_col(left) {
        Some((*op, const_ns(right)?)).filter(|(op, _)| is_cmp(*op))
    } else if is_time_col(right) {
        let flipped = op.swap()?;
        Some((flipped, const_ns(left)?)).filter(|(op, _)| is_cmp(*op))
    } else {
        None
    }
}

fn is_cmp(op: Operator) -> bool {
    matches!(
        op,
        Operator::Gt | Operator::GtEq | Operator::Lt | Operator::LtEq | Operator::Eq
    )
}

fn is_time_col(e: &Expr) -> bool {
    match e {
        Expr::Column(c) => c.name == TIME_COLUMN,
        Expr::Cast(c) => is_time_col(&c.expr),
        _ => false,
    }
}

fn const_ns(e: &Expr) -> Option<i64> {
    match e {
        Expr::Literal(ScalarValue::TimestampNanosecond(Some(v), _), _) => Some(*v),
        Expr::Literal(ScalarValue::Int64(Some(v)), _) => Some(*v),
        Expr::Cast(c) => const_ns(&c.expr),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{col, lit};

    fn ts(v: i64) -> Expr {
        lit(ScalarValue::TimestampNanosecond(Some(v), None))
    }

    #[test]
    fn intersects_bounds_from_conjunctions_and_flipped_comparisons() {
        let f = [
            col("time_").gt_eq(ts(100)).and(col("time_").lt(ts(200))),
            ts(150).gt(col("time_")),
        ];
        let r = time_range(&f);
        assert_eq!(
            r,
            TimeRange {
                lo: Some(100),
                hi: Some(149)
            }
        );
        assert!(r.overlaps(0, 100));
        assert!(!r.overlaps(150, 300));
        assert!(!r.overlaps(0, 99));
    }

    #[test]
    fn ignores_what_it_does_not_understand() {
        let f = [col("latency").gt(lit(5i64)), col("time_").gt_eq(col("latency"))];
        assert_eq!(time_range(&f), TimeRange::default());
        assert!(!is_time_bound(&f[0]));
        assert!(is_time_bound(&col("time_").lt_eq(ts(3))));
    }
}
