/* scalar: strict numbers, whole numbers and booleans from YAML scalars and
 * command-line text. The whole text must be the value: decimal only (no hex,
 * no underscores, no .inf/.nan, no spaces), finite and in range. Only plain
 * (unquoted) scalars are numbers or booleans, so "600" in quotes is text.
 *
 * Conversion of decimals uses strtod, after a grammar check; strtod reads
 * '.' in the "C" locale the program runs in, and any other locale makes the
 * conversion fail rather than misread. */
#include "engine/scalar.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DESCRIBE_CHARACTERS = 40 };

enum number_form { NOT_A_NUMBER, INTEGER_FORM, DECIMAL_FORM };

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The YAML 1.2 core schema forms: [-+]? digits, and
 * [-+]? (digits? '.' digits? with a digit somewhere) ([eE] [-+]? digits)?. */
static enum number_form number_form(const char *text)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    size_t whole = 0, fraction = 0;
    while (is_digit(*p))
        p++, whole++;
    bool decimal = false;
    if (*p == '.') {
        decimal = true;
        p++;
        while (is_digit(*p))
            p++, fraction++;
    }
    if (whole + fraction == 0)
        return NOT_A_NUMBER;
    if (*p == 'e' || *p == 'E') {
        decimal = true;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return NOT_A_NUMBER;
        while (is_digit(*p))
            p++;
    }
    if (*p != '\0')
        return NOT_A_NUMBER;
    return decimal ? DECIMAL_FORM : INTEGER_FORM;
}

int text_to_double(const char *text, double *out)
{
    if (text == NULL || number_form(text) == NOT_A_NUMBER)
        return -1;
    errno = 0;
    char *end = NULL;
    double value = strtod(text, &end);
    if (errno == ERANGE || end == NULL || *end != '\0' || !isfinite(value))
        return -1;
    if (out != NULL)
        *out = value;
    return 0;
}

/* Digits to a magnitude; -1 on overflow or a non-digit. */
static int digits_to_uint64(const char *digits, uint64_t *out)
{
    if (*digits == '\0')
        return -1;
    uint64_t value = 0;
    for (const char *p = digits; *p != '\0'; p++) {
        if (!is_digit(*p))
            return -1;
        uint64_t digit = (uint64_t)(*p - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return -1;
        value = value * 10 + digit;
    }
    *out = value;
    return 0;
}

int text_to_uint64(const char *text, uint64_t *out)
{
    uint64_t value;
    if (text == NULL || digits_to_uint64(text, &value) != 0)
        return -1;
    if (out != NULL)
        *out = value;
    return 0;
}

/* An integer-form text to long long; -1 when out of range. */
static int integer_to_int64(const char *text, long long *out)
{
    bool negative = text[0] == '-';
    const char *digits = (text[0] == '-' || text[0] == '+') ? text + 1 : text;
    uint64_t magnitude;
    if (digits_to_uint64(digits, &magnitude) != 0)
        return -1;
    if (negative) {
        if (magnitude > (uint64_t)LLONG_MAX + 1)
            return -1;
        *out = magnitude == (uint64_t)LLONG_MAX + 1 ? LLONG_MIN : -(long long)magnitude;
    } else {
        if (magnitude > (uint64_t)LLONG_MAX)
            return -1;
        *out = (long long)magnitude;
    }
    return 0;
}

int text_to_int64(const char *text, long long *out)
{
    long long value;
    if (text == NULL || number_form(text) != INTEGER_FORM || integer_to_int64(text, &value) != 0)
        return -1;
    if (out != NULL)
        *out = value;
    return 0;
}

/* text cut to DESCRIBE_CHARACTERS characters ("..." when cut) between
 * open and close, control characters shown as '?'. */
static void quote_into(const char *text, size_t length, char open, char close,
                       char *buf, size_t buf_size)
{
    if (buf == NULL || buf_size == 0)
        return;
    size_t used = 0, characters = 0, position = 0;
#define PUT(c) do { if (used + 1 < buf_size) buf[used++] = (c); } while (0)
    PUT(open);
    while (position < length && characters < DESCRIBE_CHARACTERS) {
        unsigned char c = (unsigned char)text[position];
        size_t width = 1;
        if (c >= 0xC0)
            while (position + width < length && width < 4 &&
                   ((unsigned char)text[position + width] & 0xC0) == 0x80)
                width++;
        if (width == 1 && (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xC0))) {
            PUT('?');
        } else if (used + width < buf_size) {
            memcpy(buf + used, text + position, width);
            used += width;
        } else {
            break;
        }
        position += width;
        characters++;
    }
    if (position < length) {
        PUT('.');
        PUT('.');
        PUT('.');
    }
    PUT(close);
#undef PUT
    buf[used] = '\0';
}

