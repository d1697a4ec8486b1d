/* Unit tests for engine/yamltree: trees with positions from files and
 * strings, every strict error with its exact message and position, the
 * limits at and just past their bounds, set_path, merge, clone, interned
 * names across threads, and emit -> load round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "engine/yamltree.h"

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static int release_names(void **state)
{
    (void)state;
    ytree_release_sources();
    return 0;
}

/* A temporary file holding text; its path is returned (malloc'd). */
static char *temp_file(const char *text, size_t length)
{
    char *path = strdup("/tmp/avrrsim-test-yamltree-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t done = 0;
    while (done < length) {
        ssize_t wrote = write(fd, text + done, length - done);
        assert_true(wrote > 0);
        done += (size_t)wrote;
    }
    assert_int_equal(close(fd), 0);
    return path;
}

static ynode *load_ok(const char *text)
{
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    ynode *root = NULL;
    int status = ytree_load_string("test.yaml", text, strlen(text), &root, diags);
    if (status != 0 || diag_count(diags) != 0)
        diag_print(diags, stderr);
    assert_int_equal(status, 0);
    assert_int_equal(diag_count(diags), 0);
    assert_non_null(root);
    diag_list_free(diags);
    return root;
}

/* Loads text (length given: it may hold NULs) and expects exactly one
 * error, at line:column with message. */
static void expect_error_n(const char *text, size_t length, int line, int column,
                           const char *message)
{
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    ynode *root = (ynode *)&root;   /* must be reset */
    assert_int_equal(ytree_load_string("bad.yaml", text, length, &root, diags), -1);
    assert_null(root);
    assert_int_equal(diag_count(diags), 1);
    const struct diag *d = diag_at(diags, 0);
    assert_string_equal(d->file, "bad.yaml");
    assert_string_equal(d->message, message);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, column);
    diag_list_free(diags);
}

static void expect_error(const char *text, int line, int column, const char *message)
{
    expect_error_n(text, strlen(text), line, column, message);
}

/* Structural equality, positions aside. */
static bool trees_equal(const ynode *a, const ynode *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if (a->kind != b->kind || a->count != b->count)
        return false;
    switch (a->kind) {
    case YNODE_SCALAR:
        return a->plain == b->plain && a->length == b->length &&
               memcmp(a->text, b->text, a->length) == 0;
    case YNODE_MAP:
        for (size_t i = 0; i < a->count; i++)
            if (strcmp(a->pairs[i].key, b->pairs[i].key) != 0 ||
                !trees_equal(a->pairs[i].value, b->pairs[i].value))
                return false;
        return true;
    case YNODE_SEQ:
        for (size_t i = 0; i < a->count; i++)
            if (!trees_equal(a->items[i], b->items[i]))
                return false;
        return true;
    }
    return false;
}

static char *emitted(const ynode *root)
{
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    assert_non_null(out);
    assert_int_equal(ytree_emit(root, out), 0);
    assert_int_equal(fclose(out), 0);
    assert_non_null(text);
    return text;
}

static void assert_scalar(const ynode *node, const char *text, bool plain, int line, int column)
{
    assert_non_null(node);
    assert_int_equal(node->kind, YNODE_SCALAR);
    assert_string_equal(node->text, text);
    assert_int_equal(node->length, strlen(text));
    assert_int_equal(node->plain, plain);
    assert_int_equal(node->line, line);
    assert_int_equal(node->column, column);
}

/* ---- loading ---- */

static const char nested_document[] =
    "# a scenario\n"
    "name: baseline\n"
    "model:\n"
    "  avrr:\n"
    "    uptake: {dist: beta, mean: 0.2, sd: 0.05}\n"
    "    cost: 1500\n"
    "policies:\n"
    "  - name: 'more avrr'\n"
    "    set:\n"
    "      avrr.uptake: \"0.3\"\n"
    "  - name: none\n"
    "text: |\n"
    "  two\n"
    "  lines\n";

