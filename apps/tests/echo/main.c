/* Reads lines from the console (stdin) and echoes them until end of input or "quit". */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[128];
    size_t n = 0;
    for (;;) {
        int c = getchar();
        if (c == EOF)
            break;
        if (c != '\n' && n + 1 < sizeof(line)) {
            line[n++] = (char)c;
            continue;
        }
        line[n] = '\0';
        if (strcmp(line, "quit") == 0)
            break;
        printf("echo: %s\n", line);
        n = 0;
    }
    printf("echo done\n");
    return 0;
}
