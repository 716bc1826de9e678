//! The F and D extensions (unprivileged spec 20191213, chapters 11 and 12): single- and
//! double-precision arithmetic, exact to the bit and to the flag.
//!
//! Results and exception flags are those of Berkeley SoftFloat 3 with its RISC-V specialization,
//! which the tests below use as their oracle: tininess is detected after rounding, every NaN a
//! computation produces is the canonical NaN, and out-of-range conversions to integers saturate
//! as the spec's table 11.4 says (NaN converts to the largest positive integer). The flags are
//! fflags' bits (NX 1, UF 2, OF 4, DZ 8, NV 16), returned with each result: no state is shared.
//!
//! The arithmetic that rounds (add, sub, mul, div, sqrt, the fused multiply-adds and the
//! conversions) is [`crate::softfp`]'s, in pure Rust. What does not round is done here on the
//! bits: sign injection, fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber, -0 < +0), the
//! comparisons, fclass, moves and NaN-boxing.
//!
//! A host-FPU fast path computes round-to-nearest-even add, sub, mul and div with the host's IEEE
//! arithmetic when the result is a normal number (so no overflow, underflow or invalid can have
//! happened), and derives the inexact flag exactly (see [`fast`]); every other case goes to
//! softfp's exact path. The tests compare both against SoftFloat.
//!
//! State (spec 11.2, privileged spec 3.1.6.6): the 32 f registers hold 64 bits; a single-precision
//! value is NaN-boxed (upper 32 bits all ones), and a single-precision operand that is not
//! properly boxed reads as the canonical NaN. `fcsr` holds frm (bits 7:5) and fflags (4:0). While
//! mstatus.FS is Off every F/D instruction and every access to fflags/frm/fcsr is illegal; any
//! change to the FP state (an f register written, flags accrued, an FP CSR written) sets FS to
//! Dirty.

use crate::csr::*;
use crate::hart::Hart;
use crate::inst::{Inst, Op};
use crate::softfp::{self, is_nan, is_snan, Format, Int, Rounding, F32, F64, NV, NX};
use crate::trap::Exception;

/// The upper half of a NaN-boxed single-precision value.
const BOX: u64 = 0xffff_ffff_0000_0000;
/// The canonical single-precision NaN (spec 11.3).
const CANONICAL_NAN_S: u32 = F32::CANONICAL_NAN as u32;

/// The single-precision value in a 64-bit f register: the low half if properly NaN-boxed, the
/// canonical NaN otherwise (spec 12.2).
#[inline(always)]
fn unbox(v: u64) -> u32 {
    if v >> 32 == 0xffff_ffff {
        v as u32
    } else {
        CANONICAL_NAN_S
    }
}

/// A single-precision value NaN-boxed into a 64-bit f register.
#[inline(always)]
pub(crate) fn boxed(v: u32) -> u64 {
    BOX | v as u64
}

/// Sign-extends a 32-bit result into an integer register (RV64 W-form results).
#[inline(always)]
fn sext32(v: u32) -> u64 {
    v as i32 as i64 as u64
}

/// A key whose unsigned order is the numeric order of non-NaN values, with -0 < +0.
#[inline(always)]
fn order_key<T: Format>(a: u64) -> u64 {
    if a & T::SIGN != 0 {
        !a & (T::SIGN | (T::SIGN - 1))
    } else {
        a | T::SIGN
    }
}

/// The operations of one format that do not round: they work on the raw bits.
mod bitwise {
    use super::*;

    /// fmin/fmax: IEEE 754-2019 minimumNumber/maximumNumber (spec 11.6). A NaN operand gives
    /// the other operand; two NaNs give the canonical NaN; a signaling NaN raises NV.
    pub(super) fn min_max<T: Format>(a: u64, b: u64, max: bool) -> (u64, u8) {
        let flags = if is_snan::<T>(a) || is_snan::<T>(b) {
            NV
        } else {
            0
        };
        let r = match (is_nan::<T>(a), is_nan::<T>(b)) {
            (true, true) => T::CANONICAL_NAN,
            (true, false) => b,
            (false, true) => a,
            _ => {
                let a_less = order_key::<T>(a) < order_key::<T>(b);
                if a_less != max {
                    a
                } else {
                    b
                }
            }
        };
        (r, flags)
    }

    /// feq (quiet: NV only for a signaling NaN), flt and fle (signaling: NV for any NaN).
    pub(super) fn compare<T: Format>(a: u64, b: u64, op: Compare) -> (u64, u8) {
        if is_nan::<T>(a) || is_nan::<T>(b) {
            let nv = op != Compare::Eq || is_snan::<T>(a) || is_snan::<T>(b);
            return (0, if nv { NV } else { 0 });
        }
        let both_zero = (a | b) & !T::SIGN == 0;
        let (ka, kb) = (order_key::<T>(a), order_key::<T>(b));
        let r = match op {
            Compare::Eq => a == b || both_zero,
            Compare::Lt => ka < kb && !both_zero,
            Compare::Le => ka <= kb || both_zero,
        };
        (r as u64, 0)
    }

    /// fclass (spec 11.9): one bit set, from 0 (-inf) to 9 (quiet NaN).
    pub(super) fn class<T: Format>(a: u64) -> u64 {
        let negative = a & T::SIGN != 0;
        let exp = a & T::EXP_MASK;
        let frac = a & T::FRAC_MASK;
        let bit = if exp == T::EXP_MASK {
            if frac == 0 {
                if negative {
                    0
                } else {
                    7
                }
            } else if a & T::QUIET_BIT != 0 {
                9
            } else {
                8
            }
        } else if exp == 0 {
            match (frac == 0, negative) {
                (true, true) => 3,
                (true, false) => 4,
                (false, true) => 2,
                (false, false) => 5,
            }
        } else if negative {
            1
        } else {
            6
        };
        1 << bit
    }

    /// fsgnj, fsgnjn, fsgnjx: the magnitude of `a` with a sign from `b`.
    pub(super) fn sign_inject<T: Format>(a: u64, b: u64, op: Sign) -> u64 {
        let sign = match op {
            Sign::Copy => b,
            Sign::Negate => !b,
            Sign::Xor => a ^ b,
        } & T::SIGN;
        (a & !T::SIGN) | sign
    }
}

/// The three comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compare {
    Eq,
    Lt,
    Le,
}

/// The three sign injections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sign {
    Copy,
    Negate,
    Xor,
}

/// The four arithmetic operations with two operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

/// The fused multiply-adds: (sign of the product, sign of the addend) after negation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fused {
    /// a*b + c
    Madd,
    /// a*b - c
    Msub,
    /// -(a*b) + c
    Nmsub,
    /// -(a*b) - c
    Nmadd,
}

/// Add, sub, mul, div of one format with rounding mode `rm` (0..=4): the host's arithmetic when
/// it provably gives the exact path's bits and flags, the exact path otherwise. `fflags` are the
/// flags already accrued: with NX among them, whether this result is inexact changes nothing.
#[inline(always)]
fn arith<T: Format + fast::Host>(op: Arith, a: u64, b: u64, rm: u8, fflags: u8) -> (u64, u8) {
    if rm == 0 {
        if let Some(r) = T::fast(op, a, b, fflags & NX != 0) {
            return r;
        }
    }
    arith_exact::<T>(op, a, b, rm)
}

/// Add, sub, mul, div by the exact path.
#[inline(never)]
fn arith_exact<T: Format>(op: Arith, a: u64, b: u64, rm: u8) -> (u64, u8) {
    let rm = Rounding::from_rm(rm);
    match op {
        Arith::Add => softfp::add::<T>(a, b, rm),
        Arith::Sub => softfp::sub::<T>(a, b, rm),
        Arith::Mul => softfp::mul::<T>(a, b, rm),
        Arith::Div => softfp::div::<T>(a, b, rm),
    }
}

/// The fused multiply-adds, rounded once. Negating an operand's sign negates the exact value, so
/// each form is a*b+c on sign-flipped operands (as Spike computes them).
/// `fflags` are the flags already accrued: with NX among them, the host's fma may do it.
#[inline(always)]
fn fused<T: Format + fast::Host>(
    op: Fused,
    a: u64,
    b: u64,
    c: u64,
    rm: u8,
    fflags: u8,
) -> (u64, u8) {
    let (neg_product, neg_addend) = match op {
        Fused::Madd => (0, 0),
        Fused::Msub => (0, T::SIGN),
        Fused::Nmsub => (T::SIGN, 0),
        Fused::Nmadd => (T::SIGN, T::SIGN),
    };
    let (a, c) = (a ^ neg_product, c ^ neg_addend);
    if rm == 0 && fflags & NX != 0 {
        if let Some(r) = T::fast_fma(a, b, c) {
            return r;
        }
    }
    fused_exact::<T>(a, b, c, rm)
}

