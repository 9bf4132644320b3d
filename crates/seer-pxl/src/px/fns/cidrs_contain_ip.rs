//! `px.cidrs_contain_ip(cidrs, ip)`: whether an address lies in one of a list of CIDR blocks.

use std::net::IpAddr;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use crate::column::Operand;
use crate::px::scalar::{Built, ScalarDef, call_udf, string};
use crate::udf::{RowUdf, str2_to_bool};

/// `px.cidrs_contain_ip`.
pub(crate) static DEF: ScalarDef = ScalarDef {
    name: "cidrs_contain_ip",
    params: &["cidrs", "ip"],
    doc: "Whether `ip` lies in one of `cidrs` (a JSON array string such as px.get_cidrs() returns, or one CIDR).",
    build,
};

fn build(a: &[Operand]) -> Built {
    let udf = RowUdf::udf(
        "cidrs_contain_ip",
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Boolean,
        kernel,
    );
    Ok(call_udf(&udf, vec![string(a, 0)?, string(a, 1)?]))
}

fn kernel(args: &[ArrayRef]) -> Result<ArrayRef> {
    str2_to_bool(args, |cidrs, ip| {
        let Ok(ip) = ip.trim().parse::<IpAddr>() else {
            return false;
        };
        let list: Vec<String> = serde_json::from_str(cidrs).unwrap_or_else(|_| vec![cidrs.to_string()]);
        list.iter().any(|c| contains(c, ip))
    })
}

/// Whether `cidr` (`addr/len`) contains `ip`.
fn contains(cidr: &str, ip: IpAddr) -> bool {
    let Some((net, len)) = cidr.trim().split_once('/') else {
        return false;
    };
    let (Ok(net), Ok(len)) = (net.parse::<IpAddr>(), len.parse::<u32>()) else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) if len <= 32 => {
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) if len <= 128 => {
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_membership() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap_or(IpAddr::from([0, 0, 0, 0]));
        assert!(contains("10.0.0.0/8", ip("10.1.2.3")));
        assert!(!contains("10.0.0.0/8", ip("11.1.2.3")));
        assert!(contains("0.0.0.0/0", ip("1.2.3.4")));
        assert!(contains("fd00::/8", ip("fd12::1")));
        assert!(!contains("10.0.0.0/33", ip("10.0.0.1")));
    }
}
