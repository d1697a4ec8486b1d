/* scenario: loads a scenario file, applies --set edits, and checks it
 * against the engine's keys and the model's schema table, reporting every
 * problem of the file at once as file:line:column diagnostics.
 *
 * Policies are overlays: a policy's `set:` is merged key by key over
 * `model:`. A key the policy does not touch keeps the base value, and with it
 * the base's uncertain draw (one draw per replication serves every policy that
 * does not override the key). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rng.h"
#include "engine/scalar.h"
#include "engine/scenario.h"
#include "engine/suggest.h"

enum { MAX_POLICIES = 64, PATH_MAX_TEXT = 512 };

/* The engine's own keys, for checks and docs. Offsets are unused here: the
 * loader reads these by name into struct scenario. */
static const struct schema_key engine_keys[] = {
    {.path = "name", .kind = SCHEMA_TEXT, .flags = SCHEMA_REQUIRED, .unit = "text",
     .doc = "The scenario's name, shown in tables and charts."},
    {.path = "description", .kind = SCHEMA_TEXT, .flags = SCHEMA_OPTIONAL, .unit = "text",
     .doc = "Free text: what the scenario is for, where its numbers come from."},
    {.path = "currency", .kind = SCHEMA_TEXT, .default_yaml = "ILS", .unit = "ISO 4217 code",
     .doc = "Currency of every cost (three capital letters, e.g. ILS, EUR, USD)."},
    {.path = "replications", .kind = SCHEMA_NUMBER, .flags = SCHEMA_INTEGER | SCHEMA_FIXED,
     .domain = {1.0, 1e8, false, false}, .default_yaml = "1000", .unit = "count",
     .doc = "Monte Carlo replications; overridden by -n."},
    {.path = "seed", .kind = SCHEMA_SEED, .default_yaml = "1", .unit = "unsigned 64-bit integer",
     .doc = "Seed of every random stream; overridden by -s. The same seed gives the same results."},
    {.path = "rng", .kind = SCHEMA_TEXT, .default_yaml = "taus2", .unit = "GSL generator name",
     .doc = "GSL random number generator (taus2, gfsr4, mt19937, ranlxd2, ...)."},
    {.path = "sampling", .kind = SCHEMA_CHOICE, .choices = "random|lhs", .default_yaml = "random",
     .unit = "random or lhs",
     .doc = "How the uncertain parameters are drawn across replications: independently "
            "(random) or by Latin hypercube (lhs: each parameter's range cut into as many "
            "equally likely strata as replications, one draw in each)."},
};
enum { ENGINE_KEY_COUNT = sizeof engine_keys / sizeof engine_keys[0] };

struct loader {
    diag_list *diags;
    const char *file;           /* display name of the scenario */
    char *base_dir;             /* for empirical files */
    const struct model_interface *model;
    struct scenario *sc;
    size_t uncertain_cap;
    int oom;
};

/* ---------- small helpers ---------- */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void error_at(struct loader *L, const ynode *node, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
static void error_at(struct loader *L, const ynode *node, const char *format, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    const char *file = node && node->file ? node->file : L->file;
    diag_add(L->diags, file, node ? node->line : 0, node ? node->column : 0, "%s", message);
}

static void error_at_key(struct loader *L, const ynode *map, const struct ynode_pair *pair,
                         const char *format, ...) __attribute__((format(printf, 4, 5)));
static void error_at_key(struct loader *L, const ynode *map, const struct ynode_pair *pair,
                         const char *format, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    const char *file = map && map->file ? map->file : L->file;
    diag_add(L->diags, file, pair->line, pair->column, "%s", message);
}

/* Whether path starts with prefix followed by '.' (or prefix is empty). */
static const char *after_prefix(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0)
        return path;
    if (strncmp(path, prefix, n) == 0 && path[n] == '.')
        return path + n + 1;
    return NULL;
}

static const struct schema_key *model_key(const struct loader *L, const char *path, int *index)
{
    for (size_t i = 0; i < L->model->n_keys; i++)
        if (strcmp(L->model->keys[i].path, path) == 0) {
            if (index)
                *index = (int)i;
            return &L->model->keys[i];
        }
    return NULL;
}

static const struct schema_key *engine_key(const char *path)
{
    for (size_t i = 0; i < ENGINE_KEY_COUNT; i++)
        if (strcmp(engine_keys[i].path, path) == 0)
            return &engine_keys[i];
    return NULL;
}

int scenario_set_replications(struct scenario *scenario, long long replications)
{
    char text[32], why[256];
    snprintf(text, sizeof text, "%lld", replications);
    ynode *value = ynode_new_scalar(text, true);
    if (!value || ytree_set_path(scenario->resolved, "replications", value, why, sizeof why) != 0) {
        ynode_free(value);
        return -1;
    }
    scenario->replications = replications;
    return 0;
}

int scenario_start_month(const struct scenario *sc)
{
    for (size_t k = 0; k < sc->model->n_keys; k++)
        if (sc->model->keys[k].kind == SCHEMA_MONTH && sc->n_policies > 0 &&
            sc->policies[0].values[k].present)
            return sc->policies[0].values[k].choice;
    return -1;
}

int scenario_key_index(const struct model_interface *model, const char *path)
{
    for (size_t i = 0; i < model->n_keys; i++)
        if (strcmp(model->keys[i].path, path) == 0)
            return (int)i;
    return -1;
}

/* The distinct names that may stand directly below prefix ("" for the root),
 * from the model's table (plus, at the root, the engine's keys and
 * "policies"). Writes up to cap names into out, returns the count. */
static size_t child_names(const struct loader *L, const char *prefix, const char **out,
                          char names[][64], size_t cap)
{
    size_t count = 0;
    for (size_t i = 0; i < L->model->n_keys + ENGINE_KEY_COUNT + 1 && count < cap; i++) {
        const char *path = i < L->model->n_keys ? L->model->keys[i].path
                           : i < L->model->n_keys + ENGINE_KEY_COUNT
                               ? engine_keys[i - L->model->n_keys].path
                               : "policies";
        if (i >= L->model->n_keys && prefix[0] != '\0')
            continue;
        const char *rest = after_prefix(path, prefix);
        if (!rest)
            continue;
        size_t length = strcspn(rest, ".");
        if (length >= 64)
            continue;
        int seen = 0;
        for (size_t j = 0; j < count; j++)
            if (strlen(out[j]) == length && strncmp(out[j], rest, length) == 0)
                seen = 1;
        if (seen)
            continue;
        memcpy(names[count], rest, length);
        names[count][length] = '\0';
        out[count] = names[count];
        count++;
    }
    return count;
}

