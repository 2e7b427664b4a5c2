//! Faults on disk: a full disk, a read-only directory, missing, truncated and corrupt files.
//! Each gives kdb+'s error, and a file that was there before is still there, whole.
//!
//! The full disk and the read-only directory are made two ways: a small tmpfs mounted for the
//! test (where the machine lets it mount one: root in a container usually can), and always an
//! `LD_PRELOAD` shim built here that makes the C library's calls fail under one directory,
//! with the errno a full or read-only filesystem gives.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("libq-fault-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const SHIM: &str = r#"
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Calls under $FAULT_DIR fail: with $FAULT=ro, opening to write, creating, renaming and
   deleting give EROFS; with $FAULT=full, writes give ENOSPC once $FAULT_BYTES bytes have
   been written there. */
static const char *dir(void) { return getenv("FAULT_DIR"); }
static int under(const char *p) {
    const char *d = dir();
    char abs[PATH_MAX];
    if (!d || !p) return 0;
    if (p[0] != '/') {
        if (!getcwd(abs, sizeof abs)) return 0;
        strncat(abs, "/", sizeof abs - strlen(abs) - 1);
        strncat(abs, p, sizeof abs - strlen(abs) - 1);
        p = abs;
    }
    return strncmp(p, d, strlen(d)) == 0;
}
static int mode(const char *m) { const char *f = getenv("FAULT"); return f && !strcmp(f, m); }
static int fd_under(int fd) {
    char link[64], target[PATH_MAX];
    ssize_t n;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof target - 1);
    if (n <= 0) return 0;
    target[n] = 0;
    return under(target);
}
static long written;

typedef int (*open_fn)(const char *, int, ...);
typedef int (*mkdir_fn)(const char *, mode_t);
typedef int (*rename_fn)(const char *, const char *);
typedef int (*unlink_fn)(const char *);
typedef ssize_t (*write_fn)(int, const void *, size_t);
#define REAL(name, type) static type real_##name; if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

int open64(const char *p, int flags, ...) {
    va_list a; va_start(a, flags); mode_t m = va_arg(a, int); va_end(a);
    REAL(open64, open_fn);
    if (mode("ro") && (flags & (O_WRONLY | O_RDWR | O_CREAT)) && under(p)) { errno = EROFS; return -1; }
    return real_open64(p, flags, m);
}
int open(const char *p, int flags, ...) {
    va_list a; va_start(a, flags); mode_t m = va_arg(a, int); va_end(a);
    REAL(open, open_fn);
    if (mode("ro") && (flags & (O_WRONLY | O_RDWR | O_CREAT)) && under(p)) { errno = EROFS; return -1; }
    return real_open(p, flags, m);
}
int mkdir(const char *p, mode_t m) {
    struct stat st;
    REAL(mkdir, mkdir_fn);
    /* Linux answers EEXIST before EROFS for a directory that is there. */
    if (mode("ro") && under(p) && stat(p, &st) == 0) { errno = EEXIST; return -1; }
    if (mode("ro") && under(p)) { errno = EROFS; return -1; }
    return real_mkdir(p, m);
}
int rename(const char *a, const char *b) {
    REAL(rename, rename_fn);
    if (mode("ro") && (under(a) || under(b))) { errno = EROFS; return -1; }
    return real_rename(a, b);
}
int unlink(const char *p) {
    REAL(unlink, unlink_fn);
    if (mode("ro") && under(p)) { errno = EROFS; return -1; }
    return real_unlink(p);
}
ssize_t write(int fd, const void *b, size_t n) {
    REAL(write, write_fn);
    if (mode("full") && fd > 2 && fd_under(fd)) {
        long room = atol(getenv("FAULT_BYTES") ? getenv("FAULT_BYTES") : "0") - written;
        if (room <= 0) { errno = ENOSPC; return -1; }
        if ((long)n > room) n = (size_t)room;
        written += (long)n;
    }
    return real_write(fd, b, n);
}
"#;

