//! Errors, and the exit status each kind maps to.

use std::fmt;

use crate::tr;

/// Everything that can go wrong in kith, grouped by what the user should do about it.
#[derive(Debug)]
pub enum Error {
    /// Bad input: an unknown field, a bad date, a failed validation, an unknown or ambiguous
    /// reference, a configuration file that does not parse. Nothing was written. Exit status 2.
    Invalid(String),
    /// A query matched nothing. Exit status 1.
    NotFound(String),
    /// The database or the file system failed. Exit status 3.
    Failed(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(msg: impl Into<String>) -> Error {
        Error::Invalid(msg.into())
    }

    pub fn not_found(msg: impl Into<String>) -> Error {
        Error::NotFound(msg.into())
    }

    pub fn failed(msg: impl Into<String>) -> Error {
        Error::Failed(msg.into())
    }

    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::NotFound(_) => 1,
            Error::Invalid(_) => 2,
            Error::Failed(_) => 3,
        }
    }

    /// Prefix the message with where the problem was (a field, a line, a file).
    pub fn context(self, at: impl fmt::Display) -> Error {
        let put = |message: String| tr!("error.at", at = at, message = message);
        match self {
            Error::Invalid(m) => Error::Invalid(put(m)),
            Error::NotFound(m) => Error::NotFound(put(m)),
            Error::Failed(m) => Error::Failed(put(m)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(m) | Error::NotFound(m) | Error::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode;
        // Failures caused by what was asked, not by the database: bad input, in kith's words.
        if let rusqlite::Error::SqliteFailure(f, m) = &e {
            let m = m.as_deref().unwrap_or("");
            if m.contains("LIKE or GLOB pattern too complex") {
                return Error::Invalid(tr!("error.pattern_too_long").into());
            }
            if f.code == ErrorCode::TooBig {
                return Error::Invalid(tr!("error.value_too_large").into());
            }
            if f.code == ErrorCode::ReadOnly {
                return Error::Failed(tr!("error.read_only", reason = m));
            }
        }
        Error::Failed(tr!("error.database", reason = e))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Failed(e.to_string())
    }
}

impl From<crate::core::dates::DateError> for Error {
    fn from(e: crate::core::dates::DateError) -> Error {
        Error::Invalid(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(Error::invalid("x").exit_code(), 2);
        assert_eq!(Error::not_found("x").exit_code(), 1);
        assert_eq!(Error::failed("x").exit_code(), 3);
    }

    #[test]
    fn context_prefixes_the_message() {
        let e = Error::invalid("not a number").context("--amount");
        assert_eq!(e.to_string(), "--amount: not a number");
        assert_eq!(e.exit_code(), 2);
    }
}
