//! `nslookup(ip)`: the host name of an address by reverse lookup (`getnameinfo`, so `/etc/hosts` and DNS
//! both answer), or the address itself when there is no name. Answers are cached per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};

use arrow::array::{Array, ArrayRef, AsArray, StringArray};
use arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

const CACHE_LIMIT: usize = 16_384;

fn cache() -> &'static Mutex<HashMap<String, String>> {
    static CACHE: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The name of `addr`, or `addr` itself.
pub(crate) fn lookup(addr: &str) -> String {
    if let Some(hit) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(addr) {
        return hit.clone();
    }
    let name = match addr.trim().parse::<IpAddr>() {
        Ok(ip) => dns_lookup::lookup_addr(&ip).unwrap_or_else(|_| addr.to_string()),
        Err(_) => addr.to_string(),
    };
    let mut map = cache().lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(addr.to_string(), name.clone());
    name
}

/// The `nslookup` function.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Nslookup {
    signature: Signature,
}

impl Nslookup {
    /// As a DataFusion UDF.
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            signature: Signature::exact(vec![DataType::Utf8], Volatility::Volatile),
        }))
    }
}

impl ScalarUDFImpl for Nslookup {
    fn name(&self) -> &str {
        "nslookup"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [arg] = args.args.as_slice() else {
            return exec_err!("nslookup takes one address");
        };
        let array = arg.to_array(args.number_rows)?;
        let Some(addrs) = array.as_string_opt::<i32>() else {
            return exec_err!("nslookup expects a Utf8 address, got {}", array.data_type());
        };
        let out: StringArray = (0..addrs.len())
            .map(|i| (!addrs.is_null(i)).then(|| lookup(addrs.value(i))))
            .collect();
        Ok(ColumnarValue::Array(Arc::new(out) as ArrayRef))
    }
}

#[cfg(test)]
mod tests {
    use super::lookup;

    #[test]
    fn loopback_has_a_name_and_garbage_is_returned() {
        assert_eq!(lookup("not an ip"), "not an ip");
        let name = lookup("127.0.0.1");
        assert!(!name.is_empty());
    }
}
