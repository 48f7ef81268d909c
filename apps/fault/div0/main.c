/* fault_div0: an integer divide by zero. */
int main(void)
{
    volatile int zero = 0;
    volatile int n = 42;
    return n / zero;
}