static void test_load_file_with_positions(void **state)
{
    (void)state;
    char *path = temp_file(nested_document, strlen(nested_document));
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    ynode *root = NULL;
    assert_int_equal(ytree_load_file(path, "scenario.yaml", &root, diags), 0);
    assert_int_equal(diag_count(diags), 0);
    assert_non_null(root);
    assert_int_equal(root->kind, YNODE_MAP);
    assert_string_equal(root->file, "scenario.yaml");
    assert_int_equal(root->line, 2);
    assert_int_equal(root->column, 1);
    assert_int_equal(root->count, 4);
    assert_string_equal(root->pairs[0].key, "name");
    assert_string_equal(root->pairs[0].file, "scenario.yaml");
    assert_int_equal(root->pairs[0].line, 2);
    assert_int_equal(root->pairs[0].column, 1);
    assert_scalar(root->pairs[0].value, "baseline", true, 2, 7);

    ynode *avrr = ynode_map_get(ynode_map_get(root, "model"), "avrr");
    assert_non_null(avrr);
    assert_int_equal(avrr->kind, YNODE_MAP);
    assert_int_equal(avrr->line, 5);
    assert_int_equal(avrr->column, 5);
    ynode *uptake = ynode_map_get(avrr, "uptake");
    assert_non_null(uptake);
    assert_int_equal(uptake->kind, YNODE_MAP);
    assert_int_equal(uptake->line, 5);
    assert_int_equal(uptake->column, 13);
    assert_scalar(ynode_map_get(uptake, "dist"), "beta", true, 5, 20);
    assert_scalar(ynode_map_get(uptake, "mean"), "0.2", true, 5, 32);
    const struct ynode_pair *sd = ynode_map_pair(uptake, "sd");
    assert_non_null(sd);
    assert_int_equal(sd->line, 5);
    assert_int_equal(sd->column, 37);
    assert_scalar(ynode_map_get(avrr, "cost"), "1500", true, 6, 11);

    ynode *policies = ynode_map_get(root, "policies");
    assert_non_null(policies);
    assert_int_equal(policies->kind, YNODE_SEQ);
    assert_int_equal(policies->count, 2);
    assert_int_equal(policies->line, 8);
    assert_int_equal(policies->column, 3);
    assert_int_equal(policies->items[0]->line, 8);
    assert_int_equal(policies->items[0]->column, 5);
    assert_scalar(ynode_map_get(policies->items[0], "name"), "more avrr", false, 8, 11);
    assert_scalar(ynode_map_get(ynode_map_get(policies->items[0], "set"), "avrr.uptake"),
                  "0.3", false, 10, 20);
    assert_scalar(ynode_map_get(policies->items[1], "name"), "none", true, 11, 11);
    assert_scalar(ynode_map_get(root, "text"), "two\nlines\n", false, 12, 7);
    assert_null(ynode_map_get(root, "absent"));
    assert_null(ynode_map_get(policies, "name"));

    ynode_free(root);
    diag_list_free(diags);
    unlink(path);
    free(path);
}

static void test_load_string_flow_and_scalar(void **state)
{
    (void)state;
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    const char *flow = "{dist: gamma, mean: 90, sd: 30}";
    ynode *root = NULL;
    assert_int_equal(ytree_load_string("--set", flow, strlen(flow), &root, diags), 0);
    assert_int_equal(root->kind, YNODE_MAP);
    assert_string_equal(root->file, "--set");
    assert_int_equal(root->count, 3);
    assert_scalar(ynode_map_get(root, "dist"), "gamma", true, 1, 8);
    assert_scalar(ynode_map_get(root, "mean"), "90", true, 1, 21);
    assert_scalar(ynode_map_get(root, "sd"), "30", true, 1, 29);
    ynode_free(root);

    assert_int_equal(ytree_load_string("--set", "0.2", 3, &root, diags), 0);
    assert_scalar(root, "0.2", true, 1, 1);
    assert_string_equal(root->file, "--set");
    ynode_free(root);

    /* Only the given length is read. */
    assert_int_equal(ytree_load_string("--set", "'x' trailing", 3, &root, diags), 0);
    assert_scalar(root, "x", false, 1, 1);
    ynode_free(root);
    assert_int_equal(diag_count(diags), 0);
    diag_list_free(diags);
}

static void test_empty_documents_are_empty_maps(void **state)
{
    (void)state;
    const char *texts[] = {"", "# only a comment\n\n# another\n", "---\n", "---\n...\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        ynode *root = load_ok(texts[i]);
        assert_int_equal(root->kind, YNODE_MAP);
        assert_int_equal(root->count, 0);
        assert_int_equal(root->line, 0);
        assert_string_equal(root->file, "test.yaml");
        ynode_free(root);
    }
    char *path = temp_file("", 0);
    ynode *root = NULL;
    assert_int_equal(ytree_load_file(path, NULL, &root, NULL), 0);
    assert_int_equal(root->kind, YNODE_MAP);
    assert_int_equal(root->count, 0);
    assert_string_equal(root->file, path);
    ynode_free(root);
    unlink(path);
    free(path);
}

static void test_plain_flag_by_style(void **state)
{
    (void)state;
    ynode *root = load_ok("a: x\nb: 'x'\nc: \"x\"\nd: |\n  x\ne: >\n  x\nf:\n");
    assert_true(ynode_map_get(root, "a")->plain);
    assert_false(ynode_map_get(root, "b")->plain);
    assert_false(ynode_map_get(root, "c")->plain);
    assert_false(ynode_map_get(root, "d")->plain);
    assert_false(ynode_map_get(root, "e")->plain);
    assert_scalar(ynode_map_get(root, "f"), "", true, 8, 3);
    ynode_free(root);
}

static void test_positions_count_characters(void **state)
{
    (void)state;
    /* The BOM is not a column; "ü" is one column; a tab is one column. */
    ynode *root = load_ok("\xEF\xBB\xBF\xC3\xBC: [a,\tb]\n");
    const struct ynode_pair *pair = ynode_map_pair(root, "\xC3\xBC");
    assert_non_null(pair);
    assert_int_equal(pair->line, 1);
    assert_int_equal(pair->column, 1);
    assert_int_equal(pair->value->column, 4);
    assert_scalar(pair->value->items[0], "a", true, 1, 5);
    assert_scalar(pair->value->items[1], "b", true, 1, 8);
    ynode_free(root);
}