static int is_section(const struct loader *L, const char *path)
{
    for (size_t i = 0; i < L->model->n_keys; i++)
        if (after_prefix(L->model->keys[i].path, path))
            return 1;
    return 0;
}

static void unknown_key(struct loader *L, const ynode *map, const struct ynode_pair *pair,
                        const char *prefix, const char *where)
{
    const char *names[128];
    char storage[128][64];
    size_t n = child_names(L, prefix, names, storage, 128);
    const char *near = suggest_nearest(pair->key, names, n);
    if (near)
        error_at_key(L, map, pair, "unknown key '%s'%s; did you mean '%s'?", pair->key, where, near);
    else
        error_at_key(L, map, pair, "unknown key '%s'%s", pair->key, where);
}

/* ---------- uncertain parameters ---------- */

static int register_uncertain(void *user, const char *arg_path, struct dist_spec *spec)
{
    struct loader *L = user;
    struct scenario *sc = L->sc;
    if (sc->n_uncertain == L->uncertain_cap) {
        size_t cap = L->uncertain_cap ? 2 * L->uncertain_cap : 8;
        struct uncertain_param *grown = realloc(sc->uncertain, cap * sizeof *grown);
        if (!grown) {
            L->oom = 1;
            return -1;
        }
        sc->uncertain = grown;
        L->uncertain_cap = cap;
    }
    char *path = xstrdup(arg_path);
    if (!path) {
        L->oom = 1;
        return -1;
    }
    struct uncertain_param *u = &sc->uncertain[sc->n_uncertain];
    u->path = path;
    u->spec = *spec;
    memset(spec, 0, sizeof *spec);
    u->stream = rng_stream_id_for(path);
    return (int)sc->n_uncertain++;
}

/* ---------- leaf values ---------- */

static void describe_domain(const struct dist_domain *d, char *buf, size_t size)
{
    if (isinf(d->hi))
        snprintf(buf, size, "%s %g", d->lo_open ? "greater than" : "at least", d->lo);
    else
        snprintf(buf, size, "between %g and %g", d->lo, d->hi);
}

/* A domain end as a whole-number bound (infinite ends become the type's limits). */
static long long integer_bound(double end)
{
    if (end >= 9e18)
        return LLONG_MAX;
    if (end <= -9e18)
        return LLONG_MIN;
    return (long long)end;
}

/* Reads one model key's node into *out. `registry_path` names uncertain
 * parameters ("model.avrr.uptake" or "policies.1.set.avrr.uptake"). */
