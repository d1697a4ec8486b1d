/* scenario_text: for unit tests, a scenario of the AVRR model loaded from
 * YAML text (written to a temporary file, since the loader reads files and
 * names them in its messages), with --set edits. Fails the test, after
 * printing every diagnostic, when the text does not load. Include after
 * cmocka.h; needs _DEFAULT_SOURCE (mkstemps). */
#ifndef AVRRSIM_TESTS_SCENARIO_TEXT_H
#define AVRRSIM_TESTS_SCENARIO_TEXT_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/scenario.h"
#include "models/avrr.h"

static struct scenario *load_text_with(const char *text, const char *const *sets, size_t n_sets)
{
    char path[] = "/tmp/avrrsim-test-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    diag_list *diags = diag_list_new();
    struct scenario *sc = scenario_load(path, sets, n_sets, &avrr_model, diags);
    if (!sc)
        diag_print(diags, stderr);
    diag_list_free(diags);
    unlink(path);
    assert_non_null(sc);
    return sc;
}

#endif
