//! Seer's metadata: facts about the process behind a UPID (pid, asid, command line, host name),
//! exposed as DataFusion scalar functions that PxL calls as `px.upid_to_pid(df.upid)`,
//! `df.ctx['cmdline']` and so on.
//!
//! On a host without Kubernetes the facts come from `/proc` (command lines are read once per UPID and
//! cached; a UPID whose process has exited, or whose pid was reused, maps to an empty string). Pod,
//! service and namespace lookups answer "" until the Kubernetes issue; containers come from cgroups;
//! `nslookup` does a real reverse lookup.

mod distinct;
mod dns;
mod fixed;
mod process;
mod upid_fn;

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;

pub use dns::Nslookup;
pub use fixed::{Answer, Fixed};
pub use upid_fn::UpidFn;

/// Kubernetes lookups that answer "" until Seer reads Kubernetes metadata.
const KUBERNETES: &[&str] = &[
    "upid_to_namespace",
    "upid_to_pod_id",
    "upid_to_pod_name",
    "upid_to_pod_qos",
    "upid_to_pod_status",
    "upid_to_service_id",
    "upid_to_service_name",
    "upid_to_deployment_id",
    "upid_to_deployment_name",
    "upid_to_replicaset_id",
    "upid_to_replicaset_name",
    "pod_id_to_pod_name",
    "pod_id_to_namespace",
    "pod_id_to_node_name",
    "pod_id_to_service_id",
    "pod_id_to_service_name",
    "pod_id_to_deployment_id",
    "pod_id_to_deployment_name",
    "pod_id_to_replicaset_id",
    "pod_id_to_replicaset_name",
    "pod_id_to_owner_references",
    "pod_id_to_pod_labels",
    "pod_id_to_start_time",
    "pod_id_to_stop_time",
    "pod_name_to_pod_id",
    "pod_name_to_pod_ip",
    "pod_name_to_namespace",
    "pod_name_to_service_id",
    "pod_name_to_service_name",
    "pod_name_to_deployment_id",
    "pod_name_to_deployment_name",
    "pod_name_to_replicaset_id",
    "pod_name_to_replicaset_name",
    "pod_name_to_owner_references",
    "pod_name_to_status",
    "pod_name_to_start_time",
    "pod_name_to_stop_time",
    "service_id_to_service_name",
    "service_id_to_cluster_ip",
    "service_id_to_external_ips",
    "service_name_to_service_id",
    "service_name_to_namespace",
    "ip_to_pod_id",
    "ip_to_service_id",
    "container_id_to_status",
    "container_id_to_start_time",
    "container_id_to_stop_time",
    "container_name_to_container_id",
    "namespace_name_to_namespace_id",
    "vizier_id",
    "vizier_name",
    "vizier_namespace",
];

/// Every metadata function, one line each.
pub fn udfs() -> Vec<Arc<ScalarUDF>> {
    let mut all = vec![
        UpidFn::int64("upid_to_pid", |u| i64::from(u.pid)).udf(),
        UpidFn::int64("upid_to_asid", |u| i64::from(u.asid)).udf(),
        UpidFn::int64("upid_to_start_ts", |u| i64::try_from(u.start_ticks).unwrap_or(i64::MAX)).udf(),
        UpidFn::utf8("upid_to_string", |u| u.to_string()).udf(),
        UpidFn::utf8("upid_to_cmdline", process::cmdline).udf(),
        UpidFn::utf8("upid_to_hostname", |_| process::hostname()).udf(),
        UpidFn::utf8("upid_to_node_name", |_| process::hostname()).udf(),
        UpidFn::utf8("upid_to_container_id", process::container_id).udf(),
        UpidFn::utf8("upid_to_container_name", process::container_name).udf(),
        Nslookup::udf(),
        Fixed::udf("_exec_hostname", Answer::Text(process::hostname())),
        Fixed::udf("_exec_host_num_cpus", Answer::Int(process::num_cpus())),
        Fixed::udf("get_cidrs", Answer::Text("[]".into())),
        Fixed::udf("has_service_id", Answer::Bool(false)),
        Fixed::udf("has_service_name", Answer::Bool(false)),
        Fixed::udf("has_value", Answer::Bool(false)),
    ];
    all.extend(KUBERNETES.iter().map(|name| Fixed::unknown(name)));
    all
}
