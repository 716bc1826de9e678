//! IEEE 754 binary32 and binary64 arithmetic done on integers: add, sub, mul, div, square root,
//! fused multiply-add and the conversions, correctly rounded in the five RISC-V rounding modes,
//! with the exception flags of fflags.
//!
//! This is the F/D exact path (fpu.rs answers the common round-to-nearest cases with the host FPU
//! and everything else here): pure Rust, so that what emu runs builds anywhere without C. Its
//! results are those of Berkeley SoftFloat 3 with its RISC-V specialization, which the tests use
//! as their oracle: tininess is detected after rounding, every NaN an operation produces is the
//! canonical NaN, a signaling NaN operand raises NV, and conversions to integers saturate as the
//! unprivileged spec's table 11.4 says (a NaN gives the largest positive integer).
//!
//! How: a finite operand is unpacked into a sign, an exponent and an integer significand; the
//! operation's exact result is computed in a u128, where bits it cannot keep are "jammed" into the
//! lowest bit (ORed in, so that it still says whether anything was lost: with at least two bits
//! dropped by rounding, that decides the rounding exactly); [`round_pack`] then rounds once.
//! Clarity over speed: this is the slow path. Nothing allocates.

use std::cmp::Ordering;

/// fflags: invalid operation.
pub(crate) const NV: u8 = 0x10;
/// fflags: divide by zero.
pub(crate) const DZ: u8 = 0x08;
/// fflags: overflow.
pub(crate) const OF: u8 = 0x04;
/// fflags: underflow.
pub(crate) const UF: u8 = 0x02;
/// fflags: inexact.
pub(crate) const NX: u8 = 0x01;

/// One IEEE binary interchange format, its values handled as raw bits in a u64.
pub(crate) trait Format {
    /// The fraction's width: the significand's bits but the hidden one (23 or 52).
    const FRAC_BITS: u32;
    /// The exponent bias (127 or 1023); also the largest exponent of a finite value, and
    /// `1 - BIAS` is the smallest exponent of a normal one.
    const BIAS: i32;
    /// The sign bit.
    const SIGN: u64;
    /// The exponent field.
    const EXP_MASK: u64;
    /// The fraction field.
    const FRAC_MASK: u64 = (1 << Self::FRAC_BITS) - 1;
    /// The fraction bit that makes a NaN quiet.
    const QUIET_BIT: u64 = 1 << (Self::FRAC_BITS - 1);
    /// The canonical NaN (spec 11.3): positive, quiet, no payload.
    const CANONICAL_NAN: u64 = Self::EXP_MASK | Self::QUIET_BIT;
}

/// binary32 (single precision); a marker type, never a value.
pub(crate) enum F32 {}

/// binary64 (double precision); a marker type, never a value.
pub(crate) enum F64 {}

impl Format for F32 {
    const FRAC_BITS: u32 = 23;
    const BIAS: i32 = 127;
    const SIGN: u64 = 1 << 31;
    const EXP_MASK: u64 = 0x7f80_0000;
}

impl Format for F64 {
    const FRAC_BITS: u32 = 52;
    const BIAS: i32 = 1023;
    const SIGN: u64 = 1 << 63;
    const EXP_MASK: u64 = 0x7ff0_0000_0000_0000;
}

/// The rounding modes, in the order of their RISC-V encodings (rm 0 to 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rounding {
    /// RNE: to nearest, ties to even.
    NearestEven,
    /// RTZ: toward zero.
    TowardZero,
    /// RDN: toward negative infinity.
    Down,
    /// RUP: toward positive infinity.
    Up,
    /// RMM: to nearest, ties away from zero (to the larger magnitude).
    NearestMaxMagnitude,
}

impl Rounding {
    /// The mode of a valid rm value (0..=4; the caller has rejected the reserved ones).
    #[inline(always)]
    pub(crate) fn from_rm(rm: u8) -> Self {
        match rm {
            0 => Self::NearestEven,
            1 => Self::TowardZero,
            2 => Self::Down,
            3 => Self::Up,
            _ => Self::NearestMaxMagnitude,
        }
    }
}

/// The integer types of the conversions, by their RISC-V names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Int {
    /// i32
    W,
    /// u32
    Wu,
    /// i64
    L,
    /// u64
    Lu,
}

#[inline(always)]
pub(crate) fn is_nan<T: Format>(a: u64) -> bool {
    a & T::EXP_MASK == T::EXP_MASK && a & T::FRAC_MASK != 0
}

#[inline(always)]
pub(crate) fn is_snan<T: Format>(a: u64) -> bool {
    is_nan::<T>(a) && a & T::QUIET_BIT == 0
}

/// What an operand is, its sign apart.
#[derive(Clone, Copy, Debug)]
enum Class {
    Nan,
    Inf,
    Zero,
    /// sig * 2^exp, with sig normalized (its leading one at bit FRAC_BITS), subnormals included.
    Finite {
        exp: i32,
        sig: u64,
    },
}

/// The sign (true: negative) and class of `a`.
fn unpack<T: Format>(a: u64) -> (bool, Class) {
    let sign = a & T::SIGN != 0;
    let exp = ((a & T::EXP_MASK) >> T::FRAC_BITS) as i32;
    let frac = a & T::FRAC_MASK;
    let class = if a & T::EXP_MASK == T::EXP_MASK {
        if frac == 0 {
            Class::Inf
        } else {
            Class::Nan
        }
    } else if exp == 0 {
        if frac == 0 {
            Class::Zero
        } else {
            // A subnormal is frac * 2^(emin - FRAC_BITS): normalize it.
            let shift = frac.leading_zeros() - (63 - T::FRAC_BITS);
            Class::Finite {
                exp: 1 - T::BIAS - T::FRAC_BITS as i32 - shift as i32,
                sig: frac << shift,
            }
        }
    } else {
        Class::Finite {
            exp: exp - T::BIAS - T::FRAC_BITS as i32,
            sig: frac | 1 << T::FRAC_BITS,
        }
    };
    (sign, class)
}

#[inline(always)]
fn sign_bit<T: Format>(negative: bool) -> u64 {
    if negative {
        T::SIGN
    } else {
        0
    }
}

fn zero<T: Format>(negative: bool) -> (u64, u8) {
    (sign_bit::<T>(negative), 0)
}

fn infinity<T: Format>(negative: bool) -> (u64, u8) {
    (sign_bit::<T>(negative) | T::EXP_MASK, 0)
}

/// The canonical NaN, raising NV if `signaling` (an operand was a signaling NaN).
fn nan<T: Format>(signaling: bool) -> (u64, u8) {
    (T::CANONICAL_NAN, if signaling { NV } else { 0 })
}

/// An invalid operation: the canonical NaN and NV.
fn invalid<T: Format>() -> (u64, u8) {
    (T::CANONICAL_NAN, NV)
}

/// The zero an exact sum of nonzero values (or of zeros of opposite signs) gives: -0 when
/// rounding down, +0 otherwise (IEEE 754 6.3).
fn cancelled<T: Format>(rm: Rounding) -> (u64, u8) {
    zero::<T>(rm == Rounding::Down)
}

