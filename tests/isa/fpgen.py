#!/usr/bin/env python3
"""Generates the F/D arithmetic and conversion test programs: tests/isa/rv64f.S, rv64f_cvt.S,
rv64d.S and rv64d_cvt.S (`python3 tests/isa/fpgen.py` rewrites them).

The expected results and flags come from the exact model of IEEE 754-2019 binary arithmetic below,
written from the standard and the RISC-V F/D chapters with Python's exact rationals: it shares no
code with emu's exact path (cpu/src/softfp.rs), SoftFloat (its tests' oracle) or QEMU (on whose
spike machine the programs were checked), so they agree independently. RISC-V specifics modelled: tininess is detected after rounding;
every NaN result is the canonical NaN; fmin/fmax are minimumNumber/maximumNumber with -0 < +0; a
fused multiply-add of inf * 0 is invalid even when the addend is a quiet NaN; out-of-range and NaN
conversions to integers saturate (NaN to the largest positive value) and raise NV without NX;
32-bit integer results (including fcvt.wu) are sign-extended.
"""

from fractions import Fraction as Fr
import math
import os
import textwrap

RNE, RTZ, RDN, RUP, RMM = "rne", "rtz", "rdn", "rup", "rmm"
MODES = [RNE, RTZ, RDN, RUP, RMM]
NX, UF, OF, DZ, NV = 1, 2, 4, 8, 16
FLAG_NAMES = [(NV, "NV"), (DZ, "DZ"), (OF, "OF"), (UF, "UF"), (NX, "NX")]


class Fmt:
    def __init__(self, name, ebits, p):
        self.name, self.ebits, self.p = name, ebits, p
        self.width = ebits + p
        self.bias = (1 << (ebits - 1)) - 1
        self.emin, self.emax = 1 - self.bias, self.bias
        self.sign = 1 << (self.width - 1)
        self.exp_mask = ((1 << ebits) - 1) << (p - 1)
        self.frac_mask = (1 << (p - 1)) - 1
        self.quiet = 1 << (p - 2)
        self.nan = self.exp_mask | self.quiet
        self.inf = self.exp_mask
        self.max = self.exp_mask - 1


S = Fmt("s", 8, 24)
D = Fmt("d", 11, 53)


def is_nan(f, b):
    return b & f.exp_mask == f.exp_mask and b & f.frac_mask != 0


def is_snan(f, b):
    return is_nan(f, b) and b & f.quiet == 0


def is_inf(f, b):
    return b & ~f.sign == f.inf


def is_zero(f, b):
    return b & ~f.sign == 0


def neg(f, b):
    return bool(b & f.sign)


def value(f, b):
    """The exact value of a finite bit pattern."""
    e = (b & f.exp_mask) >> (f.p - 1)
    m = b & f.frac_mask
    if e == 0:
        v = Fr(m) * Fr(2) ** (f.emin - (f.p - 1))
    else:
        v = Fr(m | (1 << (f.p - 1))) * Fr(2) ** (e - f.bias - (f.p - 1))
    return -v if neg(f, b) else v


def zero(f, negative):
    return f.sign if negative else 0


def floor_log2(a):
    e = a.numerator.bit_length() - a.denominator.bit_length()
    while Fr(2) ** e > a:
        e -= 1
    while Fr(2) ** (e + 1) <= a:
        e += 1
    return e


def round_int(a, negative, rm):
    """Rounds a >= 0 (the magnitude of a value with the given sign) to an integer."""
    fl = a.numerator // a.denominator
    rem = a - fl
    if rem == 0:
        return fl, False
    half = Fr(1, 2)
    up = {
        RNE: rem > half or (rem == half and fl % 2 == 1),
        RTZ: False,
        RDN: negative,
        RUP: not negative,
        RMM: rem >= half,
    }[rm]
    return fl + int(up), True


def encode(f, r, negative):
    if r == 0:
        return zero(f, negative)
    e = floor_log2(r)
    if e < f.emin:
        frac = r / Fr(2) ** (f.emin - (f.p - 1))
        assert frac.denominator == 1
        bits = int(frac)
    else:
        m = r / Fr(2) ** (e - (f.p - 1))
        assert m.denominator == 1
        bits = ((e + f.bias) << (f.p - 1)) | (int(m) & f.frac_mask)
    return bits | (f.sign if negative else 0)


def round_to(f, x, rm):
    """Rounds the nonzero exact value x to format f: (bits, flags)."""
    negative = x < 0
    a = abs(x)
    e = floor_log2(a)
    # Tininess after rounding: rounded to p bits with an unbounded exponent, below 2^emin.
    q_unbounded = Fr(2) ** (e - (f.p - 1))
    m, _ = round_int(a / q_unbounded, negative, rm)
    tiny = m * q_unbounded < Fr(2) ** f.emin
    q = Fr(2) ** (max(e, f.emin) - (f.p - 1))
    m, inexact = round_int(a / q, negative, rm)
    r = m * q
    if r >= Fr(2) ** (f.emax + 1):
        to_inf = rm in (RNE, RMM) or (rm == RUP and not negative) or (rm == RDN and negative)
        return (f.inf if to_inf else f.max) | (f.sign if negative else 0), OF | NX
    flags = 0
    if inexact:
        flags |= NX
        if tiny:
            flags |= UF
    return encode(f, r, negative), flags


def nan_result(f, *ops):
    return f.nan, NV if any(is_snan(f, b) for b in ops) else 0


def exact_zero_sum(f, za, sa, zb, sb, rm):
    """The sign of an exact zero sum: x + y with both zeros of one sign keeps it; otherwise +0
    (-0 when rounding down)."""
    if za and zb and sa == sb:
        return zero(f, sa)
    return zero(f, rm == RDN)


def add(f, a, b, rm):
    if is_nan(f, a) or is_nan(f, b):
        return nan_result(f, a, b)
    if is_inf(f, a) and is_inf(f, b):
        return (a, 0) if neg(f, a) == neg(f, b) else (f.nan, NV)
    if is_inf(f, a):
        return a, 0
    if is_inf(f, b):
        return b, 0
    s = value(f, a) + value(f, b)
    if s == 0:
        return exact_zero_sum(f, is_zero(f, a), neg(f, a), is_zero(f, b), neg(f, b), rm), 0
    return round_to(f, s, rm)


