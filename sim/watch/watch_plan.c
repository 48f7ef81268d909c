/* Working out what `ksim watch` builds, watches and runs (rules in watch_plan.h). */
#define _GNU_SOURCE
#include "watch/watch_plan.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/appfile.h"
#include "image/build_note.h"

#define MAX_WATCHED_DIRS 512 /* inotify watches are a per-user resource: stay modest */
#define MAX_TREE_DEPTH   8
#define CMAKE_SEARCH_UP  3 /* build/apps/NAME.elf: the cache is two levels up */

/* --- small helpers ---------------------------------------------------------------- */

static char *format(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool file_in(const char *dir, const char *name)
{
    char *p = format("%s/%s", dir, name);
    bool yes = p && is_file(p);
    free(p);
    return yes;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool watch_is_source(const char *name)
{
    static const char *const suffixes[] = {".c",   ".h",   ".S",  ".s",  ".cc",    ".cpp",
                                           ".hpp", ".inc", ".ld", ".mk", ".cmake", ".json"};
    static const char *const names[] = {"Makefile", "makefile", "GNUmakefile", "CMakeLists.txt"};
    if (name[0] == '.')
        return false; /* editors' swap and backup files */
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
        if (ends_with(name, suffixes[i]))
            return true;
    return false;
}

/* A command from a fixed argument list, shown as the words joined by spaces. */
static int add_build(struct watch_plan *p, char **argv, const char *cwd)
{
    size_t len = 1;
    for (size_t i = 0; argv[i]; i++)
        len += strlen(argv[i]) + 1;
    char *text = malloc(len);
    if (!text)
        return -1;
    text[0] = '\0';
    for (size_t i = 0; argv[i]; i++) {
        strcat(text, i ? " " : "");
        strcat(text, argv[i]);
    }
    for (size_t i = 0; i < p->nbuilds; i++)
        if (strcmp(p->builds[i].text, text) == 0 &&
            strcmp(p->builds[i].cwd ? p->builds[i].cwd : "", cwd ? cwd : "") == 0) {
            free(text); /* the same build serves two targets */
            watch_plan_free_list(argv);
            return 0;
        }
    struct watch_cmd *grown = realloc(p->builds, (p->nbuilds + 1) * sizeof(*grown));
    char *cwd_copy = cwd ? strdup(cwd) : NULL;
    if (grown)
        p->builds = grown;
    if (!grown || (cwd && !cwd_copy)) {
        free(text);
        free(cwd_copy);
        watch_plan_free_list(argv);
        return -1;
    }
    p->builds[p->nbuilds++] = (struct watch_cmd){argv, cwd_copy, text};
    return 0;
}

/* argv from a fixed list of strings (copied); the list ends with NULL. */
static char **argv_of(const char *first, ...)
{
    va_list ap;
    size_t n = 1;
    va_start(ap, first);
    while (va_arg(ap, const char *))
        n++;
    va_end(ap);
    char **argv = calloc(n + 1, sizeof(char *));
    if (!argv)
        return NULL;
    argv[0] = strdup(first);
    va_start(ap, first);
    for (size_t i = 1; i < n; i++)
        argv[i] = strdup(va_arg(ap, const char *));
    va_end(ap);
    for (size_t i = 0; i < n; i++)
        if (!argv[i]) {
            for (size_t k = 0; k < n; k++)
                free(argv[k]);
            free(argv);
            return NULL;
        }
    return argv;
}

/* --- watched directories ---------------------------------------------------------- */

static int add_dir(struct watch_plan *p, const char *path, const char *only)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return 0; /* gone: nothing to watch there */
    for (size_t i = 0; i < p->ndirs; i++)
        if (strcmp(p->dirs[i].path, real) == 0 &&
            strcmp(p->dirs[i].only ? p->dirs[i].only : "", only ? only : "") == 0)
            return 0;
    if (p->ndirs == MAX_WATCHED_DIRS) {
        p->dirs_capped = true;
        return 0;
    }
    struct watch_dir *grown = realloc(p->dirs, (p->ndirs + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    p->dirs = grown;
    struct watch_dir *d = &p->dirs[p->ndirs];
    d->path = strdup(real);
    d->only = only ? strdup(only) : NULL;
    if (!d->path || (only && !d->only)) {
        free(d->path);
        free(d->only);
        return -1;
    }
    p->ndirs++;
    return 0;
}

/* dir and every directory below it, but not hidden ones or CMake build trees (outputs). */
static int add_tree(struct watch_plan *p, const char *dir, int depth)
{
    if (add_dir(p, dir, NULL) != 0)
        return -1;
    DIR *d = depth < MAX_TREE_DEPTH ? opendir(dir) : NULL;
    if (!d)
        return 0;
    int rc = 0;
    for (struct dirent *e = readdir(d); e && rc == 0; e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = format("%s/%s", dir, e->d_name);
        if (!sub)
            rc = -1;
        else if (is_dir(sub) && !file_in(sub, "CMakeCache.txt"))
            rc = add_tree(p, sub, depth + 1);
        free(sub);
    }
    closedir(d);
    return rc;
}

/* --watch PATH: a file (its directory, only that name) or a directory tree. */
static int add_watch_path(struct watch_plan *p, const char *path, char *err, size_t errlen)
{
    if (is_dir(path))
        return add_tree(p, path, 0);
    if (!is_file(path)) {
        snprintf(err, errlen, "--watch %s: no such file or directory", path);
        return -1;
    }
    char *copy = strdup(path), *copy2 = strdup(path);
    int rc = copy && copy2 ? add_dir(p, dirname(copy), basename(copy2)) : -1;
    free(copy);
    free(copy2);
    return rc;
}

/* --- ELF targets ---------------------------------------------------------------------- */

/* The directories of a ksim-cc command's sources and -I options, relative to its cwd. */
static int watch_note_sources(struct watch_plan *p, const struct build_note *n)
{
    for (size_t i = 0; i < n->argc; i++) {
        const char *a = n->argv[i], *dir = NULL;
        char *path = NULL, *copy = NULL;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--libtock-c") == 0) {
            i++; /* an output or a library, not a source */
            continue;
        }
        if (strcmp(a, "-I") == 0 || strcmp(a, "--example") == 0)
            dir = i + 1 < n->argc ? n->argv[++i] : NULL;
        else if (strncmp(a, "-I", 2) == 0)
            dir = a + 2;
        else if (a[0] != '-' && watch_is_source(a) && (copy = strdup(a)))
            dir = dirname(copy);
        if (dir)
            path = dir[0] == '/' ? strdup(dir) : format("%s/%s", n->cwd, dir);
        int rc = dir && !path ? -1 : path ? add_dir(p, path, NULL) : 0;
        free(path);
        free(copy);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int plan_from_note(struct watch_plan *p, const char *elf, struct build_note *n, bool build,
                          bool watch, char *err, size_t errlen)
{
    if (watch && watch_note_sources(p, n) != 0)
        return -1;
    if (build) {
        if (!is_file(n->cc)) {
            snprintf(err, errlen, "%s: built by %s, which is gone (give --build CMD)", elf, n->cc);
            return -1;
        }
        char **argv = calloc(n->argc + 2, sizeof(char *));
        if (!argv)
            return -1;
        argv[0] = n->cc;
        memcpy(argv + 1, n->argv, n->argc * sizeof(char *));
        free(n->argv); /* its strings now belong to the plan */
        n->argv = NULL;
        n->cc = NULL;
        n->argc = 0;
        return add_build(p, argv, n->cwd);
    }
    return 0;
}

/* The CMake build tree holding elf: its CMakeCache.txt's directory (malloc'd), or NULL. */
static char *cmake_tree_of(const char *elf)
{
    char real[PATH_MAX];
    if (!realpath(elf, real))
        return NULL;
    for (int up = 0; up < CMAKE_SEARCH_UP; up++) {
        char *slash = strrchr(real, '/');
        if (!slash || slash == real)
            return NULL;
        *slash = '\0';
        if (file_in(real, "CMakeCache.txt"))
            return strdup(real);
    }
    return NULL;
}

/* The source directory a CMake build tree was configured from (malloc'd), or NULL. */
static char *cmake_source_dir(const char *build_dir)
{
    char *cache = format("%s/CMakeCache.txt", build_dir), line[PATH_MAX + 64];
    FILE *f = cache ? fopen(cache, "r") : NULL;
    char *src = NULL;
    static const char key[] = "CMAKE_HOME_DIRECTORY:INTERNAL=";
    while (f && !src && fgets(line, sizeof(line), f))
        if (strncmp(line, key, sizeof(key) - 1) == 0) {
            line[strcspn(line, "\r\n")] = '\0';
            src = strdup(line + sizeof(key) - 1);
        }
    if (f)
        fclose(f);
    free(cache);
    return src;
}

static int watch_cmake_sources(struct watch_plan *p, const char *build_dir, bool apps_only)
{
    char *src = cmake_source_dir(build_dir);
    int rc = 0;
    if (!src)
        return 0;
    if (!apps_only) {
        rc = add_tree(p, src, 0);
    } else {
        char *apps = format("%s/apps", src), *inc = format("%s/include", src);
        rc = apps && inc ? add_tree(p, apps, 0) | add_tree(p, inc, 0) : -1;
        free(apps);
        free(inc);
    }
    free(src);
    return rc;
}

static int plan_elf(struct watch_plan *p, const struct watch_options *o, const char *elf, char *err,
                    size_t errlen)
{
    uint8_t *bytes;
    size_t len;
    struct build_note note;
    if (sim_read_file(elf, &bytes, &len, err, errlen) != 0)
        return -1;
    enum build_note_status st = build_note_find(bytes, len, &note);
    free(bytes);
    if (st == BUILD_NOTE_NOMEM)
        return -1;
    bool watch = o->nwatch == 0;
    if (st == BUILD_NOTE_FOUND) {
        int rc = plan_from_note(p, elf, &note, !o->build, watch, err, errlen);
        build_note_free(&note);
        return rc;
    }
    char *tree = cmake_tree_of(elf);
    if (tree) {
        char name[256], target[300];
        sim_app_name(elf, name, sizeof(name));
        snprintf(target, sizeof(target), "app_%s", name);
        char **argv = o->build ? NULL : argv_of("cmake", "--build", tree, "--target", target, NULL);
        int rc = (!o->build && (!argv || add_build(p, argv, NULL) != 0)) ||
                         (watch && watch_cmake_sources(p, tree, true) != 0)
                     ? -1
                     : 0;
        free(tree);
        return rc;
    }
    if (o->build)
        return watch ? add_tree(p, ".", 0) : 0;
    snprintf(err, errlen,
             "%s: cannot tell how to rebuild it (no ksim-cc record in it, not in a CMake build "
             "tree): give --build CMD",
             elf);
    return -1;
}

/* --- directory targets ---------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dir/NAME for each NAME ending in suffix, sorted; NULL-terminated, malloc'd. */
static char **files_ending(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    char **list = calloc(1, sizeof(char *));
    size_t n = 0;
    if (!d || !list) {
        if (d)
            closedir(d);
        return list;
    }
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        char *path = e->d_name[0] != '.' && ends_with(e->d_name, suffix)
                         ? format("%s/%s", dir, e->d_name)
                         : NULL;
        if (!path || !is_file(path)) {
            free(path);
            continue;
        }
        char **grown = realloc(list, (n + 2) * sizeof(char *));
        if (!grown) {
            free(path);
            break;
        }
        list = grown;
        list[n++] = path;
        list[n] = NULL;
    }
    closedir(d);
    qsort(list, n, sizeof(char *), by_name);
    return list;
}

/* ksim-cc -o DIR/NAME.elf DIR/a.c DIR/b.c ... */
static char **ksim_cc_argv(const char *ksim_cc, const char *dir)
{
    char **srcs = files_ending(dir, ".c"), real[PATH_MAX];
    size_t n = 0;
    while (srcs && srcs[n])
        n++;
    char **argv = n && realpath(dir, real) ? calloc(n + 4, sizeof(char *)) : NULL;
    if (argv) {
        const char *name = strrchr(real, '/') + 1;
        argv[0] = strdup(ksim_cc);
        argv[1] = strdup("-o");
        argv[2] = format("%s/%s.elf", dir, name[0] ? name : "app");
        memcpy(argv + 3, srcs, n * sizeof(char *));
        free(srcs);
        return argv;
    }
    watch_plan_free_list(srcs);
    return NULL;
}

static int plan_dir(struct watch_plan *p, const struct watch_options *o, const char *dir, char *err,
                    size_t errlen)
{
    bool watch = o->nwatch == 0;
    char **argv = NULL;
    if (file_in(dir, "CMakeCache.txt")) {
        argv = o->build ? NULL : argv_of("cmake", "--build", dir, NULL);
        if (watch && watch_cmake_sources(p, dir, false) != 0)
            return -1;
        watch = false;
    } else if (o->build) {
        argv = NULL;
    } else if (file_in(dir, "Makefile") || file_in(dir, "makefile") ||
               file_in(dir, "GNUmakefile")) {
        argv = argv_of("make", "-C", dir, NULL);
    } else {
        argv = ksim_cc_argv(o->ksim_cc, dir);
        if (!argv) {
            snprintf(err, errlen, "%s: no Makefile and no .c files: nothing to build", dir);
            return -1;
        }
    }
    if (argv && add_build(p, argv, NULL) != 0)
        return -1;
    return watch ? add_tree(p, dir, 0) : 0;
}

/* --- the plan ---------------------------------------------------------------------- */

static int add_target(struct watch_plan *p, const char *path, bool dir)
{
    struct watch_target *grown = realloc(p->targets, (p->ntargets + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    p->targets = grown;
    p->targets[p->ntargets] = (struct watch_target){dir, strdup(path)};
    return p->targets[p->ntargets++].path ? 0 : -1;
}

int watch_plan_make(struct watch_plan *p, const struct watch_options *o, char *const *targets,
                    size_t ntargets, char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    err[0] = '\0';
    for (size_t i = 0; i < ntargets; i++) {
        bool dir = is_dir(targets[i]);
        if (!dir && !is_file(targets[i])) {
            snprintf(err, errlen, "%s: no such app file or directory", targets[i]);
            goto fail;
        }
        if (add_target(p, targets[i], dir) != 0 ||
            (dir ? plan_dir(p, o, targets[i], err, errlen)
                 : plan_elf(p, o, targets[i], err, errlen)) != 0)
            goto fail;
    }
    if (o->build) {
        char **argv = argv_of("sh", "-c", o->build, NULL);
        if (!argv || add_build(p, argv, NULL) != 0)
            goto fail;
        free(p->builds[p->nbuilds - 1].text);
        if (!(p->builds[p->nbuilds - 1].text = strdup(o->build)))
            goto fail;
    }
    for (size_t i = 0; i < o->nwatch; i++)
        if (add_watch_path(p, o->watch_paths[i], err, errlen) != 0)
            goto fail;
    if (p->ndirs == 0) {
        snprintf(err, errlen, "nothing to watch (give --watch PATH)");
        goto fail;
    }
    return 0;
fail:
    if (!err[0])
        snprintf(err, errlen, "out of memory");
    watch_plan_free(p);
    return -1;
}

void watch_plan_free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

void watch_plan_free(struct watch_plan *p)
{
    for (size_t i = 0; i < p->ntargets; i++)
        free(p->targets[i].path);
    for (size_t i = 0; i < p->nbuilds; i++) {
        watch_plan_free_list(p->builds[i].argv);
        free(p->builds[i].cwd);
        free(p->builds[i].text);
    }
    for (size_t i = 0; i < p->ndirs; i++) {
        free(p->dirs[i].path);
        free(p->dirs[i].only);
    }
    free(p->targets);
    free(p->builds);
    free(p->dirs);
    memset(p, 0, sizeof(*p));
}

int watch_plan_elfs(const struct watch_plan *p, char ***elfs, char *err, size_t errlen)
{
    size_t n = 0;
    char **list = calloc(1, sizeof(char *));
    for (size_t i = 0; list && i < p->ntargets; i++) {
        char **found = p->targets[i].is_dir ? files_ending(p->targets[i].path, ".elf")
                                            : argv_of(p->targets[i].path, NULL);
        size_t k = 0;
        while (found && found[k])
            k++;
        if (p->targets[i].is_dir && k == 0) {
            snprintf(err, errlen, "%s: no .elf file there after the build", p->targets[i].path);
            watch_plan_free_list(found);
            watch_plan_free_list(list);
            return -1;
        }
        char **grown = found ? realloc(list, (n + k + 1) * sizeof(char *)) : NULL;
        if (!grown) {
            watch_plan_free_list(found);
            watch_plan_free_list(list);
            list = NULL;
            break;
        }
        list = grown;
        memcpy(list + n, found, k * sizeof(char *));
        n += k;
        list[n] = NULL;
        free(found);
    }
    if (!list) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *elfs = list;
    return 0;
}
