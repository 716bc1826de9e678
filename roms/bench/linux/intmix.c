/* Workload 1, integer and branch-heavy: a CoreMark-like mix written for this harness. One iteration
 * builds a 128-node linked list from fresh pseudo-random data, searches it, reverses it and merge-sorts
 * it; multiplies two 16x16 integer matrices and tests bit fields of the product; runs a
 * number-recognising state machine over a 1 KiB text; and folds everything into CRC-16/CRC-32s
 * computed bit by bit. Score: iterations per second. */
#include "bench.h"

#define BASE_ITERS 22000

/* ---- linked list ---- */
#define LIST_N 128
struct node {
    struct node *next;
    int32_t key;
    int32_t val;
};
static struct node pool[LIST_N];

static struct node *list_build(uint64_t *seed)
{
    struct node *head = NULL;
    for (int i = 0; i < LIST_N; i++) {
        uint64_t r = bench_rand(seed);
        pool[i].key = (int32_t)(r & 0x3ff);
        pool[i].val = (int32_t)(r >> 40);
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static struct node *list_find(struct node *l, int32_t key)
{
    while (l && l->key != key)
        l = l->next;
    return l;
}

static struct node *list_reverse(struct node *l)
{
    struct node *prev = NULL;
    while (l) {
        struct node *n = l->next;
        l->next = prev;
        prev = l;
        l = n;
    }
    return prev;
}

static int node_cmp(const struct node *a, const struct node *b)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->val > b->val) - (a->val < b->val);
}

/* Bottom-up merge sort of a singly linked list, in place. */
static struct node *list_sort(struct node *list)
{
    if (!list)
        return NULL;
    for (int width = 1;; width *= 2) {
        struct node *p = list, *tail = NULL;
        int merges = 0;
        list = NULL;
        while (p) {
            merges++;
            struct node *q = p;
            int psize = 0, qsize = width;
            while (psize < width && q) {
                psize++;
                q = q->next;
            }
            while (psize > 0 || (qsize > 0 && q)) {
                struct node *e;
                if (psize == 0) {
                    e = q, q = q->next, qsize--;
                } else if (qsize == 0 || !q || node_cmp(p, q) <= 0) {
                    e = p, p = p->next, psize--;
                } else {
                    e = q, q = q->next, qsize--;
                }
                if (tail)
                    tail->next = e;
                else
                    list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1)
            return list;
    }
}

/* ---- CRCs, bit by bit (branchy on purpose) ---- */
static uint16_t crc16_byte(uint8_t data, uint16_t crc)
{
    for (int i = 0; i < 8; i++) {
        if ((data ^ crc) & 1)
            crc = (uint16_t)((crc >> 1) ^ 0xA001);
        else
            crc >>= 1;
        data >>= 1;
    }
    return crc;
}

static uint16_t crc16_u32(uint32_t v, uint16_t crc)
{
    for (int i = 0; i < 4; i++)
        crc = crc16_byte((uint8_t)(v >> (8 * i)), crc);
    return crc;
}

static uint32_t crc32_bytes(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int i = 0; i < 8; i++)
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

/* ---- integer matrix ---- */
#define MAT_N 16
static int16_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N];
static int32_t mc[MAT_N][MAT_N];

static uint32_t matrix_step(int16_t k)
{
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            ma[i][j] = (int16_t)(ma[i][j] + k);
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int t = 0; t < MAT_N; t++)
                s += (int32_t)ma[i][t] * mb[t][j];
            mc[i][j] = s;
        }
    }
    int32_t max = INT32_MIN;
    uint32_t count = 0, sum = 0;
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t v = mc[i][j];
            if (v > max)
                max = v;
            if (((v >> 2) & 0xf) > 7)
                count++;
            else
                sum += (uint32_t)v;
        }
    }
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++)
            ma[i][j] = (int16_t)(ma[i][j] - k);
    return (uint32_t)max ^ (count << 20) ^ sum;
}

