/* fault_exec_data: a jump into its own stack, which is writable but never executable. */
#include <stdint.h>
#include <string.h>

int main(void)
{
    uint8_t code[16];
    memset(code, 0xc3, sizeof(code)); /* x86-64 "ret": harmless if it ever ran */
    void (*fn)(void) = (void (*)(void))(uintptr_t)code;
    __asm__ volatile("" : : "r"(code) : "memory");
    fn();
    return 0;
}
