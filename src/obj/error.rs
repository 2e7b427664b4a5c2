//! `Error`: a q error, named by its message as q prints it after `'` (`type`, `length`, ...).
//!
//! The message is an interned symbol so it can become a type -128 object or a `krr` pointer
//! without copying, and stays valid forever.

use super::sym::Sym;

#[derive(Copy, Clone, PartialEq, Eq)]
pub struct Error(pub Sym);

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(msg: impl AsRef<[u8]>) -> Error {
        Error(Sym::new(msg))
    }
    pub fn msg(self) -> Sym {
        self.0
    }
    pub fn type_() -> Error {
        Error::new("type")
    }
    pub fn length() -> Error {
        Error::new("length")
    }
    pub fn rank() -> Error {
        Error::new("rank")
    }
    pub fn domain() -> Error {
        Error::new("domain")
    }
    pub fn nyi() -> Error {
        Error::new("nyi")
    }
    pub fn mismatch() -> Error {
        Error::new("mismatch")
    }
}

impl Error {
    /// Raises `self` by unwinding, for failures deep below any `Result` (running out of memory
    /// inside an allocation). Boundaries turn it back into a q error with `from_panic`; the
    /// panic hook is not run, so nothing is printed.
    pub fn raise(self) -> ! {
        std::panic::resume_unwind(Box::new(self))
    }

    /// The q error a caught panic stands for: one raised with `raise`, or `'panic`.
    pub fn from_panic(payload: Box<dyn std::any::Any + Send>) -> Error {
        match payload.downcast::<Error>() {
            Ok(e) => *e,
            Err(_) => Error::new("panic"),
        }
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}", self.0.as_str())
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}", self.0.as_str())
    }
}

impl std::error::Error for Error {}
