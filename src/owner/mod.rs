//! The owner thread: owner identity, futex slots, trampolines, the dedicated owner thread and
//! shutdown.
