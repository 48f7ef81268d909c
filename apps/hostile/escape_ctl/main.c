/*
 * hostile_escape_ctl: in --isolation process, the page shared with ksim is
 * mapped in the app's host process. The app finds it (the only page-aligned
 * pointer to a page starting with the control page's magic, in its host
 * program's data next to the gate), writes a report that does not exist and
 * hands the turn to ksim, as a lying child would. ksim must take it as a
 * fault of this process and nothing else. (In the in-process modes the
 * search finds nothing and the app says so.)
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>

ksim_gate_fn ksim_gate_address(void);

#define MAGIC 0x6b73696du

int main(void)
{
    uintptr_t gate = (uintptr_t)ksim_gate_address();
    if (gate >> 40 != 0x7e) { /* not ksim-app-host's fixed address: not process mode */
        printf("hostile_escape_ctl: no host program of its own here\n");
        return 0;
    }
    /* ksim-app-host's data lies in the few pages after its code. */
    for (volatile uint64_t *w = (uint64_t *)((gate & ~0xffffful) + 0x3000);
         (uintptr_t)w < (gate & ~0xffffful) + 0x1c000; w++) {
        uint64_t v = *w;
        if (v == 0 || (v & 0xfff) || v >> 47 || v < 0x7f0000000000ul)
            continue;
        volatile uint32_t *ctl = (volatile uint32_t *)(uintptr_t)v;
        if (ctl[1] != MAGIC)
            continue;
        ctl[2] = 99; /* a report that does not exist */
        __atomic_store_n(&ctl[0], 0u, __ATOMIC_RELEASE);
        long r;
        __asm__ volatile("syscall"
                         : "=a"(r)
                         : "a"(202L), "D"(ctl), "S"(1L /* FUTEX_WAKE */), "d"(1L)
                         : "rcx", "r11", "memory");
        for (;;)
            ; /* ksim must stop us */
    }
    printf("hostile_escape_ctl: control page not found\n");
    return 1;
}