def sub(f, a, b, rm):
    if is_nan(f, b):
        return add(f, a, b, rm)
    return add(f, a, b ^ f.sign, rm)


def mul(f, a, b, rm):
    if is_nan(f, a) or is_nan(f, b):
        return nan_result(f, a, b)
    sign = neg(f, a) != neg(f, b)
    if (is_inf(f, a) and is_zero(f, b)) or (is_zero(f, a) and is_inf(f, b)):
        return f.nan, NV
    if is_inf(f, a) or is_inf(f, b):
        return f.inf | zero(f, sign), 0
    if is_zero(f, a) or is_zero(f, b):
        return zero(f, sign), 0
    return round_to(f, value(f, a) * value(f, b), rm)


def div(f, a, b, rm):
    if is_nan(f, a) or is_nan(f, b):
        return nan_result(f, a, b)
    sign = neg(f, a) != neg(f, b)
    if (is_inf(f, a) and is_inf(f, b)) or (is_zero(f, a) and is_zero(f, b)):
        return f.nan, NV
    if is_inf(f, a):
        return f.inf | zero(f, sign), 0
    if is_inf(f, b):
        return zero(f, sign), 0
    if is_zero(f, b):
        return f.inf | zero(f, sign), DZ
    if is_zero(f, a):
        return zero(f, sign), 0
    return round_to(f, value(f, a) / value(f, b), rm)


def sqrt(f, a, rm):
    if is_nan(f, a):
        return nan_result(f, a)
    if is_zero(f, a):
        return a, 0
    if neg(f, a):
        return f.nan, NV
    if is_inf(f, a):
        return a, 0
    v = value(f, a)
    # Far more fraction bits than any rounding boundary needs, even for the smallest subnormal.
    k = 2 * (f.bias + f.p) + 64
    n = v * Fr(2) ** (2 * k)
    n_int = n.numerator // n.denominator
    r = math.isqrt(n_int)
    if r * r == n and n.denominator == 1:
        return round_to(f, Fr(r) / Fr(2) ** k, rm)
    # Not exact: the true root lies strictly between r and r + 1 (in units of 2^-k), where no
    # rounding boundary is; the midpoint stands for it.
    return round_to(f, (Fr(r) + Fr(1, 2)) / Fr(2) ** k, rm)


def fma(f, a, b, c, rm, negate_product=False, negate_addend=False):
    if negate_product and not is_nan(f, a):
        a ^= f.sign
    if negate_addend and not is_nan(f, c):
        c ^= f.sign
    inf_times_zero = (is_inf(f, a) and is_zero(f, b)) or (is_zero(f, a) and is_inf(f, b))
    if is_nan(f, a) or is_nan(f, b) or is_nan(f, c):
        flags = NV if any(is_snan(f, x) for x in (a, b, c)) or inf_times_zero else 0
        return f.nan, flags
    if inf_times_zero:
        return f.nan, NV
    psign = neg(f, a) != neg(f, b)
    if is_inf(f, a) or is_inf(f, b):
        if is_inf(f, c) and neg(f, c) != psign:
            return f.nan, NV
        return f.inf | zero(f, psign), 0
    if is_inf(f, c):
        return c, 0
    pzero = is_zero(f, a) or is_zero(f, b)
    p = Fr(0) if pzero else value(f, a) * value(f, b)
    s = p + value(f, c)
    if s == 0:
        return exact_zero_sum(f, pzero, psign, is_zero(f, c), neg(f, c), rm), 0
    return round_to(f, s, rm)


def order_key(f, b):
    return (~b & (f.sign | (f.sign - 1))) if neg(f, b) else (b | f.sign)


def min_max(f, a, b, is_max):
    flags = NV if is_snan(f, a) or is_snan(f, b) else 0
    if is_nan(f, a) and is_nan(f, b):
        return f.nan, flags
    if is_nan(f, a):
        return b, flags
    if is_nan(f, b):
        return a, flags
    a_less = order_key(f, a) < order_key(f, b)
    return (b if a_less else a) if is_max else (a if a_less else b), flags


def compare(f, a, b, op):
    if is_nan(f, a) or is_nan(f, b):
        signaling = op != "eq" or is_snan(f, a) or is_snan(f, b)
        return 0, NV if signaling else 0
    va, vb = value(f, a), value(f, b)
    return int({"eq": va == vb, "lt": va < vb, "le": va <= vb}[op]), 0


def fclass(f, a):
    n = neg(f, a)
    if is_nan(f, a):
        return 1 << (8 if is_snan(f, a) else 9)
    if is_inf(f, a):
        return 1 << (0 if n else 7)
    if is_zero(f, a):
        return 1 << (3 if n else 4)
    subnormal = a & f.exp_mask == 0
    if subnormal:
        return 1 << (2 if n else 5)
    return 1 << (1 if n else 6)


def sgnj(f, a, b, kind):
    s = {"": b & f.sign, "n": (b & f.sign) ^ f.sign, "x": (a ^ b) & f.sign}[kind]
    return (a & ~f.sign) | s


INT_RANGE = {
    "w": (-(1 << 31), (1 << 31) - 1),
    "wu": (0, (1 << 32) - 1),
    "l": (-(1 << 63), (1 << 63) - 1),
    "lu": (0, (1 << 64) - 1),
}


def to_u64(n, kind):
    """The x-register value of integer n of type kind (32-bit types sign-extended from bit 31)."""
    if kind in ("w", "wu"):
        n &= 0xFFFFFFFF
        if n & 0x80000000:
            n |= 0xFFFFFFFF00000000
    return n & 0xFFFFFFFFFFFFFFFF


