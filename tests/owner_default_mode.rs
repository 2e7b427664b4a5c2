//! The owner in default mode, through the Rust seam `owner::owner_bound`: one test function,
//! because the owner is a property of the whole process (one test binary = one process).
//!
//! Where a call runs: on the owner while it serves or is inside the library (handed over), on
//! the calling thread while the owner is away (one at a time, full rights), never waiting for
//! an owner that is away.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use q::ffi::boundary::{set_error_ptr, take_error};
use q::owner::{self, owner_bound, MAX_SLOTS};

/// A thread that becomes the owner and serves until `stop`.
fn start_owner(stop: Arc<AtomicBool>) -> (thread::JoinHandle<usize>, thread::ThreadId) {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        owner_bound(|| ()).unwrap(); // the first caller becomes the owner
        assert!(owner::is_owner());
        tx.send(thread::current().id()).unwrap();
        let mut served = 0;
        while !stop.load(SeqCst) {
            served += owner::serve(Some(Duration::from_millis(50))).unwrap();
        }
        served
    });
    let id = rx.recv().unwrap();
    (h, id)
}

/// `threads` threads make `calls` calls each that increment `counter` without an atomic
/// read-modify-write: the total is exact only if no two calls ever run at once. Returns how
/// many ran on `owner_id`.
fn exact_count(threads: usize, calls: usize, owner_id: Option<thread::ThreadId>) -> usize {
    let counter = Arc::new(AtomicUsize::new(0));
    let on_owner = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (counter, on_owner) = (counter.clone(), on_owner.clone());
            thread::spawn(move || {
                for _ in 0..calls {
                    let here = owner_bound(|| {
                        let v = counter.load(Relaxed);
                        thread::yield_now(); // widen the window a second evaluator would hit
                        counter.store(v + 1, Relaxed);
                        thread::current().id()
                    })
                    .unwrap();
                    if Some(here) == owner_id {
                        on_owner.fetch_add(1, Relaxed);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(counter.load(Relaxed), threads * calls);
    on_owner.load(Relaxed)
}

#[test]
fn default_mode() {
    let stop = Arc::new(AtomicBool::new(false));
    let (owner_thread, owner_id) = start_owner(stop.clone());

    // A call from another thread reaches the serving owner (it may arrive between two of the
    // owner's kx_serve calls, when the owner is away: then it runs here, so ask until one is
    // served there).
    let t0 = Instant::now();
    while owner_bound(|| thread::current().id()).unwrap() != owner_id {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "never served by the owner"
        );
    }
    assert!(!owner::is_owner());

    // Nested calls run where the outer call runs.
    let (outer, inner) = owner_bound(|| {
        let inner = owner_bound(|| thread::current().id()).unwrap();
        (thread::current().id(), inner)
    })
    .unwrap();
    assert_eq!(outer, inner);

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

    // A panic in the call comes back to the caller; the engine stays usable.
    let r = std::panic::catch_unwind(|| owner_bound(|| -> () { panic!("in the job") }));
    assert!(r.is_err());
    assert_eq!(owner_bound(|| 7).unwrap(), 7);

    // 64 concurrent callers while the owner serves: exact total, one call at a time.
    let served_before = exact_count(64, 200, Some(owner_id));
    assert!(served_before > 0);

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
    owner_thread.join().unwrap();
    assert_eq!(
        owner_bound(|| thread::current().id()).unwrap(),
        thread::current().id()
    );
    assert!(owner::is_owner());
    let me = thread::current().id();

    // The owner away (this thread blocks in join, outside the library): 64 threads' calls run
    // on their own threads, one at a time, none of them on the owner.
    let ran_here = exact_count(64, 200, Some(me));
    assert_eq!(ran_here, 0);

    // The owner inside a long call: a call made meanwhile is handed to it and answered on its
    // way out, on the owner thread.
    let (started_tx, started_rx) = mpsc::channel();
    let handed = thread::spawn(move || {
        started_rx.recv().unwrap();
        owner_bound(|| thread::current().id()).unwrap()
    });
    owner_bound(|| {
        started_tx.send(()).unwrap();
        thread::sleep(Duration::from_millis(200));
    })
    .unwrap();
    assert_eq!(handed.join().unwrap(), me);

    // The owner coming back while another thread's call runs waits for that call to end.
    let (inside_tx, inside_rx) = mpsc::channel();
    let visitor_end = Arc::new(std::sync::Mutex::new(None));
    let visitor = {
        let visitor_end = visitor_end.clone();
        thread::spawn(move || {
            owner_bound(|| {
                inside_tx.send(thread::current().id()).unwrap();
                thread::sleep(Duration::from_millis(200));
                *visitor_end.lock().unwrap() = Some(Instant::now());
            })
            .unwrap();
        })
    };
    let visitor_id = inside_rx.recv().unwrap();
    assert_ne!(visitor_id, me);
    let owner_start = owner_bound(Instant::now).unwrap();
    let end = visitor_end
        .lock()
        .unwrap()
        .expect("the owner ran before the visitor's call ended");
    assert!(owner_start >= end);
    visitor.join().unwrap();

    // The owner serves waiting callers on entry to its own calls: a helper's calls complete
    // while this thread keeps making owner-bound calls (in the library most of the time).
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
        owner_bound(|| thread::sleep(Duration::from_micros(200))).unwrap();
    }
    helper.join().unwrap();

    // After shutdown, other threads' calls fail with 'shutdown; the owner's own still run.
    owner::shutdown();
    let r = thread::spawn(|| owner_bound(|| ()).map_err(|e| e.to_string()))
        .join()
        .unwrap();
    assert_eq!(r, Err("'shutdown".to_string()));
    assert_eq!(owner_bound(|| 1).unwrap(), 1);
}