#[inline(never)]
fn fused_exact<T: Format>(a: u64, b: u64, c: u64, rm: u8) -> (u64, u8) {
    softfp::fma::<T>(a, b, c, Rounding::from_rm(rm))
}

/// Square root: the host's when rounding to nearest and it provably gives the exact path's bits
/// and flags (`fflags` as in [`arith`]), the exact path otherwise.
#[inline(always)]
fn sqrt<T: Format + fast::Host>(a: u64, rm: u8, fflags: u8) -> (u64, u8) {
    if rm == 0 {
        if let Some(r) = T::fast_sqrt(a, fflags & NX != 0) {
            return r;
        }
    }
    sqrt_exact::<T>(a, rm)
}

#[inline(never)]
fn sqrt_exact<T: Format>(a: u64, rm: u8) -> (u64, u8) {
    softfp::sqrt::<T>(a, Rounding::from_rm(rm))
}

/// fcvt.{w,wu,l,lu}.{s,d}: the value for rd (32-bit results sign-extended) and the flags.
fn to_int<T: Format>(a: u64, int: Int, rm: u8) -> (u64, u8) {
    let (v, flags) = softfp::to_int::<T>(a, int, Rounding::from_rm(rm));
    match int {
        Int::Wu => (sext32(v as u32), flags),
        _ => (v, flags),
    }
}

/// fcvt.{s,d}.{w,wu,l,lu}: converts the integer in `x` (its low 32 bits for w/wu).
fn from_int<T: Format>(x: u64, int: Int, rm: u8) -> (u64, u8) {
    softfp::from_int::<T>(x, int, Rounding::from_rm(rm))
}

/// The host-FPU fast path for round-to-nearest-even add, sub, mul and div.
///
/// The host (IEEE 754 binary32/binary64 arithmetic in round-to-nearest-even, which Rust
/// guarantees) computes the same correctly rounded result as the exact path. The fast path only
/// answers when that result is a normal number other than +-2^emin: then no operand was a NaN
/// or an infinity (a NaN or infinite operand gives a NaN, an infinity or a zero), the operation
/// was not invalid, did not divide by zero, did not overflow (the result would be infinite) and
/// did not underflow (the exact value is at least 2^emin, so not tiny; +-2^emin itself is left
/// out because a tiny exact product or quotient can round up to it, which underflows). The only
/// flag left is inexact, which is decided exactly:
/// - add/sub: the rounding error of a sum is representable and TwoSum computes it exactly
///   (Knuth, TAOCP vol. 2, 4.2.2), provided no intermediate overflows, which leaving out
///   operands of the largest binade guarantees;
/// - mul: the product of the two integer significands, computed exactly in a wider integer, must
///   fit the significand of the (normal) result;
/// - div: a/b is exact iff the odd part of b's significand divides the odd part of a's (the
///   quotient of the odd parts is then an odd integer below 2^p, and the power of two is in range
///   because the result is normal).
///
/// Every other case returns `None`, and the exact path ([`crate::softfp`]) decides.
///
/// Measured on `roms/bench/fp.S` (8 of 9 instructions round-to-nearest add/sub/mul/div, double
/// and single, inexact), release build, when the exact path was still SoftFloat: about 71 M FP
/// operations/s with the fast path against 42 M/s with SoftFloat alone (the integer loop
/// `roms/bench/loop.S` runs at about 147 M instructions/s on the same machine).
pub(crate) mod fast {
    use super::{Arith, F32, F64, NX};

    /// The host type of a format.
    pub(crate) trait Host {
        /// `nx_accrued`: NX is already set in fflags, so exactness need not be worked out.
        fn fast(op: Arith, a: u64, b: u64, nx_accrued: bool) -> Option<(u64, u8)>;
        /// a*b+c rounded once to nearest-even, if NX is already accrued (nothing but NX can
        /// come of it then; working out exactness is left to the exact path).
        fn fast_fma(a: u64, b: u64, c: u64) -> Option<(u64, u8)>;
        /// The square root, rounded to nearest-even, as [`Host::fast`].
        fn fast_sqrt(a: u64, nx_accrued: bool) -> Option<(u64, u8)>;
    }

    macro_rules! host {
        ($soft:ty, $host:ty, $bits:ty, $wide:ty, $mant:expr) => {
            impl Host for $soft {
                #[inline(always)]
                fn fast(op: Arith, a: u64, b: u64, nx_accrued: bool) -> Option<(u64, u8)> {
                    const MANT: u32 = $mant;
                    let (x, y) = (
                        <$host>::from_bits(a as $bits),
                        <$host>::from_bits(b as $bits),
                    );
                    let r = match op {
                        Arith::Add => x + y,
                        Arith::Sub => x - y,
                        Arith::Mul => x * y,
                        Arith::Div => x / y,
                    };
                    // A result of exactly the smallest normal magnitude may come from a tiny exact
                    // value rounded up (underflow with tininess after rounding): not here.
                    if !r.is_normal() || r.abs() == <$host>::MIN_POSITIVE {
                        return None;
                    }
                    // Operands of the largest binade could make TwoSum's intermediates overflow.
                    let huge = <$host>::MAX / 2.0;
                    if x.abs() > huge || y.abs() > huge {
                        return None;
                    }
                    // Only NX is possible now; once accrued, raising it again is all there is to
                    // do (QEMU's hardfloat makes the same observation). Programs rarely clear it.
                    if nx_accrued {
                        return Some((r.to_bits() as u64, NX));
                    }
                    // The integer significand (with its hidden bit) of a finite, nonzero value.
                    let significand = |v: $host| -> $wide {
                        let bits = v.to_bits();
                        let frac = (bits & ((1 << (MANT - 1)) - 1)) as $wide;
                        if (bits >> (MANT - 1)) & ((1 << (<$bits>::BITS - MANT)) - 1) == 0 {
                            frac
                        } else {
                            frac | (1 << (MANT - 1))
                        }
                    };
                    let inexact = match op {
                        Arith::Add | Arith::Sub => {
                            let y = if op == Arith::Sub { -y } else { y };
                            // TwoSum: r + err = x + y exactly.
                            let y_part = r - x;
                            let x_part = r - y_part;
                            let err = (x - x_part) + (y - y_part);
                            err != 0.0
                        }
                        Arith::Mul => {
                            // Normal result: both operands are finite and nonzero.
                            let p = significand(x) * significand(y);
                            let width = <$wide>::BITS - p.leading_zeros();
                            width > MANT && p.trailing_zeros() < width - MANT
                        }
                        Arith::Div => {
                            // Significands fit in 64 bits: no 128-bit division.
                            let (n, d) = (significand(x) as u64, significand(y) as u64);
                            let (n, d) = (n >> n.trailing_zeros(), d >> d.trailing_zeros());
                            n % d != 0
                        }
                    };
                    Some((r.to_bits() as u64, if inexact { NX } else { 0 }))
                }

                #[inline(always)]
                fn fast_fma(a: u64, b: u64, c: u64) -> Option<(u64, u8)> {
                    let (x, y, z) = (
                        <$host>::from_bits(a as $bits),
                        <$host>::from_bits(b as $bits),
                        <$host>::from_bits(c as $bits),
                    );
                    // The host's fma is correctly rounded (IEEE 754 fusedMultiplyAdd). A normal
                    // result comes from finite operands without overflow or underflow (as in
                    // `fast`, the smallest normal magnitude is left out); NaNs, infinities and
                    // tiny results go to the exact path.
                    let r = x.mul_add(y, z);
                    if !r.is_normal() || r.abs() == <$host>::MIN_POSITIVE {
                        return None;
                    }
                    Some((r.to_bits() as u64, NX))
                }

                #[inline(always)]
                fn fast_sqrt(a: u64, nx_accrued: bool) -> Option<(u64, u8)> {
                    const MANT: u32 = $mant;
                    let x = <$host>::from_bits(a as $bits);
                    // Positive and not tiny: r*r - x below is then a multiple of a normal
                    // number's ulp squared that cannot underflow to zero (2^-916 for doubles).
                    // Negatives, zeros, infinities and NaNs go to the exact path.
                    let two_mant = (1u64 << MANT) as $host;
                    if !(x.is_finite() && x >= <$host>::MIN_POSITIVE * two_mant * two_mant) {
                        return None;
                    }
                    // The host's sqrt is correctly rounded (IEEE 754); only NX can come of it.
                    let r = x.sqrt();
                    if nx_accrued {
                        return Some((r.to_bits() as u64, NX));
                    }
                    // Exact if r*r is x: one fused multiply-add says.
                    let exact = r.mul_add(r, -x) == 0.0;
                    Some((r.to_bits() as u64, if exact { 0 } else { NX }))
                }
            }
        };
    }