/* ---- errors ---- */

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error("a: b: c\n", 1, 5, "YAML syntax: mapping values are not allowed in this context");
    expect_error("a: [1, 2\n", 2, 1,
                 "YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)");
    expect_error("a: 1\nb: 'open\n", 3, 1,
                 "YAML syntax: found unexpected end of stream (while scanning a quoted scalar)");
    expect_error("a:\n  b: 1\n c: 2\n", 3, 2,
                 "YAML syntax: did not find expected key (while parsing a block mapping)");
}

static void test_reader_errors_have_positions(void **state)
{
    (void)state;
    expect_error("a: 1\nb: \x01x\n", 2, 4, "YAML syntax: control characters are not allowed");
    expect_error("a: 1\nb\xC3\xA9: \xFF\n", 2, 5, "YAML syntax: invalid leading UTF-8 octet");
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    expect_error("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first at line 1)");
    expect_error("m:\n  x: {k: 1, k: 2}\n", 2, 13, "duplicate key 'k' (first at line 2)");
    /* Quoting does not make a different key. */
    expect_error("key: 1\n'key': 2\n", 2, 1, "duplicate key 'key' (first at line 1)");
    /* Control characters in a key do not reach the message raw. */
    expect_error("\"a\\nb\": 1\n\"a\\nb\": 2\n", 2, 1, "duplicate key 'a?b' (first at line 1)");
    /* A long key is shortened in the message. */
    expect_error("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz: 1\n"
                 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz: 2\n",
                 2, 1, "duplicate key 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn...' (first at line 1)");

    /* In a big map (the hashed path): 300 keys, then key 157 again. */
    size_t size = 300 * 16 + 64;
    char *text = malloc(size);
    assert_non_null(text);
    size_t used = 0;
    for (int i = 0; i < 300; i++)
        used += (size_t)snprintf(text + used, size - used, "key%d: %d\n", i, i);
    snprintf(text + used, size - used, "key157: again\n");
    expect_error(text, 301, 1, "duplicate key 'key157' (first at line 158)");
    text[used] = '\0';
    ynode *root = load_ok(text);
    assert_int_equal(root->count, 300);
    assert_scalar(ynode_map_get(root, "key299"), "299", true, 300, 9);
    ynode_free(root);
    free(text);
}

static void test_anchors_aliases_and_tags(void **state)
{
    (void)state;
    expect_error("a: &x 1\nb: *x\n", 1, 4, "YAML anchors and aliases are not supported");
    expect_error("a: &m {k: 1}\n", 1, 4, "YAML anchors and aliases are not supported");
    expect_error("- &s [1]\n", 1, 3, "YAML anchors and aliases are not supported");
    expect_error("&k a: 1\n", 1, 1, "YAML anchors and aliases are not supported");
    /* "billion laughs" stops at the first anchor */
    expect_error("a: &a [\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a]\nc: [*b,*b,*b,*b]\n", 1, 4,
                 "YAML anchors and aliases are not supported");
    expect_error("a: !!str 1\n", 1, 4, "YAML tags are not supported");
    expect_error("a: !foo x\n", 1, 4, "YAML tags are not supported");
    expect_error("a: ! x\n", 1, 4, "YAML tags are not supported");
    expect_error("a: !!map {k: 1}\n", 1, 4, "YAML tags are not supported");
    expect_error("!!seq [1]\n", 1, 1, "YAML tags are not supported");
}

static void test_several_documents(void **state)
{
    (void)state;
    expect_error("a: 1\n---\nb: 2\n", 2, 1, "only one YAML document is allowed per file");
    expect_error("--- 1\n--- 2\n", 2, 1, "only one YAML document is allowed per file");
    expect_error("a: 1\n...\n---\n", 3, 1, "only one YAML document is allowed per file");
}

static void test_non_scalar_keys(void **state)
{
    (void)state;
    expect_error("? [a, b]\n: 1\n", 1, 3, "map keys must be plain text");
    expect_error("{{a: 1}: 2}\n", 1, 2, "map keys must be plain text");
    expect_error("x:\n  ? {a: 1}\n  : 2\n", 2, 5, "map keys must be plain text");
}

