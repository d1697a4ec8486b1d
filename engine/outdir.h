/* outdir: results are written into a temporary directory beside the target
 * and renamed into place only when complete. A target that avrrsim wrote
 * (it holds the marker file OUTDIR_MARKER) is replaced whole; an empty one is
 * used; one that holds anything else is never touched. */
#ifndef AVRRSIM_OUTDIR_H
#define AVRRSIM_OUTDIR_H

#include <stddef.h>
#include <stdio.h>

#define OUTDIR_MARKER ".avrrsim-output"

enum outdir_state {
    OUTDIR_ABSENT,     /* does not exist: will be created */
    OUTDIR_EMPTY,      /* an empty directory: will be used */
    OUTDIR_OURS,       /* written by avrrsim: will be replaced */
    OUTDIR_FOREIGN,    /* anything else (a file, a directory with other content) */
    OUTDIR_UNREADABLE  /* could not be inspected (permissions, I/O) */
};

/* Inspects target without changing anything. */
enum outdir_state outdir_inspect(const char *target);

struct outdir {
    char *target;      /* as given, without trailing slashes */
    char *tmp;         /* the temporary directory beside it */
};

/* Creates missing parent directories of target and a fresh temporary
 * directory beside it. Returns 0, or -1 with a reason in why (errno text). */
int outdir_begin(struct outdir *o, const char *target, char *why, size_t why_size);

/* "tmp/name", malloc'd; NULL on OOM. */
char *outdir_file(const struct outdir *o, const char *name);

/* Writes folder/name whole with writer(f, data), checking every write and
 * the close. 0, or -1 with a reason ("cannot write NAME: errno text"). */
int outdir_write_file(const char *folder, const char *name, int (*writer)(FILE *, const void *),
                      const void *data, char *why, size_t why_size);

/* Creates tmp/name, a folder of results inside the one being written (a
 * batch's scenario), with its own marker so that `avrrsim plot` accepts it.
 * Returns its path (malloc'd), or NULL with a reason. */
char *outdir_subfolder(const struct outdir *o, const char *name, char *why, size_t why_size);

/* Writes the marker, then puts the temporary directory in place of target
 * (replacing an earlier avrrsim result or an empty directory only; the old
 * result is removed after the new one is in place). Returns 0, or -1 with a
 * reason; on failure target is as it was and the temporary directory is removed. */
int outdir_commit(struct outdir *o, char *why, size_t why_size);

/* Removes the temporary directory and everything in it. Safe to call twice. */
void outdir_abort(struct outdir *o);

/* Frees the strings. */
void outdir_clear(struct outdir *o);

/* Removes a directory tree (no symlinks followed). 0 or -1. */
int remove_tree(const char *path);

#endif