def to_int(f, a, kind, rm):
    lo, hi = INT_RANGE[kind]
    if is_nan(f, a):
        return to_u64(hi, kind), NV
    if is_inf(f, a):
        return to_u64(lo if neg(f, a) else hi, kind), NV
    v = value(f, a)
    m, inexact = round_int(abs(v), v < 0, rm)
    n = -m if v < 0 else m
    if n < lo or n > hi:
        return to_u64(lo if n < lo else hi, kind), NV
    return to_u64(n, kind), NX if inexact else 0


def from_int(f, x, kind, rm):
    if kind == "w":
        n = x & 0xFFFFFFFF
        n = n - (1 << 32) if n & 0x80000000 else n
    elif kind == "wu":
        n = x & 0xFFFFFFFF
    elif kind == "l":
        n = x - (1 << 64) if x & (1 << 63) else x
    else:
        n = x
    if n == 0:
        return 0, 0
    return round_to(f, Fr(n), rm)


def convert(src, dst, a, rm):
    """fcvt.s.d / fcvt.d.s."""
    if is_nan(src, a):
        return dst.nan, NV if is_snan(src, a) else 0
    negative = neg(src, a)
    if is_inf(src, a):
        return dst.inf | zero(dst, negative), 0
    if is_zero(src, a):
        return zero(dst, negative), 0
    return round_to(dst, value(src, a), rm)


# ---------------------------------------------------------------------------------------------
# Test program emission
# ---------------------------------------------------------------------------------------------


def flags_text(flags):
    names = [n for bit, n in FLAG_NAMES if flags & bit]
    return "|".join(names) if names else "0"


class Program:
    def __init__(self, name, title, description):
        self.name = name
        self.lines = []
        self.num = 2
        self.title = title
        self.description = description

    def section(self, text):
        self.lines.append("")
        self.lines.append(f"    /* ---- {text} " + "-" * max(3, 84 - len(text)) + " */")

    def case(self, comment, loads, op, rm, flags, check):
        """One case: load operands, run `op` from cleared flags, check flags and the result.
        `rm` is a static mode, None (no rm operand), or ("dyn", mode) to run with frm = mode."""
        assert self.num <= 207, f"{self.name}: too many cases"
        if comment:
            self.lines.append(f"    /* {comment} */")
        pre = []
        text = op
        if isinstance(rm, tuple):
            pre.append(f"fsrmi {MODES.index(rm[1])}")
            text += ", dyn"
        elif rm is not None:
            text += f", {rm}"
        if loads or pre:
            line = "    " + "; ".join(loads + pre)
            if len(line) <= 100:
                self.lines.append(line)
            else:
                self.lines += ["    " + x for x in loads + pre]
        self.lines.append(f"    FP_CASE({self.num}, {flags_text(flags)}, {text})")
        self.lines.append(f"    {check}")
        self.num += 1

    def write(self, path):
        header = [
            f"/* {self.title}",
            " *",
        ]
        text = " ".join(self.description.split())
        header += [f" * {line}" for line in textwrap.wrap(text, width=96)]
        header += [
            " *",
            " * Generated by tests/isa/fpgen.py, whose exact model of IEEE 754 arithmetic gives the",
            " * expected results and fflags; checked on QEMU's spike machine. Do not edit by hand.",
            " */",
            '#include "fp.h"',
            "",
            "TEST_BEGIN",
            "    FP_ENABLE",
        ]
        footer = ["", "TEST_END", ""]
        with open(path, "w") as out:
            out.write("\n".join(header + self.lines + footer))


def hexs(f, b):
    return f"{b:#0{2 + f.width // 4}x}"


def load(f, reg, b):
    return f"LOAD_{f.name.upper()}({reg}, {hexs(f, b)})"


def check(f, reg, b):
    return f"CHECK_{f.name.upper()}({reg}, {hexs(f, b)})"


def rm_mode(rm):
    return rm[1] if isinstance(rm, tuple) else rm


def all_modes():
    """Every static mode, then every mode through frm (dyn)."""
    return MODES + [("dyn", m) for m in MODES]


def binary(prog, f, opname, fn, a, b, rm, comment=""):
    r, flags = fn(f, a, b, rm_mode(rm) if rm else RNE)
    prog.case(
        comment,
        [load(f, "fa0", a), load(f, "fa1", b)],
        f"{opname}.{f.name} fa2, fa0, fa1",
        rm,
        flags,
        check(f, "fa2", r),
    )


def unary(prog, f, opname, fn, a, rm, comment=""):
    r, flags = fn(f, a, rm_mode(rm))
    prog.case(comment, [load(f, "fa0", a)], f"{opname}.{f.name} fa2, fa0", rm, flags, check(f, "fa2", r))


def fused(prog, f, opname, a, b, c, rm, comment=""):
    negp, negc = {"fmadd": (0, 0), "fmsub": (0, 1), "fnmsub": (1, 0), "fnmadd": (1, 1)}[opname]
    r, flags = fma(f, a, b, c, rm_mode(rm), negp, negc)
    prog.case(
        comment,
        [load(f, "fa0", a), load(f, "fa1", b), load(f, "fa3", c)],
        f"{opname}.{f.name} fa2, fa0, fa1, fa3",
        rm,
        flags,
        check(f, "fa2", r),
    )


def cmp_case(prog, f, op, a, b, comment=""):
    r, flags = compare(f, a, b, op)
    prog.case(
        comment,
        [load(f, "fa0", a), load(f, "fa1", b)],
        f"f{op}.{f.name} a0, fa0, fa1",
        None,
        flags,
        f"CHECK_X(a0, {r})",
    )


def minmax_case(prog, f, is_max, a, b, comment=""):
    r, flags = min_max(f, a, b, is_max)
    name = "fmax" if is_max else "fmin"
    prog.case(
        comment,
        [load(f, "fa0", a), load(f, "fa1", b)],
        f"{name}.{f.name} fa2, fa0, fa1",
        None,
        flags,
        check(f, "fa2", r),
    )


def sgnj_case(prog, f, kind, a, b, comment=""):
    r = sgnj(f, a, b, kind)
    prog.case(
        comment,
        [load(f, "fa0", a), load(f, "fa1", b)],
        f"fsgnj{kind}.{f.name} fa2, fa0, fa1",
        None,
        0,
        check(f, "fa2", r),
    )


