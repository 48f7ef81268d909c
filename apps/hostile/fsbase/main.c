/*
 * hostile_fsbase: reads FS and GS base (they must not be the host's thread
 * pointer), writes its own, sleeps and spins (system calls, preemption,
 * other processes run) and checks it still has them.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static uint64_t rdfs(void)
{
    uint64_t v;
    __asm__ volatile("rdfsbase %0" : "=r"(v));
    return v;
}

static uint64_t cycles(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t rdgs(void)
{
    uint64_t v;
    __asm__ volatile("rdgsbase %0" : "=r"(v));
    return v;
}

int main(void)
{
    printf("hostile_fsbase: at start fs=0x%llx gs=0x%llx\n", (unsigned long long)rdfs(),
           (unsigned long long)rdgs());
    __asm__ volatile("wrfsbase %0" ::"r"((uint64_t)0x12340000));
    __asm__ volatile("wrgsbase %0" ::"r"((uint64_t)0x56780000));
    for (int round = 0; round < 5; round++) {
        usleep(100000);
        /* About 20 ms of host cycles: several preemptions each round. */
        for (uint64_t start = cycles(); cycles() - start < 60000000ULL;)
            ;
    }
    printf("hostile_fsbase: after fs=0x%llx gs=0x%llx\n", (unsigned long long)rdfs(),
           (unsigned long long)rdgs());
    return 0;
}
