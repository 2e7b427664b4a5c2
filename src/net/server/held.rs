//! Async messages sent while the owner handles a batch of arrived messages are held in their
//! connections' outboxes and written together once the batch is handled: a tickerplant that
//! publishes each of a thousand updates that arrived together makes one write to each
//! subscriber, not a thousand (each write to a loopback socket also runs the receiver's side of
//! TCP on the sender's CPU).
//!
//! Holding never delays a message much, and never reorders: a connection holding `HOLD_MAX`
//! bytes, or a batch older than `HOLD_TIME`, is written at once; anything that blocks (a sync
//! request, `neg[h][]`, exit) writes everything held first (`release`). Messages to one
//! connection go out in the order they were sent, held or not (one outbox).

use std::cell::RefCell;
use std::collections::HashSet;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::net::connection::Connection;

/// The most bytes a connection holds before they are written.
const HOLD_MAX: usize = 256 << 10;
/// The longest a batch holds messages.
const HOLD_TIME: Duration = Duration::from_millis(1);

struct Batch {
    since: Instant,
    /// The connections holding messages, in the order they first held one.
    held: Vec<Arc<Connection>>,
    /// The same connections by address: listing one is O(1) however many subscribers a
    /// batch publishes to.
    listed: HashSet<*const Connection>,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            since: Instant::now(),
            held: Vec::new(),
            listed: HashSet::new(),
        }
    }

    /// What the batch holds, handed over; the batch starts afresh.
    fn take(&mut self) -> Vec<Arc<Connection>> {
        self.since = Instant::now();
        self.listed.clear();
        std::mem::take(&mut self.held)
    }
}

thread_local! {
    static BATCH: RefCell<Option<Batch>> = const { RefCell::new(None) };
}

/// Starts holding this thread's async sends (the owner, before it handles a batch).
pub fn begin() {
    BATCH.with(|b| *b.borrow_mut() = Some(Batch::new()));
}

/// Writes everything held and stops holding.
pub fn end() {
    let batch = BATCH.with(|b| b.borrow_mut().take());
    if let Some(batch) = batch {
        write(batch.held);
    }
}

/// Writes everything held now; holding goes on (a fresh batch).
pub fn release() {
    let held = BATCH.with(|b| b.borrow_mut().as_mut().map(Batch::take));
    if let Some(held) = held {
        write(held);
    }
}

fn write(held: Vec<Arc<Connection>>) {
    for c in held {
        // What the socket does not take now stays queued; the loop writes it when the socket
        // is writable. A failure kills the connection, which the loop then closes.
        let _ = c.write_queued();
        // The loop writes what stayed queued once the socket is writable.
        super::reactor::kick(&c);
    }
}

/// Sends an async message: held when a batch is holding and the connection queues its
/// writes, written now otherwise.
pub fn send_async(c: &Arc<Connection>, msg: &[u8]) -> io::Result<()> {
    // Whether to hold it, and whether this send listed the connection.
    let (hold, listed) = BATCH.with(|b| {
        let mut b = b.borrow_mut();
        let Some(batch) = b.as_mut() else {
            return (false, false);
        };
        if c.queued_bytes() + msg.len() > HOLD_MAX || batch.since.elapsed() > HOLD_TIME {
            return (false, false);
        }
        let listed = batch.listed.insert(Arc::as_ptr(c));
        if listed {
            batch.held.push(c.clone());
        }
        (true, listed)
    });
    if hold && c.hold(msg)? {
        return Ok(());
    }
    if hold {
        // Not a queued connection after all: it was listed for nothing (last, if by this send).
        if listed {
            BATCH.with(|b| {
                if let Some(batch) = b.borrow_mut().as_mut() {
                    batch.listed.remove(&Arc::as_ptr(c));
                    batch.held.pop();
                }
            });
        }
    } else {
        // Past a bound: what this batch holds goes first, in order.
        release();
    }
    c.send(msg)?;
    super::reactor::kick(c);
    Ok(())
}