const char *ynode_describe(const ynode *node, char *buf, size_t buf_size)
{
    if (buf == NULL || buf_size == 0)
        return "";
    if (node == NULL)
        snprintf(buf, buf_size, "nothing");
    else if (node->kind == YNODE_MAP)
        snprintf(buf, buf_size, "a map");
    else if (node->kind == YNODE_SEQ)
        snprintf(buf, buf_size, "a list");
    else
        quote_into(node->text ? node->text : "", node->text ? node->length : 0, '\'', '\'',
                   buf, buf_size);
    return buf;
}

/* Writes "expected WHAT, got ..." for a node that is not a plain scalar;
 * returns 0 when the node is a plain scalar (nothing written). */
static int reject_non_plain(const ynode *node, const char *what, char *why, size_t why_size)
{
    char description[4 * DESCRIBE_CHARACTERS + 16];
    if (node != NULL && node->kind == YNODE_SCALAR && node->plain && node->text != NULL)
        return 0;
    if (node != NULL && node->kind == YNODE_SCALAR) {
        quote_into(node->text ? node->text : "", node->text ? node->length : 0, '"', '"',
                   description, sizeof description);
        if (why != NULL && why_size > 0)
            snprintf(why, why_size, "expected %s, got the text %s", what, description);
    } else if (why != NULL && why_size > 0) {
        snprintf(why, why_size, "expected %s, got %s", what,
                 ynode_describe(node, description, sizeof description));
    }
    return -1;
}

/* Writes "expected WHAT, got 'text'". */
static int reject_text(const ynode *node, const char *what, char *why, size_t why_size)
{
    char description[4 * DESCRIBE_CHARACTERS + 16];
    if (why != NULL && why_size > 0)
        snprintf(why, why_size, "expected %s, got %s", what,
                 ynode_describe(node, description, sizeof description));
    return -1;
}

static void clear_why(char *why, size_t why_size)
{
    if (why != NULL && why_size > 0)
        why[0] = '\0';
}

/* A scalar whose text holds a NUL cannot be a number. */
static bool has_inner_nul(const ynode *node)
{
    return strlen(node->text) != node->length;
}

int scalar_number(const ynode *node, double *out, char *why, size_t why_size)
{
    clear_why(why, why_size);
    if (reject_non_plain(node, "a number", why, why_size) != 0)
        return -1;
    if (has_inner_nul(node) || number_form(node->text) == NOT_A_NUMBER)
        return reject_text(node, "a number", why, why_size);
    if (text_to_double(node->text, out) != 0) {
        char description[4 * DESCRIBE_CHARACTERS + 16];
        if (why != NULL && why_size > 0)
            snprintf(why, why_size, "number out of range: %s",
                     ynode_describe(node, description, sizeof description));
        return -1;
    }
    return 0;
}

static void write_range(char *why, size_t why_size, long long min, long long max)
{
    if (why != NULL && why_size > 0)
        snprintf(why, why_size, "must be between %lld and %lld", min, max);
}

int scalar_int64(const ynode *node, long long min, long long max, long long *out,
                 char *why, size_t why_size)
{
    clear_why(why, why_size);
    if (reject_non_plain(node, "a whole number", why, why_size) != 0)
        return -1;
    if (has_inner_nul(node) || number_form(node->text) != INTEGER_FORM)
        return reject_text(node, "a whole number", why, why_size);
    long long value;
    if (integer_to_int64(node->text, &value) != 0 || value < min || value > max) {
        write_range(why, why_size, min, max);
        return -1;
    }
    if (out != NULL)
        *out = value;
    return 0;
}

int scalar_uint64(const ynode *node, uint64_t *out, char *why, size_t why_size)
{
    clear_why(why, why_size);
    if (reject_non_plain(node, "a whole number", why, why_size) != 0)
        return -1;
    const char *text = node->text;
    if (has_inner_nul(node) || number_form(text) != INTEGER_FORM)
        return reject_text(node, "a whole number", why, why_size);
    uint64_t value;
    if (text[0] == '+')
        return reject_text(node, "a whole number without a sign", why, why_size);
    if (text[0] == '-' || digits_to_uint64(text, &value) != 0) {
        if (why != NULL && why_size > 0)
            snprintf(why, why_size, "must be between 0 and %" PRIu64, UINT64_MAX);
        return -1;
    }
    if (out != NULL)
        *out = value;
    return 0;
}

int scalar_bool(const ynode *node, bool *out, char *why, size_t why_size)
{
    clear_why(why, why_size);
    if (reject_non_plain(node, "true or false", why, why_size) != 0)
        return -1;
    static const char *const truths[] = {"true", "True", "TRUE"};
    static const char *const falsehoods[] = {"false", "False", "FALSE"};
    for (size_t i = 0; i < 3 && !has_inner_nul(node); i++) {
        if (strcmp(node->text, truths[i]) == 0 || strcmp(node->text, falsehoods[i]) == 0) {
            if (out != NULL)
                *out = strcmp(node->text, truths[i]) == 0;
            return 0;
        }
    }
    return reject_text(node, "true or false", why, why_size);
}
