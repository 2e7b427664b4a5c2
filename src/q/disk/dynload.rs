//! `2:`: a C function from a shared object as a q function, as kdb+ loads its C extensions:
//! `` `:path/lib 2:(`name;rank) `` (`.so` added when the path has no extension).

use crate::obj::*;
use crate::q::eval::atoms::*;
use crate::sys::dl::Library;

use super::path;

/// `` lib 2:(name;rank) ``.
pub fn load(lib: &K, spec: &K) -> Result<K> {
    let p = path::of(lib)
        .or_else(|| (lib.t() == A_KS).then(|| lib.s().as_bytes().to_vec()))
        .ok_or_else(Error::type_)?;
    if spec.t() != 0 || spec.n() != 2 || spec.items()[0].t() != A_KS {
        return Err(Error::type_());
    }
    let name = spec.items()[0].s();
    let rank = crate::q::eval::values::as_long(&spec.items()[1]).ok_or_else(Error::type_)?;
    let last = p.rsplit(|&c| c == b'/').next().unwrap_or(&p);
    let mut file = p.clone();
    if !last.contains(&b'.') {
        file.extend_from_slice(b".so");
    }
    // A bare name is searched for as the loader does; a path is taken as written.
    let lib = Library::open(&file).map_err(|e| Error::new(e.as_bytes()))?;
    crate::obj::code::load(&lib, name.as_bytes(), rank)
}
