//! `\t:n expr` and `\ts:n expr`: the milliseconds `n` runs of an expression take, and (`\ts`)
//! the most object memory it held at once, in bytes. (`\t` alone and `\t N` are the timer's.)

use std::time::Instant;

use super::engine::Engine;
use crate::obj::*;

/// Whether a system command's name is the timing form (`t:n`, `ts`, `ts:n`, or `t` with an
/// expression rather than a timer interval).
pub fn is_timing(name: &str, arg: &str) -> bool {
    let base = name.split(':').next().unwrap_or(name);
    match base {
        "ts" => true,
        "t" => name.contains(':') || !(arg.is_empty() || arg.parse::<i64>().is_ok()),
        _ => false,
    }
}

/// Runs `\t[:n] expr` or `\ts[:n] expr`.
pub fn time(eng: &Engine, name: &str, expr: &str) -> Result<K> {
    let (base, reps) = match name.split_once(':') {
        Some((b, n)) => (b, n.trim().parse::<i64>().map_err(|_| Error::new(n))?),
        None => (name, 1),
    };
    if expr.trim().is_empty() {
        return Err(Error::new("\\"));
    }
    // Parse once: the runs time evaluation, not reading.
    eng.parse_cached(expr.as_bytes())?;
    let base_bytes = crate::obj::usage::mark();
    let start = Instant::now();
    for _ in 0..reps.max(1) {
        eng.eval_str(expr)?;
    }
    let ms = start.elapsed().as_millis() as i64;
    if base == "t" {
        Ok(K::long(ms))
    } else {
        let bytes = crate::obj::usage::peak_since(base_bytes);
        Ok(K::from_slice(KJ, &[ms, bytes]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timing_forms_are_told_from_the_timer() {
        assert!(is_timing("t:100", "x"));
        assert!(is_timing("t", "til 10"));
        assert!(is_timing("ts", "til 10"));
        assert!(is_timing("ts:5", "til 10"));
        assert!(!is_timing("t", ""));
        assert!(!is_timing("t", "1000"));
    }

    #[test]
    fn memory_is_what_the_expression_held() {
        let eng = Engine::new();
        let r = time(&eng, "ts", "til 1000000").unwrap();
        let v = r.as_slice::<i64>();
        // 8 MB of longs, held at once.
        assert!(v[1] >= 8_000_000 && v[1] < 9_000_000, "{v:?}");
        let r = time(&eng, "ts:3", "1+1").unwrap();
        assert!(r.as_slice::<i64>()[1] < 1000);
        assert_eq!(time(&eng, "t:2", "1+1").unwrap().t(), -KJ);
    }
}
