/* The benchmark guest's one binary: `/bench/bench WORKLOAD [SCALE]` runs one workload (each source
 * file's main() is compiled as WORKLOAD_main; see build.sh). One static binary instead of six keeps
 * the initramfs, and so the kernel's unpacking at boot, small. */
#include <stdio.h>
#include <string.h>

int intmix_main(int argc, char **argv);
int memory_main(int argc, char **argv);
int fp_main(int argc, char **argv);
int syscall_main(int argc, char **argv);
int compile_main(int argc, char **argv);
int busybox_main(int argc, char **argv);

static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
} workloads[] = {
    {"intmix", intmix_main}, {"memory", memory_main}, {"fp", fp_main},
    {"syscall", syscall_main}, {"compile", compile_main}, {"busybox", busybox_main},
};

int main(int argc, char **argv)
{
    if (argc >= 2)
        for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++)
            if (strcmp(argv[1], workloads[i].name) == 0)
                return workloads[i].main(argc - 1, argv + 1);
    fprintf(stderr, "usage: %s WORKLOAD [SCALE]\nworkloads:", argv[0]);
    for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++)
        fprintf(stderr, " %s", workloads[i].name);
    fprintf(stderr, "\n");
    return 2;
}