static void read_model_value(struct loader *L, const struct schema_key *key, const ynode *node,
                             const char *registry_path, struct param_value *out)
{
    char why[256];
    const char *name = schema_key_name(key);
    memset(out, 0, sizeof *out);
    out->present = true;

    switch (key->kind) {
    case SCHEMA_NUMBER:
        if (key->flags & SCHEMA_FIXED || key->flags & SCHEMA_INTEGER) {
            if (node->kind == YNODE_MAP && !(key->flags & SCHEMA_FIXED)) {
                /* an integer key given as a distribution: drawn, then rounded */
            } else if (key->flags & SCHEMA_INTEGER) {
                long long v;
                double number;
                if (node->kind == YNODE_MAP) {
                    error_at(L, node, "'%s' must be a whole number, not a distribution", name);
                    return;
                }
                if (scalar_number(node, &number, why, sizeof why) != 0) {
                    error_at(L, node, "'%s' must be a whole number: %s", name, why);
                    return;
                }
                if (scalar_int64(node, LLONG_MIN, LLONG_MAX, &v, why, sizeof why) != 0) {
                    error_at(L, node, "'%s' must be a whole number, got %s", name, node->text);
                    return;
                }
                if (v < integer_bound(key->domain.lo) || v > integer_bound(key->domain.hi)) {
                    error_at(L, node, "'%s' must be between %lld and %lld, got %lld", name,
                             integer_bound(key->domain.lo), integer_bound(key->domain.hi), v);
                    return;
                }
                dist_spec_fixed(&out->spec, (double)v);
                return;
            } else if (node->kind == YNODE_MAP) {
                error_at(L, node, "'%s' must be a number, not a distribution", name);
                return;
            }
        }
        {
            struct dist_parse_ctx ctx = {.base_dir = L->base_dir, .path = registry_path,
                                         .allow_uncertain_args = false,
                                         .register_uncertain = register_uncertain, .user = L};
            struct dist_spec spec;
            if (dist_parse(node, &key->domain, &ctx, &spec, L->diags) != 0)
                return;
            if (spec.kind == DIST_FIXED) {
                out->spec = spec;
                return;
            }
            double lo, hi;
            dist_spec_support(&spec, &lo, &hi);
            int index = register_uncertain(L, registry_path, &spec);
            dist_spec_clear(&spec);
            if (index < 0)
                return;
            dist_spec_fixed(&out->spec, NAN);
            out->spec.args[0].uncertain = index;
            out->spec.args[0].value = NAN;
            out->spec.args[0].lo = lo;
            out->spec.args[0].hi = hi;
            out->spec.file = node->file;
            out->spec.line = node->line;
            out->spec.column = node->column;
        }
        return;

    case SCHEMA_PERSON_DIST: {
        struct dist_parse_ctx ctx = {.base_dir = L->base_dir, .path = registry_path,
                                     .allow_uncertain_args = true,
                                     .register_uncertain = register_uncertain, .user = L};
        dist_parse(node, &key->domain, &ctx, &out->spec, L->diags);
        return;
    }

    case SCHEMA_BOOL:
        if (scalar_bool(node, &out->flag, why, sizeof why) != 0)
            error_at(L, node, "'%s': %s", name, why);
        return;

    case SCHEMA_CHOICE: {
        if (node->kind != YNODE_SCALAR) {
            error_at(L, node, "'%s' must be one of %s", name, key->choices);
            return;
        }
        out->choice = schema_choice_index(key, node->text);
        if (out->choice < 0) {
            char words[256];
            snprintf(words, sizeof words, "%s", key->choices);
            const char *list[16];
            size_t n = 0;
            char *save = NULL;
            for (char *t = strtok_r(words, "|", &save); t && n < 16; t = strtok_r(NULL, "|", &save))
                list[n++] = t;
            const char *near = suggest_nearest(node->text, list, n);
            char shown[64];
            ynode_describe(node, shown, sizeof shown);
            char choices[256];
            size_t used = 0;
            for (size_t i = 0; i < n && used < sizeof choices; i++)
                used += (size_t)snprintf(choices + used, sizeof choices - used, "%s%s",
                                         i == 0 ? "" : i + 1 == n ? " or " : ", ", list[i]);
            if (near)
                error_at(L, node, "'%s' must be %s, got %s; did you mean '%s'?", name,
                         choices, shown, near);
            else
                error_at(L, node, "'%s' must be %s, got %s", name, choices, shown);
        }
        return;
    }

    case SCHEMA_NUMBER_LIST: {
        if (node->kind != YNODE_SEQ) {
            error_at(L, node, "'%s' must be a list of numbers", name);
            return;
        }
        if (node->count < key->min_items || node->count > key->max_items) {
            if (key->min_items == key->max_items)
                error_at(L, node, "'%s' must have %zu numbers, got %zu", name, key->min_items,
                         node->count);
            else
                error_at(L, node, "'%s' must have %zu to %zu numbers, got %zu", name,
                         key->min_items, key->max_items, node->count);
            return;
        }
        out->list.count = node->count;
        for (size_t i = 0; i < node->count; i++) {
            double v;
            if (scalar_number(node->items[i], &v, why, sizeof why) != 0) {
                error_at(L, node->items[i], "'%s': %s", name, why);
                continue;
            }
            const struct dist_domain *d = &key->domain;
            if (v < d->lo || v > d->hi || (d->lo_open && v == d->lo) || (d->hi_open && v == d->hi)) {
                char range[96];
                describe_domain(d, range, sizeof range);
                error_at(L, node->items[i], "each number in '%s' must be %s, got %g", name, range, v);
            }
            out->list.values[i] = v;
        }
        return;
    }

    case SCHEMA_MONTH: {
        const char *t = node->kind == YNODE_SCALAR ? node->text : "";
        int ok = node->kind == YNODE_SCALAR && node->length == 7 && t[4] == '-';
        for (int i = 0; ok && i < 7; i++)
            if (i != 4 && !isdigit((unsigned char)t[i]))
                ok = 0;
        int year = ok ? (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0') : 0;
        int month = ok ? (t[5] - '0') * 10 + (t[6] - '0') : 0;
        if (!ok || month < 1 || month > 12 || year < 1900 || year > 2200) {
            char shown[64];
            error_at(L, node, "'%s' must be a calendar month YYYY-MM between 1900-01 and 2200-12, "
                              "got %s", name, ynode_describe(node, shown, sizeof shown));
            return;
        }
        out->choice = year * 12 + month - 1;
        return;
    }

    case SCHEMA_TEXT:
    case SCHEMA_SEED:
        break;
    }
}

/* The node at a dotted path below node (maps only), or NULL. */
static const ynode *node_at(const ynode *node, const char *path)
{
    char part[PATH_MAX_TEXT];
    while (node && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof part)
            return NULL;
        memcpy(part, path, n);
        part[n] = '\0';
        node = ynode_map_get(node, part);
        path += n;
        if (*path == '.')
            path++;
    }
    return node;
}

/* ---------- structure walks ---------- */

/* Checks the shape of a map at model path `prefix` (e.g. "model",
 * "model.detention"): unknown keys, sections that are not maps, and (in a
 * policy) keys that describe the people. `where` qualifies messages. */
static void check_model_shape(struct loader *L, const ynode *map, const char *prefix, int in_policy)
{
    char path[PATH_MAX_TEXT];
    for (size_t i = 0; i < map->count; i++) {
        const struct ynode_pair *pair = &map->pairs[i];
        snprintf(path, sizeof path, "%s.%s", prefix, pair->key);
        const struct schema_key *key = model_key(L, path, NULL);
        if (key) {
            if (in_policy && (key->flags & SCHEMA_POPULATION))
                error_at_key(L, map, pair,
                             "'%s' describes the people, who are the same under every policy; "
                             "set it under 'model:', not in a policy",
                             pair->key);
            continue;
        }
        if (is_section(L, path)) {
            if (pair->value->kind != YNODE_MAP) {
                char shown[64];
                error_at(L, pair->value, "'%s' must be a map of keys, got %s", pair->key,
                         ynode_describe(pair->value, shown, sizeof shown));
                continue;
            }
            check_model_shape(L, pair->value, path, in_policy);
            continue;
        }
        unknown_key(L, map, pair, prefix, "");
    }
}

/* Reads every model key present under root (keys outside `model:` such as
 * horizon_months included) into values; fills defaults for the absent ones
 * and records them in the resolved tree. */
static void read_base_model(struct loader *L, const ynode *root, struct param_value *values)
{
    for (size_t i = 0; i < L->model->n_keys; i++) {
        const struct schema_key *key = &L->model->keys[i];
        const ynode *node = node_at(root, key->path);
        if (node) {
            read_model_value(L, key, node, key->path, &values[i]);
            continue;
        }
        if (key->flags & SCHEMA_REQUIRED) {
            /* report at the nearest map that should hold it */
            char parent[PATH_MAX_TEXT];
            snprintf(parent, sizeof parent, "%s", key->path);
            char *dot = strrchr(parent, '.');
            const ynode *holder = root;
            while (dot) {
                *dot = '\0';
                const ynode *n = node_at(root, parent);
                if (n && n->kind == YNODE_MAP) {
                    holder = n;
                    break;
                }
                dot = strrchr(parent, '.');
            }
            error_at(L, holder, "missing required key '%s'", key->path);
            continue;
        }
        if (key->flags & SCHEMA_OPTIONAL || !key->default_yaml) {
            values[i].present = false;
            dist_spec_fixed(&values[i].spec, key->absent);
            if (key->kind == SCHEMA_MONTH)
                values[i].choice = (int)key->absent;
            continue;
        }
        ynode *def = NULL;
        if (ytree_load_string("(default)", key->default_yaml, strlen(key->default_yaml), &def,
                              L->diags) != 0) {
            continue;
        }
        read_model_value(L, key, def, key->path, &values[i]);
        char why[256];
        if (ytree_set_path(L->sc->resolved, key->path, def, why, sizeof why) != 0) {
            ynode_free(def);
            L->oom = 1;
        }
    }
}

