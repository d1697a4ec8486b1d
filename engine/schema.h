/* schema: the table of keys a scenario may hold (type, unit, domain, default,
 * doc, and where the value goes), and the values it yields. One table drives
 * the checks, the defaults, the resolved scenario and docs/scenario-format.md.
 * The engine's own keys (name, seed, policies, ...) and the model's keys
 * (model.detention.cost_per_day, ...) use the same entry type; the model
 * supplies its table through struct model_interface (engine/model.h). */
#ifndef AVRRSIM_SCHEMA_H
#define AVRRSIM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "dist.h"

enum schema_kind {
    SCHEMA_NUMBER,       /* a number, or a distribution drawn once per replication */
    SCHEMA_PERSON_DIST,  /* a distribution over persons (arguments may be uncertain) */
    SCHEMA_BOOL,
    SCHEMA_CHOICE,       /* one word of `choices` ("community|detention") */
    SCHEMA_NUMBER_LIST,  /* a list of fixed numbers */
    SCHEMA_MONTH,        /* a calendar month, YYYY-MM */
    SCHEMA_TEXT,         /* engine keys only: free text */
    SCHEMA_SEED          /* engine keys only: an unsigned 64-bit integer */
};

enum schema_flags {
    SCHEMA_REQUIRED     = 1 << 0,  /* no default: must be given */
    SCHEMA_OPTIONAL     = 1 << 1,  /* may be absent; then `absent` is used and
                                      the resolved scenario omits the key */
    SCHEMA_INTEGER      = 1 << 2,  /* whole numbers only */
    SCHEMA_FIXED        = 1 << 3,  /* a number that may not be a distribution */
    SCHEMA_POPULATION   = 1 << 4   /* describes the people: same under every policy,
                                      so a policy's `set:` may not change it */
};

enum { SCHEMA_LIST_MAX = 24 };

struct schema_key {
    const char *path;            /* from the root: "horizon_months", "model.avrr.uptake" */
    enum schema_kind kind;
    unsigned flags;
    struct dist_domain domain;   /* of the value (of each item for lists) */
    const char *default_yaml;    /* the default as YAML text, or NULL */
    double absent;               /* value used when an OPTIONAL key is absent */
    const char *choices;         /* CHOICE: words separated by '|' */
    size_t min_items, max_items; /* NUMBER_LIST */
    const char *unit;            /* for docs: "currency per day", "probability", "days" */
    const char *doc;             /* one sentence for docs/scenario-format.md */
    size_t offset;               /* where the resolved value goes in the model's struct */
};

/* Resolved values, as a model reads them at `offset`:
 *   NUMBER       double
 *   PERSON_DIST  struct person_dist
 *   BOOL         bool
 *   CHOICE       int (index into choices)
 *   MONTH        int (year * 12 + month - 1; `absent` when absent)
 *   NUMBER_LIST  struct number_list */
struct person_dist {
    const struct dist *dist;
    /* The index of the first policy whose distribution for this key is the
     * same as this one's: policies with equal distributions draw the same
     * values for the same person from the same stream (common random numbers). */
    unsigned draw_group;
    /* Whether this key was given (false only for an absent OPTIONAL key). */
    bool present;
};

struct number_list {
    size_t count;                /* 0 when absent */
    double values[SCHEMA_LIST_MAX];
};

/* The last component of a path ("uptake" for "model.avrr.uptake"). */
const char *schema_key_name(const struct schema_key *key);

/* Whether key's `choices` holds word; returns its index or -1. */
int schema_choice_index(const struct schema_key *key, const char *word);

#endif
