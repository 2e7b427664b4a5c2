//! Dedicated mode chosen programmatically (`kx_threading(1)`): the library's own thread is the
//! owner; every other thread trampolines; shutdown ends it. One test function: the mode is a
//! property of the process.

use std::thread;

use q::owner::{self, owner_bound, Mode};

#[test]
fn dedicated_mode() {
    assert_eq!(
        owner::choose_mode(Mode::Dedicated).unwrap(),
        Mode::Dedicated
    );
    let here = thread::current().id();
    let there = owner_bound(|| thread::current().id()).unwrap();
    assert_ne!(here, there);
    assert_eq!(
        owner_bound(|| thread::current().name().map(String::from))
            .unwrap()
            .as_deref(),
        Some("libq-owner")
    );
    assert!(owner::choose_mode(Mode::Default).is_err());
    assert!(
        owner::serve(None).is_err(),
        "a host thread cannot serve in dedicated mode"
    );

    let threads: Vec<_> = (0..16)
        .map(|_| {
            thread::spawn(move || {
                (0..200)
                    .map(|i| owner_bound(move || i).unwrap())
                    .sum::<i32>()
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), (0..200).sum::<i32>());
    }

    owner::shutdown();
    assert_eq!(
        owner_bound(|| ()).map_err(|e| e.to_string()),
        Err("'shutdown".to_string())
    );
    owner::shutdown();
}