/* Whether the set map touches key path "model.a.b" (holds a node at a.b). */
static const ynode *touched_by_set(const ynode *set, const char *model_path)
{
    const char *rest = after_prefix(model_path, "model");
    return rest ? node_at(set, rest) : NULL;
}

static void free_values(struct param_value *values, size_t n)
{
    if (!values)
        return;
    for (size_t i = 0; i < n; i++)
        dist_spec_clear(&values[i].spec);
    free(values);
}

static void read_policies(struct loader *L, const ynode *root, const struct param_value *base)
{
    const struct ynode_pair *pp = ynode_map_pair(root, "policies");
    if (!pp) {
        error_at(L, root, "missing required key 'policies' (a list of one or more policies; "
                          "the first is the baseline)");
        return;
    }
    const ynode *list = pp->value;
    if (list->kind != YNODE_SEQ || list->count == 0) {
        error_at(L, list, "'policies' must be a list of one or more policies, each with a 'name'");
        return;
    }
    if (list->count > MAX_POLICIES) {
        error_at(L, list, "at most %d policies, got %zu", MAX_POLICIES, list->count);
        return;
    }
    struct scenario *sc = L->sc;
    sc->policies = calloc(list->count, sizeof *sc->policies);
    if (!sc->policies) {
        L->oom = 1;
        return;
    }
    sc->n_policies = list->count;
    const ynode *model_tree = ynode_map_get(root, "model");
    size_t n_keys = L->model->n_keys;

    for (size_t p = 0; p < list->count; p++) {
        const ynode *item = list->items[p];
        struct policy *policy = &sc->policies[p];
        policy->values = calloc(n_keys, sizeof *policy->values);
        policy->draw_groups = calloc(n_keys, sizeof *policy->draw_groups);
        if (!policy->values || !policy->draw_groups) {
            L->oom = 1;
            return;
        }
        for (size_t k = 0; k < n_keys; k++)
            if (dist_spec_copy(&policy->values[k].spec, &base[k].spec) == 0) {
                struct dist_spec copy = policy->values[k].spec;
                policy->values[k] = base[k];
                policy->values[k].spec = copy;
            } else {
                L->oom = 1;
            }
        if (item->kind != YNODE_MAP) {
            error_at(L, item, "a policy must be a map with 'name' and optionally 'set'");
            continue;
        }
        const ynode *set = NULL;
        for (size_t i = 0; i < item->count; i++) {
            const struct ynode_pair *pair = &item->pairs[i];
            if (strcmp(pair->key, "name") == 0) {
                if (pair->value->kind != YNODE_SCALAR || pair->value->length == 0) {
                    error_at(L, pair->value, "a policy's 'name' must be non-empty text");
                    continue;
                }
                policy->name = xstrdup(pair->value->text);
                if (!policy->name)
                    L->oom = 1;
            } else if (strcmp(pair->key, "set") == 0) {
                if (pair->value->kind != YNODE_MAP) {
                    char shown[64];
                    error_at(L, pair->value, "'set' must be a map of model keys, got %s",
                             ynode_describe(pair->value, shown, sizeof shown));
                    continue;
                }
                set = pair->value;
            } else {
                static const char *const policy_keys[] = {"name", "set"};
                const char *near = suggest_nearest(pair->key, policy_keys, 2);
                if (near)
                    error_at_key(L, item, pair, "unknown key '%s' in a policy; did you mean '%s'?",
                                 pair->key, near);
                else
                    error_at_key(L, item, pair,
                                 "unknown key '%s' in a policy (expected 'name' and 'set')",
                                 pair->key);
            }
        }
        if (!ynode_map_pair(item, "name"))
            error_at(L, item, "a policy needs a 'name'");
        for (size_t q = 0; q < p && policy->name; q++)
            if (sc->policies[q].name && strcmp(sc->policies[q].name, policy->name) == 0)
                error_at(L, ynode_map_get(item, "name"), "duplicate policy name '%s' (first at line %d)",
                         policy->name, ynode_map_get(list->items[q], "name")->line);
        if (!set)
            continue;

        check_model_shape(L, set, "model", 1);
        /* the merged model: the base tree overlaid with this policy's set */
        ynode *merged = model_tree ? ynode_clone(model_tree) : ynode_new_map();
        if (!merged || ytree_merge(merged, set) != 0) {
            ynode_free(merged);
            L->oom = 1;
            continue;
        }
        for (size_t k = 0; k < n_keys; k++) {
            const struct schema_key *key = &L->model->keys[k];
            if (key->flags & SCHEMA_POPULATION || !touched_by_set(set, key->path))
                continue;
            const char *rest = after_prefix(key->path, "model");
            const ynode *node = node_at(merged, rest);
            if (!node)
                continue;
            char registry_path[PATH_MAX_TEXT];
            snprintf(registry_path, sizeof registry_path, "policies.%zu.set.%s", p, rest);
            dist_spec_clear(&policy->values[k].spec);
            read_model_value(L, key, node, registry_path, &policy->values[k]);
        }
        ynode_free(merged);
    }
}

/* Policies whose distribution for a person-level key equals an earlier
 * policy's share that policy's draws. */
