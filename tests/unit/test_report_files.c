/* Unit tests for engine/report_files: SHA-256 against published digests
 * (buffers and files, including a file larger than one read chunk) and the
 * JSON string escaping of control characters and valid and invalid UTF-8. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "engine/report_files.h"

/* FIPS 180-2 / NIST example digests. */
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_ABC   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA256_448   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define SHA256_MILLION_A "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

static int setup_gsl(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static int make_temp_path(void **state)
{
    char *path = strdup("/tmp/avrrsim-test-report-XXXXXX");
    if (path == NULL)
        return -1;
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return -1;
    }
    close(fd);
    *state = path;
    return 0;
}

static int remove_temp_path(void **state)
{
    char *path = *state;
    unlink(path);
    free(path);
    return 0;
}

static void write_bytes(const char *path, const void *data, size_t length)
{
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(data, 1, length, out), length);
    assert_int_equal(fclose(out), 0);
}

static void test_sha256_buffers(void **state)
{
    (void)state;
    char hex[65];
    assert_int_equal(sha256_buffer_hex("", 0, hex), 0);
    assert_string_equal(hex, SHA256_EMPTY);
    assert_int_equal(sha256_buffer_hex("abc", 3, hex), 0);
    assert_string_equal(hex, SHA256_ABC);
    const char *long_message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(sha256_buffer_hex(long_message, strlen(long_message), hex), 0);
    assert_string_equal(hex, SHA256_448);
    assert_int_equal(sha256_buffer_hex(NULL, 0, hex), 0);
    assert_string_equal(hex, SHA256_EMPTY);
}

static void test_sha256_files(void **state)
{
    const char *path = *state;
    char from_file[65], from_buffer[65];

    write_bytes(path, "", 0);
    assert_int_equal(sha256_file_hex(path, from_file), 0);
    assert_string_equal(from_file, SHA256_EMPTY);

    write_bytes(path, "abc", 3);
    assert_int_equal(sha256_file_hex(path, from_file), 0);
    assert_string_equal(from_file, SHA256_ABC);

    /* a million 'a': sixteen 64 KiB chunks and a partial one */
    size_t million = 1000000;
    char *many = malloc(million);
    assert_non_null(many);
    memset(many, 'a', million);
    write_bytes(path, many, million);
    assert_int_equal(sha256_file_hex(path, from_file), 0);
    assert_string_equal(from_file, SHA256_MILLION_A);
    assert_int_equal(sha256_buffer_hex(many, million, from_buffer), 0);
    assert_string_equal(from_buffer, SHA256_MILLION_A);

    /* exactly two chunks of varied bytes, with NULs: file == buffer */
    size_t two_chunks = 2 * 64 * 1024;
    for (size_t i = 0; i < two_chunks; i++)
        many[i] = (char)(i * 131u % 251u);
    write_bytes(path, many, two_chunks);
    assert_int_equal(sha256_file_hex(path, from_file), 0);
    assert_int_equal(sha256_buffer_hex(many, two_chunks, from_buffer), 0);
    assert_string_equal(from_file, from_buffer);
    assert_string_not_equal(from_file, SHA256_MILLION_A);
    free(many);
}

static void test_sha256_missing_file(void **state)
{
    (void)state;
    char hex[65];
    errno = 0;
    assert_int_equal(sha256_file_hex("/nonexistent-avrrsim/file", hex), -1);
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_int_equal(sha256_file_hex("/tmp", hex), -1);   /* a directory: EISDIR on read */
    assert_int_equal(errno, EISDIR);
}

/* json_write_string(text) as a malloc'd string. */
static char *json_of(const char *text)
{
    char *result = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&result, &length);
    assert_non_null(out);
    json_write_string(out, text);
    assert_int_equal(fclose(out), 0);
    return result;
}

static void test_json_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *input;
        const char *expected;
    } cases[] = {
        {"", "\"\""},
        {"plain text / slash", "\"plain text / slash\""},
        {"say \"hi\" \\ back", "\"say \\\"hi\\\" \\\\ back\""},
        {"line\nnext", "\"line\\nnext\""},
        {"\t\r\b\f", "\"\\t\\r\\b\\f\""},
        {"\x01\x1f\x7f~", "\"\\u0001\\u001f\\u007f~\""},
        /* valid UTF-8 is kept as is */
        {"Z\xc3\xbcrich", "\"Z\xc3\xbcrich\""},                     /* U+00FC, 2 bytes */
        {"\xe2\x82\xac 5", "\"\xe2\x82\xac 5\""},                    /* U+20AC, 3 bytes */
        {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},                /* U+1F600, 4 bytes */
        {"\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\""}, /* U+FFFF, U+10FFFF */
        {"\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\""},  /* U+D7FF, U+E000 */
        /* invalid bytes become U+FFFD */
        {"a\xff" "b", "\"a\\ufffdb\""},
        {"\x80", "\"\\ufffd\""},                                     /* lone continuation */
        {"a\xe2\x82", "\"a\\ufffd\""},                               /* truncated at the end */
        {"\xe2\x82z", "\"\\ufffdz\""},                               /* truncated, then ASCII */
        {"\xf0\x9f\x98" "x", "\"\\ufffdx\""},                        /* truncated 4-byte */
        {"\xc3\xc3\xa9", "\"\\ufffd\xc3\xa9\""},                     /* truncated, then valid */
        {"\xc0\xaf", "\"\\ufffd\\ufffd\""},                          /* overlong '/' */
        {"\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""},               /* overlong, 3 bytes */
        {"\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},    /* overlong, 4 bytes */
        {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},               /* surrogate U+D800 */
        {"\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},    /* U+110000 */
        {"\xf5\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},    /* lead byte 0xf5 */
        {"\xe2\x28\xa1", "\"\\ufffd(\\ufffd\""},                     /* bad second byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *actual = json_of(cases[i].input);
        if (strcmp(actual, cases[i].expected) != 0)
            print_error("case %zu\n", i);
        assert_string_equal(actual, cases[i].expected);
        free(actual);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_buffers),
        cmocka_unit_test_setup_teardown(test_sha256_files, make_temp_path, remove_temp_path),
        cmocka_unit_test(test_sha256_missing_file),
        cmocka_unit_test(test_json_escaping),
    };
    return cmocka_run_group_tests(tests, setup_gsl, NULL);
}