    host!(F32, f32, u32, u64, 24);
    host!(F64, f64, u64, u128, 53);
}

impl Hart {
    /// F and D instructions are illegal while mstatus.FS is Off.
    #[inline(always)]
    pub(crate) fn fp_enabled(&self, inst: &Inst) -> Result<(), Exception> {
        if self.csr.mstatus & MSTATUS_FS == 0 {
            return Err(Exception::IllegalInstruction(inst.raw));
        }
        Ok(())
    }

    /// FADD.D, FSUB.D, FMUL.D and FDIV.D, for the executor's own arms (exec.rs): FP loops are
    /// made of them, and there they cost no call and no second dispatch.
    #[inline(always)]
    pub(crate) fn arith_d(&mut self, inst: &Inst, op: Arith) -> Result<(), Exception> {
        self.fp_enabled(inst)?;
        let (a, b) = (
            self.f[inst.rs1 as usize & 31],
            self.f[inst.rs2 as usize & 31],
        );
        let (v, flags) = arith::<F64>(op, a, b, self.rm(inst)?, self.fcsr);
        self.accrue(flags);
        self.set_f(inst.rd as usize & 31, v);
        Ok(())
    }

    /// The double-precision fused multiply-adds, as [`Hart::arith_d`].
    #[inline(always)]
    pub(crate) fn fused_d(&mut self, inst: &Inst, op: Fused) -> Result<(), Exception> {
        self.fp_enabled(inst)?;
        let (a, b, c) = (
            self.f[inst.rs1 as usize & 31],
            self.f[inst.rs2 as usize & 31],
            self.f[inst.rs3 as usize & 31],
        );
        let (v, flags) = fused::<F64>(op, a, b, c, self.rm(inst)?, self.fcsr);
        self.accrue(flags);
        self.set_f(inst.rd as usize & 31, v);
        Ok(())
    }

    /// FADD.S, FSUB.S, FMUL.S and FDIV.S, as [`Hart::arith_d`]: the operands unboxed, the result
    /// NaN-boxed.
    #[inline(always)]
    pub(crate) fn arith_s(&mut self, inst: &Inst, op: Arith) -> Result<(), Exception> {
        self.fp_enabled(inst)?;
        let (a, b) = (
            unbox(self.f[inst.rs1 as usize & 31]) as u64,
            unbox(self.f[inst.rs2 as usize & 31]) as u64,
        );
        let (v, flags) = arith::<F32>(op, a, b, self.rm(inst)?, self.fcsr);
        self.accrue(flags);
        self.set_f(inst.rd as usize & 31, boxed(v as u32));
        Ok(())
    }

    /// The single-precision fused multiply-adds, as [`Hart::arith_s`].
    #[inline(always)]
    pub(crate) fn fused_s(&mut self, inst: &Inst, op: Fused) -> Result<(), Exception> {
        self.fp_enabled(inst)?;
        let (a, b, c) = (
            unbox(self.f[inst.rs1 as usize & 31]) as u64,
            unbox(self.f[inst.rs2 as usize & 31]) as u64,
            unbox(self.f[inst.rs3 as usize & 31]) as u64,
        );
        let (v, flags) = fused::<F32>(op, a, b, c, self.rm(inst)?, self.fcsr);
        self.accrue(flags);
        self.set_f(inst.rd as usize & 31, boxed(v as u32));
        Ok(())
    }

    /// Executes an F or D instruction out of line: the executor's dispatch for the operations of
    /// [`crate::inst::fp_ops`] that have no arm of their own.
    #[inline(never)]
    pub(crate) fn execute_fp(&mut self, inst: &Inst) -> Result<(), Exception> {
        self.fp_op(inst, inst.op)
    }

    /// Executes `inst`, whose operation is `op`: an F or D instruction other than the loads, stores
    /// and arithmetic of both precisions, which the executor runs itself (exec.rs, with
    /// [`Hart::arith_d`], [`Hart::fused_d`], [`Hart::arith_s`] and [`Hart::fused_s`]). In line, so
    /// that where `op` is a constant (the executor's arms for the frequent ones) only its code
    /// remains.
    #[inline(always)]
    pub(crate) fn fp_op(&mut self, inst: &Inst, op: Op) -> Result<(), Exception> {
        self.fp_enabled(inst)?;
        let rd = inst.rd as usize;
        // Operands are read (and single-precision ones unboxed) in the arms that use them.
        macro_rules! x1 {
            () => {
                self.x[inst.rs1 as usize]
            };
        }
        macro_rules! d1 {
            () => {
                self.f[inst.rs1 as usize]
            };
        }
        macro_rules! d2 {
            () => {
                self.f[inst.rs2 as usize]
            };
        }
        macro_rules! s1 {
            () => {
                unbox(d1!()) as u64
            };
        }
        macro_rules! s2 {
            () => {
                unbox(d2!()) as u64
            };
        }
        // Results: to an f register (single precision NaN-boxed) or an x register, with flags.
        macro_rules! s {
            ($r:expr) => {{
                let (v, flags): (u64, u8) = $r;
                self.accrue(flags);
                self.set_f(rd, boxed(v as u32));
            }};
        }
        macro_rules! d {
            ($r:expr) => {{
                let (v, flags): (u64, u8) = $r;
                self.accrue(flags);
                self.set_f(rd, v);
            }};
        }
        macro_rules! x {
            ($r:expr) => {{
                let (v, flags): (u64, u8) = $r;
                self.accrue(flags);
                self.x[rd] = v;
            }};
        }
        match op {
            Op::FsqrtS => s!(sqrt::<F32>(s1!(), self.rm(inst)?, self.fcsr)),
            Op::FsqrtD => d!(sqrt::<F64>(d1!(), self.rm(inst)?, self.fcsr)),

            Op::FsgnjS => s!((bitwise::sign_inject::<F32>(s1!(), s2!(), Sign::Copy), 0)),
            Op::FsgnjnS => s!((bitwise::sign_inject::<F32>(s1!(), s2!(), Sign::Negate), 0)),
            Op::FsgnjxS => s!((bitwise::sign_inject::<F32>(s1!(), s2!(), Sign::Xor), 0)),
            Op::FsgnjD => d!((bitwise::sign_inject::<F64>(d1!(), d2!(), Sign::Copy), 0)),
            Op::FsgnjnD => d!((bitwise::sign_inject::<F64>(d1!(), d2!(), Sign::Negate), 0)),
            Op::FsgnjxD => d!((bitwise::sign_inject::<F64>(d1!(), d2!(), Sign::Xor), 0)),
            Op::FminS => s!(bitwise::min_max::<F32>(s1!(), s2!(), false)),
            Op::FmaxS => s!(bitwise::min_max::<F32>(s1!(), s2!(), true)),
            Op::FminD => d!(bitwise::min_max::<F64>(d1!(), d2!(), false)),
            Op::FmaxD => d!(bitwise::min_max::<F64>(d1!(), d2!(), true)),
            Op::FeqS => x!(bitwise::compare::<F32>(s1!(), s2!(), Compare::Eq)),
            Op::FltS => x!(bitwise::compare::<F32>(s1!(), s2!(), Compare::Lt)),
            Op::FleS => x!(bitwise::compare::<F32>(s1!(), s2!(), Compare::Le)),
            Op::FeqD => x!(bitwise::compare::<F64>(d1!(), d2!(), Compare::Eq)),
            Op::FltD => x!(bitwise::compare::<F64>(d1!(), d2!(), Compare::Lt)),
            Op::FleD => x!(bitwise::compare::<F64>(d1!(), d2!(), Compare::Le)),
            Op::FclassS => self.x[rd] = bitwise::class::<F32>(s1!()),
            Op::FclassD => self.x[rd] = bitwise::class::<F64>(d1!()),

            Op::FcvtWS => x!(to_int::<F32>(s1!(), Int::W, self.rm(inst)?)),
            Op::FcvtWuS => x!(to_int::<F32>(s1!(), Int::Wu, self.rm(inst)?)),
            Op::FcvtLS => x!(to_int::<F32>(s1!(), Int::L, self.rm(inst)?)),
            Op::FcvtLuS => x!(to_int::<F32>(s1!(), Int::Lu, self.rm(inst)?)),
            Op::FcvtWD => x!(to_int::<F64>(d1!(), Int::W, self.rm(inst)?)),
            Op::FcvtWuD => x!(to_int::<F64>(d1!(), Int::Wu, self.rm(inst)?)),
            Op::FcvtLD => x!(to_int::<F64>(d1!(), Int::L, self.rm(inst)?)),
            Op::FcvtLuD => x!(to_int::<F64>(d1!(), Int::Lu, self.rm(inst)?)),
            Op::FcvtSW => s!(from_int::<F32>(x1!(), Int::W, self.rm(inst)?)),
            Op::FcvtSWu => s!(from_int::<F32>(x1!(), Int::Wu, self.rm(inst)?)),
            Op::FcvtSL => s!(from_int::<F32>(x1!(), Int::L, self.rm(inst)?)),
            Op::FcvtSLu => s!(from_int::<F32>(x1!(), Int::Lu, self.rm(inst)?)),
            Op::FcvtDW => d!(from_int::<F64>(x1!(), Int::W, self.rm(inst)?)),
            Op::FcvtDWu => d!(from_int::<F64>(x1!(), Int::Wu, self.rm(inst)?)),
            Op::FcvtDL => d!(from_int::<F64>(x1!(), Int::L, self.rm(inst)?)),
            Op::FcvtDLu => d!(from_int::<F64>(x1!(), Int::Lu, self.rm(inst)?)),
            Op::FcvtSD => {
                let rm = Rounding::from_rm(self.rm(inst)?);
                s!(softfp::convert::<F64, F32>(d1!(), rm))
            }
            Op::FcvtDS => {
                let rm = Rounding::from_rm(self.rm(inst)?);
                d!(softfp::convert::<F32, F64>(s1!(), rm))
            }

            // Moves copy the bits: fmv.x.w ignores the NaN-boxing (spec 11.7).
            Op::FmvXW => self.x[rd] = sext32(d1!() as u32),
            Op::FmvXD => self.x[rd] = d1!(),
            Op::FmvWX => self.set_f(rd, boxed(x1!() as u32)),
            Op::FmvDX => self.set_f(rd, x1!()),
            _ => unreachable!("{op:?} is not an F/D operation of fpu.rs"),
        }
        Ok(())
    }