/* "[" * depth + "]" * depth */
static char *nested_lists(int depth)
{
    char *text = malloc((size_t)depth * 2 + 1);
    assert_non_null(text);
    memset(text, '[', (size_t)depth);
    memset(text + depth, ']', (size_t)depth);
    text[depth * 2] = '\0';
    return text;
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char *text = nested_lists(YTREE_MAX_DEPTH);
    ynode *root = load_ok(text);
    const ynode *node = root;
    for (int i = 1; i < YTREE_MAX_DEPTH; i++) {
        assert_int_equal(node->kind, YNODE_SEQ);
        assert_int_equal(node->count, 1);
        node = node->items[0];
    }
    assert_int_equal(node->kind, YNODE_SEQ);
    assert_int_equal(node->count, 0);
    ynode_free(root);
    free(text);

    text = nested_lists(YTREE_MAX_DEPTH + 1);
    expect_error(text, 1, 65, "nesting deeper than 64 levels");
    free(text);
    text = nested_lists(100000);
    expect_error(text, 1, 65, "nesting deeper than 64 levels");
    free(text);

    /* Block maps count too. */
    size_t size = 70 * 140;
    char *block = malloc(size);
    assert_non_null(block);
    size_t used = 0;
    for (int i = 0; i < 65; i++)
        used += (size_t)snprintf(block + used, size - used, "%*sk:\n", i * 2, "");
    snprintf(block + used, size - used, "%*sv\n", 65 * 2, "");
    expect_error(block, 65, 129, "nesting deeper than 64 levels");
    free(block);
}

static void test_scalar_size_limit(void **state)
{
    (void)state;
    size_t size = YTREE_MAX_SCALAR + 16;
    char *text = malloc(size);
    assert_non_null(text);
    memcpy(text, "a: ", 3);
    memset(text + 3, 'x', YTREE_MAX_SCALAR);
    text[3 + YTREE_MAX_SCALAR] = '\0';
    ynode *root = load_ok(text);
    assert_int_equal(ynode_map_get(root, "a")->length, YTREE_MAX_SCALAR);
    ynode_free(root);

    text[3 + YTREE_MAX_SCALAR] = 'x';
    text[4 + YTREE_MAX_SCALAR] = '\0';
    expect_error(text, 1, 4, "value longer than 1048576 bytes");
    free(text);
}

/* "[0,0,...,0]" with items zeros: items + 1 nodes. */
static char *flat_list(size_t items)
{
    char *text = malloc(items * 2 + 2);
    assert_non_null(text);
    text[0] = '[';
    for (size_t i = 0; i < items; i++) {
        text[1 + 2 * i] = '0';
        text[2 + 2 * i] = ',';
    }
    text[items * 2] = ']';
    text[items * 2 + 1] = '\0';
    return text;
}

static void test_node_count_limit(void **state)
{
    (void)state;
    char *text = flat_list(YTREE_MAX_NODES - 1);
    ynode *root = load_ok(text);
    assert_int_equal(root->count, YTREE_MAX_NODES - 1);
    ynode_free(root);
    free(text);

    text = flat_list(YTREE_MAX_NODES);
    expect_error(text, 1, 2 * YTREE_MAX_NODES, "document has more than 1000000 values");
    free(text);

    /* Keys count as values too: "[{a: 0},{a: 0},...]" holds 1 + 3n values. */
    size_t maps = (YTREE_MAX_NODES - 1) / 3 + 1;
    text = malloc(maps * 7 + 2);
    assert_non_null(text);
    text[0] = '[';
    for (size_t i = 0; i < maps; i++)
        memcpy(text + 1 + 7 * i, "{a: 0},", 7);
    text[maps * 7] = ']';
    text[maps * 7 + 1] = '\0';
    expect_error(text, 1, (int)(2 + 7 * (maps - 1)), "document has more than 1000000 values");
    free(text);
}

static void test_nul_in_scalar(void **state)
{
    (void)state;
    expect_error("a: \"x\\0y\"\n", 1, 4, "text holds a NUL character (\\0), which is not allowed");
    expect_error("\"k\\0\": 1\n", 1, 1, "text holds a NUL character (\\0), which is not allowed");
    /* A raw NUL byte in the text is a control character. */
    expect_error_n("a: x\0y\n", 7, 1, 5, "YAML syntax: control characters are not allowed");
}

static void test_file_errors(void **state)
{
    (void)state;
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    ynode *root = NULL;
    assert_int_equal(ytree_load_file("/nonexistent/avrrsim.yaml", "missing.yaml", &root, diags), -1);
    assert_null(root);
    assert_int_equal(diag_count(diags), 1);
    assert_string_equal(diag_at(diags, 0)->file, "missing.yaml");
    assert_int_equal(diag_at(diags, 0)->line, 0);
    assert_string_equal(diag_at(diags, 0)->message, "cannot read: No such file or directory");

    assert_int_equal(ytree_load_file("/tmp", "dir", &root, diags), -1);
    assert_int_equal(diag_count(diags), 2);
    assert_string_equal(diag_at(diags, 1)->message, "cannot read: Is a directory");

    /* A sparse file one byte over the limit. */
    char *path = temp_file("a: 1\n", 5);
    assert_int_equal(truncate(path, (off_t)YTREE_MAX_FILE + 1), 0);
    assert_int_equal(ytree_load_file(path, "big.yaml", &root, diags), -1);
    assert_null(root);
    assert_int_equal(diag_count(diags), 3);
    assert_int_equal(diag_at(diags, 2)->line, 0);
    assert_int_equal(diag_at(diags, 2)->column, 0);
    assert_string_equal(diag_at(diags, 2)->message, "file larger than 16 MiB");
    unlink(path);
    free(path);
    diag_list_free(diags);
}

