/* cluster_runs: runs of one or more scenarios (a run, a sweep's points, a
 * batch's files: the "items") spread over the ranks of the job
 * (engine/cluster.h), with threads inside each rank (engine/runner).
 *
 * With one rank every item runs whole, in order, through runner_run_plan.
 * With more, rank 0 hands out blocks of replications (64 to 4096) of the
 * items in order, two at a time to every other rank and one at a time to
 * its own compute thread, the next one as each comes back (dynamic load
 * balancing); blocks of later items go out while earlier ones finish. Each
 * block's metrics, drawn parameters and raw monthly series come back to
 * rank 0, which puts them in their replications' places and feeds the
 * series reducer in replication order, so each item's results are exactly
 * those of one process (replication r depends only on the seed and r). With
 * a plan's `enough`, an item runs in the runner's batches and rank 0 asks
 * enough() after each, as one process would.
 *
 * Every rank calls cluster_run at the same point with the same job; only
 * rank 0 gets results (through done) and progress. No MPI call here. */
#ifndef AVRRSIM_CLUSTER_RUNS_H
#define AVRRSIM_CLUSTER_RUNS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runner.h"
#include "scenario.h"

struct cluster_job {
    size_t n_items;
    /* Item i's scenario. Rank 0 calls it for every item, in order; another
     * rank for each item it gets work of. NULL on failure, with *status the
     * exit status (rank 0 has printed why). */
    struct scenario *(*load)(size_t item, void *user, int *status);
    /* Gives back what load returned; NULL: nothing to do. */
    void (*unload)(size_t item, struct scenario *sc, void *user);
    /* Rank 0, when item i's first replications go out; may be NULL. */
    void (*starting)(size_t item, void *user);
    /* Rank 0, item by item in order: the item's results, as
     * runner_run_plan would have given them; done takes them (it frees
     * them with run_results_free). Returns -1 to go on, or an exit status
     * (after printing why) that stops the job. */
    int (*done)(size_t item, const struct scenario *sc, struct run_results *res, void *user);
    void *user;
    unsigned threads;                 /* per rank */
    const struct run_plan *plan;      /* enough and first_batch, or fixed_uncertain; may be NULL */
    run_progress_fn progress;         /* rank 0: replications of the item being gathered; may be NULL */
    void *progress_user;
    const volatile sig_atomic_t *cancel;   /* a signal's flag (cli_stop_flag) */
};

/* Why a job did not finish. */
struct cluster_failure {
    int status;                /* the exit status for every rank */
    bool interrupted;          /* a signal stopped it (report it as such) */
    bool too_large;            /* a run would not fit in memory (why says so) */
    size_t item;               /* the item whose run failed (when one did) */
    char why[1024];            /* for rank 0 to print, or "" (printed already) */
};

/* Runs every item of job. 0 when all are done (rank 0 had each through
 * done), else -1 with *failure filled in on every rank. */
int cluster_run(const struct cluster_job *job, struct cluster_failure *failure);

/* Every rank passes its status (-1: it goes on; else the exit status it
 * would end with): the ranks' common verdict, -1 only when all go on. Rank
 * 0's status wins; when only other ranks failed, their highest status, and
 * why says which rank (for rank 0 to print). With one rank: status. */
int cluster_agree(int status, char *why, size_t why_size);

/* Rank 0's *value, on every rank. 0, or -1 (MPI failed). */
int cluster_share(uint64_t *value);

#endif
