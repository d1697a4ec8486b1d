/* policy_run: one policy's pathways over the people of a replication, as a
 * discrete-event simulation. Detention beds, the AVRR service's monthly
 * capacity and its queue evolve in time order; applications from detention
 * and from the community, re-entries, community and programme costs and
 * discounting are accounted by the day they fall, and binned by month. */
#ifndef AVRRSIM_MODELS_POLICY_RUN_H
#define AVRRSIM_MODELS_POLICY_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/avrr.h"
#include "models/outcome.h"
#include "models/people.h"

typedef struct policy_run policy_run;

/* Scratch for one policy on one worker. A simulation stops, as
 * interrupted, soon after *stop becomes non-zero (stop may be NULL: never).
 * NULL on OOM. */
policy_run *policy_run_new(const gsl_rng_type *type, const volatile sig_atomic_t *stop);
void policy_run_free(policy_run *run);   /* NULL ok */

/* Runs policy `policy` (parameters a) over the people of replication r,
 * drawing the processing times of its applicants in pp at first use.
 * Re-entrants draw from a stream of their own, keyed by (seed, r, policy).
 * Returns 0, or -1 with a reason (out of memory, "interrupted"). */
int policy_run_simulate(policy_run *run, const struct avrr_params *a, struct people *pp,
                        uint64_t seed, uint64_t replication, unsigned policy,
                        struct policy_outcome *out, char *why, size_t why_size);

#endif