def class_case(prog, f, a, comment=""):
    prog.case(
        comment, [load(f, "fa0", a)], f"fclass.{f.name} a0, fa0", None, 0, f"CHECK_X(a0, {fclass(f, a):#x})"
    )


def to_int_case(prog, f, kind, a, rm, comment=""):
    r, flags = to_int(f, a, kind, rm_mode(rm))
    prog.case(
        comment,
        [load(f, "fa0", a)],
        f"fcvt.{kind}.{f.name} a0, fa0",
        rm,
        flags,
        f"CHECK_X(a0, {r:#018x})",
    )


def from_int_case(prog, f, kind, x, rm, comment=""):
    if f is D and kind in ("w", "wu"):
        rm = None  # exact; binutils 2.40 takes no rounding-mode operand for these
    r, flags = from_int(f, x, kind, rm_mode(rm) if rm else RNE)
    prog.case(
        comment,
        [f"li a0, {x:#018x}"],
        f"fcvt.{f.name}.{kind} fa2, a0",
        rm,
        flags,
        check(f, "fa2", r),
    )


def convert_case(prog, src, dst, a, rm, comment=""):
    r, flags = convert(src, dst, a, rm_mode(rm) if rm else RNE)
    prog.case(
        comment,
        [load(src, "fa0", a)],
        f"fcvt.{dst.name}.{src.name} fa2, fa0",
        rm,
        flags,
        check(dst, "fa2", r),
    )


# Named values, per format.
def values(f):
    p, bias = f.p, f.bias

    def num(x):
        r, flags = round_to(f, Fr(x), RNE)
        assert flags == 0, x
        return r

    v = {
        "+0": 0,
        "-0": f.sign,
        "+inf": f.inf,
        "-inf": f.inf | f.sign,
        "qnan": f.nan,
        "-qnan": f.nan | f.sign,
        "qnan_payload": f.nan | 1,
        "snan": f.inf | 1,
        "-snan": f.inf | 1 | f.sign,
        "minsub": 1,
        "-minsub": 1 | f.sign,
        "maxsub": f.frac_mask,
        "minnorm": 1 << (p - 1),
        "-minnorm": (1 << (p - 1)) | f.sign,
        "max": f.max,
        "-max": f.max | f.sign,
        "1": num(1),
        "-1": num(-1),
        "2": num(2),
        "3": num(3),
        "-3": num(-3),
        "4": num(4),
        "5": num(5),
        "0.5": num(Fr(1, 2)),
        "-0.5": num(Fr(-1, 2)),
        "1.5": num(Fr(3, 2)),
        "-1.5": num(Fr(-3, 2)),
        "2.5": num(Fr(5, 2)),
        "-2.5": num(Fr(-5, 2)),
        "ulp1": num(Fr(1, 2 ** (p - 1))),  # ulp of 1
        "halfulp1": num(Fr(1, 2**p)),  # half an ulp of 1
        "1-ulp": num(1 - Fr(1, 2**p)),  # largest below 1
        "1+ulp": num(1 + Fr(1, 2 ** (p - 1))),
    }
    return v