static void assign_draw_groups(struct loader *L)
{
    struct scenario *sc = L->sc;
    for (size_t k = 0; k < L->model->n_keys; k++) {
        if (L->model->keys[k].kind != SCHEMA_PERSON_DIST)
            continue;
        for (size_t p = 0; p < sc->n_policies; p++) {
            unsigned group = (unsigned)p;
            for (size_t q = 0; q < p; q++)
                if (dist_spec_equal(&sc->policies[q].values[k].spec, &sc->policies[p].values[k].spec)) {
                    group = sc->policies[q].draw_groups[k];
                    break;
                }
            sc->policies[p].draw_groups[k] = group;
        }
    }
}

/* ---------- engine keys ---------- */

static void read_engine_keys(struct loader *L, const ynode *root)
{
    struct scenario *sc = L->sc;
    char why[256];
    for (size_t i = 0; i < ENGINE_KEY_COUNT; i++) {
        const struct schema_key *key = &engine_keys[i];
        const ynode *node = ynode_map_get(root, key->path);
        ynode *def = NULL;
        if (!node) {
            if (key->flags & SCHEMA_REQUIRED) {
                error_at(L, root, "missing required key '%s'", key->path);
                continue;
            }
            if (!key->default_yaml)
                continue;
            def = ynode_new_scalar(key->default_yaml, true);
            if (!def || ytree_set_path(sc->resolved, key->path, def, why, sizeof why) != 0) {
                ynode_free(def);
                L->oom = 1;
                continue;
            }
            node = def;
        }
        if (key->kind == SCHEMA_TEXT) {
            if (node->kind != YNODE_SCALAR) {
                char shown[64];
                error_at(L, node, "'%s' must be text, got %s", key->path,
                         ynode_describe(node, shown, sizeof shown));
                continue;
            }
            char **target = strcmp(key->path, "name") == 0          ? &sc->name
                            : strcmp(key->path, "description") == 0 ? &sc->description
                            : strcmp(key->path, "currency") == 0    ? &sc->currency
                                                                    : &sc->rng_name;
            *target = xstrdup(node->text);
            if (!*target) {
                L->oom = 1;
                continue;
            }
            if (target == &sc->name && node->length == 0)
                error_at(L, node, "'name' must not be empty");
            if (target == &sc->currency) {
                const char *c = node->text;
                if (node->length != 3 || !isupper((unsigned char)c[0]) ||
                    !isupper((unsigned char)c[1]) || !isupper((unsigned char)c[2]))
                    error_at(L, node, "'currency' must be an ISO 4217 code of three capital "
                                      "letters (ILS, EUR, USD), got '%s'", c);
            }
            if (target == &sc->rng_name && !rng_type_by_name(node->text)) {
                const char *names[128];
                size_t count = rng_type_names(names, 128);
                const char *near = suggest_nearest(node->text, names, count);
                if (near)
                    error_at(L, node, "unknown random number generator '%s'; did you mean '%s'?",
                             node->text, near);
                else
                    error_at(L, node, "unknown random number generator '%s' (GSL's: taus2, gfsr4, "
                                      "mt19937, ranlxd2, ...)", node->text);
            }
        } else if (key->kind == SCHEMA_CHOICE) {
            struct param_value value;
            read_model_value(L, key, node, key->path, &value);
            sc->sampling = value.choice == 1 ? SAMPLING_LHS : SAMPLING_RANDOM;
        } else if (key->kind == SCHEMA_SEED) {
            if (scalar_uint64(node, &sc->seed, why, sizeof why) != 0)
                error_at(L, node, "'seed': %s", why);
        } else {
            long long v;
            if (scalar_int64(node, integer_bound(key->domain.lo), integer_bound(key->domain.hi), &v,
                             why, sizeof why) != 0)
                error_at(L, node, "'%s': %s", key->path, why);
            else
                sc->replications = v;
        }
    }
}

/* ---------- --set ---------- */

/* Whether a --set path names something of the format. */
static int settable_path(const struct loader *L, const char *path)
{
    if (engine_key(path) || strcmp(path, "policies") == 0 || strcmp(path, "model") == 0)
        return 1;
    char model_path[PATH_MAX_TEXT];
    const char *p = path;
    if (strncmp(p, "policies.", 9) == 0) {
        p += 9;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
        if (*p == '\0' || strcmp(p, ".name") == 0 || strcmp(p, ".set") == 0)
            return 1;
        if (strncmp(p, ".set.", 5) != 0)
            return 0;
        snprintf(model_path, sizeof model_path, "model.%s", p + 5);
    } else {
        snprintf(model_path, sizeof model_path, "%s", path);
    }
    if (model_key(L, model_path, NULL) || is_section(L, model_path))
        return 1;
    /* an argument of a distribution: "model.detention.length_days.mean" */
    char parent[PATH_MAX_TEXT];
    snprintf(parent, sizeof parent, "%s", model_path);
    char *dot = strrchr(parent, '.');
    if (dot) {
        *dot = '\0';
        const struct schema_key *key = model_key(L, parent, NULL);
        if (key && (key->kind == SCHEMA_PERSON_DIST || key->kind == SCHEMA_NUMBER))
            return 1;
    }
    return 0;
}

static void apply_sets(struct loader *L, ynode *root, const char *const *sets, size_t n_sets)
{
    for (size_t i = 0; i < n_sets; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i]) {
            diag_add(L->diags, "--set", 0, 0, "expected PATH=VALUE, got '%s'", sets[i]);
            continue;
        }
        char path[PATH_MAX_TEXT];
        size_t n = (size_t)(eq - sets[i]);
        if (n >= sizeof path) {
            diag_add(L->diags, "--set", 0, 0, "path too long");
            continue;
        }
        memcpy(path, sets[i], n);
        path[n] = '\0';
        if (!settable_path(L, path)) {
            const char *names[256];
            size_t count = 0;
            for (size_t k = 0; k < ENGINE_KEY_COUNT && count < 256; k++)
                names[count++] = engine_keys[k].path;
            for (size_t k = 0; k < L->model->n_keys && count < 256; k++)
                names[count++] = L->model->keys[k].path;
            const char *near = suggest_nearest(path, names, count);
            if (near)
                diag_add(L->diags, "--set", 0, 0, "'%s' is not a key of the scenario format; "
                         "did you mean '%s'?", path, near);
            else
                diag_add(L->diags, "--set", 0, 0, "'%s' is not a key of the scenario format "
                         "(see docs/scenario-format.md)", path);
            continue;
        }
        char name[PATH_MAX_TEXT + 8];
        snprintf(name, sizeof name, "--set %s", path);
        ynode *value = NULL;
        if (ytree_load_string(name, eq + 1, strlen(eq + 1), &value, L->diags) != 0)
            continue;
        char why[256];
        if (ytree_set_path(root, path, value, why, sizeof why) != 0) {
            diag_add(L->diags, "--set", 0, 0, "cannot set '%s': %s", path, why);
            ynode_free(value);
        }
    }
}

