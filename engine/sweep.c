/* sweep: the grid of a scenario sweep (see sweep.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/scalar.h"
#include "engine/sweep.h"

static char *copy_text(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy) {
        memcpy(copy, text, length);
        copy[length] = '\0';
    }
    return copy;
}

void sweep_axis_clear(struct sweep_axis *axis)
{
    for (size_t i = 0; i < axis->n_values; i++)
        free(axis->values[i]);
    free(axis->values);
    free(axis->path);
    memset(axis, 0, sizeof *axis);
}

static int start(struct sweep_axis *axis, const char *path, size_t n)
{
    memset(axis, 0, sizeof *axis);
    axis->path = copy_text(path, strlen(path));
    axis->values = calloc(n, sizeof *axis->values);
    if (!axis->path || !axis->values) {
        sweep_axis_clear(axis);
        return -1;
    }
    return 0;
}

int sweep_axis_range(struct sweep_axis *axis, const char *path, double lo, double hi, size_t n)
{
    if (start(axis, path, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        /* the ends exactly as given; interior points by linear interpolation */
        double v = i == 0 ? lo : i + 1 == n ? hi : lo + (hi - lo) * (double)i / (double)(n - 1);
        char text[64];
        snprintf(text, sizeof text, "%.15g", v);
        if (!(axis->values[i] = copy_text(text, strlen(text)))) {
            sweep_axis_clear(axis);
            return -1;
        }
        axis->n_values = i + 1;
    }
    return 0;
}

int sweep_axis_list(struct sweep_axis *axis, const char *path, const char *const *values, size_t n)
{
    if (start(axis, path, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!(axis->values[i] = copy_text(values[i], strlen(values[i])))) {
            sweep_axis_clear(axis);
            return -1;
        }
        axis->n_values = i + 1;
    }
    return 0;
}

int sweep_axis_parse(const char *text, struct sweep_axis *axis, char *why, size_t why_size)
{
    memset(axis, 0, sizeof *axis);
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || eq[1] == '\0') {
        snprintf(why, why_size, "expected PATH=LO:HI:N or PATH=V1,V2,..., got '%s'", text);
        return -1;
    }
    char path[512];
    size_t path_length = (size_t)(eq - text);
    if (path_length >= sizeof path) {
        snprintf(why, why_size, "path too long");
        return -1;
    }
    memcpy(path, text, path_length);
    path[path_length] = '\0';
    const char *spec = eq + 1;

    if (strchr(spec, ':') && !strchr(spec, ',')) {
        char lo_text[128], hi_text[128], n_text[128];
        const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2 || strchr(c2 + 1, ':') || (size_t)(c1 - spec) >= sizeof lo_text ||
            (size_t)(c2 - c1 - 1) >= sizeof hi_text || strlen(c2 + 1) >= sizeof n_text) {
            snprintf(why, why_size, "'%s': expected LO:HI:N", spec);
            return -1;
        }
        memcpy(lo_text, spec, (size_t)(c1 - spec));
        lo_text[c1 - spec] = '\0';
        memcpy(hi_text, c1 + 1, (size_t)(c2 - c1 - 1));
        hi_text[c2 - c1 - 1] = '\0';
        memcpy(n_text, c2 + 1, strlen(c2 + 1) + 1);   /* length checked above */
        double lo, hi;
        long long n;
        if (text_to_double(lo_text, &lo) != 0 || text_to_double(hi_text, &hi) != 0) {
            snprintf(why, why_size, "'%s': LO and HI must be numbers", spec);
            return -1;
        }
        if (text_to_int64(n_text, &n) != 0 || n < 2 || n > SWEEP_MAX_VALUES) {
            snprintf(why, why_size, "'%s': N must be a whole number from 2 to %d", spec, SWEEP_MAX_VALUES);
            return -1;
        }
        if (!(lo < hi)) {
            snprintf(why, why_size, "'%s': LO must be less than HI", spec);
            return -1;
        }
        if (sweep_axis_range(axis, path, lo, hi, (size_t)n) != 0) {
            snprintf(why, why_size, "out of memory");
            return -1;
        }
        return 0;
    }

    /* a list: V1,V2,... (each a YAML scalar) */
    size_t n = 1;
    for (const char *p = spec; *p; p++)
        n += *p == ',';
    if (n > SWEEP_MAX_VALUES) {
        snprintf(why, why_size, "at most %d values", SWEEP_MAX_VALUES);
        return -1;
    }
    if (start(axis, path, n) != 0) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    const char *p = spec;
    for (size_t i = 0; i < n; i++) {
        const char *comma = strchr(p, ',');
        size_t length = comma ? (size_t)(comma - p) : strlen(p);
        if (length == 0) {
            snprintf(why, why_size, "'%s': an empty value", spec);
            sweep_axis_clear(axis);
            return -1;
        }
        if (!(axis->values[i] = copy_text(p, length))) {
            snprintf(why, why_size, "out of memory");
            sweep_axis_clear(axis);
            return -1;
        }
        axis->n_values = i + 1;
        p = comma ? comma + 1 : p + length;
    }
    return 0;
}

size_t sweep_point_count(const struct sweep_axis *axes, size_t n_axes)
{
    size_t points = 1;
    for (size_t a = 0; a < n_axes; a++) {
        if (axes[a].n_values == 0 || points > SWEEP_MAX_POINTS / axes[a].n_values)
            return 0;
        points *= axes[a].n_values;
    }
    return points;
}

size_t sweep_value_index(const struct sweep_axis *axes, size_t n_axes, size_t point, size_t axis)
{
    size_t stride = 1;
    for (size_t a = n_axes; a-- > axis + 1;)
        stride *= axes[a].n_values;
    return point / stride % axes[axis].n_values;
}
