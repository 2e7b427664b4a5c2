//! Floats as q prints them: C's `%.*g` with `\P` significant digits (`\P 0` means 17),
//! so `1e+10`, `1.234568e+07`, `0.3333333`, `1e-05`.
//!
//! Rust has no `%g`; we take the digits from `{:e}` (correctly rounded, like glibc) and choose
//! the fixed or scientific layout by the same rule C does.

/// `x` (finite) with `precision` significant digits, trailing zeros dropped.
pub fn general(x: f64, precision: usize) -> String {
    let p = if precision == 0 {
        17
    } else {
        precision.min(17)
    };
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{:.*e}", p - 1, x);
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always has an exponent");
    let exp: i32 = exp.parse().expect("{:e} exponent is an integer");
    if exp < -4 || exp >= p as i32 {
        let mut m = mantissa.to_string();
        trim_fraction(&mut m);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", exp.unsigned_abs())
    } else {
        let mut s = format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, x);
        trim_fraction(&mut s);
        s
    }
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing follows it.
fn trim_fraction(s: &mut String) {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
}

/// True when q would need a type suffix to tell this text from an integer (`1` but not `1.5`,
/// `1e+10`, `0n` or `0w`).
pub fn looks_integral(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_significant_digits() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (1.5, "1.5"),
            (1e10, "1e+10"),
            (12345678.0, "1.234568e+07"),
            (1234567.0, "1234567"),
            (9.223372e18, "9.223372e+18"),
            (2147483647.0, "2.147484e+09"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.3333333"),
            (0.0766666666, "0.07666667"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (162754.79, "162754.8"),
            (-5.1285341, "-5.128534"),
            (1.23456789, "1.234568"),
            (100.0, "100"),
            (1e100, "1e+100"),
            (-0.0, "-0"),
        ];
        for &(x, want) in cases {
            assert_eq!(general(x, 7), want, "{x}");
        }
    }

    #[test]
    fn precision_zero_is_seventeen_digits() {
        assert_eq!(general(0.1, 0), "0.10000000000000001");
        assert_eq!(general(0.3, 0), "0.29999999999999999");
        assert_eq!(general(2.0, 0), "2");
        assert_eq!(general(1.0 / 3.0, 3), "0.333");
    }

    #[test]
    fn integral_look() {
        assert!(looks_integral("1") && looks_integral("-20"));
        assert!(!looks_integral("1.5") && !looks_integral("1e+10") && !looks_integral("0n"));
    }
}
