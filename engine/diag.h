/* diag: problems found in a user's input, kept as data (file, line, column,
 * message) and printed the way compilers print them, with the source line
 * and a caret under the column. Deep code adds diagnostics; only the command
 * line prints them. */
#ifndef AVRRSIM_DIAG_H
#define AVRRSIM_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct diag {
    char *file;      /* name as the user gave it ("scenario.yaml", "--set") */
    int line;        /* 1-based; 0 when the problem concerns the whole file */
    int column;      /* 1-based, in characters (UTF-8 code points; a tab
                        is one), as libyaml counts; 0 when unknown */
    char *message;   /* without the "error: " prefix */
};

typedef struct diag_list diag_list;

/* A new, empty list; NULL when out of memory. Free with diag_list_free. */
diag_list *diag_list_new(void);
void diag_list_free(diag_list *list);   /* NULL is harmless */

/* Adds one error (file may be NULL: then the message has no position).
 * Out of memory is recorded as a flag (diag_out_of_memory)
 * rather than reported, so callers need not check. */
void diag_add(diag_list *list, const char *file, int line, int column,
              const char *format, ...) __attribute__((format(printf, 5, 6)));

/* Registers the text of a source so that diag_print can quote its lines
 * even when it is not a file on disk (a --set value). The text is copied.
 * A diagnostic quotes the text registered last under its file name before
 * it was added (or, if none was then, the last one registered at all). */
void diag_add_source(diag_list *list, const char *name, const char *text, size_t length);

/* Orders the diagnostics for reading: by file (in order of first
 * appearance), then line and column; equal positions keep their order. */
void diag_sort(diag_list *list);

size_t diag_count(const diag_list *list);
const struct diag *diag_at(const diag_list *list, size_t index);
int diag_out_of_memory(const diag_list *list);

/* Prints every diagnostic as "FILE:LINE:COLUMN: error: MESSAGE", followed by
 * the source line and a caret when the source is known (a registered text,
 * or else the file read from disk). Line 0 prints "FILE: error: MESSAGE"
 * alone; column 0 prints "FILE:LINE: error: MESSAGE" and the line without a
 * caret. Quoted lines are cut at 200 bytes ("..."); control characters and
 * invalid UTF-8 from the input print as '?' (tabs are kept). After an
 * out-of-memory loss, a last line says that some problems were lost. */
void diag_print(const diag_list *list, FILE *out);

#endif
