/* Workload 4, system calls: each one is a trap from U-mode into the kernel and an sret back.
 *   sys-getpid: getpid() through syscall(2) (glibc does not cache it). Score: calls per second.
 *   sys-write:  64-byte write(2)s to /dev/null: a trip through the VFS as well. Score: calls per second. */
#include "bench.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BASE_GETPID 2000000L
#define BASE_WRITE 1500000L

int main(int argc, char **argv)
{
    long n_getpid = bench_count(argc, argv, BASE_GETPID);
    long n_write = bench_count(argc, argv, BASE_WRITE);

    uint64_t sum = 0;
    double t0 = bench_now();
    for (long k = 0; k < n_getpid; k++)
        sum += (uint64_t)syscall(SYS_getpid);
    double t1 = bench_now();
    /* The pid differs between boots (and emulators): check only that every call returned it. */
    uint64_t ok = sum == (uint64_t)n_getpid * (uint64_t)getpid();
    bench_report("sys-getpid", (double)n_getpid, "call/s", n_getpid, t1 - t0, bench_mix(BENCH_DIGEST_INIT, ok));

    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) {
        perror("syscall: /dev/null");
        return 1;
    }
    char buf[64];
    memset(buf, 'x', sizeof buf);
    uint64_t written = 0;
    t0 = bench_now();
    for (long k = 0; k < n_write; k++)
        written += (uint64_t)write(fd, buf, sizeof buf);
    t1 = bench_now();
    close(fd);
    bench_report("sys-write", (double)n_write, "call/s", n_write, t1 - t0, bench_mix(BENCH_DIGEST_INIT, written));
    return 0;
}