/* ---------- the resolved scenario: empirical files inlined ---------- */

static int discard_uncertain(void *user, const char *arg_path, struct dist_spec *spec)
{
    (void)user;
    (void)arg_path;
    dist_spec_clear(spec);
    return 0;
}

enum { INLINE_MAX_VALUES = 10000 };

/* The replacement for `{dist: empirical, file: NAME, ...}`: the same with the
 * file's values written out (up to INLINE_MAX_VALUES), else with the file's
 * absolute path, so that the resolved scenario runs from anywhere. NULL when
 * the node is to stay as it is. */
static ynode *inline_empirical(struct loader *L, const ynode *map)
{
    const ynode *dist = ynode_map_get(map, "dist");
    const ynode *file = ynode_map_get(map, "file");
    if (!dist || !file || dist->kind != YNODE_SCALAR || strcmp(dist->text, "empirical") != 0 ||
        file->kind != YNODE_SCALAR)
        return NULL;
    struct dist_domain anything = {-INFINITY, INFINITY, true, true};
    struct dist_parse_ctx ctx = {.base_dir = L->base_dir, .path = "inline",
                                 .allow_uncertain_args = true,
                                 .register_uncertain = discard_uncertain};
    struct dist_spec spec;
    diag_list *ignored = diag_list_new();
    if (!ignored)
        return NULL;
    int parsed = dist_parse(map, &anything, &ctx, &spec, ignored);
    diag_list_free(ignored);
    if (parsed != 0)
        return NULL;
    size_t size = 64 + spec.n_values * 26 + 200;
    char *text = malloc(size);
    ynode *replacement = NULL;
    if (text) {
        size_t used = 0;
        if (spec.n_values <= INLINE_MAX_VALUES) {
            used += (size_t)snprintf(text + used, size - used, "{dist: empirical, values: [");
            for (size_t i = 0; i < spec.n_values; i++)
                used += (size_t)snprintf(text + used, size - used, "%s%.17g", i ? ", " : "",
                                         spec.values[i]);
            used += (size_t)snprintf(text + used, size - used, "]");
        } else {
            char absolute[4096];
            const char *name = file->text;
            char *joined = NULL;
            if (name[0] != '/') {
                size_t n = strlen(L->base_dir) + strlen(name) + 2;
                joined = malloc(n);
                if (joined)
                    snprintf(joined, n, "%s%s%s", L->base_dir, L->base_dir[0] ? "/" : "", name);
            }
            if (realpath(joined ? joined : name, absolute))
                used += (size_t)snprintf(text + used, size - used, "{dist: empirical, file: '%s'",
                                         absolute);
            free(joined);
        }
        const ynode *low = ynode_map_get(map, "low"), *high = ynode_map_get(map, "high");
        if (used > 0) {
            if (low && low->kind == YNODE_SCALAR)
                used += (size_t)snprintf(text + used, size - used, ", low: %.60s", low->text);
            if (high && high->kind == YNODE_SCALAR)
                used += (size_t)snprintf(text + used, size - used, ", high: %.60s", high->text);
            snprintf(text + used, size - used, "}");
            diag_list *scratch = diag_list_new();
            if (scratch && ytree_load_string("(resolved)", text, strlen(text), &replacement, scratch) != 0)
                replacement = NULL;
            diag_list_free(scratch);
        }
        free(text);
    }
    dist_spec_clear(&spec);
    return replacement;
}

static void inline_empirical_files(struct loader *L, ynode *node)
{
    if (node->kind == YNODE_MAP) {
        for (size_t i = 0; i < node->count; i++) {
            ynode *replacement = inline_empirical(L, node->pairs[i].value);
            if (replacement) {
                ynode_free(node->pairs[i].value);
                node->pairs[i].value = replacement;
            } else {
                inline_empirical_files(L, node->pairs[i].value);
            }
        }
    } else if (node->kind == YNODE_SEQ) {
        for (size_t i = 0; i < node->count; i++) {
            ynode *replacement = inline_empirical(L, node->items[i]);
            if (replacement) {
                ynode_free(node->items[i]);
                node->items[i] = replacement;
            } else {
                inline_empirical_files(L, node->items[i]);
            }
        }
    }
}

/* ---------- the sweep section ---------- */

