//! Roll and deal, `n?x`: n random items (with repeats), `-n?x` n distinct ones, `0N?x` a
//! permutation. The generator is process-wide and seeded as kdb+'s default (`\S` may reseed
//! it through `set_seed`); its sequence is our own, not kdb+'s.

use std::sync::atomic::{AtomicU64, Ordering};

use super::kit::{count, gather, int_atom};
use crate::obj::{Error, Guid, Result, Sym, K, *};
use crate::q::eval::stop;

static STATE: AtomicU64 = AtomicU64::new(-314_159i64 as u64);

thread_local! {
    /// A thread's own generator (multithreaded input mode's connection threads), if seeded.
    static LOCAL: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

/// Gives this thread its own generator, seeded with `seed` (once: later calls keep it).
pub fn seed_this_thread(seed: i64) {
    LOCAL.with(|l| {
        if l.get().is_none() {
            l.set(Some(seed as u64));
        }
    });
}

/// Reseeds the generator (`\S n`).
pub fn set_seed(seed: i64) {
    STATE.store(seed as u64, Ordering::Relaxed);
}

/// splitmix64: one atomic step per draw, so threads never repeat each other's numbers.
fn next() -> u64 {
    let local = LOCAL.with(|l| {
        l.get()
            .inspect(|s| l.set(Some(s.wrapping_add(0x9E37_79B9_7F4A_7C15))))
    });
    let mut z = local
        .unwrap_or_else(|| STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform integer in [0, m).
fn below(m: u64) -> u64 {
    ((next() as u128 * m as u128) >> 64) as u64
}

fn unit() -> f64 {
    (next() >> 11) as f64 / (1u64 << 53) as f64
}

/// `k` distinct indices from [0, m) in random order (partial Fisher-Yates).
fn deal_indices(k: usize, m: usize) -> Result<Vec<i64>> {
    let mut t = stop::Ticker::default();
    if k * 4 < m {
        let mut seen = std::collections::HashSet::with_capacity(k);
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            t.tick()?;
            let v = below(m as u64) as i64;
            if seen.insert(v) {
                out.push(v);
            }
        }
        return Ok(out);
    }
    let mut all: Vec<i64> = stop::collect(m, |i| i as i64)?;
    for i in 0..k {
        t.tick()?;
        let j = i + below((m - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k);
    Ok(all)
}

/// `x?y` with an integer x: roll (x>0), deal (x<0), permute (0N).
pub fn roll(x: K, y: K) -> Result<K> {
    let n = int_atom(&x)?;
    if y.t() >= 0 && y.t() < XT || y.t() == XD {
        // Items of a list.
        let m = count(&y);
        let idx: Vec<i64> = if n == NJ {
            deal_indices(m, m)?
        } else if n < 0 {
            if (-n) as usize > m {
                return Err(Error::length());
            }
            deal_indices((-n) as usize, m)?
        } else {
            if m == 0 {
                return Err(Error::length());
            }
            let n = super::kit::alloc_len(n as u64)?;
            stop::collect(n, |_| below(m as u64) as i64)?
        };
        return Ok(gather(&y, &idx));
    }
    let t = y.t();
    if t >= 0 {
        return Err(Error::type_());
    }
    let vt = t.wrapping_neg();
    if n == NJ || n < 0 {
        // Deal from til y (an integer atom).
        let m = int_atom(&y)?;
        let k = if n == NJ { m } else { -n };
        if m < 0 || k > m {
            return Err(Error::length());
        }
        super::kit::alloc_len(k as u64)?;
        if k * 4 >= m {
            super::kit::alloc_len(m as u64)?;
        }
        let v = deal_indices(k as usize, m as usize)?;
        return Ok(super::cast::convert(&K::from_slice(KJ, &v), vt));
    }
    let n = super::kit::alloc_len(n as u64)?;
    Ok(match vt {
        KB => K::from_slice(KB, &stop::collect(n, |_| (next() & 1) as u8)?),
        KG => K::from_slice(KG, &stop::collect(n, |_| next() as u8)?),
        // `n?" "`: lower-case letters.
        KC => K::from_slice(KC, &stop::collect(n, |_| b'a' + below(26) as u8)?),
        UU => K::from_slice(
            UU,
            &stop::collect(n, |_| {
                Guid(
                    [next().to_le_bytes(), next().to_le_bytes()]
                        .concat()
                        .try_into()
                        .unwrap_or([0; 16]),
                )
            })?,
        ),
        KS => {
            // `` n?`3 ``: symbols of that many letters from a to p.
            let len: usize = y.s().as_str().parse().map_err(|_| Error::type_())?;
            let syms: Vec<Sym> = stop::collect(n, |_| {
                Sym::new((0..len).map(|_| b'a' + below(16) as u8).collect::<Vec<_>>())
            })?;
            K::from_slice(KS, &syms)
        }
        KE | KF | KZ => {
            let m = super::num::scalar::<f64>(&y);
            super::cast::convert(&K::from_slice(KF, &stop::collect(n, |_| unit() * m)?), vt)
        }
        _ if super::num::is_numeric(vt) => {
            let m = super::num::scalar::<i64>(&y);
            if m <= 0 {
                return Err(Error::domain());
            }
            super::cast::convert(
                &K::from_slice(KJ, &stop::collect(n, |_| below(m as u64) as i64)?),
                vt,
            )
        }
        _ => return Err(Error::type_()),
    })
}
