/* fault_stack: unbounded recursion. The stack sits at the bottom of the block, so it faults. */
#include <stdint.h>

static volatile int keep_going = 1; /* volatile: the compiler cannot see the end never comes */

static int depth(volatile uint8_t *prev)
{
    volatile uint8_t frame[512];
    frame[0] = prev ? prev[0] + 1 : 0;
    if (!keep_going)
        return frame[0];
    return depth(frame) + frame[1];
}

int main(void)
{
    return depth(0);
}