static void test_file_at_size_limit_is_read(void **state)
{
    (void)state;
    /* "a: 1" padded with spaces and a comment to exactly YTREE_MAX_FILE bytes. */
    char *text = malloc(YTREE_MAX_FILE);
    assert_non_null(text);
    memset(text, ' ', YTREE_MAX_FILE);
    memcpy(text, "a: 1 #", 6);
    text[YTREE_MAX_FILE - 1] = '\n';
    char *path = temp_file(text, YTREE_MAX_FILE);
    free(text);
    ynode *root = NULL;
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    assert_int_equal(ytree_load_file(path, "edge.yaml", &root, diags), 0);
    assert_scalar(ynode_map_get(root, "a"), "1", true, 1, 4);
    ynode_free(root);
    diag_list_free(diags);
    unlink(path);
    free(path);
}

static void test_error_quotes_source_line(void **state)
{
    (void)state;
    const char *text = "name: x\nname: y\n";
    char *path = temp_file(text, strlen(text));
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    ynode *root = NULL;
    assert_int_equal(ytree_load_file(path, "dup.yaml", &root, diags), -1);
    unlink(path);   /* the registered text is quoted, not the file */
    char *printed = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&printed, &length);
    assert_non_null(out);
    diag_print(diags, out);
    assert_int_equal(fclose(out), 0);
    assert_string_equal(printed,
                        "dup.yaml:2:1: error: duplicate key 'name' (first at line 1)\n"
                        "    name: y\n"
                        "    ^\n");
    free(printed);
    diag_list_free(diags);
    free(path);
}

/* ---- names ---- */

static void test_names_are_interned_and_outlive_trees(void **state)
{
    (void)state;
    ynode *first = load_ok("a: 1");
    ynode *second = load_ok("b: [2]");
    assert_ptr_equal(first->file, second->file);
    assert_ptr_equal(first->file, ynode_map_get(second, "b")->items[0]->file);
    const char *name = first->file;
    ynode_free(first);
    ynode_free(second);
    assert_string_equal(name, "test.yaml");
}

struct thread_work {
    char name[32];
    int failures;
};

static void *load_many(void *argument)
{
    struct thread_work *work = argument;
    for (int i = 0; i < 200; i++) {
        char name[48];
        snprintf(name, sizeof name, "%s-%d", work->name, i % 7);
        ynode *root = NULL;
        const char *text = "{a: [1, 2], b: {c: d}}";
        if (ytree_load_string(name, text, strlen(text), &root, NULL) != 0 ||
            strcmp(root->file, name) != 0 ||
            strcmp(ynode_map_get(root, "b")->pairs[0].file, name) != 0)
            work->failures++;
        ynode_free(root);
    }
    return NULL;
}