    /// The rounding mode of an instruction: its rm field, or frm if that is 7 (dynamic). The
    /// reserved modes 5 and 6, in the instruction or in frm, make it illegal (spec 11.2).
    #[inline(always)]
    fn rm(&self, inst: &Inst) -> Result<u8, Exception> {
        let rm = match inst.imm as u8 & 7 {
            7 => self.fcsr >> 5,
            rm => rm,
        };
        if rm > 4 {
            return Err(Exception::IllegalInstruction(inst.raw));
        }
        Ok(rm)
    }

    /// Writes an f register; the FP state becomes Dirty.
    #[inline(always)]
    pub(crate) fn set_f(&mut self, r: usize, v: u64) {
        self.f[r] = v;
        self.make_fs_dirty();
    }

    /// Accrues exception flags into fflags; the FP state becomes Dirty if any were raised.
    #[inline(always)]
    fn accrue(&mut self, flags: u8) {
        if flags != 0 {
            self.fcsr |= flags;
            self.make_fs_dirty();
        }
    }

    /// Sets mstatus.FS to Dirty. Written only when it is not already: it nearly always is, and
    /// the next FP instruction reads mstatus first thing (FS Off makes it illegal), which a
    /// store per instruction would make wait.
    #[inline(always)]
    fn make_fs_dirty(&mut self) {
        if self.csr.mstatus & MSTATUS_FS != MSTATUS_FS {
            self.csr.mstatus |= MSTATUS_FS;
        }
    }

    /// Reads fflags, frm or fcsr; `None` (an illegal access) while mstatus.FS is Off.
    pub(crate) fn fp_csr_read(&self, csr: u16) -> Option<u64> {
        if self.csr.mstatus & MSTATUS_FS == 0 {
            return None;
        }
        let fcsr = self.fcsr as u64;
        Some(match csr {
            FFLAGS => fcsr & 0x1f,
            FRM => fcsr >> 5,
            _ => fcsr,
        })
    }

    /// Writes fflags, frm or fcsr (after [`Hart::fp_csr_read`] allowed the access); the FP state
    /// becomes Dirty. frm keeps any 3-bit value; an invalid one makes dynamic-mode instructions
    /// illegal.
    pub(crate) fn fp_csr_write(&mut self, csr: u16, value: u64) {
        let v = value as u8;
        self.fcsr = match csr {
            FFLAGS => (self.fcsr & !0x1f) | (v & 0x1f),
            FRM => (self.fcsr & 0x1f) | ((v & 7) << 5),
            _ => v,
        };
        self.csr.mstatus |= MSTATUS_FS;
    }
}

#[cfg(test)]
mod tests {
    //! Known values, and the FS, fcsr and rounding-mode rules: what needs no oracle.

    use super::*;
    use crate::softfp::{DZ, OF, UF};
    use crate::tests::TestBus;
    use emu_mmu::{Ram, DRAM_BASE};

    /// mstatus.FS = Initial.
    pub(super) const FS_INITIAL: u64 = 1 << 13;

    pub(super) fn bus() -> TestBus {
        TestBus {
            ram: Ram::new(DRAM_BASE, 1 << 16).unwrap(),
        }
    }

    /// A product whose exact value, 2^-126 - 2^-150, is tiny but rounds up to the smallest
    /// normal: underflow (tininess after rounding) and inexact. The fast path must not answer.
    #[test]
    fn tiny_product_rounding_to_the_smallest_normal_underflows() {
        let (a, b) = (0x3fff_ffffu64, 0x0040_0000u64);
        assert_eq!(<F32 as fast::Host>::fast(Arith::Mul, a, b, false), None);
        assert_eq!(<F32 as fast::Host>::fast(Arith::Mul, a, b, true), None);
        assert_eq!(arith::<F32>(Arith::Mul, a, b, 0, 0), (0x0080_0000, UF | NX));
    }

    #[test]
    fn known_values() {
        // 1/3 in single precision, every rounding mode.
        let third = |rm| arith::<F32>(Arith::Div, 0x3f80_0000, 0x4040_0000, rm, 0);
        assert_eq!(third(0), (0x3eaa_aaab, NX));
        assert_eq!(third(1), (0x3eaa_aaaa, NX));
        assert_eq!(third(2), (0x3eaa_aaaa, NX));
        assert_eq!(third(3), (0x3eaa_aaab, NX));
        assert_eq!(third(4), (0x3eaa_aaab, NX));
        // Square roots: exact ones raise nothing, with NX accrued or not.
        assert_eq!(
            sqrt::<F64>(0x4010_0000_0000_0000, 0, 0),
            (0x4000_0000_0000_0000, 0)
        );
        assert_eq!(
            sqrt::<F64>(0x4002_0000_0000_0000, 0, 0),
            (0x3ff8_0000_0000_0000, 0)
        );
        assert_eq!(
            sqrt::<F64>(0x4000_0000_0000_0000, 0, 0),
            (0x3ff6_a09e_667f_3bcd, NX)
        );
        assert_eq!(sqrt::<F32>(0x4110_0000, 0, NX), (0x4040_0000, NX));
        assert_eq!(
            sqrt::<F64>(0xbff0_0000_0000_0000, 0, 0),
            (F64::CANONICAL_NAN, NV)
        );
        // 1/0 = +inf with DZ; 0/0 = canonical NaN with NV; max + max overflows.
        assert_eq!(
            arith::<F64>(Arith::Div, 0x3ff0_0000_0000_0000, 0, 0, 0),
            (0x7ff0_0000_0000_0000, DZ)
        );
        assert_eq!(
            arith::<F64>(Arith::Div, 0, 0, 0, 0),
            (F64::CANONICAL_NAN, NV)
        );
        assert_eq!(
            arith::<F32>(Arith::Add, 0x7f7f_ffff, 0x7f7f_ffff, 0, 0),
            (0x7f80_0000, OF | NX)
        );
        assert_eq!(
            arith::<F32>(Arith::Add, 0x7f7f_ffff, 0x7f7f_ffff, 1, 0),
            (0x7f7f_ffff, OF | NX)
        );
        // NaN to integer: the largest positive; -2^63 - 1 to l: saturated with NV.
        assert_eq!(
            to_int::<F64>(F64::CANONICAL_NAN, Int::Wu, 0),
            (u64::MAX, NV)
        );
        assert_eq!(
            to_int::<F64>(0xc3e0_0000_0000_0001, Int::L, 0),
            (i64::MIN as u64, NV)
        );
        assert_eq!(to_int::<F32>(0xbf00_0000, Int::Wu, 1), (0, NX));
        // fmin(-0, +0) = -0, fmax(sNaN, 1) = 1 with NV, fmin(qNaN, qNaN) = canonical NaN.
        assert_eq!(
            bitwise::min_max::<F32>(0x0000_0000, 0x8000_0000, false),
            (0x8000_0000, 0)
        );
        assert_eq!(
            bitwise::min_max::<F32>(0x7f80_0001, 0x3f80_0000, true),
            (0x3f80_0000, NV)
        );
        assert_eq!(
            bitwise::min_max::<F64>(0xfff8_0000_0000_0001, 0x7ff8_0000_0000_0002, false),
            (F64::CANONICAL_NAN, 0)
        );
        assert_eq!(bitwise::class::<F32>(0x7f80_0001), 1 << 8);
        assert_eq!(bitwise::class::<F64>(0x8000_0000_0000_0001), 1 << 2);
    }

