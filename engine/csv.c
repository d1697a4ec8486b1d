/* csv: a buffered CSV writer that remembers the first failed write (or
 * flush, or close) and reports it from csv_close, so that a full disk never
 * yields a silently truncated results file. */
#include "engine/csv.h"
#include "engine/scalar.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct csv_writer {
    FILE *file;
    int first_errno;     /* 0 until something fails */
    bool row_started;    /* a field was written on the current row */
};

/* Remembers errno as the failure if it is the first one. */
static void record_failure(csv_writer *w)
{
    if (w->first_errno == 0)
        w->first_errno = errno != 0 ? errno : EIO;
}

static bool can_write(const csv_writer *w)
{
    return w != NULL && w->first_errno == 0;
}

static void write_string(csv_writer *w, const char *text)
{
    if (!can_write(w))
        return;
    errno = 0;
    if (fputs(text, w->file) == EOF || ferror(w->file))
        record_failure(w);
}

static void write_char(csv_writer *w, char c)
{
    if (!can_write(w))
        return;
    errno = 0;
    if (putc_unlocked(c, w->file) == EOF || ferror(w->file))
        record_failure(w);
}

/* Writes the separator that precedes every field but the first of a row. */
static void begin_field(csv_writer *w)
{
    if (!can_write(w))
        return;
    if (w->row_started)
        write_char(w, ',');
    w->row_started = true;
}

static bool starts_like_formula(const char *text)
{
    switch (text[0]) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
        return true;
    default:
        return false;
    }
}

/* The quoted field; EOF if a write failed, 0 otherwise. (The _unlocked
 * calls: a writer and its FILE belong to one thread.) */
static int put_text_field(FILE *out, const char *text)
{
    if (text == NULL)
        text = "";
    if (putc_unlocked('"', out) == EOF)
        return EOF;
    if (starts_like_formula(text) && putc_unlocked('\'', out) == EOF)
        return EOF;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"' && putc_unlocked('"', out) == EOF)
            return EOF;
        if (putc_unlocked(*p, out) == EOF)
            return EOF;
    }
    if (putc_unlocked('"', out) == EOF)
        return EOF;
    return 0;
}

void csv_write_text_field(FILE *out, const char *text)
{
    (void)put_text_field(out, text);
}

csv_writer *csv_open(const char *path)
{
    csv_writer *w = malloc(sizeof *w);
    if (w == NULL)
        return NULL;   /* malloc set errno (ENOMEM) */
    w->file = fopen(path, "w");
    if (w->file == NULL) {
        int saved = errno;
        free(w);
        errno = saved;
        return NULL;
    }
    w->first_errno = 0;
    w->row_started = false;
    return w;
}

void csv_header(csv_writer *w, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        begin_field(w);
        write_string(w, names[i] != NULL ? names[i] : "");
    }
    csv_end_row(w);
}

void csv_text(csv_writer *w, const char *text)
{
    begin_field(w);
    if (!can_write(w))
        return;
    errno = 0;
    if (put_text_field(w->file, text) == EOF || ferror(w->file))
        record_failure(w);
}

void csv_value(csv_writer *w, const char *text)
{
    double number;
    if (text_to_double(text, &number) == 0) {
        begin_field(w);
        write_string(w, text);   /* a plain number, as written */
    } else {
        csv_text(w, text);
    }
}

/* Writes the decimal digits of v, at least min_digits of them (zeros in
 * front), ending just before end; returns where they start. */
static char *put_digits(char *end, uint64_t v, int min_digits)
{
    char *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
        min_digits--;
    } while (v != 0 || min_digits > 0);
    return p;
}

void csv_int(csv_writer *w, long long value)
{
    char buffer[32];
    char *end = buffer + sizeof buffer - 1;
    *end = '\0';
    /* the magnitude as unsigned: exact for LLONG_MIN too */
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    char *text = put_digits(end, magnitude, 1);
    if (value < 0)
        *--text = '-';
    begin_field(w);
    write_string(w, text);
}

__extension__ typedef unsigned __int128 u128;

/* value * 10^decimals rounded to the nearest integer, ties to even (as
 * glibc's printf rounds), computed exactly from the double's bits (value =
 * m * 2^e). 0, or -1 when decimals is outside 0..9 or the result does not
 * fit in 64 bits. */
