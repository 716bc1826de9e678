/* U-mode reads of the time, cycle and instret counters (rdtime is what the vDSO's clock_gettime
 * uses): they must not trap, time must tick at the device tree's 10 MHz timebase, and the other
 * two must count. Used by tests/linux.rs. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static uint64_t rdtime(void) { uint64_t v; __asm__ volatile("rdtime %0" : "=r"(v)); return v; }
static uint64_t rdcycle(void) { uint64_t v; __asm__ volatile("rdcycle %0" : "=r"(v)); return v; }
static uint64_t rdinstret(void) { uint64_t v; __asm__ volatile("rdinstret %0" : "=r"(v)); return v; }

int main(void) {
    uint64_t t0 = rdtime(), c0 = rdcycle(), i0 = rdinstret();
    sleep(1);
    uint64_t t1 = rdtime(), c1 = rdcycle(), i1 = rdinstret();
    double seconds = (double)(t1 - t0) / 10e6;
    int ok = seconds > 0.9 && seconds < 3.0 && c1 > c0 && i1 > i0;
    printf("counters %s: time advanced %.2f s over sleep(1)\n", ok ? "ok" : "BAD", seconds);
    return !ok;
}
