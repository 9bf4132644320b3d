//! The bearer token: generation, the `0600` token file, and constant-time checks.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// Name of the token file inside the data directory.
pub const TOKEN_FILE: &str = "token";

/// Why the token could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Reading or writing the token file failed.
    #[error("token file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The token file is readable by group or others.
    #[error("token file {path} has mode {mode:o}; it must not be accessible to group or others (chmod 600)")]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its mode bits.
        mode: u32,
    },
    /// The token file is empty or malformed.
    #[error("token file {0} does not hold a token")]
    Empty(PathBuf),
    /// The OS random generator failed.
    #[error("random generator failed: {0}")]
    Random(String),
}

/// A bearer token. `Debug` prints a redaction marker; there is no `Display` and no `PartialEq`.
#[derive(Debug, Clone)]
pub struct Token(SecretString);

impl Token {
    /// Wraps a token read from elsewhere (e.g. an environment variable).
    pub fn new(value: String) -> Self {
        Self(SecretString::from(value.trim().to_string()))
    }

    /// A fresh 256-bit random token, hex-encoded with a `seer_` prefix.
    pub fn generate() -> Result<Self, AuthError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| AuthError::Random(e.to_string()))?;
        Ok(Self(SecretString::from(format!("seer_{}", hex::encode(bytes)))))
    }

    /// Reads the token of `data_dir`, creating the directory (0700) and token file (0600) if needed.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, AuthError> {
        let path = data_dir.join(TOKEN_FILE);
        let io = |source| AuthError::Io {
            path: path.clone(),
            source,
        };
        if !data_dir.exists() {
            fs::create_dir_all(data_dir).map_err(io)?;
            fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
        match Self::read_file(&path) {
            Err(AuthError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
            other => return other,
        }
        let token = Self::generate()?;
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(io)?;
        f.write_all(token.expose().as_bytes()).map_err(io)?;
        f.write_all(b"\n").map_err(io)?;
        Ok(token)
    }

    /// Reads a token file, refusing files that group or others can access.
    pub fn read_file(path: &Path) -> Result<Self, AuthError> {
        let io = |source| AuthError::Io {
            path: path.to_path_buf(),
            source,
        };
        let meta = fs::metadata(path).map_err(io)?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(AuthError::Permissions {
                path: path.to_path_buf(),
                mode,
            });
        }
        let text = fs::read_to_string(path).map_err(io)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(AuthError::Empty(path.to_path_buf()));
        }
        Ok(Self::new(text.to_string()))
    }

    /// The secret value, for sending it in a request header.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Constant-time comparison with a presented value.
    pub fn matches(&self, presented: &str) -> bool {
        let ours = self.0.expose_secret().as_bytes();
        ours.len() == presented.len() && bool::from(ours.ct_eq(presented.as_bytes()))
    }

    /// Checks an `authorization` header value of the form `Bearer <token>`.
    pub fn check_header(&self, header: Option<&str>) -> bool {
        header
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(|t| self.matches(t.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_a_private_token_file_once_and_reads_it_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let t1 = Token::load_or_create(&data).expect("create");
        let mode = fs::metadata(data.join(TOKEN_FILE)).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(fs::metadata(&data).expect("stat").permissions().mode() & 0o777, 0o700);
        let t2 = Token::load_or_create(&data).expect("reload");
        assert!(t1.matches(t2.expose()));
        assert!(t1.expose().starts_with("seer_") && t1.expose().len() == 5 + 64);
    }

    #[test]
    fn refuses_world_readable_token_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(TOKEN_FILE);
        fs::write(&path, "seer_abc\n").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(matches!(
            Token::read_file(&path),
            Err(AuthError::Permissions { mode: 0o644, .. })
        ));
    }

    #[test]
    fn checks_bearer_headers_and_redacts_debug() {
        let t = Token::new("seer_secretvalue".into());
        assert!(t.check_header(Some("Bearer seer_secretvalue")));
        for bad in [
            None,
            Some(""),
            Some("seer_secretvalue"),
            Some("Bearer seer_secretvaluf"),
            Some("Bearer seer_secret"),
        ] {
            assert!(!t.check_header(bad), "{bad:?} accepted");
        }
        assert!(!format!("{t:?}").contains("secretvalue"));
    }
}
