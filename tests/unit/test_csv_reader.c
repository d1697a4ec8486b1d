/* Unit tests for plots/csv_reader: records of the engine's CSV dialect
 * (RFC 4180) read field by field, exactly: quoted fields with commas, doubled
 * quotes, carriage returns and line breaks; LF and CRLF line ends; an empty
 * last field, an empty line, a missing final line break; the line each record
 * starts on; every malformed record refused with the file and that line; the
 * header as owned copies; names with the writer's formula guard. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csv_reader.h"

/* ---- helpers ---- */

/* A reader of a temporary file holding text; close_text closes both. */
static void open_text(struct csv_reader *reader, const char *text, const char *name)
{
    FILE *in = tmpfile();
    assert_non_null(in);
    assert_true(fputs(text, in) >= 0);
    rewind(in);
    csv_reader_init(reader, in, name);
}

static void close_text(struct csv_reader *reader)
{
    FILE *in = reader->in;
    csv_reader_free(reader);
    assert_int_equal(fclose(in), 0);
}

/* Reads the next record, expecting it to start on `line` and to hold exactly
 * the n fields given after n. */
static void expect_record(struct csv_reader *reader, size_t line, size_t n, ...)
{
    char why[256] = "";
    enum csv_read status = csv_reader_next(reader, why, sizeof why);
    if (status != CSV_RECORD)
        fail_msg("expected a record at line %zu, got status %d: %s", line, (int)status, why);
    assert_int_equal(reader->record_line, line);
    assert_int_equal(reader->n_fields, n);
    va_list fields;
    va_start(fields, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(csv_reader_field(reader, i), va_arg(fields, const char *));
    va_end(fields);
}

static void expect_end(struct csv_reader *reader)
{
    char why[256] = "";
    assert_int_equal(csv_reader_next(reader, why, sizeof why), CSV_END);
    /* and again: the end stays the end */
    assert_int_equal(csv_reader_next(reader, why, sizeof why), CSV_END);
}

/* The whole of text must fail on its first record after `records` good ones,
 * with exactly `expected`. */
static void expect_failure(const char *text, size_t records, const char *expected)
{
    struct csv_reader reader;
    open_text(&reader, text, "t.csv");
    char why[256] = "";
    for (size_t r = 0; r < records; r++)
        if (csv_reader_next(&reader, why, sizeof why) != CSV_RECORD)
            fail_msg("record %zu of '%s' did not read: %s", r + 1, text, why);
    assert_int_equal(csv_reader_next(&reader, why, sizeof why), CSV_ERROR);
    assert_string_equal(why, expected);
    close_text(&reader);
}

/* ---- records ---- */

static void test_plain_and_quoted_fields(void **state)
{
    (void)state;
    struct csv_reader reader;
    open_text(&reader, "replication,policy,cost\n"
                       "1,\"Detention, then AVRR\",12.5\n"
                       "2,\"say \"\"hi\"\"\",\"\"\"\"\n"
                       "3,\"\",-\n", "t.csv");
    expect_record(&reader, 1, 3, "replication", "policy", "cost");
    expect_record(&reader, 2, 3, "1", "Detention, then AVRR", "12.5");
    /* "" inside quotes is one quote; a field of one quote is """" */
    expect_record(&reader, 3, 3, "2", "say \"hi\"", "\"");
    expect_record(&reader, 4, 3, "3", "", "-");
    expect_end(&reader);
    assert_int_equal(reader.line, 5);
    csv_reader_free(&reader);   /* harmless twice: close_text frees again */
    close_text(&reader);
}

static void test_line_breaks_inside_quotes(void **state)
{
    (void)state;
    /* a name over three lines, one with a carriage return kept as it is */
    struct csv_reader reader;
    open_text(&reader, "a,b\n"
                       "\"two\nlines\",x\n"
                       "\"three\r\n\nlines\",y\n"
                       "last,z\n", "t.csv");
    expect_record(&reader, 1, 2, "a", "b");
    expect_record(&reader, 2, 2, "two\nlines", "x");
    expect_record(&reader, 4, 2, "three\r\n\nlines", "y");
    expect_record(&reader, 7, 2, "last", "z");
    expect_end(&reader);
    close_text(&reader);
}

static void test_crlf_line_ends(void **state)
{
    (void)state;
    struct csv_reader reader;
    open_text(&reader, "a,b\r\n1,\"x\"\r\n\"y\",\r\n2,3", "t.csv");
    expect_record(&reader, 1, 2, "a", "b");
    expect_record(&reader, 2, 2, "1", "x");
    expect_record(&reader, 3, 2, "y", "");
    expect_record(&reader, 4, 2, "2", "3");
    expect_end(&reader);
    close_text(&reader);
}

static void test_empty_fields_lines_and_files(void **state)
{
    (void)state;
    /* an empty last field, with and without quotes; an empty line is one
     * empty field; fields only commas */
    struct csv_reader reader;
    open_text(&reader, "a,b,\n"
                       "a,\"\"\n"
                       "\n"
                       ",,\n", "t.csv");
    expect_record(&reader, 1, 3, "a", "b", "");
    expect_record(&reader, 2, 2, "a", "");
    expect_record(&reader, 3, 1, "");
    expect_record(&reader, 4, 3, "", "", "");
    expect_end(&reader);
    close_text(&reader);

    /* an empty file has no record */
    open_text(&reader, "", "t.csv");
    expect_end(&reader);
    close_text(&reader);
}

static void test_missing_final_line_break(void **state)
{
    (void)state;
    static const struct {
        const char *text, *last;
    } cases[] = {
        {"h\nlast", "last"},
        {"h\n\"quoted, last\"", "quoted, last"},
        {"h\n\"\"", ""},
        {"h\nx,", NULL},   /* "x" and an empty field */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct csv_reader reader;
        open_text(&reader, cases[i].text, "t.csv");
        expect_record(&reader, 1, 1, "h");
        if (cases[i].last != NULL)
            expect_record(&reader, 2, 1, cases[i].last);
        else
            expect_record(&reader, 2, 2, "x", "");
        expect_end(&reader);
        assert_int_equal(reader.line, 2);   /* no line break was read */
        close_text(&reader);
    }
}

/* Fields longer than the first buffer, and more of them than the first table. */
static void test_long_records(void **state)
{
    (void)state;
    size_t size = 200 * 6 + 1500 + 16;
    char *text = malloc(size);
    assert_non_null(text);
    size_t length = 0;
    for (size_t f = 0; f < 200; f++)
        length += (size_t)snprintf(text + length, size - length, "%sf%zu", f > 0 ? "," : "", f);
    text[length++] = '\n';
    text[length++] = '"';
    for (size_t i = 0; i < 1500; i++)
        text[length++] = (char)('a' + i % 26);
    snprintf(text + length, size - length, "\",end\n");
    struct csv_reader reader;
    open_text(&reader, text, "t.csv");
    char why[256] = "";
    assert_int_equal(csv_reader_next(&reader, why, sizeof why), CSV_RECORD);
    assert_int_equal(reader.n_fields, 200);
    assert_string_equal(csv_reader_field(&reader, 0), "f0");
    assert_string_equal(csv_reader_field(&reader, 137), "f137");
    assert_string_equal(csv_reader_field(&reader, 199), "f199");
    assert_int_equal(csv_reader_next(&reader, why, sizeof why), CSV_RECORD);
    assert_int_equal(reader.n_fields, 2);
    const char *long_field = csv_reader_field(&reader, 0);
    assert_int_equal(strlen(long_field), 1500);
    for (size_t i = 0; i < 1500; i++)
        assert_int_equal(long_field[i], 'a' + i % 26);
    assert_string_equal(csv_reader_field(&reader, 1), "end");
    expect_end(&reader);
    close_text(&reader);
    free(text);
}

/* ---- malformed records: the file, the line the record starts on ---- */

static void test_unterminated_quote(void **state)
{
    (void)state;
    expect_failure("h\n\"open", 1, "t.csv:2: a quoted field is not closed");
    /* the record starts on line 3; the file ends on line 5 */
    expect_failure("h\nok\nx,\"open\nmore\nand more\n", 2, "t.csv:3: a quoted field is not closed");
    /* a doubled quote at the end is a quote, not the closing one */
    expect_failure("\"ends in a quote\"\"", 0, "t.csv:1: a quoted field is not closed");
}

static void test_malformed_records(void **state)
{
    (void)state;
    expect_failure("a,\"b\"c\n", 0, "t.csv:1: text after the closing quote of field 2");
    expect_failure("h\n\"a\" ,b\n", 1, "t.csv:2: text after the closing quote of field 1");
    /* after a record over two lines, the next starts on line 4 */
    expect_failure("h\n\"x\ny\"\na,b\"c\n", 2, "t.csv:4: a quote inside unquoted field 2");
    expect_failure("a\rb\n", 0, "t.csv:1: a carriage return inside a record");
    expect_failure("h\na,\"b\"\rc\n", 1, "t.csv:2: a carriage return inside a record");
    expect_failure("h\nend\r", 1, "t.csv:2: a carriage return inside a record");
}

static void test_read_error(void **state)
{
    (void)state;
    FILE *out = fopen("/dev/null", "w");   /* not open for reading */
    assert_non_null(out);
    struct csv_reader reader;
    csv_reader_init(&reader, out, "t.csv");
    char why[256] = "";
    assert_int_equal(csv_reader_next(&reader, why, sizeof why), CSV_ERROR);
    assert_string_equal(why, "cannot read t.csv: Bad file descriptor");
    csv_reader_free(&reader);
    fclose(out);
}

/* ---- rows, the header, names ---- */

static void test_rows_have_the_header_width(void **state)
{
    (void)state;
    struct csv_reader reader;
    open_text(&reader, "a,b,c\n1,2,3\n1,\"2,3\"\n", "t.csv");
    char **columns = NULL;
    size_t n_columns = 0;
    char why[256] = "";
    assert_int_equal(csv_reader_header(&reader, &columns, &n_columns, why, sizeof why), 0);
    assert_int_equal(n_columns, 3);
    assert_string_equal(columns[0], "a");
    assert_string_equal(columns[2], "c");
    assert_int_equal(csv_reader_row(&reader, n_columns, why, sizeof why), CSV_RECORD);
    assert_string_equal(csv_reader_field(&reader, 1), "2");
    assert_int_equal(csv_reader_row(&reader, n_columns, why, sizeof why), CSV_ERROR);
    assert_string_equal(why, "t.csv:3: 2 fields, expected 3");
    close_text(&reader);
    /* the copies outlive the reader */
    assert_string_equal(columns[1], "b");
    csv_reader_free_columns(columns, n_columns);
    csv_reader_free_columns(NULL, 0);

    open_text(&reader, "", "empty.csv");
    assert_int_equal(csv_reader_header(&reader, &columns, &n_columns, why, sizeof why), -1);
    assert_string_equal(why, "empty.csv is empty");
    assert_null(columns);
    assert_int_equal(n_columns, 0);
    close_text(&reader);

    open_text(&reader, "a,\"b\n", "t.csv");
    assert_int_equal(csv_reader_header(&reader, &columns, &n_columns, why, sizeof why), -1);
    assert_string_equal(why, "t.csv:1: a quoted field is not closed");
    assert_null(columns);
    close_text(&reader);
}

static void test_same_text(void **state)
{
    (void)state;
    assert_true(csv_reader_same_text("AVRR", "AVRR"));
    assert_true(csv_reader_same_text("'=cmd", "=cmd"));   /* the writer's formula guard */
    assert_true(csv_reader_same_text("'-5", "-5"));
    assert_true(csv_reader_same_text("'x", "'x"));
    assert_true(csv_reader_same_text("", ""));
    assert_false(csv_reader_same_text("''x", "x"));
    assert_false(csv_reader_same_text("=cmd", "'=cmd"));
    assert_false(csv_reader_same_text("AVRR", "AVRR "));
    assert_false(csv_reader_same_text("'", "x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted_fields),
        cmocka_unit_test(test_line_breaks_inside_quotes),
        cmocka_unit_test(test_crlf_line_ends),
        cmocka_unit_test(test_empty_fields_lines_and_files),
        cmocka_unit_test(test_missing_final_line_break),
        cmocka_unit_test(test_long_records),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_malformed_records),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_rows_have_the_header_width),
        cmocka_unit_test(test_same_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
