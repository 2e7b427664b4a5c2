//! The embedded engine through its C exports: `qinit`, `k(0,...)` (as `kx_k_array`), `dot`,
//! with errors as type -128 objects and no q error, however deep, reaching the host as a crash.

use std::ffi::CString;

use q::ffi::engine::{dot, kx_k_array, qinit};
use q::ffi::types::K as RawK;
use q::obj::{ERROR, K};

/// Takes the reference a k.h call returned.
fn own(p: RawK) -> K {
    // SAFETY: the exports return a live object (never null for k and dot) whose reference the
    // caller owns.
    unsafe { K::from_raw(p) }.expect("k returned null")
}

fn k(src: &str, args: Vec<K>) -> K {
    let s = CString::new(src).unwrap();
    let mut raw: Vec<RawK> = args.into_iter().map(K::into_raw).collect();
    own(kx_k_array(
        0,
        s.as_ptr(),
        raw.len() as i32,
        raw.as_mut_ptr(),
    ))
}

/// Starts the engine on this thread as a host does (`qinit` with no arguments).
fn start_engine() {
    assert_eq!(
        qinit(
            0,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut()
        ),
        0
    );
}

fn err_name(x: &K) -> String {
    assert_eq!(x.t(), ERROR, "expected an error object");
    x.s().as_str().into_owned()
}

#[test]
fn k_evaluates_and_applies_arguments() {
    start_engine();
    assert_eq!(k("1+2", vec![]).j(), 3);
    assert_eq!(k("{x+y}", vec![K::long(1), K::long(2)]).j(), 3);
    k("double:{2*x}", vec![]);
    assert_eq!(k("double", vec![K::long(21)]).j(), 42);
    let v = k("til 5", vec![]);
    assert_eq!(v.as_slice::<i64>(), &[0, 1, 2, 3, 4]);
}

#[test]
fn errors_come_back_as_objects() {
    assert_eq!(err_name(&k("1+`a", vec![])), "type");
    assert_eq!(err_name(&k("undefinedname", vec![])), "undefinedname");
    assert_eq!(err_name(&k("'`custom", vec![])), "custom");
    assert_eq!(
        err_name(&k("{x+y}", vec![K::long(1), K::long(2), K::long(3)])),
        "rank"
    );
    assert_eq!(err_name(&k("(1 2", vec![])), ")");
}

#[test]
fn deep_recursion_gives_stack() {
    assert_eq!(err_name(&k("{.z.s x+1} 0", vec![])), "stack");
    assert_eq!(err_name(&k("f:{f x+1}; f 0", vec![])), "stack");
}

#[test]
fn dot_applies_a_list_of_arguments() {
    let f = k("{x*y}", vec![]);
    let args = K::list(vec![K::long(6), K::long(7)]);
    let r = own(dot(f.as_ptr(), args.as_ptr()));
    assert_eq!(r.j(), 42);
    // dot leaves its arguments to the caller.
    assert_eq!(f.refcount(), 0);
}

#[test]
fn deep_input_is_an_error_not_a_crash() {
    let nested = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(err_name(&k(&nested, vec![])), "stack");
    let long = vec!["1"; 100_000].join("+");
    assert_eq!(err_name(&k(&long, vec![])), "stack");
    // Just inside the limits still works on a test thread's stack.
    let ok = format!("{}1{}", "(".repeat(199), ")".repeat(199));
    assert_eq!(k(&ok, vec![]).j(), 1);
    let ok = vec!["1"; 300].join("+");
    assert_eq!(k(&ok, vec![]).j(), 300);
    let lambdas = format!("{}x{}", "{".repeat(5000), "}".repeat(5000));
    assert_eq!(err_name(&k(&lambdas, vec![])), "stack");
}

#[test]
fn an_embedded_engine_leaves_sigterm_to_the_host() {
    // Only the q console takes SIGTERM as `exit 0` (sys::sigterm): a host's SIGTERM stays
    // the host's (the default action, or its own handler), before and after the engine starts.
    start_engine();
    assert_eq!(k("2+3", vec![]).j(), 5);
    // SAFETY: a zeroed sigaction is a valid out-parameter; a null new action only reads.
    let mut now: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    assert_eq!(
        unsafe { libc::sigaction(libc::SIGTERM, std::ptr::null(), &mut now) },
        0
    );
    assert_eq!(now.sa_sigaction, libc::SIG_DFL);
}
