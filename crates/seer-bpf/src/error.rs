//! Errors of loading and running BPF programs.

/// Why a tracer could not start.
#[derive(Debug, thiserror::Error)]
pub enum BpfError {
    /// BPF is not usable in this process (see [`crate::bpf_support`]).
    #[error("BPF unavailable: {0}")]
    Unsupported(String),
    /// libbpf refused to open, load or attach the object.
    #[error("{stage} {object}: {source}")]
    Libbpf {
        /// open / load / attach / ring buffer.
        stage: &'static str,
        /// Which BPF object.
        object: &'static str,
        /// libbpf's error.
        #[source]
        source: libbpf_rs::Error,
    },
    /// The configuration is out of range.
    #[error("invalid BPF configuration: {0}")]
    Config(String),
    /// The tracer thread could not be spawned or died while starting.
    #[error("tracer thread: {0}")]
    Thread(String),
}

impl BpfError {
    pub(crate) fn libbpf(stage: &'static str, object: &'static str) -> impl FnOnce(libbpf_rs::Error) -> Self {
        move |source| Self::Libbpf { stage, object, source }
    }
}