/// The shim, built with the machine's C compiler; None only where there is no compiler (a
/// shim that does not compile fails the test: it must never pass by skipping).
fn build_shim(dir: &Path) -> Option<PathBuf> {
    let src = dir.join("shim.c");
    std::fs::write(&src, SHIM).unwrap();
    let so = dir.join("shim.so");
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o"])
        .arg(&so)
        .arg(&src)
        .arg("-ldl")
        .status()
        .ok()?;
    assert!(status.success(), "the fault shim does not compile");
    Some(so)
}

/// Runs a q script; what it printed.
fn run_q(script: &str, dir: &Path, env: &[(&str, String)]) -> String {
    let path = dir.join("s.q");
    std::fs::write(&path, format!("{script}\nexit 0\n")).unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_q"));
    c.arg(&path).current_dir(dir).stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("running q");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The faults, against a directory `data` where writes fail as `fault` says; `setup` runs
/// first with no fault.
fn check_faults(
    base: &Path,
    data: &Path,
    env: &[(&str, String)],
    fault: &str,
    filler: Option<&Path>,
) {
    let d = data.display();
    run_q(
        &format!(
            "`:{d}/v set 1 2 3; `:{d}/t/ set ([]a:1 2;b:3 4.); `:{d}/log set (); \
             h:hopen`:{d}/log; h enlist 1; hclose h; `:{d}/sym set `a`b"
        ),
        base,
        &[],
    );
    let before: Vec<(String, Vec<u8>)> = ["v", "t/a", "t/b", "t/.d", "log", "sym"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(data.join(f)).unwrap()))
        .collect();
    // A real filesystem is filled to the last byte.
    if let Some(f) = filler {
        use std::io::Write;
        let mut file = std::fs::File::create(f).unwrap();
        let block = vec![0u8; 4096];
        while file.write_all(&block).is_ok() {}
        while file.write_all(&block[..1]).is_ok() {}
    }
    let out = run_q(
        &format!(
            "-1@[{{`:{d}/v set til 100000;\"ok\"}};::;{{\"'\",x}}];\n\
             -1@[{{`:{d}/t/ set ([]a:til 50000;b:50000#1.);\"ok\"}};::;{{\"'\",x}}];\n\
             -1@[{{h:hopen`:{d}/log; r:h enlist til 100000; hclose h; \"ok\"}};::;{{\"'\",x}}];\n\
             -1@[{{`:{d}/sym?`c`d`e;\"ok\"}};::;{{\"'\",x}}];\n\
             -1@[{{`:{d}/new set 1 2;\"ok\"}};::;{{\"'\",x}}];"
        ),
        base,
        env,
    );
    let want_err = |f: &str| format!("'{d}/{f}. OS reports: {fault}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert_eq!(lines[0], want_err("v"));
    assert!(lines[1].starts_with(&format!("'{d}/t/")), "{}", lines[1]);
    assert!(lines[1].ends_with(fault), "{}", lines[1]);
    assert!(lines[2].ends_with(fault), "{}", lines[2]);
    // On a real filesystem a few bytes still fit in the domain file's last block.
    let sym_appended = filler.is_some() && lines[3] == "ok";
    if !sym_appended {
        assert_eq!(lines[3], want_err("sym"));
    }
    assert_eq!(lines[4], want_err("new"));
    // Nothing that was there is lost or changed.
    for (f, bytes) in before {
        let now = std::fs::read(data.join(&f)).unwrap();
        if f == "sym" && sym_appended {
            assert!(now.starts_with(&bytes), "sym rewritten");
            continue;
        }
        assert_eq!(now, bytes, "{f} changed");
    }
    assert!(!data.join("new").exists());
    let left: Vec<String> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with('$'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
    // And the data still reads.
    let out = run_q(
        &format!("-1 .Q.s1 get`:{d}/v; -1 .Q.s1 get`:{d}/t/; -1 .Q.s1 get`:{d}/log; -1 .Q.s1 get`:{d}/sym;"),
        base,
        &[],
    );
    let syms = if sym_appended { "`a`b`c`d`e" } else { "`a`b" };
    assert_eq!(out, format!("1 2 3\n+`a`b!(1 2;3 4f)\n,1\n{syms}\n"));
}

#[test]
fn full_disk_and_read_only_directory_through_a_shim() {
    let d = TempDir::new("shim");
    let Some(shim) = build_shim(&d.0) else {
        eprintln!("no C compiler: skipped");
        return;
    };
    for (fault, text) in [
        ("full", "No space left on device"),
        ("ro", "Read-only file system"),
    ] {
        let data = d.0.join(format!("data-{fault}"));
        std::fs::create_dir_all(&data).unwrap();
        let env = [
            ("LD_PRELOAD", shim.display().to_string()),
            ("FAULT", fault.to_string()),
            ("FAULT_DIR", data.display().to_string()),
            ("FAULT_BYTES", "100".to_string()),
        ];
        check_faults(&d.0, &data, &env, text, None);
    }
}

/// Mounts a tmpfs of `size` at `at`; false where the machine does not allow it.
fn mount_tmpfs(at: &Path, size: &str) -> bool {
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn umount(at: &Path) {
    let _ = Command::new("umount").arg(at).status();
}

#[test]
fn full_disk_and_read_only_directory_on_a_real_tmpfs() {
    let d = TempDir::new("tmpfs");
    let mnt = d.0.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    if !mount_tmpfs(&mnt, "192k") {
        eprintln!("cannot mount a tmpfs here: skipped (the shim test covers the faults)");
        return;
    }
    let data = mnt.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let filler = mnt.join("filler");
    let r = std::panic::catch_unwind(|| {
        check_faults(&d.0, &data, &[], "No space left on device", Some(&filler))
    });
    // Read-only: the same filesystem remounted.
    let ro = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    let out = if ro {
        run_q(
            &format!("-1@[{{`:{}/v set 1}};::;{{\"'\",x}}];", data.display()),
            &d.0,
            &[],
        )
    } else {
        String::new()
    };
    umount(&mnt);
    r.unwrap();
    if ro {
        assert_eq!(
            out,
            format!("'{}/v. OS reports: Read-only file system\n", data.display())
        );
    }
}

#[test]
fn missing_truncated_and_corrupt_files() {
    let d = TempDir::new("corrupt");
    let p = |f: &str| d.0.join(f);
    run_q(
        "`:v set 1 2 3; `:s set (1 2;`a;\"b\"); `:t/ set ([]a:1 2 3;b:4 5 6); `:db/sym set `a`b; `:z set (10000#1 2 3);\
         (`:zc;17;2;6) set 10000#til 10;",
        &d.0,
        &[],
    );
    // A vector cut mid-item: the whole items that remain.
    let v = std::fs::read(p("v")).unwrap();
    std::fs::write(p("v"), &v[..v.len() - 3]).unwrap();
    // A nested list's index (its whole entries remain), a splayed column, and a compressed
    // file cut short.
    let s = std::fs::read(p("s")).unwrap();
    std::fs::write(p("s"), &s[..s.len() - 4]).unwrap();
    let b = std::fs::read(p("t/b")).unwrap();
    std::fs::write(p("t/b"), &b[..b.len() - 8]).unwrap();
    let z = std::fs::read(p("zc")).unwrap();
    std::fs::write(p("zc"), &z[..z.len() - 9]).unwrap();
    // A domain whose last name is cut short, and one that is not a symbol list at all.
    let sym = std::fs::read(p("db/sym")).unwrap();
    std::fs::write(p("db/sym"), &sym[..sym.len() - 1]).unwrap();
    std::fs::write(p("other"), b"not a kdb+ file").unwrap();
    let out = run_q(
        "f:{@[get;x;{\"'\",x}]}\n\
         -1 .Q.s1 f`:v;\n\
         -1 .Q.s1 f`:s;\n\
         -1 f`:t/;\n\
         -1 f`:zc;\n\
         -1 f`:other;\n\
         -1 f`:nosuch;\n\
         -1 @[{`:db/sym?`c};::;{\"'\",x}];\n\
         -1 @[{.Q.en[`:db]([]s:`x`y)};::;{\"'\",x}];",
        &d.0,
        &[],
    );
    assert_eq!(
        out,
        "1 2\n(1 2;`a)\n'length\n'bad meta data in file\n'type\n\
         'nosuch. OS reports: No such file or directory\n'type\n'type\n"
    );
    // The corrupt domain is left as it was.
    assert_eq!(std::fs::read(p("db/sym")).unwrap(), &sym[..sym.len() - 1]);
}