/// `m` shifted right by `k` bits, the lowest bit set if any bit shifted out was.
fn shift_right_jam(m: u128, k: u32) -> u128 {
    if k == 0 {
        m
    } else if k < 128 {
        (m >> k) | (m & ((1 << k) - 1) != 0) as u128
    } else {
        (m != 0) as u128
    }
}

/// `m / 2^k` rounded to an integer in mode `rm` (`negative`: the sign of the value, which the
/// directed modes need), and whether that was inexact.
fn round_shift(m: u128, k: u32, negative: bool, rm: Rounding) -> (u128, bool) {
    if k == 0 {
        return (m, false);
    }
    // The kept part, how the dropped part compares with half of the kept part's unit, and
    // whether it is zero.
    let (q, dropped, inexact) = if k < 128 {
        let rem = m & ((1 << k) - 1);
        (m >> k, rem.cmp(&(1 << (k - 1))), rem != 0)
    } else if k == 128 {
        (0, m.cmp(&(1 << 127)), m != 0)
    } else {
        (0, Ordering::Less, m != 0)
    };
    let up = match rm {
        Rounding::NearestEven => {
            dropped == Ordering::Greater || (dropped == Ordering::Equal && q & 1 == 1)
        }
        Rounding::NearestMaxMagnitude => dropped != Ordering::Less,
        Rounding::TowardZero => false,
        Rounding::Down => negative && inexact,
        Rounding::Up => !negative && inexact,
    };
    (q + up as u128, inexact)
}

/// Rounds the nonzero value `(-1)^negative * m * 2^exp` to format `T` in mode `rm` and packs it,
/// with its flags: NX if inexact; OF (and NX) if the result rounded with an unbounded exponent is
/// beyond the largest finite number, which gives infinity or the largest finite number as the
/// mode says; UF (and NX) if it is tiny after rounding (rounded to the format's precision with an
/// unbounded exponent it is still below 2^emin) and inexact.
///
/// The lowest bit of `m` may be jammed: the rounding decision stays exact as long as rounding
/// drops at least two bits, so a jammed `m` must be at least two bits wider than the format's
/// precision (the callers' are wider by 11 bits or more).
fn round_pack<T: Format>(negative: bool, exp: i32, m: u128, rm: Rounding) -> (u64, u8) {
    debug_assert!(m != 0);
    let precision = T::FRAC_BITS + 1;
    let emin = 1 - T::BIAS;
    let sign = sign_bit::<T>(negative);
    let lz = m.leading_zeros();
    let n = m << lz;
    // The value is in [2^e, 2^(e+1)): n's leading bit is bit 127.
    let e = exp + 127 - lz as i32;
    // Rounded to the format's precision with the exponent unbounded.
    let (q, inexact) = round_shift(n, 128 - precision, negative, rm);
    let (q, e_rounded) = if q >> precision != 0 {
        (q >> 1, e + 1)
    } else {
        (q, e)
    };
    if e_rounded > T::BIAS {
        let to_infinity = match rm {
            Rounding::NearestEven | Rounding::NearestMaxMagnitude => true,
            Rounding::TowardZero => false,
            Rounding::Down => negative,
            Rounding::Up => !negative,
        };
        let magnitude = if to_infinity {
            T::EXP_MASK
        } else {
            T::EXP_MASK - 1 // the largest finite number
        };
        return (sign | magnitude, OF | NX);
    }
    if e_rounded >= emin {
        let biased = (e_rounded + T::BIAS) as u64;
        let bits = sign | biased << T::FRAC_BITS | (q as u64 & T::FRAC_MASK);
        return (bits, if inexact { NX } else { 0 });
    }
    // Tiny: rounded again, at the subnormals' unit 2^(emin - FRAC_BITS). A carry out of the
    // fraction gives the smallest normal number's encoding, which is right.
    let (q, inexact) = round_shift(n, 128 - precision + (emin - e) as u32, negative, rm);
    (sign | q as u64, if inexact { UF | NX } else { 0 })
}

/// The sum of nonzero finite values `(-1)^sx * mx * 2^ex` and `(-1)^sy * my * 2^ey`, whose
/// significands are below 2^107, rounded once.
fn add_exact<T: Format>(
    (sx, ex, mx): (bool, i32, u128),
    (sy, ey, my): (bool, i32, u128),
    rm: Rounding,
) -> (u64, u8) {
    // The exponent of the leading bit, less 127.
    let top = |e: i32, m: u128| e - m.leading_zeros() as i32;
    // x is the operand whose leading bit is higher (or as high).
    let ((sx, ex, mx), (sy, ey, my)) = if top(ex, mx) >= top(ey, my) {
        ((sx, ex, mx), (sy, ey, my))
    } else {
        ((sy, ey, my), (sx, ex, mx))
    };
    // x's leading bit moved to bit 125, in units of 2^e: the sum fits in 127 bits.
    let shift = mx.leading_zeros() - 2;
    let (e, x) = (ex - shift as i32, mx << shift);
    // y in the same units: its leading bit is at 125 or below. Exact if its lowest bit is at 2^e
    // or above; jammed otherwise, and then y < 2^106 (it is at most 106 bits wide), so x - y
    // still has its leading bit at 124 or above: no cancellation can expose the jammed bit.
    let d = ey - e;
    let y = if d >= 0 {
        my << d
    } else {
        shift_right_jam(my, d.unsigned_abs())
    };
    let (negative, m) = if sx == sy {
        (sx, x + y)
    } else if x >= y {
        (sx, x - y)
    } else {
        (sy, y - x)
    };
    if m == 0 {
        return cancelled::<T>(rm);
    }
    round_pack::<T>(negative, e, m, rm)
}

/// a + b.
pub(crate) fn add<T: Format>(a: u64, b: u64, rm: Rounding) -> (u64, u8) {
    let ((sa, ca), (sb, cb)) = (unpack::<T>(a), unpack::<T>(b));
    match (ca, cb) {
        (Class::Nan, _) | (_, Class::Nan) => nan::<T>(is_snan::<T>(a) || is_snan::<T>(b)),
        (Class::Inf, Class::Inf) if sa != sb => invalid::<T>(),
        (Class::Inf, _) => infinity::<T>(sa),
        (_, Class::Inf) => infinity::<T>(sb),
        (Class::Zero, Class::Zero) if sa != sb => cancelled::<T>(rm),
        (Class::Zero, _) => (b, 0),
        (_, Class::Zero) => (a, 0),
        (Class::Finite { exp: ea, sig: ma }, Class::Finite { exp: eb, sig: mb }) => {
            add_exact::<T>((sa, ea, ma as u128), (sb, eb, mb as u128), rm)
        }
    }
}

/// a - b: a + (-b), which negating the sign bit makes exactly (NaNs included: the result of a NaN
/// operand does not depend on its sign).
pub(crate) fn sub<T: Format>(a: u64, b: u64, rm: Rounding) -> (u64, u8) {
    add::<T>(a, b ^ T::SIGN, rm)
}

