/* Workload 6, real programs: the guest's busybox (static, from the guest recipe) hashing and
 * compressing a generated file in /tmp (tmpfs).
 *   bb-sha256sum: `busybox sha256sum FILE ...` with the file six times.
 *                 Score: MB (10^6 bytes) hashed per second.
 *   bb-gzip:      `busybox gzip -c FILE` (busybox's fixed level, like gzip -6), the output read
 *                 through a pipe. Score: MB of input compressed per second.
 * Each time covers the whole command: fork, exec of the 1.7 MB static busybox, the work, exit and
 * waitpid. The input is generated first (not timed): BASE_BYTES x scale bytes of text made of
 * pseudo-random words from a 512-word vocabulary, about 3:1 compressible by gzip, the same on every
 * machine. Checks: the first 16 hex digits of the SHA-256 (all six lines must agree), and the gzip
 * output's size with its trailer (CRC-32 and length of the input): busybox writes no timestamp, so
 * the output is the same on every correct machine. */
#include "bench.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#define BASE_BYTES (6L << 20)
#define SHA_REPEATS 6
#define BUSYBOX "/bin/busybox"
#define FILE_PATH "/tmp/bench-busybox.txt"

static void die(const char *what)
{
    fprintf(stderr, "bench-error busybox: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Writes `bytes` bytes of word salad to `path`. */
static void generate(const char *path, long bytes)
{
    static char vocab[512][12];
    static char buf[65536];
    uint64_t seed = 0x5eed0b5ULL;
    for (int i = 0; i < 512; i++) {
        int len = 2 + (int)(bench_rand(&seed) % 9);
        for (int j = 0; j < len; j++)
            vocab[i][j] = (char)('a' + bench_rand(&seed) % 26);
        vocab[i][len] = '\0';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die(path);
    long left = bytes;
    int col = 0;
    while (left > 0) {
        size_t fill = 0;
        while (fill < sizeof buf - 16) {
            uint64_t r = bench_rand(&seed);
            /* Skewed: the smaller of two picks, so common words are common. */
            unsigned a = (unsigned)(r & 511), b = (unsigned)((r >> 9) & 511);
            const char *w = vocab[a < b ? a : b];
            size_t len = strlen(w);
            memcpy(buf + fill, w, len);
            fill += len;
            col += (int)len + 1;
            if (col > 72) {
                buf[fill++] = '\n';
                col = 0;
            } else {
                buf[fill++] = (r >> 20) % 16 == 0 ? ',' : ' ';
            }
        }
        size_t n = (size_t)left < fill ? (size_t)left : fill;
        if (write(fd, buf, n) != (ssize_t)n)
            die("write");
        left -= (long)n;
    }
    if (close(fd) != 0)
        die("close");
}

/* Runs argv with stdout on a pipe and hands every chunk of output to sink(). Returns the seconds
 * from fork to waitpid. Exits on failure. */
static double run(char *const argv[], void (*sink)(const char *data, size_t len, void *ctx), void *ctx)
{
    static char buf[65536];
    int p[2];
    if (pipe(p) != 0)
        die("pipe");
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        close(p[0]);
        if (p[1] != 1) {
            dup2(p[1], 1);
            close(p[1]);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    for (;;) {
        ssize_t n = read(p[0], buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("read");
        }
        sink(buf, (size_t)n, ctx);
    }
    close(p[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            die("waitpid");
    double t1 = bench_now();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench-error busybox: %s %s: exit status %d\n", argv[0], argv[1],
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        exit(1);
    }
    return t1 - t0;
}

struct text {
    char data[1024];
    size_t len;
};

static void keep_text(const char *data, size_t len, void *ctx)
{
    struct text *t = ctx;
    size_t room = sizeof t->data - 1 - t->len;
    if (len > room)
        len = room;
    memcpy(t->data + t->len, data, len);
    t->len += len;
    t->data[t->len] = '\0';
}

struct tail {
    uint64_t size;
    unsigned char last[8];
};

static void keep_tail(const char *data, size_t len, void *ctx)
{
    struct tail *t = ctx;
    t->size += len;
    if (len >= 8) {
        memcpy(t->last, data + len - 8, 8);
    } else {
        memmove(t->last, t->last + len, 8 - len);
        memcpy(t->last + 8 - len, data, len);
    }
}

int main(int argc, char **argv)
{
    long bytes = bench_count(argc, argv, BASE_BYTES);
    generate(FILE_PATH, bytes);

    /* sha256sum: one line "<64 hex digits>  FILE\n" per repeat. */
    char *sha_argv[3 + SHA_REPEATS] = {BUSYBOX, "sha256sum"};
    for (int i = 0; i < SHA_REPEATS; i++)
        sha_argv[2 + i] = FILE_PATH;
    struct text out = {.len = 0};
    double secs = run(sha_argv, keep_text, &out);
    char first[17] = {0};
    memcpy(first, out.data, 16);
    uint64_t check = strtoull(first, NULL, 16);
    /* Every line must carry the same digest: otherwise mix in the number of good lines. */
    int good = 0;
    for (char *line = out.data; line && *line;) {
        good += strncmp(line, out.data, 64) == 0;
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    if (good != SHA_REPEATS)
        check = bench_mix(check, (uint64_t)good);
    bench_report("bb-sha256sum", (double)bytes * SHA_REPEATS / 1e6, "MB/s", bytes * SHA_REPEATS, secs, check);

    /* gzip -c: check the compressed size and the gzip trailer (CRC-32 and length of the input). */
    char *gzip_argv[] = {BUSYBOX, "gzip", "-c", FILE_PATH, NULL};
    struct tail gz = {0};
    secs = run(gzip_argv, keep_tail, &gz);
    uint64_t trailer = 0;
    for (int i = 7; i >= 0; i--)
        trailer = trailer << 8 | gz.last[i];
    bench_report("bb-gzip", (double)bytes / 1e6, "MB/s", bytes, secs,
                 bench_mix(bench_mix(BENCH_DIGEST_INIT, gz.size), trailer));

    unlink(FILE_PATH);
    return 0;
}