def gen_arith(f, path, title, misc_path, misc_title):
    v = values(f)
    P = Program(path, title, ARITH_DESCRIPTION.replace("FMT", f.name))
    n = f.name
    a1, half, ulp = v["1"], v["halfulp1"], v["ulp1"]
    three_quarter_ulp = round_to(f, Fr(3, 2 ** (f.p + 1)), RNE)[0]

    P.section(f"fadd.{n}: every rounding mode, static and dynamic (frm)")
    for rm in all_modes():
        binary(P, f, "fadd", add, a1, half, rm, f"1 + ulp/2 (a tie), {rm_mode(rm)}" + (" via frm" if isinstance(rm, tuple) else ""))
    for rm in MODES:
        binary(P, f, "fadd", add, v["-1"], half ^ f.sign, rm, f"-1 - ulp/2 (a tie), {rm}")
    for rm in MODES:
        binary(P, f, "fadd", add, a1, three_quarter_ulp, rm, f"1 + 3/4 ulp, {rm}")
    P.section(f"fadd.{n}/fsub.{n}: special values")
    binary(P, f, "fadd", add, a1, v["2"], RNE, "1 + 2 = 3, exact")
    for rm in [RNE, RTZ, RDN, RUP]:
        binary(P, f, "fadd", add, v["max"], v["max"], rm, f"max + max overflows ({rm})")
    binary(P, f, "fadd", add, v["-max"], v["-max"], RUP, "-max - max overflows, toward +inf: -max")
    binary(P, f, "fadd", add, v["-max"], v["-max"], RMM, "-max - max overflows, rmm: -inf")
    binary(P, f, "fadd", add, v["+inf"], v["-inf"], RNE, "inf + -inf: invalid")
    binary(P, f, "fadd", add, v["+inf"], v["max"], RNE, "inf + max = inf")
    binary(P, f, "fadd", add, v["qnan"], a1, RNE, "qNaN + 1: canonical NaN, no flag")
    binary(P, f, "fadd", add, v["-qnan"], v["qnan_payload"], RNE, "NaN payloads do not propagate")
    binary(P, f, "fadd", add, a1, v["snan"], RNE, "1 + sNaN: invalid")
    binary(P, f, "fadd", add, v["+0"], v["-0"], RNE, "+0 + -0 = +0")
    binary(P, f, "fadd", add, v["+0"], v["-0"], RDN, "+0 + -0 = -0 rounding down")
    binary(P, f, "fadd", add, v["-0"], v["-0"], RNE, "-0 + -0 = -0")
    binary(P, f, "fadd", add, v["3"], v["-3"], RNE, "3 + -3 = +0")
    binary(P, f, "fadd", add, v["3"], v["-3"], RDN, "3 + -3 = -0 rounding down")
    binary(P, f, "fadd", add, v["minsub"], v["minsub"], RNE, "subnormal + subnormal: exact")
    binary(P, f, "fadd", add, v["maxsub"], v["minsub"], RNE, "max subnormal + min subnormal = min normal")
    binary(P, f, "fsub", sub, v["minnorm"], v["minsub"], RNE, "min normal - min subnormal: exact subnormal")
    binary(P, f, "fsub", sub, a1, v["1-ulp"], RNE, "1 - (1 - ulp/2): exact")
    binary(P, f, "fsub", sub, v["-0"], v["+0"], RNE, "-0 - +0 = -0")
    binary(P, f, "fsub", sub, v["+inf"], v["+inf"], RNE, "inf - inf: invalid")
    for rm in MODES:
        binary(P, f, "fsub", sub, v["-1"], half, rm, f"-1 - ulp/2, {rm}")

    P.section(f"fmul.{n}")
    binary(P, f, "fmul", mul, v["1.5"], v["1.5"], RNE, "1.5 * 1.5 = 2.25, exact")
    for rm in MODES:
        binary(P, f, "fmul", mul, v["1+ulp"], v["1+ulp"], rm, f"(1 + ulp)^2, {rm}")
    for rm in MODES:
        binary(P, f, "fmul", mul, v["minnorm"], v["-0.5"] if rm != RUP else v["0.5"], rm, f"min normal * +-0.5: exact subnormal, {rm}")
    for rm in MODES:
        binary(P, f, "fmul", mul, v["minsub"], v["0.5"], rm, f"min subnormal * 0.5: underflow, {rm}")
    for rm in [RNE, RTZ, RUP]:
        binary(P, f, "fmul", mul, v["1-ulp"], v["minnorm"], rm,
               f"(1 - ulp/2) * min normal: tiny after rounding only when it rounds down, {rm}")
    binary(P, f, "fmul", mul, v["1-ulp"], v["-minnorm"], RDN, "the same, negative, rounding down")
    for rm in [RNE, RTZ, RDN, RUP, RMM]:
        binary(P, f, "fmul", mul, v["max"], v["2"], rm, f"max * 2 overflows, {rm}")
    binary(P, f, "fmul", mul, v["+inf"], v["-0"], RNE, "inf * 0: invalid")
    binary(P, f, "fmul", mul, v["-inf"], v["-max"], RNE, "-inf * -max = inf")
    binary(P, f, "fmul", mul, v["-0"], v["3"], RNE, "-0 * 3 = -0")
    binary(P, f, "fmul", mul, v["snan"], v["+0"], RNE, "sNaN * 0: invalid, canonical NaN")

    P.section(f"fdiv.{n}")
    for rm in MODES:
        binary(P, f, "fdiv", div, a1, v["3"], rm, f"1 / 3, {rm}")
    binary(P, f, "fdiv", div, v["-1"], v["3"], RDN, "-1 / 3 rounding down")
    binary(P, f, "fdiv", div, v["3"], v["-0.5"], RNE, "3 / -0.5 = -6, exact")
    binary(P, f, "fdiv", div, a1, v["+0"], RNE, "1 / +0 = +inf: divide by zero")
    binary(P, f, "fdiv", div, a1, v["-0"], RNE, "1 / -0 = -inf: divide by zero")
    binary(P, f, "fdiv", div, v["+0"], v["+0"], RNE, "0 / 0: invalid")
    binary(P, f, "fdiv", div, v["+inf"], v["-inf"], RNE, "inf / inf: invalid")
    binary(P, f, "fdiv", div, v["+inf"], v["+0"], RNE, "inf / 0 = inf, no flag")
    binary(P, f, "fdiv", div, v["-3"], v["+inf"], RNE, "-3 / inf = -0")
    binary(P, f, "fdiv", div, v["qnan"], v["+0"], RNE, "qNaN / 0: canonical NaN, no flag")
    binary(P, f, "fdiv", div, v["max"], v["0.5"], RNE, "max / 0.5 overflows")
    binary(P, f, "fdiv", div, v["max"], v["0.5"], RTZ, "max / 0.5 overflows toward zero: max")
    binary(P, f, "fdiv", div, v["minnorm"], v["3"], RNE, "min normal / 3: underflow")
    binary(P, f, "fdiv", div, v["minsub"], v["max"], RUP, "min subnormal / max rounds up to min subnormal")

    P.section(f"fsqrt.{n}")
    for rm in MODES:
        unary(P, f, "fsqrt", sqrt, v["2"], rm, f"sqrt(2), {rm}")
    unary(P, f, "fsqrt", sqrt, v["4"], RNE, "sqrt(4) = 2, exact")
    unary(P, f, "fsqrt", sqrt, v["-0"], RNE, "sqrt(-0) = -0")
    unary(P, f, "fsqrt", sqrt, v["-minsub"], RNE, "sqrt(negative): invalid")
    unary(P, f, "fsqrt", sqrt, v["-inf"], RNE, "sqrt(-inf): invalid")
    unary(P, f, "fsqrt", sqrt, v["+inf"], RNE, "sqrt(inf) = inf")
    unary(P, f, "fsqrt", sqrt, v["minsub"], RNE, "sqrt(min subnormal)")
    unary(P, f, "fsqrt", sqrt, v["snan"], RNE, "sqrt(sNaN): invalid")
    unary(P, f, "fsqrt", sqrt, v["-qnan"], RNE, "sqrt(-qNaN): canonical NaN, no flag")

    P.write(path)
    P = Program(misc_path, misc_title, MISC_DESCRIPTION.replace("FMT", f.name))
    P.section(f"fmadd.{n}, fmsub.{n}, fnmsub.{n}, fnmadd.{n}: one rounding")
    for op in ["fmadd", "fmsub", "fnmsub", "fnmadd"]:
        fused(P, f, op, v["2"], v["3"], a1, RNE, f"{op}(2, 3, 1)")
    onep = v["1+ulp"]
    sq = mul(f, onep, onep, RNE)[0]
    for rm in MODES:
        fused(P, f, "fmsub", onep, onep, sq, rm, f"(1 + ulp)^2 - round((1 + ulp)^2) = ulp^2, exactly, {rm}")
    for rm in MODES:
        fused(P, f, "fmadd", a1, half, v["1-ulp"], rm, f"1 * ulp/2 + (1 - ulp/2) = 1, {rm}")
    for rm in MODES:
        fused(P, f, "fnmadd", a1, a1, half, rm, f"-(1 * 1) - ulp/2: a tie, {rm}")
    fused(P, f, "fmadd", v["+inf"], v["+0"], v["qnan"], RNE, "inf * 0 + qNaN: invalid (RISC-V requires NV)")
    fused(P, f, "fmadd", v["qnan"], v["+0"], v["+inf"], RNE, "qNaN * 0 + inf: canonical NaN, no flag")
    fused(P, f, "fmadd", v["+inf"], a1, v["-inf"], RNE, "inf * 1 - inf: invalid")
    fused(P, f, "fnmsub", v["+inf"], a1, v["+inf"], RNE, "-(inf * 1) + inf: invalid")
    fused(P, f, "fmadd", v["1"], v["1"], v["snan"], RNE, "1 * 1 + sNaN: invalid")
    fused(P, f, "fmadd", v["+0"], v["1"], v["-0"], RNE, "+0 * 1 + -0 = +0")
    fused(P, f, "fmadd", v["+0"], v["1"], v["-0"], RDN, "+0 * 1 + -0 = -0 rounding down")
    fused(P, f, "fnmadd", v["+0"], v["1"], v["+0"], RNE, "-(+0 * 1) - +0 = -0")
    fused(P, f, "fmsub", v["2"], v["3"], v["5"], RNE, "2 * 3 - 5")
    fused(P, f, "fmsub", v["1"], v["3"], v["3"], RDN, "1 * 3 - 3 = -0 rounding down")
    fused(P, f, "fmadd", v["max"], v["2"], v["-max"], RNE, "max * 2 - max = max: no overflow inside")
    fused(P, f, "fmadd", v["max"], v["max"], v["+0"], RTZ, "max * max overflows toward zero: max")
    fused(P, f, "fmadd", v["minnorm"], v["0.5"], v["-0"], RNE, "min normal * 0.5 - 0: exact subnormal")
    fused(P, f, "fmadd", v["minsub"], v["0.5"], v["+0"], RUP, "min subnormal * 0.5 + 0, up: underflow")

    P.section(f"fmin.{n}/fmax.{n}: minimumNumber/maximumNumber")
    for is_max in [False, True]:
        minmax_case(P, f, is_max, a1, v["2"], "")
        minmax_case(P, f, is_max, v["-0"], v["+0"], "-0 < +0")
        minmax_case(P, f, is_max, v["+0"], v["-0"], "-0 < +0")
        minmax_case(P, f, is_max, v["qnan"], v["-1"], "a NaN operand gives the other")
        minmax_case(P, f, is_max, v["-inf"], v["-qnan"], "a NaN operand gives the other")
        minmax_case(P, f, is_max, v["snan"], v["3"], "sNaN: the other operand, invalid")
        minmax_case(P, f, is_max, v["qnan_payload"], v["-qnan"], "two NaNs: canonical NaN")
        minmax_case(P, f, is_max, v["-snan"], v["qnan"], "two NaNs, one signaling: canonical NaN, invalid")
        minmax_case(P, f, is_max, v["-inf"], v["+inf"], "")
        minmax_case(P, f, is_max, v["-minsub"], v["minsub"], "")

    P.section(f"fsgnj.{n}, fsgnjn.{n}, fsgnjx.{n} (fmv/fneg/fabs)")
    for kind in ["", "n", "x"]:
        sgnj_case(P, f, kind, v["1"], v["-3"], "")
        sgnj_case(P, f, kind, v["-1"], v["-3"], "")
        sgnj_case(P, f, kind, v["-1"], v["3"], "")
        sgnj_case(P, f, kind, v["snan"], v["-0"], "NaNs are not canonicalized: only the sign changes")

    P.section(f"feq.{n} (quiet), flt.{n} and fle.{n} (signaling)")
    for op in ["eq", "lt", "le"]:
        cmp_case(P, f, op, a1, a1, "")
        cmp_case(P, f, op, a1, v["2"], "")
        cmp_case(P, f, op, v["2"], a1, "")
        cmp_case(P, f, op, v["-0"], v["+0"], "-0 == +0")
        cmp_case(P, f, op, v["-inf"], v["-max"], "")
        cmp_case(P, f, op, v["qnan"], a1, "qNaN: feq quiet, flt/fle invalid")
        cmp_case(P, f, op, a1, v["snan"], "sNaN: invalid for all three")
        cmp_case(P, f, op, v["qnan"], v["qnan"], "")

    P.section(f"fclass.{n}")
    for name in ["-inf", "-1", "-minsub", "-0", "+0", "maxsub", "max", "+inf", "snan", "qnan", "-qnan", "-snan"]:
        class_case(P, f, v[name], name)
    P.write(misc_path)