/* ---- number-recognising state machine ---- */
enum { S_START, S_SIGN, S_INT, S_FLOAT, S_EXP, S_EXPSIGN, S_EXPONENT, S_INVALID, S_COUNT };

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Classifies the token at *pp (up to ',' or the end) and moves *pp past it. */
static int scan_token(const char **pp)
{
    const char *p = *pp;
    int st = S_START;
    for (; *p && *p != ','; p++) {
        char c = *p;
        switch (st) {
        case S_START:
            st = is_digit(c) ? S_INT : (c == '+' || c == '-') ? S_SIGN : c == '.' ? S_FLOAT : S_INVALID;
            break;
        case S_SIGN:
            st = is_digit(c) ? S_INT : c == '.' ? S_FLOAT : S_INVALID;
            break;
        case S_INT:
            if (c == '.')
                st = S_FLOAT;
            else if (c == 'e' || c == 'E')
                st = S_EXP;
            else if (!is_digit(c))
                st = S_INVALID;
            break;
        case S_FLOAT:
            if (c == 'e' || c == 'E')
                st = S_EXP;
            else if (!is_digit(c))
                st = S_INVALID;
            break;
        case S_EXP:
            st = (c == '+' || c == '-') ? S_EXPSIGN : is_digit(c) ? S_EXPONENT : S_INVALID;
            break;
        case S_EXPSIGN:
        case S_EXPONENT:
            st = is_digit(c) ? S_EXPONENT : S_INVALID;
            break;
        default:
            break;
        }
    }
    if (*p == ',')
        p++;
    *pp = p;
    return st;
}

#define TEXT_LEN 1024
static char text[TEXT_LEN + 1];

static void text_init(uint64_t *seed)
{
    static const char *const shapes[] = {"d", "dd.d", "-d", "+d.dEd", "d.de-d", ".d", "dxd", "d.d.d", "-.dE+dd", "5012"};
    size_t len = 0;
    while (len < TEXT_LEN - 16) {
        const char *s = shapes[bench_rand(seed) % 10];
        for (; *s; s++) {
            if (*s == 'd') {
                int digits = 1 + (int)(bench_rand(seed) % 4);
                while (digits--)
                    text[len++] = (char)('0' + bench_rand(seed) % 10);
            } else {
                text[len++] = *s;
            }
        }
        text[len++] = ',';
    }
    text[len] = '\0';
}

static uint32_t state_step(int flip)
{
    uint32_t counts[S_COUNT] = {0};
    /* Perturb one character per iteration (and put it back) so no two passes are identical. */
    char saved = text[flip];
    if (saved != ',')
        text[flip] = saved == '9' ? 'x' : (char)(saved + 1);
    const char *p = text;
    while (*p)
        counts[scan_token(&p)]++;
    text[flip] = saved;
    uint32_t r = 0;
    for (int i = 0; i < S_COUNT; i++)
        r = r * 31 + counts[i];
    return r;
}

int main(int argc, char **argv)
{
    long iters = bench_count(argc, argv, BASE_ITERS);
    uint64_t seed = 0x1234567887654321ULL;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (int16_t)(bench_rand(&seed) % 512 - 256);
            mb[i][j] = (int16_t)(bench_rand(&seed) % 512 - 256);
        }
    text_init(&seed);

    uint64_t digest = BENCH_DIGEST_INIT;
    double t0 = bench_now();
    for (long it = 0; it < iters; it++) {
        uint64_t s = 0x9E3779B97F4A7C15ULL * (uint64_t)(it + 1);
        uint16_t crc = 0;
        struct node *head = list_build(&s);
        for (int k = 0; k < 16; k++) {
            struct node *f = list_find(head, (int32_t)(bench_rand(&s) & 0x3ff));
            crc = crc16_u32(f ? (uint32_t)f->val : (uint32_t)k, crc);
        }
        head = list_sort(list_reverse(head));
        uint32_t acc = 0, idx = 0;
        for (struct node *n = head; n; n = n->next)
            acc += (uint32_t)n->key * ++idx ^ (uint32_t)n->val;
        crc = crc16_u32(acc, crc);
        crc = crc16_u32(matrix_step((int16_t)(it & 0xff)), crc);
        crc = crc16_u32(state_step((int)(it % (TEXT_LEN - 16))), crc);
        uint32_t c32 = crc32_bytes((const uint8_t *)mc, 256, crc);
        digest = bench_mix(digest, ((uint64_t)c32 << 16) | crc);
    }
    double t1 = bench_now();
    bench_report("intmix", (double)iters, "iter/s", iters, t1 - t0, digest);
    return 0;
}
