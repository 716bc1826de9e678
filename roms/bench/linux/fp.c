/* Workload 3, double-precision floating point:
 *   fp-nbody:  the classic five-body (Sun and the outer planets) simulation, 0.01-day steps: divisions,
 *              square roots, multiply-adds on a few cache lines. Score: steps per second.
 *   fp-matmul: C = A x B on 64x64 doubles (i-k-j order, fused multiply-adds), repeated, with A
 *              perturbed between products. Score: MFLOP/s (2 n^3 per product).
 * The checks are the exact bits of the energy and of C's trace, so an FPU that rounds differently
 * from QEMU's shows up as a check mismatch. */
#include "bench.h"
#include <math.h>

#define BASE_STEPS 600000L
#define BASE_PRODUCTS 300L

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[5] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};
#define NBODIES 5

static void offset_momentum(void)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODIES; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < NBODIES; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < NBODIES; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            e -= b->mass * c->mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(double dt)
{
    for (int i = 0; i < NBODIES; i++) {
        struct body *b = &bodies[i];
        for (int j = i + 1; j < NBODIES; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            b->vx -= dx * c->mass * mag;
            b->vy -= dy * c->mass * mag;
            b->vz -= dz * c->mass * mag;
            c->vx += dx * b->mass * mag;
            c->vy += dy * b->mass * mag;
            c->vz += dz * b->mass * mag;
        }
    }
    for (int i = 0; i < NBODIES; i++) {
        struct body *b = &bodies[i];
        b->x += dt * b->vx;
        b->y += dt * b->vy;
        b->z += dt * b->vz;
    }
}

#define MN 64
static double A[MN][MN], B[MN][MN], C[MN][MN];

static void matmul(void)
{
    for (int i = 0; i < MN; i++) {
        for (int j = 0; j < MN; j++)
            C[i][j] = 0.0;
        for (int k = 0; k < MN; k++) {
            double a = A[i][k];
            for (int j = 0; j < MN; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(int argc, char **argv)
{
    long steps = bench_count(argc, argv, BASE_STEPS);
    long products = bench_count(argc, argv, BASE_PRODUCTS);

    offset_momentum();
    double e0 = energy();
    double t0 = bench_now();
    for (long s = 0; s < steps; s++)
        advance(0.01);
    double t1 = bench_now();
    double e1 = energy();
    bench_report("fp-nbody", (double)steps, "step/s", steps, t1 - t0,
                 bench_mix(bench_mix(BENCH_DIGEST_INIT, bits(e0)), bits(e1)));

    uint64_t seed = 0x0123456789abcdefULL;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            A[i][j] = (double)(int64_t)(bench_rand(&seed) % 2001 - 1000) / 997.0;
            B[i][j] = (double)(int64_t)(bench_rand(&seed) % 2001 - 1000) / 1009.0;
        }
    uint64_t digest = BENCH_DIGEST_INIT;
    t0 = bench_now();
    for (long r = 0; r < products; r++) {
        matmul();
        double trace = 0;
        for (int i = 0; i < MN; i++)
            trace += C[i][i];
        digest = bench_mix(digest, bits(trace));
        A[r % MN][(r * 7) % MN] += trace * 1e-6;
    }
    t1 = bench_now();
    bench_report("fp-matmul", 2.0 * MN * MN * MN * (double)products / 1e6, "MFLOP/s", products, t1 - t0, digest);
    return 0;
}