/// a * b.
pub(crate) fn mul<T: Format>(a: u64, b: u64, rm: Rounding) -> (u64, u8) {
    let ((sa, ca), (sb, cb)) = (unpack::<T>(a), unpack::<T>(b));
    let negative = sa != sb;
    match (ca, cb) {
        (Class::Nan, _) | (_, Class::Nan) => nan::<T>(is_snan::<T>(a) || is_snan::<T>(b)),
        (Class::Inf, Class::Zero) | (Class::Zero, Class::Inf) => invalid::<T>(),
        (Class::Inf, _) | (_, Class::Inf) => infinity::<T>(negative),
        (Class::Zero, _) | (_, Class::Zero) => zero::<T>(negative),
        (Class::Finite { exp: ea, sig: ma }, Class::Finite { exp: eb, sig: mb }) => {
            // At most 106 bits: exact.
            round_pack::<T>(negative, ea + eb, ma as u128 * mb as u128, rm)
        }
    }
}

/// a / b.
pub(crate) fn div<T: Format>(a: u64, b: u64, rm: Rounding) -> (u64, u8) {
    let ((sa, ca), (sb, cb)) = (unpack::<T>(a), unpack::<T>(b));
    let negative = sa != sb;
    match (ca, cb) {
        (Class::Nan, _) | (_, Class::Nan) => nan::<T>(is_snan::<T>(a) || is_snan::<T>(b)),
        (Class::Inf, Class::Inf) | (Class::Zero, Class::Zero) => invalid::<T>(),
        (Class::Inf, _) => infinity::<T>(negative),
        (_, Class::Inf) | (Class::Zero, _) => zero::<T>(negative),
        (_, Class::Zero) => {
            let (bits, _) = infinity::<T>(negative);
            (bits, DZ)
        }
        (Class::Finite { exp: ea, sig: ma }, Class::Finite { exp: eb, sig: mb }) => {
            // ma * 2^74 / mb: a quotient of at least 74 bits (both significands are
            // normalized), the remainder jammed into its lowest bit.
            const SHIFT: u32 = 74;
            let n = (ma as u128) << SHIFT;
            let (q, r) = (n / mb as u128, n % mb as u128);
            let m = q | (r != 0) as u128;
            round_pack::<T>(negative, ea - eb - SHIFT as i32, m, rm)
        }
    }
}

/// The square root of a. sqrt(-0) is -0; any other negative operand is invalid.
pub(crate) fn sqrt<T: Format>(a: u64, rm: Rounding) -> (u64, u8) {
    match unpack::<T>(a) {
        (_, Class::Nan) => nan::<T>(is_snan::<T>(a)),
        (_, Class::Zero) => (a, 0),
        (true, _) => invalid::<T>(),
        (false, Class::Inf) => (a, 0),
        (false, Class::Finite { exp, sig }) => {
            // sig * 2^exp with exp made even, then sig * 2^74 (below 2^128): its integer square
            // root has 64 bits for doubles, 49 for singles, the remainder jammed into its lowest
            // bit.
            const SHIFT: u32 = 74;
            let (exp, sig) = if exp & 1 != 0 {
                (exp - 1, (sig as u128) << 1)
            } else {
                (exp, sig as u128)
            };
            let n = sig << SHIFT;
            let root = n.isqrt();
            let m = root | (root * root != n) as u128;
            round_pack::<T>(false, (exp - SHIFT as i32) / 2, m, rm)
        }
    }
}

/// a * b + c, rounded once. The special cases are SoftFloat's: a NaN among a and b gives the
/// canonical NaN (NV if any of the three operands is a signaling NaN); 0 * inf is invalid even
/// when c is a quiet NaN; otherwise a NaN c gives the canonical NaN (NV if it signals); an
/// infinite product plus an infinity of the opposite sign is invalid.
pub(crate) fn fma<T: Format>(a: u64, b: u64, c: u64, rm: Rounding) -> (u64, u8) {
    let ((sa, ca), (sb, cb), (sc, cc)) = (unpack::<T>(a), unpack::<T>(b), unpack::<T>(c));
    let negative = sa != sb;
    if matches!(ca, Class::Nan) || matches!(cb, Class::Nan) {
        return nan::<T>(is_snan::<T>(a) || is_snan::<T>(b) || is_snan::<T>(c));
    }
    match (ca, cb) {
        (Class::Inf, Class::Zero) | (Class::Zero, Class::Inf) => return invalid::<T>(),
        (Class::Inf, _) | (_, Class::Inf) => {
            return match cc {
                Class::Nan => nan::<T>(is_snan::<T>(c)),
                Class::Inf if sc != negative => invalid::<T>(),
                _ => infinity::<T>(negative),
            }
        }
        _ => {}
    }
    // The product is finite.
    match cc {
        Class::Nan => return nan::<T>(is_snan::<T>(c)),
        Class::Inf => return (c, 0),
        Class::Zero | Class::Finite { .. } => {}
    }
    let (Class::Finite { exp: ea, sig: ma }, Class::Finite { exp: eb, sig: mb }) = (ca, cb) else {
        // A zero product: c exactly, or a zero by the sign rule of sums.
        return match cc {
            Class::Zero if sc != negative => cancelled::<T>(rm),
            _ => (c, 0),
        };
    };
    // The product is exact: at most 106 bits.
    let (ep, mp) = (ea + eb, ma as u128 * mb as u128);
    match cc {
        Class::Finite { exp: ec, sig: mc } => {
            add_exact::<T>((negative, ep, mp), (sc, ec, mc as u128), rm)
        }
        _ => round_pack::<T>(negative, ep, mp, rm),
    }
}

/// Converts `a` from format `S` to format `D`: exact when widening; a NaN becomes the canonical
/// NaN (NV if it signals).
pub(crate) fn convert<S: Format, D: Format>(a: u64, rm: Rounding) -> (u64, u8) {
    match unpack::<S>(a) {
        (_, Class::Nan) => nan::<D>(is_snan::<S>(a)),
        (negative, Class::Inf) => infinity::<D>(negative),
        (negative, Class::Zero) => zero::<D>(negative),
        (negative, Class::Finite { exp, sig }) => round_pack::<D>(negative, exp, sig as u128, rm),
    }
}

/// Converts the integer in `x` (its low 32 bits for w and wu) to format `T`.
pub(crate) fn from_int<T: Format>(x: u64, int: Int, rm: Rounding) -> (u64, u8) {
    let (negative, magnitude) = match int {
        Int::W => ((x as i32) < 0, (x as i32).unsigned_abs() as u64),
        Int::Wu => (false, x as u32 as u64),
        Int::L => ((x as i64) < 0, (x as i64).unsigned_abs()),
        Int::Lu => (false, x),
    };
    if magnitude == 0 {
        return (0, 0);
    }
    round_pack::<T>(negative, 0, magnitude as u128, rm)
}

