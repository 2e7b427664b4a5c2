//! Stable LSD radix grading of fixed-width keys, for sorting numeric and temporal vectors in
//! linear time. Keys are mapped to unsigned integers whose order is q's order (nulls first);
//! byte positions on which all keys agree are skipped, so `til n`-like data takes few passes.

use crate::obj::{K, *};
use crate::q::eval::stop;

/// The unsigned key of each item, or None for types this does not handle.
fn keys(x: &K, desc: bool) -> Option<Vec<u64>> {
    const SIGN: u64 = 1 << 63;
    let flip = |k: u64| if desc { !k } else { k };
    // Floats: nulls lowest, then by value (negative numbers have their bits inverted).
    let float = |bits: u64, nan: bool| -> u64 {
        // -0.0 equals 0.0.
        let bits = if bits == SIGN { 0 } else { bits };
        if nan {
            0
        } else if bits & SIGN != 0 {
            !bits
        } else {
            bits | SIGN
        }
    };
    Some(match x.t() {
        KB | KG | KC => x.as_slice::<u8>().iter().map(|&v| flip(v as u64)).collect(),
        KH => x
            .as_slice::<i16>()
            .iter()
            .map(|&v| flip((v as i64 as u64) ^ SIGN))
            .collect(),
        KE => x
            .as_slice::<f32>()
            .iter()
            .map(|&v| flip(float((v as f64).to_bits(), v.is_nan())))
            .collect(),
        KF | KZ => x
            .as_slice::<f64>()
            .iter()
            .map(|&v| flip(float(v.to_bits(), v.is_nan())))
            .collect(),
        t if t > 0 && t < 20 && t != KS && t != UU && item_size(t) == 4 => x
            .as_slice::<i32>()
            .iter()
            .map(|&v| flip((v as i64 as u64) ^ SIGN))
            .collect(),
        KJ | KP | KN => x
            .as_slice::<i64>()
            .iter()
            .map(|&v| flip((v as u64) ^ SIGN))
            .collect(),
        _ => return None,
    })
}

/// Below this many items a comparison sort is faster than the radix passes.
const SMALL: usize = 256;

/// The stable sorting permutation of x's items (ascending, or descending with ties kept in
/// order), or None when x is not a numeric or temporal vector. Each pass checks for `'stop`
/// every chunk of items (`eval::stop`).
pub fn grade(x: &K, desc: bool) -> Result<Option<Vec<i64>>> {
    let n = x.n();
    if n > u32::MAX as usize {
        return Ok(None);
    }
    let Some(mut k) = keys(x, desc) else {
        return Ok(None);
    };
    let mut idx: Vec<u32> = (0..n as u32).collect();
    if n < SMALL {
        // Few items: a stable comparison sort of the same keys beats eight counting passes.
        idx.sort_by_key(|&i| k[i as usize]);
        return Ok(Some(idx.into_iter().map(|i| i as i64).collect()));
    }
    let (mut k2, mut idx2) = (vec![0u64; n], vec![0u32; n]);
    let (all_or, all_and) = k.iter().fold((0u64, u64::MAX), |(o, a), &v| (o | v, a & v));
    for pass in 0..8 {
        let shift = pass * 8;
        // Skip bytes on which every key agrees.
        if (all_or >> shift) & 0xff == (all_and >> shift) & 0xff {
            continue;
        }
        let mut count = [0usize; 257];
        for part in k.chunks(stop::CHUNK) {
            stop::check()?;
            for &v in part {
                count[((v >> shift) & 0xff) as usize + 1] += 1;
            }
        }
        for b in 0..256 {
            count[b + 1] += count[b];
        }
        for (part, ids) in k.chunks(stop::CHUNK).zip(idx.chunks(stop::CHUNK)) {
            stop::check()?;
            for (&v, &i) in part.iter().zip(ids) {
                let d = ((v >> shift) & 0xff) as usize;
                let at = count[d];
                count[d] += 1;
                k2[at] = v;
                idx2[at] = i;
            }
        }
        std::mem::swap(&mut k, &mut k2);
        std::mem::swap(&mut idx, &mut idx2);
    }
    stop::check()?;
    Ok(Some(idx.into_iter().map(|i| i as i64).collect()))
}
