/* FP work whose results are exactly defined by IEEE 754: built for riscv64 Linux (static) and for
 * the host, both must print the same lines. Used by tests/linux.rs. Only correctly rounded
 * operations are used (no transcendental libm functions, whose last bits may differ by platform),
 * and it is built with -ffp-contract=off so neither compiler fuses a multiply and an add. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

int main(void) {
    /* A long recurrence mixing every basic operation. */
    double x = 0.1, acc = 0.0, prod = 1.0;
    for (int i = 1; i <= 100000; i++) {
        x = fma(x, 1.0000001, 1.0 / i);
        acc += sqrt(x) / (double)i;
        prod *= 1.0 + 1e-6 * (i % 7 - 3);
    }
    printf("recurrence %.17g %.17g %.17g\n", x, acc, prod);
    printf("bits %016llx %016llx\n", (unsigned long long)bits(acc), (unsigned long long)bits(prod));

    /* Single precision. */
    float f = 1.0f, g = 0.0f;
    for (int i = 1; i <= 50000; i++) {
        f = fmaf(f, 0.9999f, 1.0f / (float)i);
        g += sqrtf(f) * (float)(i & 15);
    }
    printf("single %.9g %.9g %08x\n", f, g, fbits(g));

    /* Rounding modes. */
    int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    const char *names[] = {"nearest", "upward", "downward", "towardzero"};
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double a = 1.0, b = 3.0;
        volatile float c = 2.0f, d = 7.0f;
        printf("round %s %a %a %ld\n", names[m], a / b, (double)(c / d), lrint(2.5));
    }
    fesetround(FE_TONEAREST);

    /* Conversions and special values. */
    /* (Out-of-range float-to-integer conversions are undefined in C, so none here.) */
    volatile double big = 9.2e18, neg = -2.5, tiny = 4.9e-324, inf = INFINITY;
    printf("convert %lld %lld %llu %a %a\n", (long long)neg, (long long)-big, (unsigned long long)(big * 2), tiny * 0.5, tiny * 2);
    printf("special %g %g %d %d\n", inf - inf == inf - inf ? 1.0 : 0.0, -inf, isnan(sqrt(-1.0)) != 0, signbit(-0.0) != 0);
    return 0;
}