    fn hart_with(words: &[u32]) -> (Hart, TestBus) {
        let mut bus = bus();
        for (i, w) in words.iter().enumerate() {
            bus.ram.write(DRAM_BASE + 4 * i as u64, 4, *w as u64);
        }
        let mut hart = Hart::new(0);
        hart.pc = DRAM_BASE;
        hart.csr.mtvec = DRAM_BASE + 0x800;
        (hart, bus)
    }

    #[test]
    fn fs_off_makes_fp_instructions_and_csrs_illegal() {
        // fadd.s fa0, fa1, fa2; csrr a0, fflags
        let (mut hart, mut bus) = hart_with(&[0x00c5_f553, 0x0010_2573]);
        assert_eq!(hart.csr.mstatus & MSTATUS_FS, 0, "FS is Off at reset");
        hart.run(&mut bus, 1);
        assert_eq!((hart.csr.mcause, hart.csr.mtval), (2, 0x00c5_f553));
        for csr in [FFLAGS, FRM, FCSR] {
            assert!(hart.csr_read(&bus, csr, 0).is_err());
        }
        hart.csr.mstatus |= FS_INITIAL;
        for csr in [FFLAGS, FRM, FCSR] {
            assert_eq!(hart.csr_read(&bus, csr, 0), Ok(0));
        }
    }

    #[test]
    fn fld_and_fsd_are_illegal_while_fs_is_off_and_move_doubles_while_it_is_on() {
        // fld fa0, 0(a1); fsd fa0, 8(a1)
        let (mut hart, mut bus) = hart_with(&[0x0005_b507, 0x00a5_b427]);
        let data = DRAM_BASE + 0x1000;
        bus.ram.write(data, 8, 0x4009_21fb_5444_2d18);
        hart.x[11] = data;
        hart.run(&mut bus, 1);
        assert_eq!((hart.csr.mcause, hart.csr.mtval), (2, 0x0005_b507));
        hart.pc = DRAM_BASE + 4;
        hart.run(&mut bus, 1);
        assert_eq!((hart.csr.mcause, hart.csr.mtval), (2, 0x00a5_b427));
        assert_eq!(bus.ram.read(data + 8, 8), Some(0));
        hart.csr.mstatus |= FS_INITIAL;
        hart.pc = DRAM_BASE;
        hart.run(&mut bus, 2);
        assert_eq!(hart.pc, DRAM_BASE + 8);
        assert_eq!(hart.f[10], 0x4009_21fb_5444_2d18);
        assert_eq!(bus.ram.read(data + 8, 8), Some(0x4009_21fb_5444_2d18));
        assert_eq!(hart.csr.mstatus & MSTATUS_FS, MSTATUS_FS);
    }

    #[test]
    fn fp_state_changes_make_fs_dirty() {
        // fadd.s fa0, fa1, fa2
        let (mut hart, mut bus) = hart_with(&[0x00c5_f553]);
        hart.csr.mstatus |= FS_INITIAL;
        assert_eq!(hart.csr.mstatus_read() & MSTATUS_SD, 0);
        hart.run(&mut bus, 1);
        assert_eq!(hart.csr.mstatus & MSTATUS_FS, MSTATUS_FS);
        assert_ne!(hart.csr.mstatus_read() & MSTATUS_SD, 0);
        // Unboxed operands read as the canonical NaN.
        assert_eq!(hart.f[10], 0xffff_ffff_7fc0_0000);
        // A CSR write does too.
        hart.csr.mstatus &= !MSTATUS_FS;
        hart.csr.mstatus |= FS_INITIAL;
        hart.csr_write(FRM, 0xff, 0).unwrap();
        assert_eq!(hart.csr.mstatus & MSTATUS_FS, MSTATUS_FS);
    }

    #[test]
    fn rounding_mode_comes_from_rm_or_frm_and_reserved_ones_are_illegal() {
        // fadd.s fa0, fa1, fa2 with rm = dynamic (frm), then with rm = 5 (reserved).
        let (dynamic, reserved) = (0x00c5_f553, 0x00c5_d553);
        for (word, frm) in [(dynamic, 5), (dynamic, 7), (reserved, 0)] {
            let (mut hart, mut bus) = hart_with(&[word]);
            hart.csr.mstatus |= FS_INITIAL;
            hart.fcsr = frm << 5;
            hart.run(&mut bus, 1);
            assert_eq!(
                (hart.csr.mcause, hart.csr.mtval),
                (2, word as u64),
                "frm {frm}"
            );
            assert_eq!(hart.fcsr, frm << 5, "no flags accrued by a trap");
        }
        // 1/3 rounded down (frm 2) and up (frm 3).
        for (frm, expected) in [(2u8, 0x3eaa_aaaa), (3, 0x3eaa_aaab)] {
            // fdiv.s fa0, fa1, fa2 (dynamic rm)
            let (mut hart, mut bus) = hart_with(&[0x18c5_f553]);
            hart.csr.mstatus |= FS_INITIAL;
            hart.fcsr = frm << 5;
            hart.f[11] = boxed(0x3f80_0000);
            hart.f[12] = boxed(0x4040_0000);
            hart.run(&mut bus, 1);
            assert_eq!(hart.csr.mcause, 0, "no trap");
            assert_eq!(hart.f[10], boxed(expected), "frm {frm}");
            assert_eq!(hart.fcsr, (frm << 5) | NX);
        }
    }

    #[test]
    fn fcsr_fields() {
        let (mut hart, bus) = hart_with(&[]);
        hart.csr.mstatus |= FS_INITIAL;
        hart.csr_write(FCSR, 0xffff_ffff, 0).unwrap();
        assert_eq!(hart.csr_read(&bus, FCSR, 0), Ok(0xff));
        assert_eq!(hart.csr_read(&bus, FRM, 0), Ok(7));
        assert_eq!(hart.csr_read(&bus, FFLAGS, 0), Ok(0x1f));
        hart.csr_write(FFLAGS, 0x21, 0).unwrap();
        assert_eq!(hart.csr_read(&bus, FCSR, 0), Ok(0xe1));
        hart.csr_write(FRM, 0x1a, 0).unwrap();
        assert_eq!(hart.csr_read(&bus, FCSR, 0), Ok(0x41));
    }

    #[test]
    fn loads_and_stores_box_and_move_raw_bits() {
        // flw fa0, 0(a1); fsd fa0, 8(a1); fld fa1, 8(a1); fsw fa1, 16(a1)
        let (mut hart, mut bus) = hart_with(&[0x0005_a507, 0x00a5_b427, 0x0085_b587, 0x00b5_a827]);
        hart.csr.mstatus |= FS_INITIAL;
        hart.x[11] = DRAM_BASE + 0x400;
        bus.ram.write(DRAM_BASE + 0x400, 4, 0x7f80_0001);
        hart.run(&mut bus, 4);
        assert_eq!(hart.csr.mcause, 0, "no trap");
        assert_eq!(hart.f[10], 0xffff_ffff_7f80_0001);
        assert_eq!(hart.f[11], 0xffff_ffff_7f80_0001);
        assert_eq!(
            bus.ram.read(DRAM_BASE + 0x408, 8),
            Some(0xffff_ffff_7f80_0001)
        );
        assert_eq!(bus.ram.read(DRAM_BASE + 0x410, 8), Some(0x7f80_0001));
    }
}

#[cfg(all(test, target_arch = "x86_64", target_os = "linux"))]
mod oracle {
    //! The executor's F/D results and flags against SoftFloat called directly (with an independent
    //! model of NaN-boxing, rm selection, fmin/fmax, comparisons and fclass), on random operands
    //! biased toward special values; and the host fast paths against SoftFloat.