static void test_loading_on_several_threads(void **state)
{
    (void)state;
    pthread_t threads[4];
    struct thread_work work[4];
    for (int i = 0; i < 4; i++) {
        snprintf(work[i].name, sizeof work[i].name, "thread%d", i % 2);
        work[i].failures = 0;
        assert_int_equal(pthread_create(&threads[i], NULL, load_many, &work[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(work[i].failures, 0);
    }
}

/* ---- edits ---- */

static void test_map_put_and_new_nodes(void **state)
{
    (void)state;
    ynode *map = ynode_new_map();
    assert_non_null(map);
    assert_null(map->file);
    assert_int_equal(map->line, 0);
    assert_int_equal(ynode_map_put(map, "a", ynode_new_scalar("1", true)), 0);
    assert_int_equal(ynode_map_put(map, "b", ynode_new_scalar("two", false)), 0);
    assert_int_equal(ynode_map_put(map, "a", ynode_new_scalar("3", true)), 0);
    assert_int_equal(map->count, 2);
    assert_string_equal(map->pairs[0].key, "a");
    assert_string_equal(map->pairs[0].value->text, "3");
    assert_string_equal(map->pairs[1].key, "b");
    assert_false(map->pairs[1].value->plain);
    assert_int_equal(ynode_map_put(map, "c", NULL), -1);
    ynode *scalar = ynode_new_scalar("x", true);
    assert_int_equal(ynode_map_put(scalar, "k", ynode_new_scalar("v", true)), -1);
    assert_null(ynode_map_get(scalar, "k"));
    ynode_free(scalar);
    ynode_free(map);
    ynode_free(NULL);
}

static void test_set_path_replaces_keeping_place(void **state)
{
    (void)state;
    ynode *root = load_ok("model:\n  avrr:\n    uptake: 0.2\n    cost: 10\nother: 1\n");
    char errbuf[200];
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    ynode *value = NULL;
    const char *flow = "{dist: gamma, mean: 90, sd: 30}";
    assert_int_equal(ytree_load_string("--set", flow, strlen(flow), &value, diags), 0);
    assert_int_equal(ytree_set_path(root, "model.avrr.uptake", value, errbuf, sizeof errbuf), 0);
    ynode *avrr = ynode_map_get(ynode_map_get(root, "model"), "avrr");
    assert_int_equal(avrr->count, 2);
    assert_string_equal(avrr->pairs[0].key, "uptake");
    assert_int_equal(avrr->pairs[0].line, 3);          /* the key stays where it was */
    assert_int_equal(avrr->pairs[0].column, 5);
    assert_string_equal(avrr->pairs[0].file, "test.yaml");
    assert_ptr_equal(avrr->pairs[0].value, value);
    assert_string_equal(value->file, "--set");
    assert_string_equal(ynode_map_get(value, "dist")->file, "--set");
    assert_string_equal(avrr->pairs[1].key, "cost");

    /* New keys and new maps along the way. */
    assert_int_equal(ytree_set_path(root, "model.detention.cost_per_day",
                                    ynode_new_scalar("120", true), errbuf, sizeof errbuf), 0);
    ynode *detention = ynode_map_get(ynode_map_get(root, "model"), "detention");
    assert_non_null(detention);
    assert_int_equal(detention->kind, YNODE_MAP);
    assert_string_equal(ynode_map_get(detention, "cost_per_day")->text, "120");
    assert_string_equal(ynode_map_get(root, "model")->pairs[1].key, "detention");
    assert_int_equal(ytree_set_path(root, "new.a.b.c", ynode_new_scalar("deep", true),
                                    errbuf, sizeof errbuf), 0);
    ynode *c = ynode_map_get(ynode_map_get(ynode_map_get(ynode_map_get(root, "new"), "a"), "b"), "c");
    assert_non_null(c);
    assert_string_equal(c->text, "deep");
    assert_string_equal(root->pairs[2].key, "new");
    assert_int_equal(ytree_set_path(root, "other", ynode_new_scalar("2", true), errbuf,
                                    sizeof errbuf), 0);
    assert_string_equal(root->pairs[1].key, "other");
    assert_string_equal(root->pairs[1].value->text, "2");
    ynode_free(root);
    diag_list_free(diags);
}

static void test_set_path_through_lists(void **state)
{
    (void)state;
    ynode *root = load_ok("policies:\n  - name: a\n  - name: b\n    set: {avrr: {uptake: 0.1}}\n");
    char errbuf[200];
    assert_int_equal(ytree_set_path(root, "policies.1.set.avrr.uptake",
                                    ynode_new_scalar("0.4", true), errbuf, sizeof errbuf), 0);
    ynode *second = ynode_map_get(root, "policies")->items[1];
    assert_string_equal(ynode_map_get(ynode_map_get(ynode_map_get(second, "set"), "avrr"),
                                      "uptake")->text, "0.4");
    assert_int_equal(ytree_set_path(root, "policies.0", ynode_new_scalar("gone", false),
                                    errbuf, sizeof errbuf), 0);
    assert_string_equal(ynode_map_get(root, "policies")->items[0]->text, "gone");
    ynode *refused = ynode_new_scalar("1", true);
    assert_int_equal(ytree_set_path(root, "policies.0.set.x", refused, errbuf, sizeof errbuf), -1);
    assert_string_equal(errbuf, "cannot set 'policies.0.set.x': 'policies.0' is a single value, "
                                "not a map or a list");
    ynode_free(refused);
    ynode_free(root);

    ynode *list = load_ok("[a, [b, c]]");
    assert_int_equal(ytree_set_path(list, "1.0", ynode_new_scalar("z", true), errbuf,
                                    sizeof errbuf), 0);
    assert_string_equal(list->items[1]->items[0]->text, "z");
    ynode_free(list);
}

static void expect_set_error(ynode *root, const char *path, const char *message)
{
    char errbuf[200];
    ynode *value = ynode_new_scalar("v", true);
    assert_non_null(value);
    assert_int_equal(ytree_set_path(root, path, value, errbuf, sizeof errbuf), -1);
    assert_string_equal(errbuf, message);
    ynode_free(value);   /* still ours after a failure */
}

static void test_set_path_errors(void **state)
{
    (void)state;
    ynode *root = load_ok("a: {b: 1}\nlist: [x, y, z]\nnone: []\n");
    ynode *before = ynode_clone(root);
    assert_non_null(before);
    expect_set_error(root, "", "empty path");
    expect_set_error(root, "a..b", "empty part in path 'a..b'");
    expect_set_error(root, ".a", "empty part in path '.a'");
    expect_set_error(root, "a.", "empty part in path 'a.'");
    expect_set_error(root, "a.b.c", "cannot set 'a.b.c': 'a.b' is a single value, not a map or a list");
    expect_set_error(root, "list.x", "cannot set 'list.x': 'list' is a list, so 'x' must be an index from 0 to 2");
    expect_set_error(root, "list.-1", "cannot set 'list.-1': 'list' is a list, so '-1' must be an index from 0 to 2");
    expect_set_error(root, "list.3", "cannot set 'list.3': 'list' has 3 items (indexes 0 to 2)");
    expect_set_error(root, "list.99999999999999999999999", "cannot set 'list.99999999999999999999999': 'list' is a list, so '99999999999999999999999' must be an index from 0 to 2");
    expect_set_error(root, "none.0", "cannot set 'none.0': 'none' is an empty list");
    expect_set_error(root, "list.0.k", "cannot set 'list.0.k': 'list.0' is a single value, not a map or a list");
    assert_true(trees_equal(root, before));   /* failures change nothing */
    ynode_free(before);
    ynode_free(root);

    ynode *scalar = load_ok("5");
    expect_set_error(scalar, "a", "cannot set 'a': the document is a single value, not a map or a list");
    ynode_free(scalar);
    ynode *list = load_ok("[1]");
    expect_set_error(list, "k", "cannot set 'k': the document is a list, so 'k' must be an index from 0 to 0");
    expect_set_error(list, "1", "cannot set '1': the document has 1 item (indexes 0 to 0)");
    ynode_free(list);

    char deep[2 * 65 + 1];
    for (int i = 0; i < 65; i++) {
        deep[2 * i] = 'k';
        deep[2 * i + 1] = '.';
    }
    deep[2 * 65 - 1] = '\0';
    ynode *map = ynode_new_map();
    assert_non_null(map);
    char message[300];
    snprintf(message, sizeof message, "path '%s' has more than 64 parts", deep);
    char errbuf[400];
    ynode *value = ynode_new_scalar("v", true);
    assert_int_equal(ytree_set_path(map, deep, value, errbuf, sizeof errbuf), -1);
    assert_string_equal(errbuf, message);
    deep[2 * 64 - 1] = '\0';
    assert_int_equal(ytree_set_path(map, deep, value, errbuf, sizeof errbuf), 0);
    ynode_free(map);
}

static void test_merge(void **state)
{
    (void)state;
    ynode *dst = load_ok("a: 1\nm:\n  x: 1\n  y: {p: 1}\nlist: [1, 2]\n");
    diag_list *diags = diag_list_new();
    assert_non_null(diags);
    ynode *src = NULL;
    const char *text = "m: {y: {q: 2}, z: 3, x: [9]}\nlist: [3]\nnew: {k: v}\na: 'one'\n";
    assert_int_equal(ytree_load_string("--set", text, strlen(text), &src, diags), 0);
    ynode *src_before = ynode_clone(src);
    assert_non_null(src_before);
    assert_int_equal(ytree_merge(dst, src), 0);
    assert_true(trees_equal(src, src_before));   /* src intact */

    ynode *expected = load_ok("a: 'one'\nm:\n  x: [9]\n  y: {p: 1, q: 2}\n  z: 3\n"
                              "list: [3]\nnew: {k: v}\n");
    assert_true(trees_equal(dst, expected));
    /* Merged values keep their own file; replaced keys keep their place. */
    assert_string_equal(ynode_map_get(dst, "a")->file, "--set");
    assert_string_equal(dst->pairs[0].file, "test.yaml");
    assert_int_equal(dst->pairs[0].line, 1);
    ynode *m = ynode_map_get(dst, "m");
    assert_string_equal(m->file, "test.yaml");
    const struct ynode_pair *z = ynode_map_pair(m, "z");
    assert_string_equal(z->file, "--set");
    assert_int_equal(z->line, 1);
    assert_int_equal(z->column, 16);
    assert_string_equal(ynode_map_get(ynode_map_get(m, "y"), "p")->file, "test.yaml");
    assert_string_equal(ynode_map_get(ynode_map_get(m, "y"), "q")->file, "--set");
    /* The clone is independent of src. */
    assert_ptr_not_equal(ynode_map_get(dst, "new"), ynode_map_get(src, "new"));
    ynode_free(src);
    assert_string_equal(ynode_map_get(ynode_map_get(dst, "new"), "k")->text, "v");

    ynode *scalar = ynode_new_scalar("x", true);
    assert_int_equal(ytree_merge(dst, scalar), -1);
    assert_int_equal(ytree_merge(scalar, dst), -1);
    ynode_free(scalar);
    ynode_free(expected);
    ynode_free(src_before);
    ynode_free(dst);
    diag_list_free(diags);
}

static void test_clone(void **state)
{
    (void)state;
    ynode *root = load_ok("a: [1, 'two', {b: c}]\nd: \"x\\ty\"\n");
    ynode *copy = ynode_clone(root);
    assert_non_null(copy);
    assert_true(trees_equal(root, copy));
    assert_ptr_not_equal(copy->pairs, root->pairs);
    assert_ptr_equal(copy->file, root->file);
    assert_int_equal(copy->pairs[1].line, 2);
    assert_int_equal(copy->pairs[1].value->column, 4);
    copy->pairs[0].value->items[0]->text[0] = '9';
    assert_string_equal(root->pairs[0].value->items[0]->text, "1");
    ynode_free(root);
    assert_string_equal(ynode_map_get(copy, "d")->text, "x\ty");
    ynode_free(copy);
    assert_null(ynode_clone(NULL));
}

/* ---- emitting ---- */

static void assert_round_trip(const ynode *root)
{
    char *text = emitted(root);
    ynode *again = load_ok(text);
    if (!trees_equal(root, again))
        fprintf(stderr, "emitted:\n%s", text);
    assert_true(trees_equal(root, again));
    ynode_free(again);
    free(text);
}

static void test_emit_round_trip(void **state)
{
    (void)state;
    ynode *root = load_ok(
        "name: \"Réintégration — ünïcödé ✓\"\n"
        "quotes: 'it''s \"quoted\"'\n"
        "newlines: \"line one\\nline two\\n\"\n"
        "leading: \"  spaced\\n  out\"\n"
        "trailing: \"end  \\n\"\n"
        "kept: \"x\\n\\n\"\n"
        "tab: \"a\\tb\"\n"
        "control: \"bell\\a\"\n"
        "empty: ''\n"
        "null_value:\n"
        "colon: 'a: b'\n"
        "hash: '# not a comment'\n"
        "long: \"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb cc" "\"\n"
        "model:\n"
        "  avrr: {uptake: {dist: beta, mean: 0.2, sd: 0.05}, cost: 1500}\n"
        "  list: [1, -2.5, 'three', [], {}]\n"
        "  'key with: colon': 1\n"
        "  \"ключ\": значение\n"
        "policies:\n"
        "  - name: a\n"
        "    set: {x: [1, [2, [3]]]}\n"
        "  - {}\n"
        "block: |\n"
        "  first\n"
        "    indented\n"
        "  last\n");
    assert_round_trip(root);
    ynode_free(root);

    /* Other roots. */
    const char *roots[] = {"plain", "'quoted'", "\"multi\\nline\"", "[]", "{}", "[a, {b: c}]", ""};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        ynode *node = load_ok(roots[i]);
        assert_round_trip(node);
        ynode_free(node);
    }
}

static void test_emit_keeps_quoted_numbers_as_text(void **state)
{
    (void)state;
    ynode *root = load_ok("a: \"yes\"\nb: \"1.5\"\nc: 1.5\nd: yes\n");
    char *text = emitted(root);
    assert_string_equal(text, "a: 'yes'\nb: '1.5'\nc: 1.5\nd: yes\n");
    ynode *again = load_ok(text);
    assert_scalar(ynode_map_get(again, "a"), "yes", false, 1, 4);
    assert_scalar(ynode_map_get(again, "b"), "1.5", false, 2, 4);
    assert_scalar(ynode_map_get(again, "c"), "1.5", true, 3, 4);
    assert_scalar(ynode_map_get(again, "d"), "yes", true, 4, 4);
    ynode_free(again);
    free(text);
    ynode_free(root);
}

static void test_emit_block_style_and_unsafe_plain(void **state)
{
    (void)state;
    ynode *root = ynode_new_map();
    assert_non_null(root);
    assert_int_equal(ynode_map_put(root, "plain", ynode_new_scalar("word", true)), 0);
    assert_int_equal(ynode_map_put(root, "unsafe", ynode_new_scalar("a: b", true)), 0);
    ynode *inner = ynode_new_map();
    assert_int_equal(ynode_map_put(root, "inner", inner), 0);
    assert_int_equal(ynode_map_put(inner, "k", ynode_new_scalar("ünï", false)), 0);
    char *text = emitted(root);
    assert_string_equal(text, "plain: word\nunsafe: 'a: b'\ninner:\n  k: 'ünï'\n");
    free(text);
    ynode_free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_file_with_positions),
        cmocka_unit_test(test_load_string_flow_and_scalar),
        cmocka_unit_test(test_empty_documents_are_empty_maps),
        cmocka_unit_test(test_plain_flag_by_style),
        cmocka_unit_test(test_positions_count_characters),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_reader_errors_have_positions),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_anchors_aliases_and_tags),
        cmocka_unit_test(test_several_documents),
        cmocka_unit_test(test_non_scalar_keys),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_scalar_size_limit),
        cmocka_unit_test(test_node_count_limit),
        cmocka_unit_test(test_nul_in_scalar),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_file_at_size_limit_is_read),
        cmocka_unit_test(test_error_quotes_source_line),
        cmocka_unit_test(test_names_are_interned_and_outlive_trees),
        cmocka_unit_test(test_loading_on_several_threads),
        cmocka_unit_test(test_map_put_and_new_nodes),
        cmocka_unit_test(test_set_path_replaces_keeping_place),
        cmocka_unit_test(test_set_path_through_lists),
        cmocka_unit_test(test_set_path_errors),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_emit_round_trip),
        cmocka_unit_test(test_emit_keeps_quoted_numbers_as_text),
        cmocka_unit_test(test_emit_block_style_and_unsafe_plain),
    };
    int failed = cmocka_run_group_tests(tests, setup_gsl, release_names);
    return failed;
}
