/*
 * hostile_escape_selector: the attack docs/faults.md describes for the
 * in-process modes. From the gate's address it scans the host code that
 * follows for stores of a zero byte to a RIP-relative address (movb $0,
 * disp32(%rip): the gate clearing the syscall-user-dispatch selector), clears
 * each such byte itself, and then makes a raw write(2) to standard output.
 * In mpu and off modes the write works (the escape is real and documented);
 * in process mode the gate is in the app's own host process, there is no
 * selector to clear, and the write is a fault.
 */
#include <ksim/abi.h>
#include <stdint.h>
#include <stdio.h>

#include "../raw_syscall.h"

ksim_gate_fn ksim_gate_address(void);

int main(void)
{
    const volatile uint8_t *code = (const volatile uint8_t *)(uintptr_t)ksim_gate_address();
    int cleared = 0;
    for (int i = 0; i < 1024 && cleared < 8; i++) {
        if (code[i] != 0xc6 || code[i + 1] != 0x05 || code[i + 6] != 0x00)
            continue;
        int32_t disp = (int32_t)((uint32_t)code[i + 2] | (uint32_t)code[i + 3] << 8 |
                                 (uint32_t)code[i + 4] << 16 | (uint32_t)code[i + 5] << 24);
        volatile uint8_t *target = (volatile uint8_t *)(uintptr_t)(code + i + 7 + disp);
        *target = 0; /* ksim's own memory, in the in-process modes */
        cleared++;
    }
    static const char msg[] = "hostile_escape_selector: ESCAPED, a raw write reached the host\n";
    long n = raw_syscall3(1 /* write */, 1, (long)msg, sizeof(msg) - 1);
    printf("hostile_escape_selector: cleared %d bytes, write gave %ld\n", cleared, n);
    return 0;
}