    use super::tests::{bus, FS_INITIAL};
    use super::*;
    use crate::exec::Retired;
    use crate::softfp::oracle::{rounding, sf, Oracle, SPECIAL_D, SPECIAL_S};
    use crate::tests::XorShift;
    use emu_mmu::DRAM_BASE;
    use proptest::prelude::*;
    use proptest::test_runner::Config;
    use softfloat_wrapper::{Float, RoundingMode, F32 as Sf32, F64 as Sf64};

    /// Registers the cases use: rd, rs1, rs2, rs3 (as f or x registers).
    const RD: u8 = 13;
    const RS1: u8 = 10;
    const RS2: u8 = 11;
    const RS3: u8 = 12;

    /// One instruction to run: the operands are f-register contents (a, b, c) and an integer (x).
    #[derive(Clone, Debug)]
    struct Case {
        op: Op,
        a: u64,
        b: u64,
        c: u64,
        x: u64,
        rm: u8,
        frm: u8,
        fflags: u8,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Dest {
        F(u64),
        X(u64),
    }

    /// What executing a case does: the register written and the accrued flags, or an illegal
    /// instruction.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Outcome {
        Done { dest: Dest, fflags: u8, dirty: bool },
        Illegal,
    }

    fn run(c: &Case) -> Outcome {
        let mut hart = Hart::new(0);
        let mut bus = bus();
        hart.pc = DRAM_BASE;
        hart.csr.mstatus = FS_INITIAL;
        hart.fcsr = (c.frm << 5) | c.fflags;
        hart.f[RS1 as usize] = c.a;
        hart.f[RS2 as usize] = c.b;
        hart.f[RS3 as usize] = c.c;
        hart.x[RS1 as usize] = c.x;
        hart.f[RD as usize] = 0x5555_5555_5555_5555;
        hart.x[RD as usize] = 0x5555_5555_5555_5555;
        let inst = Inst::new(c.op, RD, RS1, RS2, RS3, 4, c.rm as i32, 0x1234_5678);
        let mut pc = hart.pc;
        let result = hart.execute(&mut bus, &inst, &mut pc, Retired::exact(0));
        hart.pc = pc;
        match result {
            Err(e) => {
                assert_eq!(e, Exception::IllegalInstruction(0x1234_5678));
                assert_eq!(hart.fcsr, (c.frm << 5) | c.fflags, "fcsr changed by a trap");
                assert_eq!(hart.csr.mstatus, FS_INITIAL, "FS changed by a trap");
                assert_eq!(hart.pc, DRAM_BASE);
                Outcome::Illegal
            }
            Ok(()) => {
                assert_eq!(hart.pc, DRAM_BASE + 4);
                assert_eq!(hart.fcsr >> 5, c.frm, "frm changed");
                let f_written = hart.f[RD as usize] != 0x5555_5555_5555_5555;
                let dest = if f_written || writes_f(c.op) {
                    assert_eq!(hart.x[RD as usize], 0x5555_5555_5555_5555);
                    Dest::F(hart.f[RD as usize])
                } else {
                    Dest::X(hart.x[RD as usize])
                };
                Outcome::Done {
                    dest,
                    fflags: hart.fcsr & 0x1f,
                    dirty: hart.csr.mstatus & MSTATUS_FS == MSTATUS_FS,
                }
            }
        }
    }

    fn writes_f(op: Op) -> bool {
        !matches!(
            op,
            Op::FcvtWS
                | Op::FcvtWuS
                | Op::FcvtLS
                | Op::FcvtLuS
                | Op::FcvtWD
                | Op::FcvtWuD
                | Op::FcvtLD
                | Op::FcvtLuD
                | Op::FmvXW
                | Op::FmvXD
                | Op::FeqS
                | Op::FltS
                | Op::FleS
                | Op::FeqD
                | Op::FltD
                | Op::FleD
                | Op::FclassS
                | Op::FclassD
        )
    }

    fn rounds(op: Op) -> bool {
        !matches!(
            op,
            Op::FsgnjS
                | Op::FsgnjnS
                | Op::FsgnjxS
                | Op::FsgnjD
                | Op::FsgnjnD
                | Op::FsgnjxD
                | Op::FminS
                | Op::FmaxS
                | Op::FminD
                | Op::FmaxD
                | Op::FeqS
                | Op::FltS
                | Op::FleS
                | Op::FeqD
                | Op::FltD
                | Op::FleD
                | Op::FclassS
                | Op::FclassD
                | Op::FmvXW
                | Op::FmvXD
                | Op::FmvWX
                | Op::FmvDX
        )
    }

    fn unbox_ref(v: u64) -> Sf32 {
        Sf32::from_bits(if v & 0xffff_ffff_0000_0000 == 0xffff_ffff_0000_0000 {
            v as u32
        } else {
            0x7fc0_0000
        })
    }

    fn box_ref(v: Sf32) -> Dest {
        Dest::F(0xffff_ffff_0000_0000 | v.to_bits() as u64)
    }

    /// fmin/fmax as Spike computes them (softfloat's quiet comparisons supply NV for sNaN).
    fn min_max_ref<T: Float + Copy>(a: T, b: T, max: bool, nan: T) -> (T, u8) {
        sf(|| {
            let pick_a = if max {
                b.lt_quiet(a) || (b.eq(a) && b.is_negative())
            } else {
                a.lt_quiet(b) || (a.eq(b) && a.is_negative())
            };
            if a.is_nan() && b.is_nan() {
                nan
            } else if pick_a || b.is_nan() {
                a
            } else {
                b
            }
        })
    }

    fn class_ref<T: Float>(a: &T) -> u64 {
        let checks = [
            a.is_negative_infinity(),
            a.is_negative_normal(),
            a.is_negative_subnormal(),
            a.is_negative_zero(),
            a.is_positive_zero(),
            a.is_positive_subnormal(),
            a.is_positive_normal(),
            a.is_positive_infinity(),
            a.is_signaling_nan(),
            a.is_nan() && !a.is_signaling_nan(),
        ];
        let bits: Vec<u64> = (0..10).filter(|&i| checks[i]).map(|i| 1 << i).collect();
        assert_eq!(bits.len(), 1, "one class");
        bits[0]
    }

    fn sign_ref(a: u64, b: u64, sign_bit: u64, op: Sign) -> u64 {
        let s = match op {
            Sign::Copy => b & sign_bit,
            Sign::Negate => (b & sign_bit) ^ sign_bit,
            Sign::Xor => (a ^ b) & sign_bit,
        };
        (a & !sign_bit) | s
    }

