//! The handle table: open connections by handle (their socket descriptor). Lookups take a read
//! lock just long enough to clone the connection's `Arc`, so the table never serializes I/O.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use parking_lot::RwLock;

use super::connection::Connection;

static TABLE: LazyLock<RwLock<HashMap<i32, Arc<Connection>>>> = LazyLock::new(Default::default);

/// Registers a connection and returns its handle.
pub fn insert(c: Connection) -> i32 {
    let h = c.fd();
    TABLE.write().insert(h, Arc::new(c));
    h
}

/// Registers a connection already shared (a server's, which its event loop holds too).
pub fn insert_shared(c: Arc<Connection>) -> i32 {
    let h = c.fd();
    TABLE.write().insert(h, c);
    h
}

pub fn get(h: i32) -> Option<Arc<Connection>> {
    TABLE.read().get(&h).cloned()
}

/// Every open handle, in ascending order (`.z.H`).
pub fn all() -> Vec<i32> {
    let mut v: Vec<i32> = TABLE.read().keys().copied().collect();
    v.sort_unstable();
    v
}

/// Takes a connection out of the table; its socket closes when the last user lets go.
pub fn remove(h: i32) -> Option<Arc<Connection>> {
    TABLE.write().remove(&h)
}
