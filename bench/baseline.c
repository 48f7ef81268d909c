/*
 * Baselines: what the machine itself does for each job, with nothing of ksim
 * behind it. The stack switch is ksim's own (hal__switch, hal__init_stack)
 * because the issue asks for the floor of that technique; everything else
 * here is plain libc.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "hal_internal.h"

extern char **environ;

#define CO_STACK_SIZE (64u * 1024u)

/* Not instrumented: this runs on the second stack, which ASan does not know. */
#if defined(__SANITIZE_ADDRESS__)
#define CO_ATTR __attribute__((no_sanitize_address, noinline))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CO_ATTR __attribute__((no_sanitize_address, noinline))
#endif
#endif
#ifndef CO_ATTR
#define CO_ATTR __attribute__((noinline))
#endif

static void *main_sp, *co_sp;

/* The other side: switch straight back, forever. */
CO_ATTR static void co_entry(void)
{
    for (;;)
        hal__switch(&co_sp, main_sp);
}

CO_ATTR static void round_trips(unsigned long rounds)
{
    for (unsigned long i = 0; i < rounds; i++)
        hal__switch(&main_sp, co_sp);
}

double baseline_switch_round_trips(unsigned long rounds)
{
    void *stack =
        mmap(NULL, CO_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack == MAP_FAILED)
        return -1;
    uintptr_t lo = (uintptr_t)stack, top = lo + CO_STACK_SIZE;
    co_sp = hal__init_stack(lo, top, co_entry);
    if (!co_sp) {
        munmap(stack, CO_STACK_SIZE);
        return -1;
    }
    round_trips(1); /* starts co_entry: its first frame is not a round trip */
    uint64_t t0 = bench_cpu_ns();
    round_trips(rounds);
    uint64_t t1 = bench_cpu_ns();
    /* co_entry stays suspended on this stack and is never resumed. */
    hal__free_context(co_sp);
    co_sp = NULL;
    munmap(stack, CO_STACK_SIZE);
    return (double)(t1 - t0) / 1e9;
}

/* Two blocks of one memory file, mapped shared like ksim's app view, every page touched. */
static char *map_blocks(size_t size, int *fd)
{
    *fd = memfd_create("ksim-bench-blocks", MFD_CLOEXEC);
    if (*fd < 0 || ftruncate(*fd, (off_t)(2 * size)) != 0)
        return NULL;
    char *p = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
    if (p == MAP_FAILED)
        return NULL;
    for (size_t i = 0; i < 2 * size; i += 4096)
        p[i] = 1;
    return p;
}

CO_ATTR static int protect_switches(char *blocks, size_t size, unsigned switches)
{
    for (unsigned i = 0; i < switches; i++) {
        char *from = blocks + (i % 2) * size, *to = blocks + ((i + 1) % 2) * size;
        if (mprotect(from, size, PROT_NONE) != 0 || mprotect(to, size, PROT_READ | PROT_WRITE) != 0)
            return -1;
        *(volatile char *)to = (char)i; /* the process runs: it touches its memory */
        hal__switch(&main_sp, co_sp);   /* into the kernel and out again */
    }
    return 0;
}

double baseline_protect_switches(size_t size, unsigned switches)
{
    int fd = -1;
    double s = -1;
    char *blocks = map_blocks(size, &fd);
    void *stack =
        mmap(NULL, CO_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *co = NULL;
    if (blocks && stack != MAP_FAILED)
        co = co_sp = hal__init_stack((uintptr_t)stack, (uintptr_t)stack + CO_STACK_SIZE, co_entry);
    if (co) {
        round_trips(1);
        mprotect(blocks + size, size, PROT_NONE); /* block 0 runs first */
        uint64_t t0 = bench_cpu_ns();
        int rc = protect_switches(blocks, size, switches);
        uint64_t t1 = bench_cpu_ns();
        if (rc == 0)
            s = (double)(t1 - t0) / 1e9;
        hal__free_context(co);
        co_sp = NULL;
    }
    if (stack != MAP_FAILED)
        munmap(stack, CO_STACK_SIZE);
    if (blocks)
        munmap(blocks, 2 * size);
    if (fd >= 0)
        close(fd);
    return s;
}

double bench_spawn_wait(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    /* Wall clock: the child's whole life is the job, not this thread's CPU time. */
    uint64_t t0 = bench_now_ns();
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    if (rc == 0 && waitpid(pid, &status, 0) != pid)
        rc = -1;
    uint64_t t1 = bench_now_ns();
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return (double)(t1 - t0) / 1e9;
}

double baseline_read_file(const char *path)
{
    struct stat st;
    uint64_t t0 = bench_cpu_ns();
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size, got = 0;
    char *buf = malloc(len);
    while (buf && got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    free(buf);
    uint64_t t1 = bench_cpu_ns();
    return got == len ? (double)(t1 - t0) / 1e9 : -1;
}

/*
 * Seconds of wall time for `rounds` round trips between two host processes
 * waking each other through a futex on a shared page: the floor of a system
 * call under --isolation process, which is one such round trip.
 */
double baseline_futex_round_trips(unsigned rounds)
{
    uint32_t *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (turn == MAP_FAILED)
        return -1;
    *turn = 0;
    pid_t pid = fork();
    if (pid < 0) {
        munmap(turn, 4096);
        return -1;
    }
    if (pid == 0) { /* the other side: answer every call */
        for (unsigned i = 0; i < rounds; i++) {
            while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != 1)
                syscall(SYS_futex, turn, FUTEX_WAIT, 0, NULL, NULL, 0);
            __atomic_store_n(turn, 0, __ATOMIC_RELEASE);
            syscall(SYS_futex, turn, FUTEX_WAKE, 1, NULL, NULL, 0);
        }
        _exit(0);
    }
    uint64_t t0 = bench_now_ns();
    for (unsigned i = 0; i < rounds; i++) {
        __atomic_store_n(turn, 1, __ATOMIC_RELEASE);
        syscall(SYS_futex, turn, FUTEX_WAKE, 1, NULL, NULL, 0);
        while (__atomic_load_n(turn, __ATOMIC_ACQUIRE) != 0)
            syscall(SYS_futex, turn, FUTEX_WAIT, 1, NULL, NULL, 0);
    }
    uint64_t t1 = bench_now_ns();
    waitpid(pid, NULL, 0);
    munmap(turn, 4096);
    return (double)(t1 - t0) / 1e9;
}
