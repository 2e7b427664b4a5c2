//! `-u file` and `-U file`: the users a server accepts, one `user:password` a line, the
//! password as plain text or as the MD5 hash of it in hex (`raze string md5 "password"`), as
//! kdb+ reads them. Checked before `.z.pw`; a login they refuse is closed (`'access` for the
//! client).

use parking_lot::RwLock;

/// (user, password or its MD5 in hex), in the file's order.
type Users = Vec<(Vec<u8>, Vec<u8>)>;

static USERS: RwLock<Option<Users>> = RwLock::new(None);

/// Reads the password file named on the command line; the error names it, as kdb+ does.
pub fn load(path: &str) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|_| path.to_string())?;
    let users = text
        .split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(|l| match l.iter().position(|&c| c == b':') {
            Some(i) => (l[..i].to_vec(), l[i + 1..].to_vec()),
            None => (l.to_vec(), Vec::new()),
        })
        .collect();
    *USERS.write() = Some(users);
    Ok(())
}

/// Whether the password file (if any) lets `user` in with `password`.
pub fn allows(user: &[u8], password: &[u8]) -> bool {
    let users = USERS.read();
    let Some(users) = users.as_ref() else {
        return true;
    };
    users.iter().any(|(u, p)| {
        u == user && (p == password || p.eq_ignore_ascii_case(md5_hex(password).as_bytes()))
    })
}

fn md5_hex(b: &[u8]) -> String {
    crate::q::prims::md5::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[cfg(test)]
pub fn clear() {
    *USERS.write() = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_md5_passwords() {
        let path = std::env::temp_dir().join(format!("libq-users-{}", std::process::id()));
        // md5 "pass2" = c1572d05424d0ecb2a65ec6a82aeacbf
        std::fs::write(&path, "alice:pass1\nbob:c1572d05424d0ecb2a65ec6a82aeacbf\n").unwrap();
        load(path.to_str().unwrap()).unwrap();
        assert!(allows(b"alice", b"pass1"));
        assert!(!allows(b"alice", b"pass2"));
        assert!(allows(b"bob", b"pass2"));
        assert!(!allows(b"bob", b"c157"));
        assert!(!allows(b"carol", b""));
        clear();
        assert!(allows(b"carol", b""));
        std::fs::remove_file(path).unwrap();
        assert_eq!(
            load("/nonexistent/users").unwrap_err(),
            "/nonexistent/users"
        );
    }
}
