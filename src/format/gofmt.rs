//! Go's float formatting rules (`strconv.FormatFloat` with the `'g'` and `'e'` verbs, and
//! `encoding/json`'s number encoding), which `%v`, `%g`, `HumanSize` and `json` output depend on.
//!
//! Rust's own float printing rounds exactly like Go's (correct rounding of the binary value); only
//! the choice between fixed and exponent notation and the exponent's spelling differ, and that is
//! what this file reproduces.

/// Decimal digits of `|x|` (no trailing zeros) and the decimal point position `dp`, so that
/// `|x| = 0.d1d2d3... * 10^dp`. `prec` rounds to that many significant digits; `None` gives the
/// shortest digits that read back as `x`. Zero has no digits and `dp == 0`, as in Go.
fn decimal_digits(x: f64, prec: Option<usize>) -> (Vec<u8>, i32) {
    let x = x.abs();
    if x == 0.0 {
        return (Vec::new(), 0);
    }
    let s = match prec {
        Some(p) => format!("{:.*e}", p.max(1) - 1, x),
        None => format!("{x:e}"),
    };
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp + 1)
}

fn exponent_suffix(out: &mut String, exp: i32) {
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
}

/// `%e` layout with `prec` digits after the point, from already rounded digits.
fn layout_e(neg: bool, digits: &[u8], dp: i32, prec: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push(digits.first().map_or('0', |&d| d as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(digits.get(i).map_or('0', |&d| d as char));
        }
    }
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    exponent_suffix(&mut out, exp);
    out
}

/// `%f` layout with `prec` digits after the point, from already rounded digits.
fn layout_f(neg: bool, digits: &[u8], dp: i32, prec: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(digits.get(i).map_or('0', |&d| d as char));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec as i32 {
            let idx = dp + i;
            let d = if idx >= 0 {
                digits.get(idx as usize).copied()
            } else {
                None
            };
            out.push(d.map_or('0', |d| d as char));
        }
    }
    out
}

fn special(x: f64) -> Option<String> {
    if x.is_nan() {
        Some("NaN".to_string())
    } else if x.is_infinite() {
        Some(if x > 0.0 { "+Inf" } else { "-Inf" }.to_string())
    } else {
        None
    }
}

/// Go's `strconv.FormatFloat(x, 'g', prec, 64)`; `None` is the shortest form (`prec == -1`),
/// which is also what `fmt`'s `%v` prints for a float64.
pub(crate) fn format_g(x: f64, prec: Option<usize>) -> String {
    if let Some(s) = special(x) {
        return s;
    }
    let neg = x.is_sign_negative() && x != 0.0;
    let (digits, dp) = decimal_digits(x, prec.map(|p| p.max(1)));
    let nd = digits.len() as i32;
    let (mut p, eprec) = match prec {
        None => (nd, 6),
        Some(p) => {
            let p = p.max(1) as i32;
            let mut eprec = p;
            if eprec > nd && nd >= dp {
                eprec = nd;
            }
            (p, eprec)
        }
    };
    let exp = dp - 1;
    if !digits.is_empty() && (exp < -4 || exp >= eprec) {
        if p > nd {
            p = nd;
        }
        return layout_e(neg, &digits, dp, (p - 1).max(0) as usize);
    }
    if p > dp {
        p = nd;
    }
    layout_f(neg, &digits, dp, (p - dp).max(0) as usize)
}

/// Go's `%e` with `prec` digits after the point (`fmt`'s default is 6).
pub(crate) fn format_e(x: f64, prec: usize) -> String {
    if let Some(s) = special(x) {
        return s;
    }
    let neg = x.is_sign_negative() && x != 0.0;
    let (digits, dp) = decimal_digits(x, Some(prec + 1));
    layout_e(neg, &digits, dp, prec)
}

/// Go's `%f` with `prec` digits after the point.
pub(crate) fn format_f(x: f64, prec: usize) -> String {
    if let Some(s) = special(x) {
        return s;
    }
    format!("{x:.prec$}")
}

/// A float64 as `encoding/json` writes it: fixed notation, shortest digits, exponent form only
/// below 1e-6 or from 1e21 up, with `e-07` cleaned to `e-7`.
pub(crate) fn format_json_float(x: f64) -> String {
    if !x.is_finite() {
        // encoding/json refuses these; JSON has no spelling for them.
        return "null".to_string();
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let neg = x < 0.0;
        let (digits, dp) = decimal_digits(x, None);
        let mut s = layout_e(neg, &digits, dp, digits.len().saturating_sub(1));
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    } else {
        let neg = x < 0.0;
        let (digits, dp) = decimal_digits(x, None);
        let prec = (digits.len() as i32 - dp).max(0) as usize;
        layout_f(neg, &digits, dp, prec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_shortest_matches_go_v() {
        assert_eq!(format_g(0.0, None), "0");
        assert_eq!(format_g(1.5, None), "1.5");
        assert_eq!(format_g(2.0, None), "2");
        assert_eq!(format_g(123456.0, None), "123456");
        assert_eq!(format_g(1_000_000.0, None), "1e+06");
        assert_eq!(format_g(123456789.0, None), "1.23456789e+08");
        assert_eq!(format_g(0.0001, None), "0.0001");
        assert_eq!(format_g(0.00001, None), "1e-05");
        assert_eq!(format_g(-3.25, None), "-3.25");
    }

    #[test]
    fn g_with_precision() {
        assert_eq!(format_g(4.2624, Some(3)), "4.26");
        assert_eq!(format_g(128.0, Some(3)), "128");
        assert_eq!(format_g(100.0, Some(3)), "100");
        assert_eq!(format_g(1.5, Some(3)), "1.5");
        assert_eq!(format_g(999.9, Some(3)), "1e+03");
        assert_eq!(format_g(0.0, Some(3)), "0");
        assert_eq!(format_g(1.953125, Some(4)), "1.953");
    }

    #[test]
    fn e_and_f() {
        assert_eq!(format_e(1234.5678, 6), "1.234568e+03");
        assert_eq!(format_e(0.0, 2), "0.00e+00");
        assert_eq!(format_f(1.23456, 2), "1.23");
    }

    #[test]
    fn json_floats() {
        assert_eq!(format_json_float(1.0), "1");
        assert_eq!(format_json_float(0.5), "0.5");
        assert_eq!(format_json_float(1e21), "1e+21");
        assert_eq!(format_json_float(1.5e-7), "1.5e-7");
        assert_eq!(format_json_float(123456789.0), "123456789");
        assert_eq!(format_json_float(0.0), "0");
    }
}
