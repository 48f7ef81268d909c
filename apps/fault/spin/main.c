/* fault_spin: an endless loop with no system call. Preemption keeps it from starving others. */
int main(void)
{
    for (volatile unsigned long i = 0;; i++)
        ;
}
