/* policy_direct: one policy's pathways over the people of a replication,
 * person by person, for a policy under which people do not interact: no
 * limit on beds, no limit on AVRR departures (so no queue) and no
 * re-migration (re-entrants draw from one stream in the order of their
 * departures). Each person's whole timeline is then known at arrival: the
 * days in detention and in the community, the departure, removal or
 * release. Monthly integrals, month-end counts, costs and exact discounting
 * are computed per person in closed form and binned by month with
 * difference arrays, with no event queue; the peak number detained comes
 * from peak_count. It gives the
 * numbers policy_run.c's event-driven simulation gives, to rounding: counts
 * exactly, sums of days and money to the last bits (they are added in
 * person order instead of time order). */
#ifndef AVRRSIM_MODELS_POLICY_DIRECT_H
#define AVRRSIM_MODELS_POLICY_DIRECT_H

#include <stdbool.h>
#include <stddef.h>

#include "models/avrr.h"
#include "models/people.h"
#include "models/policy_run.h"

typedef struct policy_direct policy_direct;
typedef struct direct_shared direct_shared;

/* Whether policy a's people do not interact, so that the direct path gives
 * its numbers (a->force_event_path aside: that is the caller's choice). */
bool policy_direct_applies(const struct avrr_params *a);

/* Whether policies a and b (both direct) treat alike every person that
 * neither sends to AVRR at intake: AVRR reaches nobody later (no
 * applications from detention or the community) and detention, removal,
 * community costs (whether any) and discounting are the same. Such
 * policies can share a direct_shared. */
bool policy_direct_alike(const struct avrr_params *a, const struct avrr_params *b);

/* Scratch for one policy on one worker. NULL on OOM. */
policy_direct *policy_direct_new(void);
void policy_direct_free(policy_direct *d);   /* NULL ok */

/* The part of a replication that policies alike have in common. NULL on OOM. */
direct_shared *direct_shared_new(void);
void direct_shared_free(direct_shared *s);   /* NULL ok */

/* Passes once over the people that none of members[0 .. n - 1] (policies
 * alike) sends to AVRR at intake, and the stock. 0, or -1 with a reason
 * (out of memory). */
int direct_shared_run(direct_shared *s, const struct avrr_params *const *members, size_t n,
                      struct people *pp, char *why, size_t why_size);

/* Runs policy a (policy_direct_applies(a)) over the people of the
 * replication, drawing the processing times of its applicants in pp at
 * first use. With shared (run for a group of policies alike that includes
 * a, over the same people), it passes only over the people shared left
 * out and adds shared's tally: the same numbers, to rounding. Fills *out
 * (its series valid until the next run). Returns 0, or -1 with a reason
 * (out of memory). */
int policy_direct_run(policy_direct *d, const struct avrr_params *a, struct people *pp,
                      const direct_shared *shared, struct policy_outcome *out, char *why,
                      size_t why_size);

#endif
