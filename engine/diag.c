/* diag: a list of problems in the user's input, and their printing in the
 * compiler style "FILE:LINE:COLUMN: error: MESSAGE" with the source line
 * quoted under it and a caret under the column.
 *
 * Columns count characters (UTF-8 code points, a tab is one), as libyaml
 * does. What is printed from the user's input is made safe for a terminal:
 * invalid UTF-8 and control characters (C0, DEL, C1) become '?', except tabs
 * (and, in messages, newlines); a quoted line is cut at 200 bytes ("...").
 * Source lines come from texts registered with diag_add_source, or else from
 * the named file if it is a regular file on disk. */
#include "engine/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    QUOTE_MAX_BYTES = 200,              /* of a quoted source line */
    /* bytes of a line kept while reading: enough to know whether a line of
     * exactly QUOTE_MAX_BYTES ends in "\r" or is longer */
    LINE_KEEP_BYTES = QUOTE_MAX_BYTES + 2
};

/* How far into a file on disk diag_print looks for a line. */
#define DISK_SCAN_MAX ((off_t)256 << 20)

struct source {
    char *name;
    char *text;
    size_t length;
};

struct entry {
    struct diag diag;
    /* 1 + index of the source registered under diag.file when the diag was
     * added (the latest one), or 0 when none was. */
    size_t source_plus_one;
};

struct diag_list {
    struct entry *entries;
    size_t count, capacity;
    struct source *sources;
    size_t source_count, source_capacity;
    int out_of_memory;
};

diag_list *diag_list_new(void)
{
    return calloc(1, sizeof(diag_list));
}

void diag_list_free(diag_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->entries[i].diag.file);
        free(list->entries[i].diag.message);
    }
    free(list->entries);
    for (size_t i = 0; i < list->source_count; i++) {
        free(list->sources[i].name);
        free(list->sources[i].text);
    }
    free(list->sources);
    free(list);
}

static char *copy_text(const char *text)
{
    size_t length = strlen(text);
    char *copy = malloc(length + 1);
    if (copy != NULL)
        memcpy(copy, text, length + 1);
    return copy;
}

/* 1 + index of the latest source named name, or 0. */
static size_t find_source(const diag_list *list, const char *name)
{
    if (name == NULL)
        return 0;
    for (size_t i = list->source_count; i > 0; i--)
        if (strcmp(list->sources[i - 1].name, name) == 0)
            return i;
    return 0;
}

void diag_add(diag_list *list, const char *file, int line, int column,
              const char *format, ...)
{
    if (list == NULL)
        return;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 16;
        struct entry *grown = realloc(list->entries, capacity * sizeof *grown);
        if (grown == NULL) {
            list->out_of_memory = 1;
            return;
        }
        list->entries = grown;
        list->capacity = capacity;
    }

    va_list args;
    va_start(args, format);
    int needed = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (needed < 0) {
        list->out_of_memory = 1;
        return;
    }
    char *message = malloc((size_t)needed + 1);
    if (message == NULL) {
        list->out_of_memory = 1;
        return;
    }
    va_start(args, format);
    vsnprintf(message, (size_t)needed + 1, format, args);
    va_end(args);

    char *file_copy = NULL;
    if (file != NULL) {
        file_copy = copy_text(file);
        if (file_copy == NULL) {
            free(message);
            list->out_of_memory = 1;
            return;
        }
    }

    struct entry *entry = &list->entries[list->count++];
    entry->diag.file = file_copy;
    entry->diag.line = line > 0 ? line : 0;
    entry->diag.column = column > 0 && line > 0 ? column : 0;
    entry->diag.message = message;
    entry->source_plus_one = find_source(list, file);
}

void diag_add_source(diag_list *list, const char *name, const char *text, size_t length)
{
    if (list == NULL || name == NULL || (text == NULL && length > 0))
        return;
    if (list->source_count == list->source_capacity) {
        size_t capacity = list->source_capacity ? list->source_capacity * 2 : 4;
        struct source *grown = realloc(list->sources, capacity * sizeof *grown);
        if (grown == NULL) {
            list->out_of_memory = 1;
            return;
        }
        list->sources = grown;
        list->source_capacity = capacity;
    }
    char *name_copy = copy_text(name);
    char *text_copy = malloc(length + 1);
    if (name_copy == NULL || text_copy == NULL) {
        free(name_copy);
        free(text_copy);
        list->out_of_memory = 1;
        return;
    }
    if (length > 0)
        memcpy(text_copy, text, length);
    text_copy[length] = '\0';
    list->sources[list->source_count++] = (struct source){name_copy, text_copy, length};
}

