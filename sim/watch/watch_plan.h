/*
 * What `ksim watch` builds, watches and runs, worked out once from its
 * targets (docs/cli.md has the rules):
 *
 *   APP.elf built by ksim-cc      the command ksim-cc recorded in it, again;
 *                                 watches the directories of its sources and -I
 *   APP.elf in a CMake build tree cmake --build BUILD --target app_APP;
 *                                 watches the source tree's apps/ and include/
 *   DIR with CMakeCache.txt       cmake --build DIR; watches the source tree
 *   DIR with a Makefile           make -C DIR; watches DIR
 *   DIR with .c files             ksim-cc -o DIR/NAME.elf DIR/NAME1.c ...; watches DIR
 *   --build CMD                   sh -c CMD instead of all of the above
 *   --watch PATH                  watches PATH (a file or a directory tree) instead
 *
 * A DIR target runs every .elf file directly in DIR after its build.
 */
#ifndef KSIM_SIM_WATCH_WATCH_PLAN_H
#define KSIM_SIM_WATCH_WATCH_PLAN_H

#include <stdbool.h>
#include <stddef.h>

struct watch_cmd {
    char **argv; /* NULL-terminated; argv[0] is the program */
    char *cwd;   /* where it runs; NULL: the current directory */
    char *text;  /* the command as shown to the user */
};

/* A watched directory: changes to source files in it count, or only to `only`. */
struct watch_dir {
    char *path;
    char *only; /* a file name, or NULL */
};

struct watch_target {
    bool is_dir;
    char *path;
};

struct watch_plan {
    struct watch_target *targets;
    size_t ntargets;
    struct watch_cmd *builds; /* run in order; identical commands appear once */
    size_t nbuilds;
    struct watch_dir *dirs; /* each watched on its own (trees are expanded) */
    size_t ndirs;
    bool dirs_capped; /* a tree had more directories than are watched */
};

struct watch_options {
    const char *build;              /* --build CMD, or NULL */
    const char *const *watch_paths; /* --watch PATH... */
    size_t nwatch;
    const char *ksim_cc; /* path of ksim-cc, for directories of plain sources */
};

/* Works out the plan. 0, or -1 with the target and the reason in err. */
int watch_plan_make(struct watch_plan *p, const struct watch_options *o, char *const *targets,
                    size_t ntargets, char *err, size_t errlen);
void watch_plan_free(struct watch_plan *p);

/*
 * The apps to run now (after a build): ELF targets as given, then each DIR
 * target's *.elf in name order. 0 with a malloc'd NULL-terminated list in
 * *elfs (free with watch_plan_free_list), or -1 with a message.
 */
int watch_plan_elfs(const struct watch_plan *p, char ***elfs, char *err, size_t errlen);
void watch_plan_free_list(char **list);

/* Does a change to a file of this name call for a rebuild? Sources and build files. */
bool watch_is_source(const char *name);

#endif /* KSIM_SIM_WATCH_WATCH_PLAN_H */