/// Converts `a` to an integer, rounding in mode `rm`: the integer's value as a u64 (w's sign
/// extended, wu's zero extended) and the flags. A NaN gives the largest integer and NV; a value
/// that rounds out of range gives the nearest end of the range and NV, without NX (spec table
/// 11.4); otherwise NX if the value was not an integer.
pub(crate) fn to_int<T: Format>(a: u64, int: Int, rm: Rounding) -> (u64, u8) {
    let (min, max): (i128, i128) = match int {
        Int::W => (i32::MIN.into(), i32::MAX.into()),
        Int::Wu => (0, u32::MAX.into()),
        Int::L => (i64::MIN.into(), i64::MAX.into()),
        Int::Lu => (0, u64::MAX.into()),
    };
    let saturated = |negative: bool| ((if negative { min } else { max }) as u64, NV);
    let (negative, exp, sig) = match unpack::<T>(a) {
        (_, Class::Nan) => return saturated(false),
        (negative, Class::Inf) => return saturated(negative),
        (_, Class::Zero) => return (0, 0),
        (negative, Class::Finite { exp, sig }) => (negative, exp, sig),
    };
    // |a| rounded to an integer; at 2^64 and beyond it is out of every range.
    let (magnitude, inexact) = if exp >= 0 {
        if exp > 64 {
            return saturated(negative);
        }
        ((sig as u128) << exp, false)
    } else {
        round_shift(sig as u128, exp.unsigned_abs(), negative, rm)
    };
    let value = if negative {
        -(magnitude as i128)
    } else {
        magnitude as i128
    };
    if value < min || value > max {
        return saturated(negative);
    }
    (value as u64, if inexact { NX } else { 0 })
}

#[cfg(test)]
mod tests {
    //! Known values, worked out by hand: these need no oracle, so every platform runs them.

    use super::*;
    use Rounding::*;

    const MODES: [Rounding; 5] = [NearestEven, TowardZero, Down, Up, NearestMaxMagnitude];

    const ONE_S: u64 = 0x3f80_0000;
    const THREE_S: u64 = 0x4040_0000;
    const ONE_D: u64 = 0x3ff0_0000_0000_0000;
    const THREE_D: u64 = 0x4008_0000_0000_0000;
    const MAX_S: u64 = 0x7f7f_ffff;
    const MAX_D: u64 = 0x7fef_ffff_ffff_ffff;
    const INF_S: u64 = 0x7f80_0000;
    const INF_D: u64 = 0x7ff0_0000_0000_0000;
    const MIN_NORMAL_D: u64 = 0x0010_0000_0000_0000;
    const SNAN_D: u64 = 0x7ff0_0000_0000_0001;
    const QNAN_D: u64 = 0x7ff8_0000_0000_0001;
    const NEG: u64 = 1 << 63;

    #[test]
    fn a_third_in_every_mode() {
        // 1/3 = 0x1.5555...p-2: the dropped bits are below half, so only RUP (and RDN for -1/3)
        // round away from zero.
        let expected_s = [
            0x3eaa_aaab,
            0x3eaa_aaaa,
            0x3eaa_aaaa,
            0x3eaa_aaab,
            0x3eaa_aaab,
        ];
        let expected_d = [
            0x3fd5_5555_5555_5555,
            0x3fd5_5555_5555_5555,
            0x3fd5_5555_5555_5555,
            0x3fd5_5555_5555_5556,
            0x3fd5_5555_5555_5555,
        ];
        for (i, rm) in MODES.into_iter().enumerate() {
            assert_eq!(
                div::<F32>(ONE_S, THREE_S, rm),
                (expected_s[i], NX),
                "{rm:?}"
            );
            assert_eq!(
                div::<F64>(ONE_D, THREE_D, rm),
                (expected_d[i], NX),
                "{rm:?}"
            );
        }
        // -1/3 rounds the other way in the directed modes.
        assert_eq!(
            div::<F64>(ONE_D | NEG, THREE_D, Down),
            (NEG | 0x3fd5_5555_5555_5556, NX)
        );
        assert_eq!(
            div::<F64>(ONE_D | NEG, THREE_D, Up),
            (NEG | 0x3fd5_5555_5555_5555, NX)
        );
    }

    #[test]
    fn exact_results_raise_nothing() {
        assert_eq!(add::<F64>(ONE_D, ONE_D, Up), (0x4000_0000_0000_0000, 0));
        assert_eq!(mul::<F32>(THREE_S, THREE_S, Down), (0x4110_0000, 0));
        assert_eq!(
            div::<F64>(THREE_D, 0x4000_0000_0000_0000, TowardZero),
            (0x3ff8_0000_0000_0000, 0)
        );
        // Square roots of exact squares: 9, 2.25 and the subnormal 2^-1072.
        for rm in MODES {
            assert_eq!(sqrt::<F32>(0x4110_0000, rm), (THREE_S, 0));
            assert_eq!(
                sqrt::<F64>(0x4002_0000_0000_0000, rm),
                (0x3ff8_0000_0000_0000, 0)
            );
            assert_eq!(sqrt::<F64>(4, rm), (0x1e70_0000_0000_0000, 0));
        }
        // sqrt(2) is not exact.
        assert_eq!(
            sqrt::<F64>(0x4000_0000_0000_0000, NearestEven),
            (0x3ff6_a09e_667f_3bcd, NX)
        );
        assert_eq!(
            sqrt::<F64>(0x4000_0000_0000_0000, Up),
            (0x3ff6_a09e_667f_3bcd, NX)
        );
        assert_eq!(
            sqrt::<F64>(0x4000_0000_0000_0000, Down),
            (0x3ff6_a09e_667f_3bcc, NX)
        );
        // fma: 3 * 3 - 9 = +0 exactly (-0 rounding down); 1 + 2^-60 * 2^-60 rounds.
        assert_eq!(
            fma::<F32>(THREE_S, THREE_S, 0xc110_0000, NearestEven),
            (0, 0)
        );
        assert_eq!(
            fma::<F32>(THREE_S, THREE_S, 0xc110_0000, Down),
            (1 << 31, 0)
        );
        let tiny = 0x3c30_0000_0000_0000; // 2^-60
        assert_eq!(fma::<F64>(tiny, tiny, ONE_D, NearestEven), (ONE_D, NX));
        assert_eq!(fma::<F64>(tiny, tiny, ONE_D, Up), (ONE_D + 1, NX));
        assert_eq!(
            fma::<F64>(tiny, tiny | NEG, ONE_D, TowardZero),
            (ONE_D - 1, NX)
        );
    }

    #[test]
    fn signed_zeros() {
        for rm in MODES {
            let zero = if rm == Down { NEG } else { 0 };
            // x - x, and zeros of opposite signs: -0 only rounding down.
            assert_eq!(sub::<F64>(ONE_D, ONE_D, rm), (zero, 0), "{rm:?}");
            assert_eq!(add::<F64>(0, NEG, rm), (zero, 0), "{rm:?}");
            // Zeros of one sign keep it.
            assert_eq!(add::<F64>(NEG, NEG, rm), (NEG, 0));
            assert_eq!(add::<F64>(0, 0, rm), (0, 0));
            assert_eq!(sqrt::<F64>(NEG, rm), (NEG, 0));
            assert_eq!(mul::<F64>(NEG, ONE_D, rm), (NEG, 0));
            // A zero product plus a zero: the sign rule of sums.
            assert_eq!(fma::<F64>(0, ONE_D, NEG, rm), (zero, 0));
            assert_eq!(fma::<F64>(NEG, ONE_D, NEG, rm), (NEG, 0));
            // x + 0 is x, even subnormal.
            assert_eq!(add::<F64>(1, NEG, rm), (1, 0));
        }
        // A nonzero result that rounds to zero keeps its sign.
        assert_eq!(
            mul::<F64>(1 | NEG, 0x3fe0_0000_0000_0000, NearestEven),
            (NEG, UF | NX)
        );
    }

