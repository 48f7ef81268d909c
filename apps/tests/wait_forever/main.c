/* Yield-Wait with nothing subscribed: nothing can ever wake it, and ksim must say so. */
#include <tock.h>

int main(void)
{
    yield();
    return 0;
}