    /// The expected outcome of a case.
    fn reference(c: &Case) -> Outcome {
        let rm = if c.rm == 7 { c.frm } else { c.rm };
        if rounds(c.op) && rm > 4 {
            return Outcome::Illegal;
        }
        let m = if rounds(c.op) {
            rounding(rm)
        } else {
            RoundingMode::TiesToEven
        };
        let (sa, sb, sc) = (unbox_ref(c.a), unbox_ref(c.b), unbox_ref(c.c));
        let (da, db, dc) = (
            Sf64::from_bits(c.a),
            Sf64::from_bits(c.b),
            Sf64::from_bits(c.c),
        );
        let s = |(v, f): (Sf32, u8)| (box_ref(v), f);
        let d = |(v, f): (Sf64, u8)| (Dest::F(v.to_bits()), f);
        let x = |(v, f): (u64, u8)| (Dest::X(v), f);
        let nan_s = Sf32::from_bits(0x7fc0_0000);
        let nan_d = Sf64::from_bits(0x7ff8_0000_0000_0000);
        let (dest, flags) = match c.op {
            Op::FaddS => s(sf(|| sa.add(sb, m))),
            Op::FsubS => s(sf(|| sa.sub(sb, m))),
            Op::FmulS => s(sf(|| sa.mul(sb, m))),
            Op::FdivS => s(sf(|| sa.div(sb, m))),
            Op::FsqrtS => s(sf(|| sa.sqrt(m))),
            Op::FmaddS => s(sf(|| sa.fused_mul_add(sb, sc, m))),
            Op::FmsubS => s(sf(|| sa.fused_mul_add(sb, sc.neg(), m))),
            Op::FnmsubS => s(sf(|| sa.neg().fused_mul_add(sb, sc, m))),
            Op::FnmaddS => s(sf(|| sa.neg().fused_mul_add(sb, sc.neg(), m))),
            Op::FaddD => d(sf(|| da.add(db, m))),
            Op::FsubD => d(sf(|| da.sub(db, m))),
            Op::FmulD => d(sf(|| da.mul(db, m))),
            Op::FdivD => d(sf(|| da.div(db, m))),
            Op::FsqrtD => d(sf(|| da.sqrt(m))),
            Op::FmaddD => d(sf(|| da.fused_mul_add(db, dc, m))),
            Op::FmsubD => d(sf(|| da.fused_mul_add(db, dc.neg(), m))),
            Op::FnmsubD => d(sf(|| da.neg().fused_mul_add(db, dc, m))),
            Op::FnmaddD => d(sf(|| da.neg().fused_mul_add(db, dc.neg(), m))),
            Op::FsgnjS | Op::FsgnjnS | Op::FsgnjxS => {
                let op = match c.op {
                    Op::FsgnjS => Sign::Copy,
                    Op::FsgnjnS => Sign::Negate,
                    _ => Sign::Xor,
                };
                let v = sign_ref(sa.to_bits() as u64, sb.to_bits() as u64, 1 << 31, op);
                (box_ref(Sf32::from_bits(v as u32)), 0)
            }
            Op::FsgnjD | Op::FsgnjnD | Op::FsgnjxD => {
                let op = match c.op {
                    Op::FsgnjD => Sign::Copy,
                    Op::FsgnjnD => Sign::Negate,
                    _ => Sign::Xor,
                };
                (Dest::F(sign_ref(c.a, c.b, 1 << 63, op)), 0)
            }
            Op::FminS => s(min_max_ref(sa, sb, false, nan_s)),
            Op::FmaxS => s(min_max_ref(sa, sb, true, nan_s)),
            Op::FminD => d(min_max_ref(da, db, false, nan_d)),
            Op::FmaxD => d(min_max_ref(da, db, true, nan_d)),
            Op::FeqS => x(sf(|| sa.eq(sb) as u64)),
            Op::FltS => x(sf(|| sa.lt(sb) as u64)),
            Op::FleS => x(sf(|| sa.le(sb) as u64)),
            Op::FeqD => x(sf(|| da.eq(db) as u64)),
            Op::FltD => x(sf(|| da.lt(db) as u64)),
            Op::FleD => x(sf(|| da.le(db) as u64)),
            Op::FclassS => (Dest::X(class_ref(&sa)), 0),
            Op::FclassD => (Dest::X(class_ref(&da)), 0),
            Op::FcvtWS => x(sf(|| sa.to_i32(m, true) as i64 as u64)),
            Op::FcvtWuS => x(sf(|| sa.to_u32(m, true) as i32 as i64 as u64)),
            Op::FcvtLS => x(sf(|| sa.to_i64(m, true) as u64)),
            Op::FcvtLuS => x(sf(|| sa.to_u64(m, true))),
            Op::FcvtWD => x(sf(|| da.to_i32(m, true) as i64 as u64)),
            Op::FcvtWuD => x(sf(|| da.to_u32(m, true) as i32 as i64 as u64)),
            Op::FcvtLD => x(sf(|| da.to_i64(m, true) as u64)),
            Op::FcvtLuD => x(sf(|| da.to_u64(m, true))),
            Op::FcvtSW => s(sf(|| Sf32::from_i32(c.x as i32, m))),
            Op::FcvtSWu => s(sf(|| Sf32::from_u32(c.x as u32, m))),
            Op::FcvtSL => s(sf(|| Sf32::from_i64(c.x as i64, m))),
            Op::FcvtSLu => s(sf(|| Sf32::from_u64(c.x, m))),
            Op::FcvtDW => d(sf(|| Sf64::from_i32(c.x as i32, m))),
            Op::FcvtDWu => d(sf(|| Sf64::from_u32(c.x as u32, m))),
            Op::FcvtDL => d(sf(|| Sf64::from_i64(c.x as i64, m))),
            Op::FcvtDLu => d(sf(|| Sf64::from_u64(c.x, m))),
            Op::FcvtSD => s(sf(|| da.to_f32(m))),
            Op::FcvtDS => d(sf(|| sa.to_f64(m))),
            Op::FmvXW => (Dest::X(c.a as u32 as i32 as i64 as u64), 0),
            Op::FmvXD => (Dest::X(c.a), 0),
            Op::FmvWX => (Dest::F(0xffff_ffff_0000_0000 | (c.x & 0xffff_ffff)), 0),
            Op::FmvDX => (Dest::F(c.x), 0),
            op => panic!("{op:?} has no reference"),
        };
        Outcome::Done {
            dest,
            fflags: c.fflags | flags,
            dirty: writes_f(c.op) || flags != 0,
        }
    }

    /// Single-precision bit patterns, biased toward special values, exponent edges and values with
    /// short significands (exact results).
    fn single() -> impl Strategy<Value = u32> {
        let exps = vec![
            0u32, 1, 2, 3, 23, 24, 25, 103, 104, 125, 126, 127, 128, 150, 151, 157, 158, 159, 189,
            190, 191, 252, 253, 254, 255,
        ];
        prop_oneof![
            4 => prop::sample::select(SPECIAL_S),
            3 => any::<u32>(),
            3 => (any::<bool>(), prop::sample::select(exps), any::<u32>())
                .prop_map(|(s, e, f)| ((s as u32) << 31) | (e << 23) | (f & 0x7f_ffff)),
            2 => (any::<bool>(), 0u32..255, any::<u8>())
                .prop_map(|(s, e, f)| ((s as u32) << 31) | (e << 23) | ((f as u32) << 15)),
            1 => any::<i16>().prop_map(|i| (i as f32).to_bits()),
        ]
    }

    fn double() -> impl Strategy<Value = u64> {
        let exps = vec![
            0u64, 1, 2, 3, 52, 53, 54, 894, 895, 896, 897, 920, 1021, 1022, 1023, 1024, 1052, 1053,
            1054, 1055, 1085, 1086, 1087, 1150, 1151, 1152, 2045, 2046, 2047,
        ];
        prop_oneof![
            4 => prop::sample::select(SPECIAL_D),
            3 => any::<u64>(),
            3 => (any::<bool>(), prop::sample::select(exps), any::<u64>()).prop_map(|(s, e, f)| {
                ((s as u64) << 63) | (e << 52) | (f & 0x000f_ffff_ffff_ffff)
            }),
            2 => (any::<bool>(), 0u64..2047, any::<u16>())
                .prop_map(|(s, e, f)| ((s as u64) << 63) | (e << 52) | ((f as u64) << 36)),
            1 => any::<i32>().prop_map(|i| (i as f64).to_bits()),
            // Singles widened: exact single-precision values, and what fcvt.s.d rounds.
            1 => single().prop_map(|s| (f32::from_bits(s) as f64).to_bits()),
        ]
    }

    /// f-register contents for single-precision operands: mostly properly NaN-boxed.
    fn boxed_single() -> impl Strategy<Value = u64> {
        prop_oneof![
            12 => single().prop_map(|s| 0xffff_ffff_0000_0000 | s as u64),
            1 => single().prop_map(|s| s as u64),
            1 => (any::<u32>(), single()).prop_map(|(hi, s)| ((hi as u64) << 32) | s as u64),
        ]
    }

    fn integer() -> impl Strategy<Value = u64> {
        let special = vec![
            0u64,
            1,
            u64::MAX,
            i32::MAX as u64,
            i32::MIN as i64 as u64,
            i32::MIN as u32 as u64,
            u32::MAX as u64,
            i64::MAX as u64,
            i64::MIN as u64,
            (1 << 24) + 1,
            (1 << 53) + 1,
            0xffff_ffff_0000_0001,
        ];
        prop_oneof![
            2 => prop::sample::select(special),
            2 => any::<u64>(),
            1 => any::<i32>().prop_map(|v| v as i64 as u64),
            1 => (any::<u64>(), 0u32..64).prop_map(|(v, s)| v >> s),
        ]
    }

    /// A rounding-mode field: mostly valid; frm likewise (both sometimes reserved).
    fn rm() -> impl Strategy<Value = u8> {
        prop_oneof![8 => 0u8..5, 4 => Just(7u8), 1 => 5u8..7]
    }

    fn frm() -> impl Strategy<Value = u8> {
        prop_oneof![10 => 0u8..5, 1 => 5u8..8]
    }

    const OPS_S: &[Op] = &[
        Op::FaddS,
        Op::FsubS,
        Op::FmulS,
        Op::FdivS,
        Op::FsqrtS,
        Op::FmaddS,
        Op::FmsubS,
        Op::FnmsubS,
        Op::FnmaddS,
        Op::FsgnjS,
        Op::FsgnjnS,
        Op::FsgnjxS,
        Op::FminS,
        Op::FmaxS,
        Op::FeqS,
        Op::FltS,
        Op::FleS,
        Op::FclassS,
        Op::FcvtWS,
        Op::FcvtWuS,
        Op::FcvtLS,
        Op::FcvtLuS,
        Op::FcvtDS,
        Op::FmvXW,
    ];