    #[test]
    fn tiny_results() {
        let half = 0x3fe0_0000_0000_0000;
        // Half the smallest subnormal: a tie, to even (0) or away (the smallest subnormal).
        let expected = [0, 0, 0, 1, 1];
        for (i, rm) in MODES.into_iter().enumerate() {
            assert_eq!(mul::<F64>(1, half, rm), (expected[i], UF | NX), "{rm:?}");
        }
        // (1 - 2^-53) * 2^-1022 has 53 significant bits: tiny, and inexact as a subnormal
        // (rounding to nearest it becomes the smallest normal number, yet underflows).
        let below_one = 0x3fef_ffff_ffff_ffff;
        assert_eq!(
            mul::<F64>(below_one, MIN_NORMAL_D, NearestEven),
            (MIN_NORMAL_D, UF | NX)
        );
        assert_eq!(
            mul::<F64>(below_one, MIN_NORMAL_D, TowardZero),
            (MIN_NORMAL_D - 1, UF | NX)
        );
        // 2^-1022 - 2^-1080 rounds to 2^-1022 at 53 bits: not tiny, so no underflow rounding to
        // nearest or up; toward zero it is tiny.
        let (x, y) = (0x1e30_0000_0000_0000, 0x1e30_0000_0000_0000 | NEG); // 2^-540, -2^-540
        assert_eq!(
            fma::<F64>(x, y, MIN_NORMAL_D, NearestEven),
            (MIN_NORMAL_D, NX)
        );
        assert_eq!(fma::<F64>(x, y, MIN_NORMAL_D, Up), (MIN_NORMAL_D, NX));
        assert_eq!(
            fma::<F64>(x, y, MIN_NORMAL_D, TowardZero),
            (MIN_NORMAL_D - 1, UF | NX)
        );
        // Exact subnormal results do not underflow.
        assert_eq!(mul::<F64>(2, half, NearestEven), (1, 0));
        assert_eq!(
            sub::<F64>(MIN_NORMAL_D, 1, NearestEven),
            (MIN_NORMAL_D - 1, 0)
        );
        // Single precision: the product of the fpu tests, 2^-126 - 2^-150.
        assert_eq!(
            mul::<F32>(0x3fff_ffff, 0x0040_0000, NearestEven),
            (0x0080_0000, UF | NX)
        );
    }

    #[test]
    fn overflow_in_every_mode() {
        // max + max: infinity, or the largest finite number when rounding toward zero or
        // away from the result's direction.
        let positive = [INF_S, MAX_S, MAX_S, INF_S, INF_S];
        let negative = [INF_S, MAX_S, INF_S, MAX_S, INF_S];
        for (i, rm) in MODES.into_iter().enumerate() {
            assert_eq!(
                add::<F32>(MAX_S, MAX_S, rm),
                (positive[i], OF | NX),
                "{rm:?}"
            );
            let neg = 1 << 31;
            assert_eq!(
                add::<F32>(MAX_S | neg, MAX_S | neg, rm),
                (negative[i] | neg, OF | NX)
            );
            let big = 0x7fe0_0000_0000_0000;
            let expected = [INF_D, MAX_D, MAX_D, INF_D, INF_D][i];
            assert_eq!(mul::<F64>(big, big, rm), (expected, OF | NX), "{rm:?}");
        }
        // max + half an ulp: a tie, which rounds to even (infinity) and away.
        let half_ulp = 0x7c90_0000_0000_0000; // 2^970
        assert_eq!(add::<F64>(MAX_D, half_ulp, NearestEven), (INF_D, OF | NX));
        assert_eq!(
            add::<F64>(MAX_D, half_ulp, NearestMaxMagnitude),
            (INF_D, OF | NX)
        );
        assert_eq!(add::<F64>(MAX_D, half_ulp, Up), (INF_D, OF | NX));
        assert_eq!(add::<F64>(MAX_D, half_ulp, TowardZero), (MAX_D, NX));
        // Narrowing: 2^128 does not fit single precision.
        assert_eq!(
            convert::<F64, F32>(0x47f0_0000_0000_0000, NearestEven),
            (INF_S, OF | NX)
        );
        assert_eq!(
            convert::<F64, F32>(0x47f0_0000_0000_0000, TowardZero),
            (MAX_S, OF | NX)
        );
    }

    #[test]
    fn nan_and_invalid_rules() {
        let nan = F64::CANONICAL_NAN;
        for rm in MODES {
            // Quiet NaNs propagate quietly, as the canonical NaN; signaling ones raise NV.
            assert_eq!(add::<F64>(QNAN_D, ONE_D, rm), (nan, 0));
            assert_eq!(add::<F64>(SNAN_D, ONE_D, rm), (nan, NV));
            assert_eq!(mul::<F64>(ONE_D, SNAN_D | NEG, rm), (nan, NV));
            assert_eq!(sqrt::<F64>(SNAN_D, rm), (nan, NV));
            assert_eq!(sqrt::<F64>(QNAN_D, rm), (nan, 0));
            // Invalid operations.
            assert_eq!(sub::<F64>(INF_D, INF_D, rm), (nan, NV));
            assert_eq!(mul::<F64>(0, INF_D | NEG, rm), (nan, NV));
            assert_eq!(div::<F64>(NEG, 0, rm), (nan, NV));
            assert_eq!(div::<F64>(INF_D, INF_D, rm), (nan, NV));
            assert_eq!(sqrt::<F64>(ONE_D | NEG, rm), (nan, NV));
            assert_eq!(sqrt::<F64>(INF_D | NEG, rm), (nan, NV));
            assert_eq!(fma::<F64>(INF_D, ONE_D, INF_D | NEG, rm), (nan, NV));
            // 0 * inf is invalid even plus a quiet NaN; inf * 1 plus a quiet NaN is not.
            assert_eq!(fma::<F64>(0, INF_D, QNAN_D, rm), (nan, NV));
            assert_eq!(fma::<F64>(INF_D, ONE_D, QNAN_D, rm), (nan, 0));
            assert_eq!(fma::<F64>(QNAN_D, ONE_D, SNAN_D, rm), (nan, NV));
            // Division by zero, and what is not.
            assert_eq!(div::<F64>(ONE_D | NEG, 0, rm), (INF_D | NEG, DZ));
            assert_eq!(div::<F64>(INF_D, 0, rm), (INF_D, 0));
            assert_eq!(div::<F64>(ONE_D, INF_D | NEG, rm), (NEG, 0));
            assert_eq!(sqrt::<F64>(INF_D, rm), (INF_D, 0));
            // Conversions between formats.
            assert_eq!(convert::<F32, F64>(0x7f80_0001, rm), (nan, NV));
            assert_eq!(convert::<F64, F32>(QNAN_D, rm), (F32::CANONICAL_NAN, 0));
            assert_eq!(convert::<F32, F64>(1, rm), (0x36a0_0000_0000_0000, 0));
        }
    }