static int scaled_round(double value, int decimals, uint64_t *out)
{
    static const uint64_t power_of_ten[10] = {
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000
    };
    if (decimals < 0 || decimals > 9)
        return -1;
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t m = bits & ((UINT64_C(1) << 52) - 1);
    int e;
    if (biased == 0) {
        e = -1074;            /* subnormal (or zero) */
    } else {
        m |= UINT64_C(1) << 52;
        e = biased - 1075;
    }
    u128 x = (u128)m * power_of_ten[decimals];   /* below 2^83 */
    if (e >= 0) {
        if (e > 44)           /* at least 2^96 before scaling: beyond 64 bits */
            return -1;
        x <<= e;              /* below 2^127 */
    } else {
        int s = -e;
        if (s > 100) {        /* x / 2^s below 2^-17: rounds to 0 */
            x = 0;
        } else {
            u128 half = (u128)1 << (s - 1);
            u128 remainder = x & ((half << 1) - 1);
            x >>= s;
            if (remainder > half || (remainder == half && (x & 1)))
                x += 1;
        }
    }
    if (x >> 64)
        return -1;
    *out = (uint64_t)x;
    return 0;
}

int csv_format_fixed(char *out, size_t size, double value, int decimals)
{
    uint64_t scaled;
    if (!isfinite(value) || scaled_round(value, decimals, &scaled) != 0)
        return snprintf(out, size, "%.*f", decimals, value);
    /* sign, up to 20 digits, a point, and at least decimals + 1 digits */
    char buffer[40];
    char *end = buffer + sizeof buffer;
    char *p = put_digits(end, scaled, decimals + 1);
    if (decimals > 0) {
        /* move the integer digits one place left, opening a gap for the point */
        char *point = end - decimals;
        memmove(p - 1, p, (size_t)(point - p));
        p--;
        point[-1] = '.';
    }
    if (signbit(value))
        *--p = '-';
    size_t length = (size_t)(end - p);
    if (size > 0) {
        size_t copied = length < size ? length : size - 1;
        memcpy(out, p, copied);
        out[copied] = '\0';
    }
    return (int)length;
}

/* True when text is a minus sign followed only by zeros and a point
 * ("-0", "-0.000"): a negative number that rounded to zero. */
static bool is_negative_zero_text(const char *text)
{
    if (text[0] != '-')
        return false;
    for (const char *p = text + 1; *p != '\0'; p++)
        if (*p != '0' && *p != '.')
            return false;
    return true;
}

void csv_fixed(csv_writer *w, double value, int decimals)
{
    begin_field(w);
    if (!can_write(w))
        return;
    if (isnan(value)) {
        write_string(w, "nan");
        return;
    }
    if (isinf(value)) {
        write_string(w, value < 0 ? "-inf" : "inf");
        return;
    }
    /* The program never calls setlocale, so "%f" uses '.' (C locale). */
    char small[128];
    char *text = small;
    int length = csv_format_fixed(small, sizeof small, value, decimals);
    if (length < 0) {
        record_failure(w);
        return;
    }
    if ((size_t)length >= sizeof small) {
        text = malloc((size_t)length + 1);
        if (text == NULL) {
            record_failure(w);
            return;
        }
        snprintf(text, (size_t)length + 1, "%.*f", decimals, value);
    }
    write_string(w, is_negative_zero_text(text) ? text + 1 : text);
    if (text != small)
        free(text);
}

void csv_number(csv_writer *w, double value)
{
    begin_field(w);
    if (!can_write(w))
        return;
    if (!isfinite(value)) {
        write_string(w, isnan(value) ? "nan" : value < 0 ? "-inf" : "inf");
        return;
    }
    char text[64];
    snprintf(text, sizeof text, "%.15g", value);
    write_string(w, is_negative_zero_text(text) ? text + 1 : text);
}

void csv_empty(csv_writer *w)
{
    begin_field(w);
}

void csv_end_row(csv_writer *w)
{
    if (w == NULL)
        return;
    write_char(w, '\n');
    w->row_started = false;
}

csv_writer *csv_open_memory(char **text, size_t *size)
{
    csv_writer *w = malloc(sizeof *w);
    if (w == NULL)
        return NULL;
    w->file = open_memstream(text, size);
    if (w->file == NULL) {
        free(w);
        return NULL;
    }
    w->first_errno = 0;
    w->row_started = false;
    return w;
}

int csv_close(csv_writer *w)
{
    if (w == NULL)
        return 0;
    errno = 0;
    if (fflush(w->file) == EOF)
        record_failure(w);
    errno = 0;
    if (fclose(w->file) == EOF)
        record_failure(w);
    int failure = w->first_errno;
    free(w);
    if (failure != 0) {
        errno = failure;
        return -1;
    }
    return 0;
}
