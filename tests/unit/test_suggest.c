/* Unit tests for engine/suggest: exact optimal-string-alignment distances,
 * the distance limits by word length, ties, and bounded long words. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <gsl/gsl_errno.h>

#include "engine/suggest.h"

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static void test_distances(void **state)
{
    (void)state;
    struct {
        const char *a, *b;
        size_t distance;
    } cases[] = {
        {"", "", 0},
        {"", "abc", 3},
        {"abc", "", 3},
        {"same", "same", 0},
        {"uptak", "uptake", 1},       /* insertion */
        {"uptakee", "uptake", 1},     /* deletion */
        {"uptale", "uptake", 1},      /* substitution */
        {"uptaek", "uptake", 1},      /* adjacent transposition */
        {"gama", "gamma", 1},
        {"lognrmal", "lognormal", 1},
        {"kitten", "sitting", 3},
        {"ca", "abc", 3},             /* OSA, not full Damerau (which gives 2) */
        {"abcdef", "badcfe", 3},
        {"flaw", "lawn", 2},
        {"xyz", "uptake", 6},
        {"Uptake", "uptake", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (suggest_distance(cases[i].a, cases[i].b) != cases[i].distance)
            fail_msg("distance('%s', '%s') = %zu, expected %zu", cases[i].a, cases[i].b,
                     suggest_distance(cases[i].a, cases[i].b), cases[i].distance);
        assert_int_equal(suggest_distance(cases[i].b, cases[i].a), cases[i].distance);
    }
}

static void test_suggestions(void **state)
{
    (void)state;
    const char *keys[] = {"uptake", "share", "cost"};
    const char *dists[] = {"fixed", "normal", "lognormal", "gamma", "beta", "uniform"};
    assert_string_equal(suggest_nearest("uptak", keys, 3), "uptake");
    assert_string_equal(suggest_nearest("uptkae", keys, 3), "uptake");
    assert_string_equal(suggest_nearest("sahre", keys, 3), "share");
    assert_string_equal(suggest_nearest("cots", keys, 3), "cost");
    assert_null(suggest_nearest("xyz", keys, 3));
    assert_null(suggest_nearest("upt", keys, 3));
    assert_string_equal(suggest_nearest("gama", dists, 6), "gamma");
    assert_string_equal(suggest_nearest("lognrmal", dists, 6), "lognormal");
    assert_string_equal(suggest_nearest("nromal", dists, 6), "normal");
    assert_string_equal(suggest_nearest("unifrom", dists, 6), "uniform");
    assert_string_equal(suggest_nearest("gamma", dists, 6), "gamma");
    assert_ptr_equal(suggest_nearest("beta", dists, 6), dists[4]);
    assert_null(suggest_nearest("", dists, 6));
    assert_null(suggest_nearest(NULL, dists, 6));
    assert_null(suggest_nearest("gama", NULL, 0));
    assert_null(suggest_nearest("gama", dists, 0));
}

static void test_limits_by_length(void **state)
{
    (void)state;
    /* Short words (under 5 characters): at most 1 edit. */
    const char *short_words[] = {"cost"};
    assert_string_equal(suggest_nearest("cot", short_words, 1), "cost");
    assert_null(suggest_nearest("ct", short_words, 1));       /* 2 edits */
    assert_null(suggest_nearest("cxsx", short_words, 1));     /* 2 edits */
    /* Words of 5 or more: at most 2 edits. */
    const char *long_words[] = {"uptake"};
    assert_string_equal(suggest_nearest("uptaxy", long_words, 1), "uptake");   /* 2 edits */
    assert_null(suggest_nearest("upxyz", long_words, 1));                      /* 3 edits */
    /* And fewer edits than the word has characters. */
    const char *tiny[] = {"ab", "x"};
    assert_null(suggest_nearest("y", tiny, 2));               /* 1 edit, word of 1 */
    assert_string_equal(suggest_nearest("x", tiny, 2), "x");
    assert_string_equal(suggest_nearest("ac", tiny, 2), "ab");
}

static void test_ties_go_to_the_first(void **state)
{
    (void)state;
    const char *candidates[] = {"cast", "cost", "cist"};
    assert_ptr_equal(suggest_nearest("cust", candidates, 3), candidates[0]);
    const char *reversed[] = {"cist", "cost", "cast"};
    assert_ptr_equal(suggest_nearest("cust", reversed, 3), reversed[0]);
    /* A closer later candidate still wins. */
    const char *closer[] = {"lognormal", "normal"};
    assert_ptr_equal(suggest_nearest("normal", closer, 2), closer[1]);
    const char *with_null[] = {NULL, "share"};
    assert_ptr_equal(suggest_nearest("shar", with_null, 2), with_null[1]);
}

static void test_long_words_are_bounded(void **state)
{
    (void)state;
    char word[1001], other[1001];
    memset(word, 'a', 1000);
    word[1000] = '\0';
    memset(other, 'a', 1000);
    other[1000] = '\0';
    other[999] = 'b';
    /* Only the first 256 characters are compared. */
    assert_int_equal(suggest_distance(word, other), 0);
    other[100] = 'b';
    assert_int_equal(suggest_distance(word, other), 1);
    const char *candidates[] = {other};
    assert_null(suggest_nearest(word, candidates, 1));
    /* A 256-character word is still served; a longer candidate is skipped. */
    word[256] = '\0';
    char near[257];
    memcpy(near, word, 257);
    near[0] = 'b';
    const char *list[] = {other, near};
    assert_ptr_equal(suggest_nearest(word, list, 2), list[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distances),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_limits_by_length),
        cmocka_unit_test(test_ties_go_to_the_first),
        cmocka_unit_test(test_long_words_are_bounded),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
