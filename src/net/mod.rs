//! Networking: the handle table, client connections (TCP, Unix sockets, TLS), and later the
//! server and multithreaded input mode.