/* `sweep: [{param: PATH, values: [...]} | {param: PATH, from: LO, to: HI, steps: N}]` */
static void read_sweep(struct loader *L, const ynode *list)
{
    struct scenario *sc = L->sc;
    if (list->kind != YNODE_SEQ || list->count == 0) {
        error_at(L, list, "'sweep' must be a list of {param: PATH, values: [...]} or "
                          "{param: PATH, from: LO, to: HI, steps: N}");
        return;
    }
    sc->sweep = calloc(list->count, sizeof *sc->sweep);
    if (!sc->sweep) {
        L->oom = 1;
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        const ynode *item = list->items[i];
        if (item->kind != YNODE_MAP) {
            error_at(L, item, "a sweep entry must be a map with 'param' and 'values' or 'from', 'to', 'steps'");
            continue;
        }
        static const char *const allowed[] = {"param", "values", "from", "to", "steps"};
        for (size_t k = 0; k < item->count; k++) {
            int known = 0;
            for (size_t a = 0; a < 5; a++)
                known |= strcmp(item->pairs[k].key, allowed[a]) == 0;
            if (!known) {
                const char *near = suggest_nearest(item->pairs[k].key, allowed, 5);
                if (near)
                    error_at_key(L, item, &item->pairs[k], "unknown key '%s' in a sweep entry; "
                                 "did you mean '%s'?", item->pairs[k].key, near);
                else
                    error_at_key(L, item, &item->pairs[k], "unknown key '%s' in a sweep entry "
                                 "(expected param, values or from, to, steps)", item->pairs[k].key);
            }
        }
        const ynode *param = ynode_map_get(item, "param");
        if (!param || param->kind != YNODE_SCALAR) {
            error_at(L, param ? param : item, "a sweep entry needs 'param: PATH'");
            continue;
        }
        if (!settable_path(L, param->text)) {
            error_at(L, param, "'%s' is not a key of the scenario format", param->text);
            continue;
        }
        const ynode *values = ynode_map_get(item, "values");
        const ynode *from = ynode_map_get(item, "from"), *to = ynode_map_get(item, "to"),
                    *steps = ynode_map_get(item, "steps");
        struct sweep_axis *axis = &sc->sweep[sc->n_sweep];
        if (values && !from && !to && !steps) {
            if (values->kind != YNODE_SEQ || values->count == 0 || values->count > SWEEP_MAX_VALUES) {
                error_at(L, values, "'values' must be a list of 1 to %d values", SWEEP_MAX_VALUES);
                continue;
            }
            const char **texts = malloc(values->count * sizeof *texts);
            int ok = texts != NULL;
            for (size_t v = 0; ok && v < values->count; v++) {
                if (values->items[v]->kind != YNODE_SCALAR) {
                    error_at(L, values->items[v], "a swept value must be a single value");
                    ok = 0;
                } else {
                    texts[v] = values->items[v]->text;
                }
            }
            if (ok && sweep_axis_list(axis, param->text, texts, values->count) != 0)
                L->oom = 1;
            else if (ok)
                sc->n_sweep++;
            free(texts);
        } else if (!values && from && to && steps) {
            double lo, hi;
            long long n;
            char why[256];
            if (scalar_number(from, &lo, why, sizeof why) != 0) {
                error_at(L, from, "'from': %s", why);
                continue;
            }
            if (scalar_number(to, &hi, why, sizeof why) != 0) {
                error_at(L, to, "'to': %s", why);
                continue;
            }
            if (scalar_int64(steps, 2, SWEEP_MAX_VALUES, &n, why, sizeof why) != 0) {
                error_at(L, steps, "'steps': %s", why);
                continue;
            }
            if (!(lo < hi)) {
                error_at(L, from, "'from' must be less than 'to'");
                continue;
            }
            if (sweep_axis_range(axis, param->text, lo, hi, (size_t)n) != 0)
                L->oom = 1;
            else
                sc->n_sweep++;
        } else {
            error_at(L, item, "a sweep entry takes either 'values' or 'from', 'to' and 'steps'");
        }
    }
    if (sc->n_sweep > 0 && sweep_point_count(sc->sweep, sc->n_sweep) == 0)
        error_at(L, list, "the sweep has more than %d points", SWEEP_MAX_POINTS);
}

/* ---------- the whole file ---------- */

static char *directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup("");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

struct scenario *scenario_load(const char *path, const char *const *sets, size_t n_sets,
                               const struct model_interface *model, diag_list *diags)
{
    struct loader L = {.diags = diags, .file = path, .model = model};
    size_t errors_before = diag_count(diags);
    ynode *root = NULL;
    if (ytree_load_file(path, path, &root, diags) != 0)
        return NULL;

    struct scenario *sc = calloc(1, sizeof *sc);
    L.sc = sc;
    L.base_dir = directory_of(path);
    struct param_value *base = calloc(model->n_keys, sizeof *base);
    if (!sc || !L.base_dir || !base || !(sc->file = xstrdup(path))) {
        L.oom = 1;
        goto done;
    }
    sc->model = model;

    if (root->kind != YNODE_MAP) {
        error_at(&L, root, "a scenario must be a map of keys (name, horizon_months, model, "
                           "policies, ...)");
        goto done;
    }
    apply_sets(&L, root, sets, n_sets);
    if (diag_count(diags) > errors_before)
        goto done;
    sc->resolved = ynode_clone(root);
    if (!sc->resolved) {
        L.oom = 1;
        goto done;
    }

    /* the root's shape: engine keys, model keys outside `model:`, sections */
    for (size_t i = 0; i < root->count; i++) {
        const struct ynode_pair *pair = &root->pairs[i];
        if (engine_key(pair->key) || strcmp(pair->key, "policies") == 0 ||
            model_key(&L, pair->key, NULL))
            continue;
        if (strcmp(pair->key, "sweep") == 0) {
            read_sweep(&L, pair->value);
            continue;
        }
        if (strcmp(pair->key, "model") == 0) {
            if (pair->value->kind != YNODE_MAP) {
                char shown[64];
                error_at(&L, pair->value, "'model' must be a map of keys, got %s",
                         ynode_describe(pair->value, shown, sizeof shown));
                continue;
            }
            check_model_shape(&L, pair->value, "model", 0);
            continue;
        }
        unknown_key(&L, root, pair, "", "");
    }
    read_engine_keys(&L, root);
    read_base_model(&L, root, base);
    read_policies(&L, root, base);
    if (diag_count(diags) == errors_before && !L.oom) {
        assign_draw_groups(&L);
        inline_empirical_files(&L, sc->resolved);
    }

done:
    if (L.oom)
        diag_add(diags, path, 0, 0, "out of memory");
    free_values(base, model->n_keys);
    free(L.base_dir);
    ynode_free(root);
    if (diag_count(diags) > errors_before || L.oom) {
        scenario_free(sc);
        return NULL;
    }
    return sc;
}

void scenario_free(struct scenario *sc)
{
    if (!sc)
        return;
    for (size_t p = 0; p < sc->n_policies; p++) {
        free(sc->policies[p].name);
        free_values(sc->policies[p].values, sc->model ? sc->model->n_keys : 0);
        free(sc->policies[p].draw_groups);
    }
    free(sc->policies);
    for (size_t i = 0; i < sc->n_uncertain; i++) {
        free(sc->uncertain[i].path);
        dist_spec_clear(&sc->uncertain[i].spec);
    }
    free(sc->uncertain);
    for (size_t i = 0; i < sc->n_sweep; i++)
        sweep_axis_clear(&sc->sweep[i]);
    free(sc->sweep);
    free(sc->file);
    free(sc->name);
    free(sc->description);
    free(sc->currency);
    free(sc->rng_name);
    ynode_free(sc->resolved);
    free(sc);
}