    #[test]
    fn integer_conversions() {
        let nan = F64::CANONICAL_NAN;
        // NaN: the largest positive integer; infinities saturate by sign.
        assert_eq!(
            to_int::<F64>(nan | NEG, Int::W, NearestEven),
            (i32::MAX as u64, NV)
        );
        assert_eq!(to_int::<F64>(nan, Int::Lu, NearestEven), (u64::MAX, NV));
        assert_eq!(
            to_int::<F64>(INF_D | NEG, Int::L, NearestEven),
            (i64::MIN as u64, NV)
        );
        assert_eq!(to_int::<F64>(INF_D | NEG, Int::Wu, NearestEven), (0, NV));
        // 2.5: ties to even and away; -2.5 the same way, negated.
        let two_and_a_half = 0x4004_0000_0000_0000;
        let expected = [2, 2, 2, 3, 3];
        for (i, rm) in MODES.into_iter().enumerate() {
            assert_eq!(to_int::<F64>(two_and_a_half, Int::L, rm), (expected[i], NX));
        }
        let expected = [-2i64, -2, -3, -2, -3];
        for (i, rm) in MODES.into_iter().enumerate() {
            let r = to_int::<F64>(two_and_a_half | NEG, Int::W, rm);
            assert_eq!(r, (expected[i] as u64, NX), "{rm:?}");
        }
        // Negative values that round to 0 are in range of the unsigned types.
        assert_eq!(to_int::<F32>(0xbf00_0000, Int::Wu, NearestEven), (0, NX)); // -0.5
        assert_eq!(to_int::<F32>(0xbf00_0000, Int::Wu, TowardZero), (0, NX));
        assert_eq!(
            to_int::<F32>(0xbf00_0000, Int::Wu, NearestMaxMagnitude),
            (0, NV)
        );
        assert_eq!(to_int::<F32>(0xbf00_0000, Int::Lu, Down), (0, NV));
        // The ends of the ranges: 2^31 - 0.5 rounds out of i32 to nearest, not toward zero.
        let almost = 0x41df_ffff_ffe0_0000;
        assert_eq!(
            to_int::<F64>(almost, Int::W, NearestEven),
            (i32::MAX as u64, NV)
        );
        assert_eq!(
            to_int::<F64>(almost, Int::W, TowardZero),
            (i32::MAX as u64, NX)
        );
        assert_eq!(
            to_int::<F64>(0xc3e0_0000_0000_0000, Int::L, Up),
            (i64::MIN as u64, 0)
        );
        assert_eq!(
            to_int::<F64>(0x43f0_0000_0000_0000, Int::Lu, Down),
            (u64::MAX, NV)
        );
        assert_eq!(
            to_int::<F64>(0x43ef_ffff_ffff_ffff, Int::Lu, Up),
            (0xffff_ffff_ffff_f800, 0)
        );
        assert_eq!(to_int::<F64>(NEG, Int::Wu, Down), (0, 0));
        // From integers: 2^24 + 1 does not fit single precision; i64::MIN is exact.
        let x = (1 << 24) + 1;
        assert_eq!(from_int::<F32>(x, Int::W, NearestEven), (0x4b80_0000, NX));
        assert_eq!(from_int::<F32>(x, Int::Wu, Up), (0x4b80_0001, NX));
        assert_eq!(
            from_int::<F64>(i64::MIN as u64, Int::L, Up),
            (0xc3e0_0000_0000_0000, 0)
        );
        assert_eq!(
            from_int::<F32>(u64::MAX, Int::Lu, TowardZero),
            (0x5f7f_ffff, NX)
        );
        assert_eq!(
            from_int::<F32>(u64::MAX, Int::Lu, NearestEven),
            (0x5f80_0000, NX)
        );
        // w and wu read the low 32 bits.
        assert_eq!(
            from_int::<F64>(0xffff_ffff_ffff_ffff, Int::W, NearestEven),
            (ONE_D | NEG, 0)
        );
        assert_eq!(
            from_int::<F64>(0x1_0000_0001, Int::Wu, NearestEven),
            (ONE_D, 0)
        );
        assert_eq!(from_int::<F64>(0, Int::L, Down), (0, 0));
    }
}

#[cfg(all(test, target_arch = "x86_64", target_os = "linux"))]
pub(crate) mod oracle {
    //! The exact path against Berkeley SoftFloat (RISC-V specialization) called directly, and what
    //! the tests of fpu.rs share for calling it. SoftFloat builds only where softfloat-wrapper's
    //! build supports (x86-64 Linux), hence this module's cfg.

    use super::*;
    use crate::tests::XorShift;
    use softfloat_wrapper::{ExceptionFlags, Float, RoundingMode, F32 as Sf32, F64 as Sf64};

    /// Runs SoftFloat from cleared exception flags (its state is thread-local): the result and the
    /// flags raised, which are fflags' bits.
    pub(crate) fn sf<R>(f: impl FnOnce() -> R) -> (R, u8) {
        ExceptionFlags::from_bits(0).set();
        let r = f();
        let mut flags = ExceptionFlags::from_bits(0);
        flags.get();
        (r, flags.to_bits())
    }

    /// SoftFloat's rounding mode for a valid rm value.
    pub(crate) fn rounding(rm: u8) -> RoundingMode {
        [
            RoundingMode::TiesToEven,
            RoundingMode::TowardZero,
            RoundingMode::TowardNegative,
            RoundingMode::TowardPositive,
            RoundingMode::TiesToAway,
        ][rm as usize]
    }

    /// A format's SoftFloat type.
    pub(crate) trait Oracle: Format {
        type Sf: Float + Copy;
        /// The SoftFloat value of raw bits.
        fn sf(bits: u64) -> Self::Sf;
        /// The raw bits of a SoftFloat value.
        fn bits(v: Self::Sf) -> u64;
        /// Converts to the other format.
        fn convert(v: Self::Sf, m: RoundingMode) -> u64;
    }

    impl Oracle for F32 {
        type Sf = Sf32;
        fn sf(bits: u64) -> Sf32 {
            Sf32::from_bits(bits as u32)
        }
        fn bits(v: Sf32) -> u64 {
            v.to_bits() as u64
        }
        fn convert(v: Sf32, m: RoundingMode) -> u64 {
            v.to_f64(m).to_bits()
        }
    }

    impl Oracle for F64 {
        type Sf = Sf64;
        fn sf(bits: u64) -> Sf64 {
            Sf64::from_bits(bits)
        }
        fn bits(v: Sf64) -> u64 {
            v.to_bits()
        }
        fn convert(v: Sf64, m: RoundingMode) -> u64 {
            v.to_f32(m).to_bits() as u64
        }
    }

    /// Single-precision values where operations have their edge cases.
    pub(crate) const SPECIAL_S: &[u32] = &[
        0x0000_0000, // +0
        0x8000_0000, // -0
        0x7f80_0000, // +inf
        0xff80_0000, // -inf
        0x7fc0_0000, // canonical qNaN
        0xffc0_0000,
        0x7fc0_0001, // qNaN with payload
        0x7f80_0001, // sNaN
        0xff80_0001,
        0x7fbf_ffff,
        0x0000_0001, // smallest subnormal
        0x8000_0001,
        0x007f_ffff, // largest subnormal
        0x807f_ffff,
        0x0080_0000, // smallest normal
        0x8080_0000,
        0x0080_0001,
        0x7f7f_ffff, // largest finite
        0xff7f_ffff,
        0x3f80_0000, // 1
        0xbf80_0000,
        0x3f7f_ffff,
        0x3f00_0000, // 0.5
        0x3fc0_0000, // 1.5
        0xbfc0_0000,
        0x4020_0000, // 2.5
        0x4f00_0000, // 2^31
        0x4eff_ffff,
        0xcf00_0000, // -2^31
        0xcf00_0001,
        0x4f80_0000, // 2^32
        0x4f7f_ffff,
        0x5f00_0000, // 2^63
        0x5eff_ffff,
        0xdf00_0000, // -2^63
        0xdf00_0001,
        0x5f80_0000, // 2^64
        0x5f7f_ffff,
    ];

