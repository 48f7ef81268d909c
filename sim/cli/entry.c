/*
 * The process entry, alone in a file built without debug information: the
 * build strips the symbol `main` from ksim after linking (CMakeLists.txt),
 * so that in gdb `break main` names the app's main once an app is loaded
 * (docs/debugging.md). ksim's own main is ksim_main, in main.c.
 */
int ksim_main(int argc, char **argv);

int main(int argc, char **argv)
{
    return ksim_main(argc, argv);
}