/* File names compare equal when both are absent or both the same text. */
static bool same_file(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether a should print before b: files in order of first appearance,
 * then by line and column. */
static bool entry_before(const diag_list *list, const struct entry *a, const struct entry *b)
{
    if (!same_file(a->diag.file, b->diag.file)) {
        for (size_t i = 0; i < list->count; i++) {
            if (same_file(list->entries[i].diag.file, a->diag.file))
                return true;
            if (same_file(list->entries[i].diag.file, b->diag.file))
                return false;
        }
        return false;
    }
    if (a->diag.line != b->diag.line)
        return a->diag.line < b->diag.line;
    return a->diag.column < b->diag.column;
}

void diag_sort(diag_list *list)
{
    if (!list || list->count < 2)
        return;
    /* a stable insertion sort into a copy: lists are short, and the order of
     * files must be judged on the original order */
    struct entry *sorted = malloc(list->count * sizeof *sorted);
    if (!sorted)
        return;
    for (size_t i = 0; i < list->count; i++) {
        size_t j = i;
        while (j > 0 && entry_before(list, &list->entries[i], &sorted[j - 1]))
            j--;
        memmove(&sorted[j + 1], &sorted[j], (i - j) * sizeof *sorted);
        sorted[j] = list->entries[i];
    }
    memcpy(list->entries, sorted, list->count * sizeof *sorted);
    free(sorted);
}

size_t diag_count(const diag_list *list)
{
    return list == NULL ? 0 : list->count;
}

const struct diag *diag_at(const diag_list *list, size_t index)
{
    if (list == NULL || index >= list->count)
        return NULL;
    return &list->entries[index].diag;
}

int diag_out_of_memory(const diag_list *list)
{
    return list != NULL && list->out_of_memory;
}

/* ---- finding one line of a source ---- */

/* Collects line `wanted` (1-based) from a stream of bytes fed in pieces. */
struct line_grabber {
    int wanted;
    int current;          /* line of the next byte */
    size_t offset;        /* bytes fed so far */
    bool done;            /* the wanted line is complete */
    bool started;         /* at least one byte of the wanted line was seen,
                             or the line ended (it exists) */
    bool overflow;        /* the line is longer than LINE_KEEP_BYTES */
    size_t kept;
    char bytes[LINE_KEEP_BYTES];
};

static void grabber_init(struct line_grabber *grabber, int wanted)
{
    memset(grabber, 0, sizeof *grabber);
    grabber->wanted = wanted;
    grabber->current = 1;
}

static void grabber_feed(struct line_grabber *grabber, const char *data, size_t length)
{
    size_t position = 0;
    /* A UTF-8 byte order mark is not part of the first line. */
    if (grabber->offset == 0 && length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        position = 3;
    grabber->offset += length;
    while (position < length && !grabber->done) {
        const char *rest = data + position;
        size_t rest_length = length - position;
        const char *newline = memchr(rest, '\n', rest_length);
        size_t piece = newline ? (size_t)(newline - rest) : rest_length;
        if (grabber->current == grabber->wanted) {
            grabber->started = true;
            size_t room = LINE_KEEP_BYTES - grabber->kept;
            size_t take = piece < room ? piece : room;
            memcpy(grabber->bytes + grabber->kept, rest, take);
            grabber->kept += take;
            if (piece > take)
                grabber->overflow = true;
            if (newline != NULL)
                grabber->done = true;
        }
        if (newline == NULL)
            break;
        grabber->current++;
        position += piece + 1;
    }
}

/* Whether the grabber holds the wanted line (an empty last line after the
 * final newline does not count). */
static bool grabber_found(const struct line_grabber *grabber)
{
    return grabber->done || (grabber->started && (grabber->kept > 0 || grabber->overflow));
}

static bool grab_from_text(struct line_grabber *grabber, const struct source *source)
{
    grabber_feed(grabber, source->text, source->length);
    return grabber_found(grabber);
}

static bool grab_from_disk(struct line_grabber *grabber, const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        close(fd);
        return false;
    }
    char chunk[65536];
    off_t total = 0;
    while (!grabber->done && total < DISK_SCAN_MAX) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        grabber_feed(grabber, chunk, (size_t)got);
        total += got;
    }
    close(fd);
    return grabber_found(grabber);
}

/* ---- safe output ---- */