    /// Double-precision values where operations have their edge cases.
    pub(crate) const SPECIAL_D: &[u64] = &[
        0x0000_0000_0000_0000,
        0x8000_0000_0000_0000,
        0x7ff0_0000_0000_0000,
        0xfff0_0000_0000_0000,
        0x7ff8_0000_0000_0000,
        0xfff8_0000_0000_0000,
        0x7ff8_0000_0000_0001,
        0x7ff0_0000_0000_0001,
        0xfff0_0000_0000_0001,
        0x7ff7_ffff_ffff_ffff,
        0x0000_0000_0000_0001,
        0x8000_0000_0000_0001,
        0x000f_ffff_ffff_ffff,
        0x800f_ffff_ffff_ffff,
        0x0010_0000_0000_0000,
        0x8010_0000_0000_0000,
        0x0010_0000_0000_0001,
        0x7fef_ffff_ffff_ffff,
        0xffef_ffff_ffff_ffff,
        0x3ff0_0000_0000_0000, // 1
        0xbff0_0000_0000_0000,
        0x3fef_ffff_ffff_ffff,
        0x3fe0_0000_0000_0000, // 0.5
        0x3ff8_0000_0000_0000, // 1.5
        0xbff8_0000_0000_0000,
        0x4004_0000_0000_0000, // 2.5
        0x41df_ffff_ffc0_0000, // 2^31 - 1
        0x41df_ffff_ffe0_0000, // 2^31 - 0.5
        0x41e0_0000_0000_0000, // 2^31
        0xc1e0_0000_0000_0000, // -2^31
        0xc1e0_0000_0020_0000, // -2^31 - 1
        0xc1e0_0000_0010_0000, // -2^31 - 0.5
        0x41ef_ffff_ffe0_0000, // 2^32 - 1
        0x41f0_0000_0000_0000, // 2^32
        0x43e0_0000_0000_0000, // 2^63
        0x43df_ffff_ffff_ffff,
        0xc3e0_0000_0000_0000, // -2^63
        0xc3e0_0000_0000_0001,
        0x43f0_0000_0000_0000, // 2^64
        0x43ef_ffff_ffff_ffff,
        0x3690_0000_0000_0000, // near single's subnormal range
        0x47ef_ffff_e000_0000, // single's largest finite
        0x47ef_ffff_f000_0000, // halfway between it and 2^128
        0x47f0_0000_0000_0000, // 2^128
    ];

    /// The operations of the differential test.
    #[derive(Clone, Copy, Debug)]
    enum Operation {
        Add,
        Sub,
        Mul,
        Div,
        Sqrt,
        Fma,
        ToInt(Int),
        FromInt(Int),
        /// To the other format.
        Convert,
    }

    /// The operations with their weights: the arithmetic more often, fma most (its cases are
    /// the most varied).
    const OPERATIONS: &[(Operation, u64)] = &[
        (Operation::Add, 2),
        (Operation::Sub, 2),
        (Operation::Mul, 2),
        (Operation::Div, 2),
        (Operation::Sqrt, 1),
        (Operation::Fma, 3),
        (Operation::ToInt(Int::W), 1),
        (Operation::ToInt(Int::Wu), 1),
        (Operation::ToInt(Int::L), 1),
        (Operation::ToInt(Int::Lu), 1),
        (Operation::FromInt(Int::W), 1),
        (Operation::FromInt(Int::Wu), 1),
        (Operation::FromInt(Int::L), 1),
        (Operation::FromInt(Int::Lu), 1),
        (Operation::Convert, 1),
    ];

    /// One operation by SoftFloat: the result's bits (integers as to_int returns them) and flags.
    fn reference<T: Oracle>(
        op: Operation,
        (a, b, c): (u64, u64, u64),
        x: u64,
        rm: u8,
    ) -> (u64, u8) {
        let m = rounding(rm);
        let (fa, fb, fc) = (T::sf(a), T::sf(b), T::sf(c));
        match op {
            Operation::Add => sf(|| T::bits(fa.add(fb, m))),
            Operation::Sub => sf(|| T::bits(fa.sub(fb, m))),
            Operation::Mul => sf(|| T::bits(fa.mul(fb, m))),
            Operation::Div => sf(|| T::bits(fa.div(fb, m))),
            Operation::Sqrt => sf(|| T::bits(fa.sqrt(m))),
            Operation::Fma => sf(|| T::bits(fa.fused_mul_add(fb, fc, m))),
            Operation::ToInt(Int::W) => sf(|| fa.to_i32(m, true) as i64 as u64),
            Operation::ToInt(Int::Wu) => sf(|| fa.to_u32(m, true) as u64),
            Operation::ToInt(Int::L) => sf(|| fa.to_i64(m, true) as u64),
            Operation::ToInt(Int::Lu) => sf(|| fa.to_u64(m, true)),
            Operation::FromInt(Int::W) => sf(|| T::bits(T::Sf::from_i32(x as i32, m))),
            Operation::FromInt(Int::Wu) => sf(|| T::bits(T::Sf::from_u32(x as u32, m))),
            Operation::FromInt(Int::L) => sf(|| T::bits(T::Sf::from_i64(x as i64, m))),
            Operation::FromInt(Int::Lu) => sf(|| T::bits(T::Sf::from_u64(x, m))),
            Operation::Convert => sf(|| T::convert(fa, m)),
        }
    }

    /// The same operation by the exact path; `U` is the other format.
    fn exact<T: Format, U: Format>(
        op: Operation,
        (a, b, c): (u64, u64, u64),
        x: u64,
        rm: u8,
    ) -> (u64, u8) {
        let rm = Rounding::from_rm(rm);
        match op {
            Operation::Add => add::<T>(a, b, rm),
            Operation::Sub => sub::<T>(a, b, rm),
            Operation::Mul => mul::<T>(a, b, rm),
            Operation::Div => div::<T>(a, b, rm),
            Operation::Sqrt => sqrt::<T>(a, rm),
            Operation::Fma => fma::<T>(a, b, c, rm),
            Operation::ToInt(int) => to_int::<T>(a, int, rm),
            Operation::FromInt(int) => from_int::<T>(x, int, rm),
            Operation::Convert => convert::<T, U>(a, rm),
        }
    }

