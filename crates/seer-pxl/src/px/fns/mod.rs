//! The `px` function library: one file per function, one registration line each.
//!
//! [`SCALARS`] are per-row functions built from their operands; [`NATIVES`] are evaluated by the compiler
//! itself (operators as functions, compile-time helpers such as `px.strptime`).

mod abs;
mod add;
mod amqp_frame_type_name;
mod amqp_method_name;
mod approx_equal;
mod atoi;
mod bin;
mod binary;
mod bytes_to_hex;
mod ceil;
mod cidrs_contain_ip;
mod code_names;
mod contains;
mod cql_opcode_name;
mod divide;
mod dns_rcode_name;
mod equal;
mod equals_any;
mod exp;
mod find;
mod floor;
mod format_duration;
mod frame_of;
mod get_schemas;
mod get_tables;
mod get_uda_list;
mod get_udf_list;
mod get_udtf_list;
mod greater_than;
mod greater_than_equal;
mod grpc_status_code_to_str;
mod hex_to_ascii;
mod http_resp_message;
mod int64_to_time;
mod itoa;
mod json;
mod kafka_api_key_name;
mod length;
mod less_than;
mod less_than_equal;
mod ln;
mod log;
mod log10;
mod log2;
mod logical_and;
mod logical_not;
mod logical_or;
mod modulo;
mod multiply;
mod mux_frame_type_name;
mod mysql_command_name;
mod negate;
mod normalize_mysql;
mod normalize_pgsql;
mod not_equal;
mod parse_time;
mod pluck;
mod pluck_array;
mod pluck_float64;
mod pluck_int64;
mod pow;
mod protocol_name;
mod redact_pii_best_effort;
mod regex_match;
mod replace;
mod round;
mod script_reference;
mod select;
mod split;
mod sql_norm;
mod sqrt;
mod strip_prefix;
mod strptime;
mod substring;
mod subtract;
mod time_to_int64;
mod tolower;
mod toupper;
mod trim;

pub(crate) use strptime::parse as strptime_parse;

use crate::px::scalar::ScalarDef;
use crate::value::NativeFn;

/// Per-row functions.
pub(crate) static SCALARS: &[&ScalarDef] = &[
    &abs::DEF,
    &amqp_frame_type_name::DEF,
    &amqp_method_name::DEF,
    &approx_equal::DEF,
    &atoi::DEF,
    &bin::DEF,
    &bytes_to_hex::DEF,
    &ceil::DEF,
    &cidrs_contain_ip::DEF,
    &contains::DEF,
    &cql_opcode_name::DEF,
    &dns_rcode_name::DEF,
    &exp::DEF,
    &find::DEF,
    &floor::DEF,
    &grpc_status_code_to_str::DEF,
    &hex_to_ascii::DEF,
    &http_resp_message::DEF,
    &int64_to_time::DEF,
    &itoa::DEF,
    &kafka_api_key_name::DEF,
    &length::DEF,
    &ln::DEF,
    &log::DEF,
    &log10::DEF,
    &log2::DEF,
    &mux_frame_type_name::DEF,
    &mysql_command_name::DEF,
    &negate::DEF,
    &normalize_mysql::DEF,
    &normalize_pgsql::DEF,
    &pluck::DEF,
    &pluck_array::DEF,
    &pluck_float64::DEF,
    &pluck_int64::DEF,
    &pow::DEF,
    &protocol_name::DEF,
    &redact_pii_best_effort::DEF,
    &regex_match::DEF,
    &replace::DEF,
    &round::DEF,
    &select::DEF,
    &split::DEF,
    &sqrt::DEF,
    &strip_prefix::DEF,
    &substring::DEF,
    &time_to_int64::DEF,
    &tolower::DEF,
    &toupper::DEF,
    &trim::DEF,
];

/// Functions the compiler evaluates.
pub(crate) static NATIVES: &[&NativeFn] = &[
    &get_schemas::DEF,
    &get_tables::DEF,
    &get_udf_list::DEF,
    &get_uda_list::DEF,
    &get_udtf_list::DEF,
    &add::DEF,
    &divide::DEF,
    &equal::DEF,
    &equals_any::DEF,
    &format_duration::DEF,
    &greater_than::DEF,
    &greater_than_equal::DEF,
    &less_than::DEF,
    &less_than_equal::DEF,
    &logical_and::DEF,
    &logical_not::DEF,
    &logical_or::DEF,
    &modulo::DEF,
    &multiply::DEF,
    &not_equal::DEF,
    &parse_time::DEF,
    &script_reference::DEF,
    &strptime::DEF,
    &subtract::DEF,
];