    const OPS_D: &[Op] = &[
        Op::FaddD,
        Op::FsubD,
        Op::FmulD,
        Op::FdivD,
        Op::FsqrtD,
        Op::FmaddD,
        Op::FmsubD,
        Op::FnmsubD,
        Op::FnmaddD,
        Op::FsgnjD,
        Op::FsgnjnD,
        Op::FsgnjxD,
        Op::FminD,
        Op::FmaxD,
        Op::FeqD,
        Op::FltD,
        Op::FleD,
        Op::FclassD,
        Op::FcvtWD,
        Op::FcvtWuD,
        Op::FcvtLD,
        Op::FcvtLuD,
        Op::FcvtSD,
        Op::FmvXD,
    ];

    const OPS_FROM_INT: &[Op] = &[
        Op::FcvtSW,
        Op::FcvtSWu,
        Op::FcvtSL,
        Op::FcvtSLu,
        Op::FcvtDW,
        Op::FcvtDWu,
        Op::FcvtDL,
        Op::FcvtDLu,
        Op::FmvWX,
        Op::FmvDX,
    ];

    /// The second operand: independent, or related to the first (equal, opposite sign, one ulp
    /// away), which is where comparisons, fmin/fmax and subtraction have their edge cases.
    fn related(a: u64, b: u64, relation: u8, sign: u64) -> u64 {
        match relation {
            0 => a,
            1 => a ^ sign,
            2 => a.wrapping_add(1),
            3 => a.wrapping_sub(1),
            _ => b,
        }
    }

    fn relation() -> impl Strategy<Value = u8> {
        prop_oneof![3 => 0u8..4, 5 => Just(4u8)]
    }

    fn check(c: Case) -> Result<(), TestCaseError> {
        let expected = reference(&c);
        let got = run(&c);
        prop_assert_eq!(got, expected, "{:x?}", c);
        Ok(())
    }

    fn config(cases: u32) -> Config {
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        }
    }

    proptest! {
        #![proptest_config(config(40_000))]
        #[test]
        fn single_precision_matches_softfloat(
            op in prop::sample::select(OPS_S),
            a in boxed_single(),
            b in boxed_single(),
            c in boxed_single(),
            rel in relation(),
            rm in rm(),
            frm in frm(),
            fflags in prop_oneof![3 => Just(0u8), 1 => 0u8..32],
        ) {
            let b = related(a, b, rel, 1 << 31);
            check(Case { op, a, b, c, x: 0, rm, frm, fflags })?;
        }

        #[test]
        fn double_precision_matches_softfloat(
            op in prop::sample::select(OPS_D),
            a in double(),
            b in double(),
            c in double(),
            rel in relation(),
            rm in rm(),
            frm in frm(),
            fflags in prop_oneof![3 => Just(0u8), 1 => 0u8..32],
        ) {
            let b = related(a, b, rel, 1 << 63);
            check(Case { op, a, b, c, x: 0, rm, frm, fflags })?;
        }
    }

    proptest! {
        #![proptest_config(config(10_000))]
        #[test]
        fn conversions_from_integers_match_softfloat(
            op in prop::sample::select(OPS_FROM_INT),
            x in integer(),
            rm in rm(),
            frm in frm(),
        ) {
            check(Case { op, a: 0, b: 0, c: 0, x, rm, frm, fflags: 0 })?;
        }
    }

    /// The host fast paths against SoftFloat on a million operand triples per format, biased
    /// toward the cases they must refuse or get exactly right (short significands, exponent
    /// extremes).
    #[test]
    fn fast_path_matches_softfloat() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        // How often the arithmetic, square root and fma fast paths answered.
        let mut answered = [0u32; 3];
        for i in 0..1_000_000u32 {
            let op = [Arith::Add, Arith::Sub, Arith::Mul, Arith::Div][(i & 3) as usize];
            let mut gen_s = || {
                let r = rng.next();
                let bits = match (r >> 60) & 3 {
                    0 => r as u32,
                    // Short significand: exact sums, products and quotients.
                    1 => (r as u32 & 0xff80_0000) | ((r >> 32) as u32 & 0x007f_0000),
                    // Near the ends of the exponent range.
                    2 => {
                        let e = [0u32, 1, 2, 126, 127, 252, 253, 254][(r >> 40) as usize & 7];
                        (r as u32 & 0x807f_ffff) | (e << 23)
                    }
                    _ => SPECIAL_S[(r >> 32) as usize % SPECIAL_S.len()],
                };
                bits as u64
            };
            check_fast_paths::<F32>(op, (gen_s(), gen_s(), gen_s()), &mut answered);
            let mut gen_d = || {
                let r = rng.next();
                match (r >> 60) & 3 {
                    0 => rng.next(),
                    1 => r & 0xfff0_07ff_0000_0000,
                    2 => {
                        let e = [0u64, 1, 2, 1022, 1023, 2044, 2045, 2046][(r >> 40) as usize & 7];
                        (r & 0x800f_ffff_ffff_ffff) | (e << 52)
                    }
                    _ => SPECIAL_D[(r >> 32) as usize % SPECIAL_D.len()],
                }
            };
            check_fast_paths::<F64>(op, (gen_d(), gen_d(), gen_d()), &mut answered);
        }
        assert!(answered[0] > 500_000, "arithmetic answered {}", answered[0]);
        assert!(answered[1] > 300_000, "sqrt answered {}", answered[1]);
        assert!(answered[2] > 300_000, "fma answered {}", answered[2]);
    }

    /// Operands `a`, `b`, `c` through the fast paths of format `T` (`op`, the square root of
    /// `a`, and a*b+c), each against SoftFloat; `answered` counts the times each answered.
    fn check_fast_paths<T: Oracle + fast::Host>(
        op: Arith,
        (a, b, c): (u64, u64, u64),
        answered: &mut [u32; 3],
    ) {
        let soft = oracle_arith::<T>(op, a, b);
        if let Some(fast) = T::fast(op, a, b, false) {
            answered[0] += 1;
            assert_eq!(fast, soft, "{op:?} {a:#x} {b:#x}");
        }
        // With NX already accrued: the same bits, and no flag but NX.
        if let Some((bits, flags)) = T::fast(op, a, b, true) {
            assert_eq!((bits, flags | soft.1), (soft.0, NX), "{op:?} {a:#x} {b:#x}");
        }
        let soft = oracle_sqrt::<T>(a);
        if let Some(fast) = T::fast_sqrt(a, false) {
            answered[1] += 1;
            assert_eq!(fast, soft, "sqrt {a:#x}");
        }
        if let Some((bits, flags)) = T::fast_sqrt(a, true) {
            assert_eq!((bits, flags | soft.1), (soft.0, NX), "sqrt {a:#x}");
        }
        // The fused multiply-add is only ever asked with NX accrued.
        let soft = oracle_fma::<T>(a, b, c);
        if let Some((bits, flags)) = T::fast_fma(a, b, c) {
            answered[2] += 1;
            let expected = (soft.0, NX);
            assert_eq!((bits, flags | soft.1), expected, "fma {a:#x} {b:#x} {c:#x}");
        }
    }

    /// SoftFloat's round-to-nearest-even add, sub, mul or div.
    fn oracle_arith<T: Oracle>(op: Arith, a: u64, b: u64) -> (u64, u8) {
        let (a, b, m) = (T::sf(a), T::sf(b), RoundingMode::TiesToEven);
        sf(|| {
            T::bits(match op {
                Arith::Add => a.add(b, m),
                Arith::Sub => a.sub(b, m),
                Arith::Mul => a.mul(b, m),
                Arith::Div => a.div(b, m),
            })
        })
    }

    /// SoftFloat's round-to-nearest-even square root.
    fn oracle_sqrt<T: Oracle>(a: u64) -> (u64, u8) {
        sf(|| T::bits(T::sf(a).sqrt(RoundingMode::TiesToEven)))
    }

    /// SoftFloat's round-to-nearest-even a*b+c.
    fn oracle_fma<T: Oracle>(a: u64, b: u64, c: u64) -> (u64, u8) {
        let (a, b, c) = (T::sf(a), T::sf(b), T::sf(c));
        sf(|| T::bits(a.fused_mul_add(b, c, RoundingMode::TiesToEven)))
    }
}