    /// An operand of format `T`, biased toward the cases where rounding and flags are subtle.
    fn operand<T: Format>(rng: &mut XorShift, specials: &[u64]) -> u64 {
        let sign = if rng.next() & 1 != 0 { T::SIGN } else { 0 };
        let frac = rng.next() & T::FRAC_MASK;
        let max_exp = (2 * T::BIAS + 1) as u64; // all ones: infinities and NaNs
        let bias = T::BIAS as u64;
        let p = T::FRAC_BITS as u64;
        let exp = |e: u64| sign | e << T::FRAC_BITS;
        match rng.below(16) {
            0..=2 => specials[rng.below(specials.len() as u64) as usize],
            // Random bits.
            3..=4 => rng.next() & (T::SIGN | (T::SIGN - 1)),
            // Exponent edges: subnormals and the smallest normals, where the fraction's bits
            // become integer bits, 2^31, 2^32, 2^63 and 2^64 (the integer ranges), the other
            // format's range and subnormals, near overflow.
            5..=8 => {
                let other = if p == 23 { 1023 } else { 127 };
                let edges = [
                    0,
                    1,
                    2,
                    p - 1,
                    p,
                    p + 1,
                    bias - 2,
                    bias - 1,
                    bias,
                    bias + 1,
                    bias + p,
                    bias + 31,
                    bias + 32,
                    bias + 63,
                    bias + 64,
                    (bias + 1).saturating_sub(other + 24),
                    (bias + 1).saturating_sub(other),
                    bias.saturating_sub(other),
                    bias + other,
                    bias + other + 1,
                    max_exp - 2,
                    max_exp - 1,
                    max_exp,
                ];
                let e = edges[rng.below(edges.len() as u64) as usize];
                let e = (e + rng.below(3)).saturating_sub(1).min(max_exp);
                // Some with trailing zeros: results on the edge of exactness.
                let frac = frac & (T::FRAC_MASK << rng.below(p + 1));
                exp(e) | (frac & T::FRAC_MASK)
            }
            // Short significands: exact sums, products, quotients and roots.
            9..=11 => {
                let keep = rng.below(8) + 1;
                exp(rng.below(max_exp)) | (frac & (T::FRAC_MASK << (p - keep)) & T::FRAC_MASK)
            }
            // Subnormals.
            12 => sign | (frac >> rng.below(p)),
            // Small integers and halves: the conversions' ties.
            13..=14 => {
                let v = rng.below(1 << 12);
                let (bits, _) = from_int::<T>(v, Int::L, Rounding::NearestEven);
                let halves = rng.below(4);
                if v == 0 || (bits >> T::FRAC_BITS) <= halves {
                    sign | bits
                } else {
                    sign | (bits - (halves << T::FRAC_BITS))
                }
            }
            // Fractions: 1 + small.
            _ => exp(bias - rng.below(3)) | (frac >> rng.below(p)),
        }
    }

    /// A second operand related to the first where subtraction, division and the comparisons
    /// have their edge cases: equal, negated, one ulp away.
    fn related<T: Format>(rng: &mut XorShift, a: u64, b: u64) -> u64 {
        match rng.below(10) {
            0 => a,
            1 => a ^ T::SIGN,
            2 => a.wrapping_add(1) & (T::SIGN | (T::SIGN - 1)),
            3 => a.wrapping_sub(1) & (T::SIGN | (T::SIGN - 1)),
            _ => b,
        }
    }

    /// The addend of a fused multiply-add: often minus the rounded product (or one ulp off it),
    /// which leaves the rounding error: the deepest cancellation.
    fn addend<T: Format>(rng: &mut XorShift, a: u64, b: u64, c: u64) -> u64 {
        match rng.below(4) {
            0 => {
                let (p, _) = mul::<T>(a, b, Rounding::from_rm(rng.below(5) as u8));
                let p = p ^ T::SIGN;
                match rng.below(3) {
                    0 => p,
                    1 => p.wrapping_add(1) & (T::SIGN | (T::SIGN - 1)),
                    _ => p.wrapping_sub(1) & (T::SIGN | (T::SIGN - 1)),
                }
            }
            _ => c,
        }
    }

    /// An integer to convert: the ends of the ranges, exactly representable ones and random.
    fn integer(rng: &mut XorShift) -> u64 {
        const SPECIAL: &[u64] = &[
            0,
            1,
            u64::MAX,
            i32::MAX as u64,
            i32::MIN as i64 as u64,
            i32::MIN as u32 as u64,
            u32::MAX as u64,
            i64::MAX as u64,
            i64::MIN as u64,
            (1 << 24) + 1,
            (1 << 24) - 1,
            (1 << 53) + 1,
            (1 << 53) - 1,
            0xffff_ffff_0000_0001,
        ];
        let r = rng.next();
        match rng.below(6) {
            0 => SPECIAL[rng.below(SPECIAL.len() as u64) as usize],
            1 => r,
            2 => r as i32 as i64 as u64,
            3 => r >> rng.below(64),
            // Few significant bits, anywhere: exact, or ties.
            4 => (r & 0x1ff) << rng.below(56),
            _ => (r >> rng.below(64)).wrapping_neg(),
        }
    }

    /// `per_mode` operations of format `T` in each rounding mode, exact path against SoftFloat;
    /// `U` is the other format. Panics listing the first mismatches.
    fn differential<T: Oracle, U: Format>(specials: &[u64], seed: u64, per_mode: u32) {
        let mut rng = XorShift(seed);
        let total: u64 = OPERATIONS.iter().map(|&(_, w)| w).sum();
        let mut failures = Vec::new();
        let (mut count, mut mismatches) = (0u32, 0u32);
        for rm in 0..5u8 {
            for _ in 0..per_mode {
                let mut pick = rng.below(total);
                let op = OPERATIONS
                    .iter()
                    .find(|&&(_, w)| {
                        let hit = pick < w;
                        pick = pick.wrapping_sub(w);
                        hit
                    })
                    .unwrap()
                    .0;
                let a = operand::<T>(&mut rng, specials);
                // Square roots of negative numbers are all alike: mostly positive operands.
                let a = match op {
                    Operation::Sqrt if rng.below(4) != 0 => a & !T::SIGN,
                    _ => a,
                };
                let b = operand::<T>(&mut rng, specials);
                let b = related::<T>(&mut rng, a, b);
                let c = operand::<T>(&mut rng, specials);
                let c = addend::<T>(&mut rng, a, b, c);
                let x = integer(&mut rng);
                let expected = reference::<T>(op, (a, b, c), x, rm);
                let got = exact::<T, U>(op, (a, b, c), x, rm);
                count += 1;
                if got == expected {
                    continue;
                }
                mismatches += 1;
                if failures.len() < 20 {
                    failures.push(format!(
                        "{op:?} rm {rm} a {a:#x} b {b:#x} c {c:#x} x {x:#x}: \
                         got {:#x} flags {:#04x}, SoftFloat {:#x} flags {:#04x}",
                        got.0, got.1, expected.0, expected.1
                    ));
                }
            }
        }
        assert!(
            mismatches == 0,
            "{mismatches} of {count} differ; the first ones:\n{}",
            failures.join("\n")
        );
    }

    /// Single precision: a million operations in each of the five rounding modes.
    #[test]
    fn single_precision_exact_path_matches_softfloat() {
        let specials: Vec<u64> = SPECIAL_S.iter().map(|&s| s as u64).collect();
        differential::<F32, F64>(&specials, 0x2545_f491_4f6c_dd1d, 1_000_000);
    }

    /// Double precision: a million operations in each of the five rounding modes.
    #[test]
    fn double_precision_exact_path_matches_softfloat() {
        differential::<F64, F32>(SPECIAL_D, 0x9e37_79b9_7f4a_7c15, 1_000_000);
    }
}