ARITH_DESCRIPTION = """\
Arithmetic: fadd.FMT, fsub.FMT, fmul.FMT, fdiv.FMT and fsqrt.FMT in every rounding mode (static, and
dynamic through frm), with boundary values (+-0, subnormals, +-inf, quiet and signaling NaNs, the
largest finite value), overflow, underflow (tininess after rounding) and the signs of exact zeros.
Each case clears fflags, runs one instruction and checks the result's bits (for single precision,
NaN-boxed) and fflags."""

MISC_DESCRIPTION = """\
The fused multiply-adds (one rounding; inf * 0 + qNaN is invalid), fmin.FMT/fmax.FMT
(minimumNumber/maximumNumber: -0 < +0, a NaN operand gives the other, sNaN raises NV), the sign
injections, feq.FMT (quiet) / flt.FMT / fle.FMT (signaling) and fclass.FMT. Each case clears fflags,
runs one instruction and checks the result and fflags."""


CVT_DESCRIPTION = """\
Conversions: fcvt between FMT and w/wu/l/lu in both directions, in every rounding mode, at the
edges of each integer type (saturation and NV for out-of-range values and NaN, which converts to
the largest positive integer; 32-bit results sign-extended, fcvt.wu too), EXTRA and the moves
between integer and FP registers. Each case clears fflags, runs one instruction and checks the
result and fflags."""


