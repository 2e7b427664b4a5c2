//! The owner in default mode, through the Rust seam `owner::owner_bound`: one test function,
//! because the owner is a property of the whole process (one test binary = one process).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use q::ffi::boundary::{set_error_ptr, take_error};
use q::owner::{self, owner_bound, MAX_SLOTS};

/// A thread that becomes the owner and serves until `stop`.
fn start_owner(stop: Arc<AtomicBool>) -> (thread::JoinHandle<usize>, thread::ThreadId) {
    let (tx, rx) = std::sync::mpsc::channel();
    let h = thread::spawn(move || {
        owner_bound(|| ()).unwrap(); // the first caller becomes the owner
        assert!(owner::is_owner());
        tx.send(thread::current().id()).unwrap();
        let mut served = 0;
        while !stop.load(SeqCst) {
            served += owner::serve(Some(Duration::from_millis(5))).unwrap();
        }
        served
    });
    let id = rx.recv().unwrap();
    (h, id)
}

#[test]
fn default_mode() {
    let stop = Arc::new(AtomicBool::new(false));
    let (owner_thread, owner_id) = start_owner(stop.clone());

    // Calls from another thread run on the owner and return their result.
    let on = owner_bound(|| thread::current().id()).unwrap();
    assert_eq!(on, owner_id);
    assert!(!owner::is_owner());

    // Nested calls on the owner run inline.
    let nested = owner_bound(|| owner_bound(|| thread::current().id()).unwrap()).unwrap();
    assert_eq!(nested, owner_id);

    // The pending error travels both ways, as if the call had been inline.
    static BOOM: &[u8] = b"boom\0";
    static MINE: &[u8] = b"mine\0";
    set_error_ptr(MINE.as_ptr().cast());
    let seen_in = owner_bound(|| {
        let p = take_error();
        set_error_ptr(BOOM.as_ptr().cast());
        p as usize
    })
    .unwrap();
    assert_eq!(seen_in, MINE.as_ptr() as usize);
    assert_eq!(take_error() as usize, BOOM.as_ptr() as usize);
    // A call that leaves the error alone keeps the caller's.
    set_error_ptr(MINE.as_ptr().cast());
    owner_bound(|| ()).unwrap();
    assert_eq!(take_error() as usize, MINE.as_ptr() as usize);

    // A panic on the owner comes back to the caller; the owner keeps serving.
    let r = std::panic::catch_unwind(|| owner_bound(|| -> () { panic!("in the job") }));
    assert!(r.is_err());
    assert_eq!(owner_bound(|| 7).unwrap(), 7);

    // 64 concurrent callers, exact total.
    let counter = Arc::new(AtomicUsize::new(0));
    let callers: Vec<_> = (0..64)
        .map(|_| {
            let counter = counter.clone();
            thread::spawn(move || {
                for _ in 0..500 {
                    owner_bound(|| {
                        // Not an atomic increment: only the owner runs this.
                        let v = counter.load(Relaxed);
                        counter.store(v + 1, Relaxed);
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for c in callers {
        c.join().unwrap();
    }
    assert_eq!(owner_bound(|| counter.load(Relaxed)).unwrap(), 64 * 500);

    // More threads over the process's life than there are slots: slots are recycled.
    let total = MAX_SLOTS + 200;
    let done = Arc::new(AtomicUsize::new(0));
    for _ in 0..total / 100 + 1 {
        let batch: Vec<_> = (0..100)
            .map(|_| {
                let done = done.clone();
                thread::spawn(move || {
                    owner_bound(|| done.fetch_add(1, Relaxed)).unwrap();
                })
            })
            .collect();
        for b in batch {
            b.join().unwrap();
        }
    }
    assert!(done.load(Relaxed) > MAX_SLOTS);

    // The owner thread exits: ownership passes to the next caller.
    stop.store(true, SeqCst);
    let served = owner_thread.join().unwrap();
    assert!(served > 64 * 500);
    assert_eq!(
        owner_bound(|| thread::current().id()).unwrap(),
        thread::current().id()
    );
    assert!(owner::is_owner());

    // The owner serves waiting callers on entry to its own calls (no kx_serve here): the
    // helper's calls complete only because this thread keeps making owner-bound calls.
    let helper_done = Arc::new(AtomicBool::new(false));
    let helper = {
        let helper_done = helper_done.clone();
        thread::spawn(move || {
            for i in 0..100 {
                assert_eq!(owner_bound(move || i * 2).unwrap(), i * 2);
            }
            helper_done.store(true, SeqCst);
        })
    };
    while !helper_done.load(SeqCst) {
        owner_bound(|| ()).unwrap();
        thread::yield_now();
    }
    helper.join().unwrap();

    // After shutdown, trampolined calls fail with 'shutdown; the owner's own still run.
    owner::shutdown();
    let r = thread::spawn(|| owner_bound(|| ()).map_err(|e| e.to_string()))
        .join()
        .unwrap();
    assert_eq!(r, Err("'shutdown".to_string()));
    assert_eq!(owner_bound(|| 1).unwrap(), 1);
}
