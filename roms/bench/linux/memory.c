/* Workload 2, memory- and pointer-heavy, over working sets far larger than any cache or TLB:
 *   mem-chase: follows a pointer chain through 131072 nodes of 64 bytes (8 MiB) laid out as one
 *              random cycle, so every hop lands on a new cache line and, mostly, a new page.
 *              Score: millions of hops per second.
 *   mem-hash:  an open-addressing hash table of 2^20 16-byte slots (16 MiB): inserts 600k keys,
 *              then looks up keys of which half are present. Score: millions of operations per second.
 * Building the chain and clearing the table are not timed. */
#include "bench.h"

#define BASE_HOPS 4000000L
#define BASE_LOOKUPS 9000000L

#define CHASE_NODES (1u << 17)
struct cnode {
    struct cnode *next;
    uint64_t val;
    uint64_t pad[6];
};

#define HASH_BITS 20
#define HASH_SLOTS (1u << HASH_BITS)
#define HASH_INSERTS 600000u
struct slot {
    uint64_t key; /* 0 = empty */
    uint64_t val;
};

static uint64_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static void table_insert(struct slot *t, uint64_t key, uint64_t val)
{
    for (uint64_t i = hash64(key) & (HASH_SLOTS - 1);; i = (i + 1) & (HASH_SLOTS - 1)) {
        if (t[i].key == key || t[i].key == 0) {
            t[i].key = key;
            t[i].val = val;
            return;
        }
    }
}

static int table_find(const struct slot *t, uint64_t key, uint64_t *val)
{
    for (uint64_t i = hash64(key) & (HASH_SLOTS - 1);; i = (i + 1) & (HASH_SLOTS - 1)) {
        if (t[i].key == key) {
            *val = t[i].val;
            return 1;
        }
        if (t[i].key == 0)
            return 0;
    }
}

static uint64_t key_of(uint64_t i) { return hash64(i * 2 + 1) | 1; }

int main(int argc, char **argv)
{
    long hops = bench_count(argc, argv, BASE_HOPS);
    long lookups = bench_count(argc, argv, BASE_LOOKUPS);

    /* mem-chase: Sattolo's shuffle gives a single cycle through every node. */
    struct cnode *nodes = aligned_alloc(64, CHASE_NODES * sizeof *nodes);
    uint32_t *perm = malloc(CHASE_NODES * sizeof *perm);
    if (!nodes || !perm) {
        fprintf(stderr, "memory: out of memory\n");
        return 1;
    }
    uint64_t seed = 0xfeedfacecafebeefULL;
    for (uint32_t i = 0; i < CHASE_NODES; i++)
        perm[i] = i;
    for (uint32_t i = CHASE_NODES - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(bench_rand(&seed) % i);
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (uint32_t i = 0; i < CHASE_NODES; i++) {
        nodes[i].next = &nodes[perm[i]];
        nodes[i].val = bench_rand(&seed) >> 32;
    }
    free(perm);

    double t0 = bench_now();
    struct cnode *p = &nodes[0];
    uint64_t sum = 0;
    for (long k = 0; k < hops; k++) {
        sum += p->val;
        p = p->next;
    }
    double t1 = bench_now();
    bench_report("mem-chase", (double)hops / 1e6, "Mhop/s", hops,
                 t1 - t0, bench_mix(bench_mix(BENCH_DIGEST_INIT, sum), (uint64_t)(p - nodes)));
    free(nodes);

    /* mem-hash */
    struct slot *table = calloc(HASH_SLOTS, sizeof *table);
    if (!table) {
        fprintf(stderr, "memory: out of memory\n");
        return 1;
    }
    memset(table, 0, HASH_SLOTS * sizeof *table); /* touch every page before timing */
    t0 = bench_now();
    for (uint64_t i = 0; i < HASH_INSERTS; i++)
        table_insert(table, key_of(i), i);
    uint64_t found = 0, vsum = 0;
    for (long k = 0; k < lookups; k++) {
        uint64_t v;
        /* i < HASH_INSERTS: a key that was inserted; above: one that never was. */
        uint64_t i = (uint64_t)k * 7919 % (2 * HASH_INSERTS);
        if (table_find(table, key_of(i), &v)) {
            found++;
            vsum += v;
        }
    }
    t1 = bench_now();
    bench_report("mem-hash", (double)(HASH_INSERTS + lookups) / 1e6, "Mop/s", (long)HASH_INSERTS + lookups,
                 t1 - t0, bench_mix(bench_mix(BENCH_DIGEST_INIT, found), vsum));
    free(table);
    return 0;
}
