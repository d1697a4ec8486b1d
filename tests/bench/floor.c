/* floor: how long drawing a scenario's random numbers takes without the
 * model, for `make bench`. For each replication it draws what the model
 * draws before any policy runs (people_draw: monthly counts, arrival days,
 * every needed person-level column) and the processing times of the
 * applicants at intake (drawn lazily by the model, once per person and
 * draw group), on one thread, and prints "replications persons seconds".
 * Processing times of later applicants (from detention or the community),
 * re-migration delays (drawn for those who come back) and re-entrants' draws
 * are left out: the model's own pathways decide who they are, so the floor
 * slightly understates the draws of such scenarios.
 * The engine's time over this is the overhead of everything else:
 * pathways, bookkeeping, output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "engine/rng.h"
#include "engine/runner.h"
#include "engine/scalar.h"
#include "engine/scenario.h"
#include "models/avrr.h"
#include "models/people.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor SCENARIO.yaml REPLICATIONS\n");
        return 2;
    }
    gsl_set_error_handler_off();
    long long replications;
    if (text_to_int64(argv[2], &replications) != 0 || replications < 1) {
        fprintf(stderr, "floor: bad replication count\n");
        return 2;
    }
    diag_list *diags = diag_list_new();
    struct scenario *sc = scenario_load(argv[1], NULL, 0, &avrr_model, diags);
    if (!sc) {
        diag_print(diags, stderr);
        return 2;
    }
    const struct model_interface *model = sc->model;
    size_t n = sc->n_policies;
    void **params = calloc(n, sizeof *params);
    struct dist **dists = calloc(n * model->n_keys, sizeof *dists);
    double *uncertain = calloc(sc->n_uncertain + 1, sizeof *uncertain);
    gsl_rng *parameter_rng = gsl_rng_alloc(gsl_rng_taus2);
    struct dist **uncertain_dists = calloc(sc->n_uncertain + 1, sizeof *uncertain_dists);
    char why[256];
    for (size_t k = 0; k < sc->n_uncertain; k++) {
        uncertain_dists[k] = dist_alloc_for(&sc->uncertain[k].spec);
        dist_resolve(uncertain_dists[k], &sc->uncertain[k].spec, NULL, why, sizeof why);
    }
    for (size_t p = 0; p < n; p++) {
        params[p] = calloc(1, model->params_size);
        for (size_t k = 0; k < model->n_keys; k++)
            if (model->keys[k].kind == SCHEMA_PERSON_DIST && sc->policies[p].values[k].present)
                dists[p * model->n_keys + k] = dist_alloc_for(&sc->policies[p].values[k].spec);
    }
    struct people people;
    if (people_init(&people, gsl_rng_taus2, n) != 0)
        return 1;

    /* the needs as the model decides them, for the scenario's own policies */
    struct people_needs needs;
    struct timespec t0, t1;
    double persons = 0;
    volatile double sink = 0;   /* keeps the draws from being optimised away */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long long r = 0; r < replications; r++) {
        for (size_t k = 0; k < sc->n_uncertain; k++) {
            rng_stream_seed(parameter_rng, sc->seed, (uint64_t)r, sc->uncertain[k].stream);
            uncertain[k] = dist_sample(uncertain_dists[k], parameter_rng);
        }
        for (size_t p = 0; p < n; p++)
            runner_resolve_policy(sc, &sc->policies[p], uncertain, params[p],
                                  dists + p * model->n_keys, why, sizeof why);
        avrr_find_needs((const struct avrr_params *const *)params, n, &needs);
        if (people_draw(&people, sc->seed, (uint64_t)r, params[0],
                        (const struct avrr_params *const *)params, &needs) != 0)
            return 1;
        for (size_t p = 0; p < n; p++) {
            const struct avrr_params *a = params[p];
            if (!a->avrr.offered || a->avrr.uptake <= 0)
                continue;
            for (size_t i = 0; i < people.arrivals; i++)
                if (a->avrr.uptake >= 1 || people.uniform[U_INTAKE][i] < a->avrr.uptake)
                    sink += people_processing(&people, a->avrr.processing_days.draw_group, i);
        }
        persons += (double)people.total;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%lld %.0f %.6f\n", replications, persons, seconds);

    people_clear(&people);
    for (size_t p = 0; p < n; p++) {
        free(params[p]);
        for (size_t k = 0; k < model->n_keys; k++)
            dist_free(dists[p * model->n_keys + k]);
    }
    for (size_t k = 0; k < sc->n_uncertain; k++)
        dist_free(uncertain_dists[k]);
    free(uncertain_dists);
    gsl_rng_free(parameter_rng);
    free(uncertain);
    free(params);
    free(dists);
    scenario_free(sc);
    diag_list_free(diags);
    ytree_release_sources();
    return 0;
}