def gen_cvt(f, path, title):
    v = values(f)
    n = f.name
    extra = "fcvt.s.d/fcvt.d.s" if f is D else "fcvt.d.s of single-precision specials"
    P = Program(path, title, CVT_DESCRIPTION.replace("FMT", n).replace("EXTRA", extra))

    def num(x):
        r, fl = round_to(f, Fr(x), RNE)
        assert fl == 0, x
        return r

    def below(b):
        """The next value toward zero."""
        return b - 1

    def above(b):
        """The next value away from zero."""
        return b + 1

    two31, two32, two63, two64 = num(2**31), num(2**32), num(2**63), num(2**64)

    P.section(f"fcvt.w.{n}")
    for x in ["1.5", "-1.5", "2.5", "-2.5"]:
        for rm in MODES:
            to_int_case(P, f, "w", v[x], rm, f"{x}, {rm}")
    to_int_case(P, f, "w", v["-0.5"], RUP, "-0.5 up: 0, inexact")
    to_int_case(P, f, "w", v["-0.5"], ("dyn", RDN), "-0.5 down (frm): -1")
    to_int_case(P, f, "w", v["-0"], RNE, "-0: 0, exact")
    to_int_case(P, f, "w", v["minsub"], RUP, "min subnormal up: 1")
    to_int_case(P, f, "w", two31, RNE, "2^31: out of range")
    to_int_case(P, f, "w", below(two31), RTZ, "just below 2^31")
    to_int_case(P, f, "w", two31 | f.sign, RNE, "-2^31: in range")
    to_int_case(P, f, "w", above(two31 | f.sign), RNE, "just below -2^31: out of range")
    if f is D:
        to_int_case(P, f, "w", num(Fr(2**32 - 1, 2)), RNE, "2^31 - 0.5 rounds to 2^31: out of range")
        to_int_case(P, f, "w", num(Fr(2**32 - 1, 2)), RTZ, "2^31 - 0.5 toward zero: 2^31 - 1")
        to_int_case(P, f, "w", num(-Fr(2**32 + 1, 2)), RNE, "-2^31 - 0.5 rounds to -2^31 (even)")
        to_int_case(P, f, "w", num(-Fr(2**32 + 1, 2)), RMM, "-2^31 - 0.5 rounds away: out of range")
        to_int_case(P, f, "w", num(-(2**31) - 1), RNE, "-2^31 - 1: out of range")
    for x in ["+inf", "-inf", "qnan", "-qnan", "snan", "max", "-max"]:
        to_int_case(P, f, "w", v[x], RNE, f"{x}")

    P.section(f"fcvt.wu.{n} (results sign-extended from bit 31)")
    for rm in MODES:
        to_int_case(P, f, "wu", v["2.5"], rm, f"2.5, {rm}")
    to_int_case(P, f, "wu", v["-0.5"], RTZ, "-0.5 toward zero: 0, inexact only")
    to_int_case(P, f, "wu", v["-0.5"], RDN, "-0.5 down: -1, out of range")
    to_int_case(P, f, "wu", v["-1"], RNE, "-1: out of range, 0")
    to_int_case(P, f, "wu", two31, RNE, "2^31: 0x80000000, sign-extended")
    to_int_case(P, f, "wu", below(two32), RNE, "just below 2^32, sign-extended")
    to_int_case(P, f, "wu", two32, RNE, "2^32: out of range")
    if f is D:
        to_int_case(P, f, "wu", num(Fr(2**33 - 1, 2)), RNE, "2^32 - 0.5 rounds to 2^32: out of range")
        to_int_case(P, f, "wu", num(Fr(2**33 - 1, 2)), RDN, "2^32 - 0.5 down: 2^32 - 1")
    for x in ["+inf", "-inf", "qnan", "-snan"]:
        to_int_case(P, f, "wu", v[x], RNE, f"{x}")

    P.section(f"fcvt.l.{n}")
    for rm in MODES:
        to_int_case(P, f, "l", v["-2.5"], rm, f"-2.5, {rm}")
    to_int_case(P, f, "l", two63, RNE, "2^63: out of range")
    to_int_case(P, f, "l", below(two63), RNE, "just below 2^63")
    to_int_case(P, f, "l", two63 | f.sign, RNE, "-2^63: in range")
    to_int_case(P, f, "l", above(two63 | f.sign), RNE, "just below -2^63: out of range")
    to_int_case(P, f, "l", num(2**31), RNE, "2^31")
    for x in ["+inf", "-inf", "qnan", "-qnan", "snan", "max"]:
        to_int_case(P, f, "l", v[x], RNE, f"{x}")

    P.section(f"fcvt.lu.{n}")
    for rm in MODES:
        to_int_case(P, f, "lu", v["1.5"], rm, f"1.5, {rm}")
    to_int_case(P, f, "lu", below(two64), RNE, "just below 2^64")
    to_int_case(P, f, "lu", two64, RNE, "2^64: out of range")
    to_int_case(P, f, "lu", two63, RNE, "2^63: in range")
    to_int_case(P, f, "lu", v["-1"], RNE, "-1: out of range, 0")
    to_int_case(P, f, "lu", v["-0.5"], RMM, "-0.5 away from zero: -1, out of range")
    to_int_case(P, f, "lu", v["-0.5"], RNE, "-0.5 to nearest: 0, inexact")
    for x in ["+inf", "-inf", "qnan", "snan"]:
        to_int_case(P, f, "lu", v[x], RNE, f"{x}")

    P.section(f"fcvt.{n}.w, fcvt.{n}.wu (the low 32 bits of rs1)")
    for x in [0, 1, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF80000000, 0x1234567800000005, 0x0000000080000000]:
        from_int_case(P, f, "w", x, RNE, "")
    for rm in MODES if f is S else [RNE]:
        from_int_case(P, f, "w", 2**24 + 1, rm, f"2^24 + 1, {rm}")
    for rm in MODES if f is S else [RNE]:
        from_int_case(P, f, "w", 0xFFFFFFFFFEFFFFFF, rm, f"-(2^24 + 1), {rm}")
    for x in [0, 0xFFFFFFFF, 0xFFFFFFFF80000000, 0xABCDEF0000000007]:
        from_int_case(P, f, "wu", x, RNE, "")
    if f is S:
        for rm in MODES:
            from_int_case(P, f, "wu", 0xFFFFFFFF, rm, f"2^32 - 1, {rm}")
    if f is S:
        from_int_case(P, f, "w", 0x7FFFFFFF, ("dyn", RUP), "through frm")
    else:
        from_int_case(P, f, "l", 2**53 + 1, ("dyn", RUP), "through frm")

    P.section(f"fcvt.{n}.l, fcvt.{n}.lu")
    for x in [0, 1, 0xFFFFFFFFFFFFFFFF, 0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 2**53 + 1, 0x123456789ABCDEF]:
        for rm in [RNE, RTZ]:
            from_int_case(P, f, "l", x, rm, "")
    for rm in MODES:
        from_int_case(P, f, "l", 0xFFFFFFFFFFFFFFFF - 2**54, rm, f"-(2^54 + 1), {rm}")
    for x in [0, 0xFFFFFFFFFFFFFFFF, 0x8000000000000001, 2**53 + 1]:
        for rm in [RNE, RUP]:
            from_int_case(P, f, "lu", x, rm, "")

    if f is D:
        P.section("fcvt.s.d")
        for rm in MODES:
            convert_case(P, D, S, round_to(D, Fr(1, 3), RNE)[0], rm, f"1/3 (double), {rm}")
        for rm in MODES:
            convert_case(P, D, S, round_to(D, -Fr(1, 3), RNE)[0], rm, f"-1/3 (double), {rm}")
        smax = value(S, S.max)
        convert_case(P, D, S, num(smax), RNE, "single's max: exact")
        convert_case(P, D, S, num(smax + Fr(2) ** (127 - 25)), RNE, "halfway to 2^128: overflows")
        convert_case(P, D, S, num(smax + Fr(2) ** (127 - 25)), RTZ, "halfway to 2^128, toward zero")
        convert_case(P, D, S, num(smax + Fr(2) ** (127 - 26)), RNE, "below halfway: max, inexact")
        convert_case(P, D, S, v["max"], RNE, "double's max overflows")
        convert_case(P, D, S, v["max"], RTZ, "double's max toward zero: single's max")
        convert_case(P, D, S, v["-max"], RUP, "-max up: -single's max")
        convert_case(P, D, S, num(Fr(2) ** -149), RNE, "single's min subnormal: exact")
        convert_case(P, D, S, num(Fr(2) ** -150), RNE, "half of it: a tie, to zero")
        convert_case(P, D, S, num(Fr(2) ** -150), RUP, "half of it, up")
        convert_case(P, D, S, num(Fr(3) * Fr(2) ** -151), RNE, "3/4 of it: rounds up, underflow")
        convert_case(P, D, S, v["minsub"], RDN, "double's min subnormal, down: +0")
        convert_case(P, D, S, v["-minsub"], RDN, "-double's min subnormal, down: -single min subnormal")
        convert_case(P, D, S, num(Fr(2) ** -126 - Fr(2) ** -151), RNE, "just below single's min normal: rounds to it, not tiny")
        convert_case(P, D, S, num(Fr(2) ** -126 - Fr(2) ** -150), RNE, "2^-126 - 2^-150: tiny, underflow")
        for x in ["+0", "-0", "+inf", "-inf", "qnan", "-qnan", "qnan_payload", "snan"]:
            convert_case(P, D, S, v[x], RNE, x)
        P.section("fcvt.d.s (exact)")
        sv = values(S)
        for x in ["1", "-1.5", "minsub", "maxsub", "-minnorm", "max", "+0", "-0", "+inf", "-inf", "qnan", "-qnan", "snan", "qnan_payload"]:
            convert_case(P, S, D, sv[x], None, x)
    else:
        P.section("fcvt.d.s")
        for x in ["1", "minsub", "max", "-0", "-inf", "-qnan", "snan"]:
            convert_case(P, S, D, v[x], None, x)

    P.section("moves")
    if f is S:
        P.case("fmv.x.w sign-extends the single's bits", [load(S, "fa0", 0xBF800000)], "fmv.x.w a0, fa0", None, 0, "CHECK_X(a0, 0xffffffffbf800000)")
        P.case("fmv.x.w of a NaN: the bits unchanged", [load(S, "fa0", 0x7F800001)], "fmv.x.w a0, fa0", None, 0, "CHECK_X(a0, 0x7f800001)")
        P.case("fmv.w.x NaN-boxes the low 32 bits", ["li a0, 0x123456787fa00001"], "fmv.w.x fa2, a0", None, 0, "CHECK_S(fa2, 0x7fa00001)")
    else:
        P.case("fmv.x.d: the bits unchanged", [load(D, "fa0", 0xFFF0000000000001)], "fmv.x.d a0, fa0", None, 0, "CHECK_X(a0, 0xfff0000000000001)")
        P.case("fmv.d.x: the bits unchanged", ["li a0, 0x7ff0000000000001"], "fmv.d.x fa2, a0", None, 0, "CHECK_D(fa2, 0x7ff0000000000001)")
    P.write(path)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    gen_arith(S, os.path.join(here, "rv64f.S"), "RV64F: single-precision arithmetic.",
              os.path.join(here, "rv64f_misc.S"),
              "RV64F: single-precision fused multiply-adds, fmin/fmax, sign injection, comparisons, fclass.")
    gen_arith(D, os.path.join(here, "rv64d.S"), "RV64D: double-precision arithmetic.",
              os.path.join(here, "rv64d_misc.S"),
              "RV64D: double-precision fused multiply-adds, fmin/fmax, sign injection, comparisons, fclass.")
    gen_cvt(S, os.path.join(here, "rv64f_cvt.S"), "RV64F: single-precision conversions and moves.")
    gen_cvt(D, os.path.join(here, "rv64d_cvt.S"), "RV64D: double-precision conversions, fcvt.s.d/fcvt.d.s and moves.")


if __name__ == "__main__":
    main()