int scenario_write_resolved(const struct scenario *sc, const char *version, FILE *out)
{
    if (fprintf(out, "# Resolved by avrrsim %s: the scenario after --set, -n and -s, every "
                     "default filled in.\n# Run it again with: avrrsim run scenario.resolved.yaml\n",
                version) < 0)
        return -1;
    return ytree_emit(sc->resolved, out);
}

/* The `sweep:` section of a resolved scenario: one entry per axis, its values
 * as an explicit list of the texts that are applied (plain scalars: the
 * emitter quotes one that would not read back as the same text). */
static ynode *sweep_section(const struct sweep_axis *axes, size_t n_axes)
{
    ynode *list = ynode_new_seq();
    for (size_t a = 0; list != NULL && a < n_axes; a++) {
        ynode *entry = ynode_new_map(), *values = ynode_new_seq();
        if (entry == NULL || values == NULL ||
            ynode_map_put(entry, "param", ynode_new_scalar(axes[a].path, true)) != 0) {
            ynode_free(entry);
            ynode_free(values);
            ynode_free(list);
            return NULL;
        }
        for (size_t v = 0; values != NULL && v < axes[a].n_values; v++)
            if (ynode_seq_append(values, ynode_new_scalar(axes[a].values[v], true)) != 0) {
                ynode_free(values);
                values = NULL;
            }
        if (ynode_map_put(entry, "values", values) != 0) {   /* frees values */
            ynode_free(entry);
            ynode_free(list);
            return NULL;
        }
        if (ynode_seq_append(list, entry) != 0) {   /* frees entry */
            ynode_free(list);
            return NULL;
        }
    }
    return list;
}

int scenario_write_resolved_sweep(const struct scenario *sc, const struct sweep_axis *axes,
                                  size_t n_axes, const char *version, FILE *out)
{
    ynode *copy = ynode_clone(sc->resolved);
    if (copy == NULL || ynode_map_put(copy, "sweep", sweep_section(axes, n_axes)) != 0) {
        ynode_free(copy);
        return -1;
    }
    int status = 0;
    if (fprintf(out, "# Resolved by avrrsim %s: the scenario after --set, -n and -s, every "
                     "default filled in,\n# and the sweep's grid (from --vary or the sweep: "
                     "section) as value lists.\n# Run it again with: avrrsim sweep "
                     "scenario.resolved.yaml\n", version) < 0 ||
        ytree_emit(copy, out) != 0)
        status = -1;
    ynode_free(copy);
    return status;
}

static const char *kind_text(const struct schema_key *key)
{
    switch (key->kind) {
    case SCHEMA_NUMBER:
        if (key->flags & SCHEMA_FIXED)
            return key->flags & SCHEMA_INTEGER ? "whole number" : "number";
        return key->flags & SCHEMA_INTEGER ? "whole number or distribution (rounded)"
                                           : "number or distribution (uncertain)";
    case SCHEMA_PERSON_DIST: return "distribution over persons";
    case SCHEMA_BOOL: return "true or false";
    case SCHEMA_CHOICE: return "one word";
    case SCHEMA_NUMBER_LIST: return "list of numbers";
    case SCHEMA_MONTH: return "calendar month";
    case SCHEMA_TEXT: return "text";
    case SCHEMA_SEED: return "whole number";
    }
    return "";
}

/* A number for the docs: whole numbers without exponent ("100000000"). */
static const char *doc_number(double v, char *buf, size_t size)
{
    if (v == nearbyint(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%g", v);
    return buf;
}

static void write_doc_row(const struct schema_key *key, FILE *out)
{
    char range[160] = "", lo[40], hi[40];
    if (key->kind == SCHEMA_NUMBER || key->kind == SCHEMA_PERSON_DIST ||
        key->kind == SCHEMA_NUMBER_LIST) {
        const struct dist_domain *d = &key->domain;
        doc_number(d->lo, lo, sizeof lo);
        if (isinf(d->hi))
            snprintf(range, sizeof range, "%s%s, ∞)", d->lo_open ? "(" : "[", lo);
        else
            snprintf(range, sizeof range, "%s%s, %s%s", d->lo_open ? "(" : "[", lo,
                     doc_number(d->hi, hi, sizeof hi), d->hi_open ? ")" : "]");
    } else if (key->kind == SCHEMA_CHOICE) {
        snprintf(range, sizeof range, "%s", key->choices);
        for (char *c = range; *c; c++)
            if (*c == '|')
                *c = ',';
    }
    char def[256];
    if (key->flags & SCHEMA_REQUIRED)
        snprintf(def, sizeof def, "required");
    else if (key->default_yaml)
        snprintf(def, sizeof def, "`%s`", key->default_yaml);
    else
        snprintf(def, sizeof def, "absent");
    fprintf(out, "| `%s` | %s | %s | %s | %s | %s%s |\n", key->path, kind_text(key), key->unit,
            range, def, key->doc,
            key->flags & SCHEMA_POPULATION ? " Same under every policy (not allowed in `set:`)." : "");
}

void scenario_write_format_doc(const struct model_interface *model, FILE *out)
{
    fprintf(out, "| key | type | unit | allowed | default | meaning |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < ENGINE_KEY_COUNT; i++)
        write_doc_row(&engine_keys[i], out);
    fprintf(out, "| `policies` | list | | 1 to %d | required | The policies compared; the first "
                 "is the baseline. Each has `name` (text, unique) and optionally `set` (model "
                 "keys, same shape as `model:`, merged key by key). |\n", MAX_POLICIES);
    for (size_t i = 0; i < model->n_keys; i++)
        write_doc_row(&model->keys[i], out);
    fprintf(out, "| `sweep` | list | | 1 or more | absent | For `avrrsim sweep` only: the grid, "
                 "each entry `{param: PATH, values: [...]}` or `{param: PATH, from: LO, to: HI, "
                 "steps: N}`; the points are every combination. `avrrsim run` ignores it. |\n");
}
