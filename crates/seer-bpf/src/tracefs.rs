//! tracefs for the per-syscall tracepoints: libbpf resolves `syscalls:sys_enter_X` through
//! `/sys/kernel/tracing/events/syscalls/*/id`, so the agent mounts tracefs there when it is missing.

use std::path::Path;

/// Where libbpf looks up per-syscall tracepoint ids.
pub(crate) const TRACEFS_SYSCALLS: &str = "/sys/kernel/tracing/events/syscalls";

/// Makes the syscall tracepoints visible, mounting tracefs at `/sys/kernel/tracing` if needed.
pub(crate) fn ensure() -> Result<(), String> {
    if Path::new(TRACEFS_SYSCALLS).is_dir() {
        return Ok(());
    }
    mount().map_err(|e| format!("mounting tracefs at /sys/kernel/tracing: {e}"))?;
    match Path::new(TRACEFS_SYSCALLS).is_dir() {
        true => {
            tracing::info!("mounted tracefs at /sys/kernel/tracing for the syscall tracepoints");
            Ok(())
        }
        false => Err(format!(
            "tracefs mounted but {TRACEFS_SYSCALLS} is missing (kernel without syscall tracepoints?)"
        )),
    }
}

#[allow(unsafe_code)]
fn mount() -> std::io::Result<()> {
    // SAFETY: the three pointers are NUL-terminated string literals valid for the whole call, and
    // tracefs takes no mount data (NULL is allowed); mount(2) does not keep them.
    let rc = unsafe {
        libc::mount(
            c"nodev".as_ptr(),
            c"/sys/kernel/tracing".as_ptr(),
            c"tracefs".as_ptr(),
            0,
            std::ptr::null(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}
