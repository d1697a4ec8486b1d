/* sweep: the grid of a scenario sweep. Each axis is a scenario key and the
 * values it takes (YAML text, applied as --set PATH=VALUE); the grid is their
 * cartesian product, the first axis varying slowest. Every point runs with
 * the scenario's seed (common random numbers across points). */
#ifndef AVRRSIM_SWEEP_H
#define AVRRSIM_SWEEP_H

#include <stddef.h>

struct sweep_axis {
    char *path;          /* "model.avrr.uptake" */
    size_t n_values;
    char **values;       /* YAML text of each value */
};

enum { SWEEP_MAX_VALUES = 10000, SWEEP_MAX_POINTS = 1000000 };

/* Parses "PATH=LO:HI:N" (N >= 2 evenly spaced numbers from LO to HI) or
 * "PATH=V1,V2,..." into axis. 0, or -1 with a reason. */
int sweep_axis_parse(const char *text, struct sweep_axis *axis, char *why, size_t why_size);

/* Fills axis with n evenly spaced numbers from lo to hi (n >= 2), or the
 * given texts. 0, or -1 (out of memory). */
int sweep_axis_range(struct sweep_axis *axis, const char *path, double lo, double hi, size_t n);
int sweep_axis_list(struct sweep_axis *axis, const char *path, const char *const *values, size_t n);

void sweep_axis_clear(struct sweep_axis *axis);

/* Points in the grid (0 when it would exceed SWEEP_MAX_POINTS). */
size_t sweep_point_count(const struct sweep_axis *axes, size_t n_axes);

/* The index into axes[axis].values of grid point `point`. */
size_t sweep_value_index(const struct sweep_axis *axes, size_t n_axes, size_t point, size_t axis);

#endif
