/* yamltree: a YAML document loaded into a tree of maps, sequences and
 * scalars, each node marked with its 1-based line and column, and the edits
 * the scenario needs (overlay a value at a dotted path, merge two maps).
 * Strict where libyaml 0.2.5 is lax: duplicate keys, aliases, tags, more than
 * one document, deep nesting and huge scalars are errors reported as diags. */
#ifndef AVRRSIM_YAMLTREE_H
#define AVRRSIM_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

typedef struct ynode ynode;

struct ynode_pair {
    char *key;            /* key text (keys must be scalars) */
    const char *file;     /* source name of the key (interned, like ynode.file):
                             after ytree_merge it may differ from the map's */
    int line, column;     /* position of the key */
    ynode *value;
};

struct ynode {
    enum ynode_kind kind;
    const char *file;     /* source name; points to an interned copy that lives
                             as long as the process (see ytree_load_file);
                             NULL for nodes made by ynode_new_* */
    int line, column;     /* 1-based position of the node's first character */
    /* YNODE_SCALAR */
    char *text;           /* NUL-terminated; may hold NULs only if length says so */
    size_t length;
    bool plain;           /* unquoted: may be read as a number, bool or null */
    /* YNODE_MAP (pairs) and YNODE_SEQ (items) */
    size_t count;
    struct ynode_pair *pairs;
    ynode **items;
};

/* Limits that keep hostile files bounded in memory and time. */
enum {
    YTREE_MAX_DEPTH = 64,            /* nested maps/sequences */
    YTREE_MAX_SCALAR = 1 << 20,      /* bytes in one scalar */
    YTREE_MAX_NODES = 1000000,       /* nodes in one document */
    YTREE_MAX_FILE = 16 << 20        /* bytes in one file */
};

/* Frees the interned source names. Only for the very end of the program
 * (so that valgrind sees no block left), after every tree is freed and no
 * `file` pointer is used any more; names interned later are kept anew. */
void ytree_release_sources(void);

/* Loads one YAML file. On success returns 0 and sets *root (a map, sequence
 * or scalar; an empty file gives an empty map). On failure returns -1 and
 * adds diagnostics naming `display_name` (the path as the user typed it).
 * Source names live as long as the process (they are interned). */
int ytree_load_file(const char *path, const char *display_name, ynode **root, diag_list *diags);

/* Parses a text (a --set value, YAML flow or block) the same way. */
int ytree_load_string(const char *display_name, const char *text, size_t length,
                      ynode **root, diag_list *diags);

void ynode_free(ynode *node);                   /* frees the subtree; NULL ok */
ynode *ynode_clone(const ynode *node);          /* deep copy; NULL on OOM */

/* New nodes, for defaults and edits. file is NULL and line/column 0. */
ynode *ynode_new_scalar(const char *text, bool plain);
ynode *ynode_new_map(void);
ynode *ynode_new_seq(void);

/* Appends item to a sequence; takes ownership of item (also on failure:
 * then item is freed). 0, or -1 (OOM, item NULL or seq not a sequence). */
int ynode_seq_append(ynode *seq, ynode *item);

/* The value stored under key in a map, or NULL (also when node is not a map). */
ynode *ynode_map_get(const ynode *map, const char *key);
const struct ynode_pair *ynode_map_pair(const ynode *map, const char *key);

/* Adds or replaces key in a map; takes ownership of value (also on failure:
 * then value is freed). A replaced key keeps its place and position.
 * 0, or -1 (OOM, value NULL or map not a map). */
int ynode_map_put(ynode *map, const char *key, ynode *value);

/* Overlays value at a dotted path below root ("model.avrr.uptake",
 * "policies.1.set.avrr.uptake"; sequence items by 0-based index). Missing
 * maps along the path are created; an index past the end of a sequence, or a
 * path through a scalar, is an error. Takes ownership of value on success.
 * Returns 0, or -1 with a message in errbuf. */
int ytree_set_path(ynode *root, const char *dotted_path, ynode *value,
                   char *errbuf, size_t errbuf_size);

/* Merges src into dst key by key, recursing where both hold maps; src is
 * left intact (values are cloned). 0 or -1 (OOM). */
int ytree_merge(ynode *dst, const ynode *src);

/* Writes the tree as block YAML through libyaml's emitter. 0 or -1. */
int ytree_emit(const ynode *root, FILE *out);

#endif
