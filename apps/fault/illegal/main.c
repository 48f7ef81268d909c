/* fault_illegal: an undefined instruction. */
int main(void)
{
    __builtin_trap();
}
