/* model: what the engine needs to know of a model, and nothing more. A model
 * describes its parameters (a schema table and the size of the struct they
 * fill), the metrics it reports per replication and policy, and how to run
 * one replication of every policy over the same people. The engine draws the
 * uncertain parameters, fills one parameter struct per policy and hands them
 * over; the model never sees YAML, files or threads. */
#ifndef AVRRSIM_MODEL_H
#define AVRRSIM_MODEL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "schema.h"

enum metric_format { METRIC_COUNT, METRIC_DAYS, METRIC_MONEY };

struct metric_def {
    const char *name;            /* CSV column: "cost_total" */
    enum metric_format format;   /* counts as integers, days and money to 2 decimals */
    const char *label;           /* for people: "total cost" */
    bool cumulative;             /* series only: after a replication's last month the
                                    value stays at its last value (else it is 0) */
};

/* What a person reads first, by metric index: the table printed after a
 * run and the headline columns of sweeps and batches use these. */
struct model_headline {
    size_t total_cost;             /* the total cost */
    size_t discounted_cost;        /* the discounted total cost */
    const char *effect_name;       /* the effect, a sum of metrics: "departures" */
    size_t effect_metrics[4];
    size_t n_effect_metrics;
    size_t counts[4];              /* further counts shown in the table ("turned away") */
    size_t n_counts;
};

/* What a model's workspace is built for. */
struct model_setup {
    const gsl_rng_type *rng_type;
    uint64_t seed;
    size_t n_policies;
    const void *const *params;   /* one resolved parameter struct per policy; the
                                    same pointers are passed to every replicate call,
                                    refilled in place between calls */
    const volatile sig_atomic_t *stop;   /* when it becomes non-zero (a signal: the
                                    user interrupts), replicate should return -1
                                    soon, in the middle of a replication if it is
                                    long; NULL: never */
};

struct model_interface {
    const char *name;
    const struct schema_key *keys;
    size_t n_keys;
    size_t params_size;          /* bytes of the parameter struct */
    const struct metric_def *metrics;
    size_t n_metrics;
    struct model_headline headline;
    /* Monthly series reported per replication, policy and month (may be none). */
    const struct metric_def *series_metrics;
    size_t n_series_metrics;

    /* Checks across keys that the table cannot express, on the resolved
     * parameters of one policy with every uncertain value at its mean.
     * Returns 0, or -1 with a reason naming the keys. May be NULL. */
    int (*check)(const void *params, char *why, size_t why_size);

    /* A workspace owned by one worker thread: its random streams and scratch.
     * NULL on failure (out of memory). */
    void *(*workspace_new)(const struct model_setup *setup);
    void (*workspace_free)(void *workspace);

    /* Runs replication `replication` for every policy: writes
     * metrics[policy * n_metrics + m]. Must not allocate per person; it may
     * grow its workspace when a replication is larger than any before. Returns 0, or -1
     * with a reason (a parameter draw the model cannot use, or "interrupted" when
     * setup's stop became non-zero: the run then ends as interrupted). */
    int (*replicate)(void *workspace, uint64_t replication, double *metrics,
                     char *why, size_t why_size);

    /* After replicate: the replication's monthly series, laid out as
     * [(month * n_policies + policy) * n_series_metrics + metric] for months
     * 0 .. *months - 1 (the last month in which any of its pathways had an
     * event). Valid until the next replicate call. May be NULL when the model
     * has no series. */
    const double *(*series)(void *workspace, size_t *months);

    /* The most series metric m can reach under a policy's parameters (a
     * limit its chart draws as a line: beds for the number detained), or
     * INFINITY. NaN parameters mean "uncertain": return NaN or INFINITY then.
     * May be NULL. */
    double (*series_limit)(const void *params, size_t series_metric);
};

/* Whether the run's stop flag (model_setup.stop; may be NULL) is set. */
static inline bool model_stopped(const volatile sig_atomic_t *stop)
{
    return stop && *stop;
}

/* What replicate returns when it stopped for the flag: -1, "interrupted". */
static inline int model_interrupted(char *why, size_t why_size)
{
    snprintf(why, why_size, "interrupted");
    return -1;
}

#endif
