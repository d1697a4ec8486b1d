/* scenario: a scenario file checked against the engine's keys and the
 * model's schema table, with --set edits applied first, every problem of the
 * file reported at once. What it yields is plain data: the run settings, the
 * uncertain parameters, and per policy the value or distribution of every
 * model key, ready for the runner to resolve replication by replication. */
#ifndef AVRRSIM_SCENARIO_H
#define AVRRSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "dist.h"
#include "model.h"
#include "sweep.h"
#include "yamltree.h"

/* The value given for one model key in one policy. NUMBER keys hold a
 * DIST_FIXED spec whose argument is either fixed or uncertain. */
struct param_value {
    bool present;
    struct dist_spec spec;       /* NUMBER, PERSON_DIST */
    bool flag;                   /* BOOL */
    int choice;                  /* CHOICE */
    struct number_list list;     /* NUMBER_LIST */
};

struct policy {
    char *name;
    struct param_value *values;  /* one per model key, in table order */
    unsigned *draw_groups;       /* one per model key (PERSON_DIST only) */
};

/* A parameter drawn once per replication, shared by every policy that does
 * not override its key. */
struct uncertain_param {
    char *path;                  /* "model.avrr.uptake", "policies.1.set.avrr.uptake" */
    struct dist_spec spec;       /* arguments fixed */
    uint64_t stream;             /* its random stream (from the path) */
};

/* How the uncertain parameters are drawn across replications. */
enum scenario_sampling { SAMPLING_RANDOM, SAMPLING_LHS };

struct scenario {
    char *file;                  /* as given */
    char *name, *description, *currency, *rng_name;
    long long replications;
    uint64_t seed;
    enum scenario_sampling sampling;
    const struct model_interface *model;
    size_t n_policies;
    struct policy *policies;     /* the first is the baseline */
    size_t n_uncertain;
    struct uncertain_param *uncertain;
    ynode *resolved;             /* the scenario after edits, every default filled in */
    size_t n_sweep;              /* the `sweep:` section (used by avrrsim sweep only) */
    struct sweep_axis *sweep;
};

/* Loads and checks path, after applying each "PATH=VALUE" of sets in order.
 * Returns the scenario, or NULL after adding every problem to diags (an
 * out-of-memory failure is added as a diag without position). */
struct scenario *scenario_load(const char *path, const char *const *sets, size_t n_sets,
                               const struct model_interface *model, diag_list *diags);
void scenario_free(struct scenario *scenario);   /* NULL ok */

/* Writes the resolved scenario as YAML (with a first comment line naming
 * the program version). 0 or -1. */
int scenario_write_resolved(const struct scenario *scenario, const char *version, FILE *out);

/* Writes the resolved scenario of a sweep: as scenario_write_resolved, with
 * the `sweep:` section replaced by (or, when absent, added as) the given axes,
 * each value listed as it is applied, so that `avrrsim sweep` on the file runs
 * the same grid. 0 or -1 (a write failed or out of memory). */
int scenario_write_resolved_sweep(const struct scenario *scenario, const struct sweep_axis *axes,
                                  size_t n_axes, const char *version, FILE *out);

/* Appends docs for every key (engine and model) as a Markdown table. */
void scenario_write_format_doc(const struct model_interface *model, FILE *out);

/* Sets the replications (and the resolved scenario's `replications:`), for
 * a run that stopped early (--precision), so that its resolved scenario
 * reruns exactly what ran. 0, or -1 when out of memory. */
int scenario_set_replications(struct scenario *scenario, long long replications);

/* The calendar month (year * 12 + month - 1) of the scenario's month 1: the
 * value of its SCHEMA_MONTH key, or -1 when it has none or it is absent. */
int scenario_start_month(const struct scenario *scenario);

/* The index of a model key by path ("model.avrr.uptake"), or -1. */
int scenario_key_index(const struct model_interface *model, const char *path);

#endif