/* Length of the valid UTF-8 sequence at text (at most `available` bytes)
 * and its code point, or 0 when the bytes there are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *text, size_t available, unsigned long *code)
{
    unsigned char lead = text[0];
    size_t length;
    unsigned long value, minimum;
    if (lead < 0x80) {
        *code = lead;
        return 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, value = lead & 0x1F, minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, value = lead & 0x0F, minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, value = lead & 0x07, minimum = 0x10000;
    } else {
        return 0;
    }
    if (available < length)
        return 0;
    for (size_t i = 1; i < length; i++) {
        if ((text[i] & 0xC0) != 0x80)
            return 0;
        value = (value << 6) | (text[i] & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    *code = value;
    return length;
}

static bool is_control(unsigned long code)
{
    return code < 0x20 || (code >= 0x7F && code <= 0x9F);
}

/* Writes text[0..length) replacing invalid UTF-8 and control characters
 * other than tab (and newline when keep_newlines) by '?'. When tab_or_space
 * is set, writes instead one tab or space per character, for a caret line,
 * stopping after `limit` characters. Returns the characters written. */
static size_t put_safe(FILE *out, const char *text, size_t length, bool keep_newlines,
                       bool tab_or_space, size_t limit)
{
    const unsigned char *bytes = (const unsigned char *)text;
    size_t position = 0, characters = 0;
    while (position < length && characters < limit) {
        unsigned long code = 0;
        size_t width = utf8_decode(bytes + position, length - position, &code);
        if (tab_or_space) {
            putc(width == 1 && code == '\t' ? '\t' : ' ', out);
        } else if (width == 0 || (is_control(code) && code != '\t' &&
                                  !(keep_newlines && code == '\n'))) {
            putc('?', out);
        } else {
            fwrite(bytes + position, 1, width, out);
        }
        position += width ? width : 1;
        characters++;
    }
    return characters;
}

/* The number of bytes of text[0..length) that fit in max_bytes without
 * cutting a UTF-8 sequence. */
static size_t cut_at_character(const char *text, size_t length, size_t max_bytes)
{
    if (length <= max_bytes)
        return length;
    size_t cut = max_bytes;
    /* Back up over continuation bytes to the start of a character. */
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80 && max_bytes - cut < 3)
        cut--;
    return cut;
}

static void print_quote(FILE *out, const struct line_grabber *grabber, int column)
{
    size_t length = grabber->kept;
    bool truncated = grabber->overflow;
    if (!truncated && length > 0 && grabber->bytes[length - 1] == '\r')
        length--;
    if (length > QUOTE_MAX_BYTES) {
        truncated = true;
    }
    if (truncated)
        length = cut_at_character(grabber->bytes, length, QUOTE_MAX_BYTES);

    fputs("    ", out);
    size_t shown = put_safe(out, grabber->bytes, length, false, false, (size_t)-1);
    if (truncated)
        fputs("...", out);
    putc('\n', out);

    if (column <= 0)
        return;
    /* The caret goes under character `column`; past the end of the shown
     * text it goes just after it (under the "..." of a cut line). */
    size_t pad = (size_t)column - 1;
    if (pad > shown)
        pad = shown;
    fputs("    ", out);
    put_safe(out, grabber->bytes, length, false, true, pad);
    fputs("^\n", out);
}

void diag_print(const diag_list *list, FILE *out)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++) {
        const struct entry *entry = &list->entries[i];
        const struct diag *diag = &entry->diag;
        if (diag->file != NULL && diag->file[0] != '\0') {
            put_safe(out, diag->file, strlen(diag->file), false, false, (size_t)-1);
            if (diag->line > 0)
                fprintf(out, ":%d", diag->line);
            if (diag->line > 0 && diag->column > 0)
                fprintf(out, ":%d", diag->column);
            fputs(": ", out);
        }
        fputs("error: ", out);
        put_safe(out, diag->message, strlen(diag->message), true, false, (size_t)-1);
        putc('\n', out);

        if (diag->line <= 0 || diag->file == NULL)
            continue;
        size_t source = entry->source_plus_one ? entry->source_plus_one
                                               : find_source(list, diag->file);
        struct line_grabber grabber;
        grabber_init(&grabber, diag->line);
        bool found = source ? grab_from_text(&grabber, &list->sources[source - 1])
                            : grab_from_disk(&grabber, diag->file);
        if (found)
            print_quote(out, &grabber, diag->column);
    }
    if (list->out_of_memory)
        fputs("error: out of memory: some problems could not be recorded\n", out);
}
