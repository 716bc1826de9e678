/* Shared helpers of the guest workloads: timing, the work count, the score line.
 *
 * Every workload does a fixed amount of work (its base count times the scale factor given as argv[1],
 * default 1), times only the measured phase with CLOCK_MONOTONIC (the vDSO reads the `time` CSR, so
 * this is the guest's view of host time) and prints one line per measurement:
 *
 *     bench <name>: <score> <unit> (n=<count> time=<seconds>s check=<hex>)
 *
 * The score is a rate (higher is better). `check` is a digest of the results: it does not depend on
 * the emulator or the speed, so a run whose check differs from QEMU's computed something wrong. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The work count: base * scale (argv[1]), at least 1. */
static inline long bench_count(int argc, char **argv, long base)
{
    double scale = 1.0;
    if (argc > 1) {
        char *end;
        scale = strtod(argv[1], &end);
        if (end == argv[1] || *end != '\0' || !(scale > 0.0)) {
            fprintf(stderr, "usage: %s [SCALE>0]\n", argv[0]);
            exit(2);
        }
    }
    double n = (double)base * scale + 0.5;
    return n < 1.0 ? 1 : (long)n;
}

/* Prints the score line: `work` units of `unit` done in `secs`. */
static inline void bench_report(const char *name, double work, const char *unit, long n, double secs,
                                uint64_t check)
{
    if (secs <= 0.0)
        secs = 1e-9;
    printf("bench %s: %.3f %s (n=%ld time=%.3fs check=%016llx)\n", name, work / secs, unit, n, secs,
           (unsigned long long)check);
    fflush(stdout);
}

/* xorshift64*: deterministic pseudo-random numbers, the same on every machine. */
static inline uint64_t bench_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Mixes v into a running digest (FNV-1a over the 8 bytes). */
static inline uint64_t bench_mix(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

#define BENCH_DIGEST_INIT 0xcbf29ce484222325ULL

/* Keeps the compiler from deleting work whose result is otherwise unused. */
#define BENCH_KEEP(x) __asm__ volatile("" : : "r"(x) : "memory")

#endif
