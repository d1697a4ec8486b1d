/* gnuplot_text: writes user text (scenario and policy names, currency codes)
 * into gnuplot scripts, safe by construction.
 *
 * What gnuplot 5.4 does with a script line before it runs it, and why that
 * matters here (each point checked with gnuplot 5.4.4):
 *   - Command substitution: `cmd` anywhere on a line, INSIDE DOUBLE-QUOTED
 *     STRINGS TOO, is replaced by the output of running cmd through a shell
 *     (print "a `echo hi` b" prints "a hi b").
 *   - Macro expansion: @name outside strings is replaced by the value of the
 *     string variable name, which is then parsed as commands.
 *   - A line that ends in a backslash continues on the next; ';' separates
 *     commands and '#' starts a comment outside strings; a raw line feed ends
 *     the command.
 *   - system("cmd"), eval and load run text as commands, but only when a script
 *     calls them: these scripts never call them.
 *   - In a double-quoted string, \ooo is an octal escape. When the first digit
 *     is 0 gnuplot reads up to FOUR digits ("\0611" is the single byte 0611,
 *     not "1" then "1"), else three.
 *   - Once parsed, a string is a value: gnuplot never expands a string's value
 *     again unless it is given to eval, @ or system. With the terminals' text
 *     mode 'noenhanced' (set by chart_style.c) the characters ^ _ @ & { } ~ are
 *     printed, not read as markup.
 *
 * So user text is written only inside a double-quoted string literal whose
 * bytes are the quotes, the characters [A-Za-z0-9 ,.:/+_-] and escapes \ooo.
 * Such a literal contains no backquote, no @, $, ', ", #, ;, parenthesis or raw
 * line feed from the user (so not even the harmless text "system(" appears), and never ends a line with a backslash: no substitution or
 * expansion can trigger and the line's structure cannot change, whatever the
 * text holds. The string's value is exactly the user's bytes, so it prints as
 * written (a line feed breaks the line of a title or key entry). A digit that
 * follows an escape is escaped too, so an escape is read the same by a parser
 * that takes three octal digits and by one that takes four after a 0.
 * Two substitutions keep the output of every terminal valid: bytes that are
 * not UTF-8 become U+FFFD (Pango warns about them), and so do control
 * characters other than line feed and tab (XML, hence SVG, forbids them). */
#include "plots/gnuplot_text.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static bool is_plain(unsigned char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr(" ,.:/+_-", c) != NULL;
}

/* The length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are not). */
static size_t utf8_length(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t length;
    unsigned long code;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
        code = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        code = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        code = c & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < length; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return 0;   /* also stops at the terminating NUL */
        code = (code << 6) | (s[i] & 0x3Fu);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10FFFF
        || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return length;
}

/* Writes one byte of the literal; *escaped says whether the previous byte
 * written was an escape. */
static void put_byte(FILE *out, unsigned char c, bool *escaped)
{
    bool digit = c >= '0' && c <= '9';
    if (is_plain(c) && !(digit && *escaped)) {
        putc(c, out);
        *escaped = false;
        return;
    }
    fprintf(out, "\\%03o", (unsigned)c);
    *escaped = true;
}

static void put_replacement(FILE *out, bool *escaped)
{
    static const unsigned char replacement[] = {0xEF, 0xBF, 0xBD};   /* U+FFFD */
    for (size_t i = 0; i < sizeof replacement; i++)
        put_byte(out, replacement[i], escaped);
}

void gp_write_string(FILE *out, const char *text)
{
    putc('"', out);
    bool escaped = false;
    const unsigned char *s = (const unsigned char *)(text != NULL ? text : "");
    while (*s != '\0') {
        size_t length = utf8_length(s);
        if (length == 0) {
            put_replacement(out, &escaped);
            s++;
            continue;
        }
        if (length == 1 && ((*s < 0x20 && *s != '\n' && *s != '\t') || *s == 0x7F)) {
            put_replacement(out, &escaped);
            s++;
            continue;
        }
        if (length == 2 && s[0] == 0xC2 && s[1] < 0xA0) {   /* C1 controls U+0080-U+009F */
            put_replacement(out, &escaped);
            s += 2;
            continue;
        }
        for (size_t i = 0; i < length; i++)
            put_byte(out, s[i], &escaped);
        s += length;
    }
    putc('"', out);
}

const char *gp_currency_symbol(const char *code)
{
    static const struct {
        const char *code, *symbol;
    } symbols[] = {
        {"ILS", "\u20AA"}, {"EUR", "\u20AC"}, {"USD", "$"}, {"GBP", "\u00A3"},
    };
    if (code == NULL)
        return "";
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
        if (strcmp(code, symbols[i].code) == 0)
            return symbols[i].symbol;
    return code;
}

char *gp_month_label(int year, int month, long offset, char *buffer, size_t size)
{
    static const char *const names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    long index = (long)year * 12 + (month - 1) + offset;
    long y = index >= 0 ? index / 12 : -((-index + 11) / 12);
    long m = index - y * 12;
    snprintf(buffer, size, "%s %ld", names[m], y);
    return buffer;
}
