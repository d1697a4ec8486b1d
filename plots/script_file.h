/* script_file: the files of the chart scripts, DIR/plots/NAME.gp, for the
 * run's charts (plots/plots.c) and the sweep's (plots/sweep_plots.c):
 * creating DIR/plots, writing a script whole or not at all (through
 * DIR/plots/NAME.gp.tmp, renamed into place when complete and removed on any
 * failure), and removing the script of a chart that does not apply. */
#ifndef AVRRSIM_PLOTS_SCRIPT_FILE_H
#define AVRRSIM_PLOTS_SCRIPT_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Writes a whole script to out, from data. 0, or -1 with a reason (a column
 * the chart needs is missing); write errors show in ferror(out). */
typedef int script_body(FILE *out, const void *data, char *why, size_t why_size);

/* Creates DIR/plots when it does not exist. 0, or -1 with a reason:
 * "cannot create DIR/plots: <errno text>" (Not a directory when something
 * else holds the name). */
int script_file_make_folder(const char *dir, char *why, size_t why_size);

/* Writes DIR/plots/NAME.gp with body(out, data), replacing an earlier one only
 * when the new one is complete. 0, or -1 with body's reason, or with
 * "cannot write DIR/plots/NAME.gp.tmp: <errno text>" or "cannot rename
 * DIR/plots/NAME.gp.tmp: <errno text>"; no NAME.gp.tmp is left behind. */
int script_file_write(const char *dir, const char *name, script_body *body, const void *data, char *why,
                      size_t why_size);

/* Removes DIR/plots/NAME.gp (a stale script); its absence is fine. 0, or -1
 * with "cannot remove DIR/plots/NAME.gp: <errno text>". */
int script_file_remove(const char *dir, const char *name, char *why, size_t why_size);

#endif
