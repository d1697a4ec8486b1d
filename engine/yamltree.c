/* yamltree: YAML text to a tree of ynodes through libyaml's event parser,
 * with the strict checks libyaml leaves out (duplicate keys, aliases, tags,
 * several documents, nesting, sizes), the edits a scenario needs (set a
 * dotted path, merge maps) and block YAML output through libyaml's emitter.
 *
 * Source names are interned in one process-wide table guarded by a mutex:
 * nodes and keys point into it, so a name outlives any tree (a value from a
 * --set text merged into a file's tree keeps its own name) and a clone or
 * a free never touches it. ytree_release_sources empties it at exit. */
#include "engine/yamltree.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

/* ---- interned source names ---- */

struct interned_name {
    struct interned_name *next;
    char name[];
};

static pthread_mutex_t interned_lock = PTHREAD_MUTEX_INITIALIZER;
static struct interned_name *interned_names;

/* The interned copy of name, or NULL when out of memory. */
static const char *intern_name(const char *name)
{
    const char *result = NULL;
    if (pthread_mutex_lock(&interned_lock) != 0)
        return NULL;
    for (struct interned_name *entry = interned_names; entry != NULL; entry = entry->next) {
        if (strcmp(entry->name, name) == 0) {
            result = entry->name;
            break;
        }
    }
    if (result == NULL) {
        size_t length = strlen(name);
        struct interned_name *entry = malloc(sizeof *entry + length + 1);
        if (entry != NULL) {
            memcpy(entry->name, name, length + 1);
            entry->next = interned_names;
            interned_names = entry;
            result = entry->name;
        }
    }
    pthread_mutex_unlock(&interned_lock);
    return result;
}

void ytree_release_sources(void)
{
    if (pthread_mutex_lock(&interned_lock) != 0)
        return;
    struct interned_name *entry = interned_names;
    interned_names = NULL;
    pthread_mutex_unlock(&interned_lock);
    while (entry != NULL) {
        struct interned_name *next = entry->next;
        free(entry);
        entry = next;
    }
}

/* ---- nodes ---- */

static char *copy_bytes(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return NULL;
    if (length > 0)
        memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

static ynode *node_new(enum ynode_kind kind)
{
    ynode *node = calloc(1, sizeof *node);
    if (node != NULL)
        node->kind = kind;
    return node;
}

void ynode_free(ynode *node)
{
    if (node == NULL)
        return;
    free(node->text);
    for (size_t i = 0; node->kind == YNODE_MAP && i < node->count; i++) {
        free(node->pairs[i].key);
        ynode_free(node->pairs[i].value);
    }
    for (size_t i = 0; node->kind == YNODE_SEQ && i < node->count; i++)
        ynode_free(node->items[i]);
    free(node->pairs);
    free(node->items);
    free(node);
}

ynode *ynode_clone(const ynode *node)
{
    if (node == NULL)
        return NULL;
    ynode *copy = node_new(node->kind);
    if (copy == NULL)
        return NULL;
    copy->file = node->file;
    copy->line = node->line;
    copy->column = node->column;
    copy->plain = node->plain;
    copy->length = node->length;
    if (node->text != NULL && (copy->text = copy_bytes(node->text, node->length)) == NULL)
        goto fail;
    if (node->kind == YNODE_MAP && node->count > 0) {
        copy->pairs = calloc(node->count, sizeof *copy->pairs);
        if (copy->pairs == NULL)
            goto fail;
        for (size_t i = 0; i < node->count; i++) {
            const struct ynode_pair *from = &node->pairs[i];
            struct ynode_pair *to = &copy->pairs[i];
            copy->count = i + 1;
            *to = (struct ynode_pair){NULL, from->file, from->line, from->column, NULL};
            to->key = copy_bytes(from->key, strlen(from->key));
            if (to->key == NULL)
                goto fail;
            if (from->value != NULL && (to->value = ynode_clone(from->value)) == NULL)
                goto fail;
        }
    } else if (node->kind == YNODE_SEQ && node->count > 0) {
        copy->items = calloc(node->count, sizeof *copy->items);
        if (copy->items == NULL)
            goto fail;
        for (size_t i = 0; i < node->count; i++) {
            copy->count = i + 1;
            if (node->items[i] != NULL && (copy->items[i] = ynode_clone(node->items[i])) == NULL)
                goto fail;
        }
    }
    return copy;
fail:
    ynode_free(copy);
    return NULL;
}

ynode *ynode_new_scalar(const char *text, bool plain)
{
    if (text == NULL)
        return NULL;
    ynode *node = node_new(YNODE_SCALAR);
    if (node == NULL)
        return NULL;
    node->length = strlen(text);
    node->text = copy_bytes(text, node->length);
    if (node->text == NULL) {
        free(node);
        return NULL;
    }
    node->plain = plain;
    return node;
}

ynode *ynode_new_map(void)
{
    return node_new(YNODE_MAP);
}

ynode *ynode_new_seq(void)
{
    return node_new(YNODE_SEQ);
}

int ynode_seq_append(ynode *seq, ynode *item)
{
    if (seq == NULL || seq->kind != YNODE_SEQ || item == NULL) {
        ynode_free(item);
        return -1;
    }
    ynode **grown = realloc(seq->items, (seq->count + 1) * sizeof *grown);
    if (grown == NULL) {
        ynode_free(item);
        return -1;
    }
    seq->items = grown;
    seq->items[seq->count++] = item;
    return 0;
}

static struct ynode_pair *find_pair(const ynode *map, const char *key)
{
    if (map == NULL || map->kind != YNODE_MAP || key == NULL)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->pairs[i].key, key) == 0)
            return &map->pairs[i];
    return NULL;
}

ynode *ynode_map_get(const ynode *map, const char *key)
{
    struct ynode_pair *pair = find_pair(map, key);
    return pair != NULL ? pair->value : NULL;
}

const struct ynode_pair *ynode_map_pair(const ynode *map, const char *key)
{
    return find_pair(map, key);
}

/* Appends a pair with a copy of key; the value is not touched on failure. */
static struct ynode_pair *append_pair(ynode *map, const char *key, ynode *value)
{
    char *key_copy = copy_bytes(key, strlen(key));
    if (key_copy == NULL)
        return NULL;
    struct ynode_pair *grown = realloc(map->pairs, (map->count + 1) * sizeof *grown);
    if (grown == NULL) {
        free(key_copy);
        return NULL;
    }
    map->pairs = grown;
    struct ynode_pair *pair = &map->pairs[map->count++];
    *pair = (struct ynode_pair){key_copy, NULL, 0, 0, value};
    return pair;
}

/* ynode_map_put that leaves value with the caller on failure. */
static int map_put_keep(ynode *map, const char *key, ynode *value)
{
    if (map == NULL || map->kind != YNODE_MAP || key == NULL || value == NULL)
        return -1;
    struct ynode_pair *pair = find_pair(map, key);
    if (pair != NULL) {
        if (pair->value != value)
            ynode_free(pair->value);
        pair->value = value;
        return 0;
    }
    return append_pair(map, key, value) != NULL ? 0 : -1;
}

int ynode_map_put(ynode *map, const char *key, ynode *value)
{
    if (map_put_keep(map, key, value) != 0) {
        ynode_free(value);
        return -1;
    }
    return 0;
}

/* ---- loading ---- */

struct frame {
    ynode *node;
    size_t capacity;        /* of pairs or items */
    bool awaiting_value;    /* map: the last pair's value comes next */
    size_t *key_slots;      /* map: open-addressing index of keys (pair index + 1) */
    size_t slot_count;      /* a power of two, or 0 while the map is small */
};

struct loader {
    yaml_parser_t parser;
    const char *name;       /* as the user gave it, for diagnostics */
    const char *interned;   /* the same, for nodes */
    const char *text;
    size_t length;
    diag_list *diags;
    struct frame stack[YTREE_MAX_DEPTH];
    size_t depth;
    ynode *root;
    size_t nodes;
    int documents;
};

enum { SMALL_MAP = 8, QUOTE_CHARACTERS = 40 };

static int mark_number(size_t zero_based)
{
    return zero_based >= (size_t)INT_MAX ? INT_MAX : (int)zero_based + 1;
}

static uint64_t hash_key(const char *key)
{
    uint64_t hash = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        hash = (hash ^ *p) * 1099511628211u;
    return hash;
}

/* Index of key among the frame's pairs, or -1. */
static long frame_find_key(const struct frame *frame, const char *key)
{
    const ynode *map = frame->node;
    if (frame->slot_count == 0) {
        for (size_t i = 0; i < map->count; i++)
            if (strcmp(map->pairs[i].key, key) == 0)
                return (long)i;
        return -1;
    }
    size_t mask = frame->slot_count - 1;
    for (size_t slot = hash_key(key) & mask; frame->key_slots[slot] != 0; slot = (slot + 1) & mask) {
        size_t index = frame->key_slots[slot] - 1;
        if (strcmp(map->pairs[index].key, key) == 0)
            return (long)index;
    }
    return -1;
}

static void slots_insert(size_t *slots, size_t slot_count, const ynode *map, size_t index)
{
    size_t mask = slot_count - 1;
    size_t slot = hash_key(map->pairs[index].key) & mask;
    while (slots[slot] != 0)
        slot = (slot + 1) & mask;
    slots[slot] = index + 1;
}

/* Adds the frame's last pair to its key index, building or growing the
 * index once the map is no longer small. 0 or -1 (OOM). */
static int frame_index_last_key(struct frame *frame)
{
    const ynode *map = frame->node;
    if (map->count <= SMALL_MAP)
        return 0;
    if (frame->slot_count < map->count * 2) {
        size_t slot_count = frame->slot_count ? frame->slot_count * 2 : 4 * SMALL_MAP;
        while (slot_count < map->count * 2)
            slot_count *= 2;
        size_t *slots = calloc(slot_count, sizeof *slots);
        if (slots == NULL)
            return -1;
        for (size_t i = 0; i < map->count; i++)
            slots_insert(slots, slot_count, map, i);
        free(frame->key_slots);
        frame->key_slots = slots;
        frame->slot_count = slot_count;
        return 0;
    }
    slots_insert(frame->key_slots, frame->slot_count, map, map->count - 1);
    return 0;
}

/* At most QUOTE_CHARACTERS characters of text, then "..." if cut; control
 * characters become '?'. */
static void quote_text(const char *text, char *buf, size_t size)
{
    size_t bytes = 0, characters = 0;
    while (text[bytes] != '\0' && characters < QUOTE_CHARACTERS) {
        bytes++;
        while (((unsigned char)text[bytes] & 0xC0) == 0x80)
            bytes++;
        characters++;
    }
    snprintf(buf, size, "%.*s%s", (int)bytes, text, text[bytes] != '\0' ? "..." : "");
    for (char *c = buf; *c != '\0'; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            *c = '?';
}

static void report(struct loader *loader, yaml_mark_t mark, const char *message)
{
    diag_add(loader->diags, loader->name, mark_number(mark.line), mark_number(mark.column),
             "%s", message);
}

static void report_libyaml_error(struct loader *loader)
{
    const yaml_parser_t *parser = &loader->parser;
    if (parser->error == YAML_MEMORY_ERROR) {
        diag_add(loader->diags, loader->name, 0, 0, "out of memory");
        return;
    }
    const char *problem = parser->problem ? parser->problem : "unknown error";
    if (parser->error == YAML_READER_ERROR) {
        /* The reader reports a byte offset, not a mark. */
        size_t end = parser->problem_offset < loader->length ? parser->problem_offset
                                                               : loader->length;
        size_t line = 0, column = 0, start = 0;
        if (end >= 3 && memcmp(loader->text, "\xEF\xBB\xBF", 3) == 0)
            start = 3;
        for (size_t i = start; i < end; i++) {
            if (loader->text[i] == '\n')
                line++, column = 0;
            else if (((unsigned char)loader->text[i] & 0xC0) != 0x80)
                column++;
        }
        diag_add(loader->diags, loader->name, mark_number(line), mark_number(column),
                 "YAML syntax: %s", problem);
        return;
    }
    int line = mark_number(parser->problem_mark.line);
    int column = mark_number(parser->problem_mark.column);
    if (parser->context != NULL)
        diag_add(loader->diags, loader->name, line, column, "YAML syntax: %s (%s)",
                 problem, parser->context);
    else
        diag_add(loader->diags, loader->name, line, column, "YAML syntax: %s", problem);
}

/* Checks common to every node: anchors, tags and the node count. */
static int check_node(struct loader *loader, const yaml_event_t *event,
                      const yaml_char_t *anchor, const yaml_char_t *tag)
{
    if (anchor != NULL) {
        report(loader, event->start_mark, "YAML anchors and aliases are not supported");
        return -1;
    }
    if (tag != NULL) {
        report(loader, event->start_mark, "YAML tags are not supported");
        return -1;
    }
    if (++loader->nodes > YTREE_MAX_NODES) {
        char message[80];
        snprintf(message, sizeof message, "document has more than %d values", YTREE_MAX_NODES);
        report(loader, event->start_mark, message);
        return -1;
    }
    return 0;
}

static void out_of_memory(struct loader *loader)
{
    diag_add(loader->diags, loader->name, 0, 0, "out of memory");
}

static bool expecting_key(const struct loader *loader)
{
    if (loader->depth == 0)
        return false;
    const struct frame *top = &loader->stack[loader->depth - 1];
    return top->node->kind == YNODE_MAP && !top->awaiting_value;
}

/* Makes room for one more pair or item in the top frame. */
static int frame_reserve(struct frame *frame)
{
    ynode *node = frame->node;
    if (node->count < frame->capacity)
        return 0;
    size_t capacity = frame->capacity ? frame->capacity * 2 : 4;
    if (node->kind == YNODE_MAP) {
        struct ynode_pair *grown = realloc(node->pairs, capacity * sizeof *grown);
        if (grown == NULL)
            return -1;
        node->pairs = grown;
    } else {
        ynode **grown = realloc(node->items, capacity * sizeof *grown);
        if (grown == NULL)
            return -1;
        node->items = grown;
    }
    frame->capacity = capacity;
    return 0;
}

/* Hangs node under the top frame (or makes it the root); on failure the
 * node is freed. */
static int attach(struct loader *loader, ynode *node)
{
    if (loader->depth == 0) {
        loader->root = node;
        return 0;
    }
    struct frame *top = &loader->stack[loader->depth - 1];
    if (top->node->kind == YNODE_MAP) {
        top->node->pairs[top->node->count - 1].value = node;
        top->awaiting_value = false;
        return 0;
    }
    if (frame_reserve(top) != 0) {
        ynode_free(node);
        out_of_memory(loader);
        return -1;
    }
    top->node->items[top->node->count++] = node;
    return 0;
}

static ynode *loaded_node(struct loader *loader, enum ynode_kind kind, const yaml_event_t *event)
{
    ynode *node = node_new(kind);
    if (node == NULL) {
        out_of_memory(loader);
        return NULL;
    }
    node->file = loader->interned;
    node->line = mark_number(event->start_mark.line);
    node->column = mark_number(event->start_mark.column);
    return node;
}

static int on_key(struct loader *loader, const yaml_event_t *event, const char *key)
{
    struct frame *top = &loader->stack[loader->depth - 1];
    ynode *map = top->node;
    long first = frame_find_key(top, key);
    if (first >= 0) {
        char quoted[4 * QUOTE_CHARACTERS + 8];
        quote_text(key, quoted, sizeof quoted);
        diag_add(loader->diags, loader->name, mark_number(event->start_mark.line),
                 mark_number(event->start_mark.column), "duplicate key '%s' (first at line %d)",
                 quoted, map->pairs[first].line);
        return -1;
    }
    char *key_copy = copy_bytes(key, strlen(key));
    if (key_copy == NULL || frame_reserve(top) != 0) {
        free(key_copy);
        out_of_memory(loader);
        return -1;
    }
    map->pairs[map->count++] = (struct ynode_pair){
        key_copy, loader->interned, mark_number(event->start_mark.line),
        mark_number(event->start_mark.column), NULL};
    top->awaiting_value = true;
    if (frame_index_last_key(top) != 0) {
        out_of_memory(loader);
        return -1;
    }
    return 0;
}

static int on_scalar(struct loader *loader, const yaml_event_t *event)
{
    const char *value = (const char *)event->data.scalar.value;
    size_t length = event->data.scalar.length;
    if (check_node(loader, event, event->data.scalar.anchor, event->data.scalar.tag) != 0)
        return -1;
    if (length > YTREE_MAX_SCALAR) {
        char message[80];
        snprintf(message, sizeof message, "value longer than %d bytes", YTREE_MAX_SCALAR);
        report(loader, event->start_mark, message);
        return -1;
    }
    if (memchr(value, '\0', length) != NULL) {
        report(loader, event->start_mark, "text holds a NUL character (\\0), which is not allowed");
        return -1;
    }
    if (expecting_key(loader))
        return on_key(loader, event, value);

    ynode *node = loaded_node(loader, YNODE_SCALAR, event);
    if (node == NULL)
        return -1;
    node->text = copy_bytes(value, length);
    if (node->text == NULL) {
        free(node);
        out_of_memory(loader);
        return -1;
    }
    node->length = length;
    node->plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return attach(loader, node);
}

static int on_collection_start(struct loader *loader, const yaml_event_t *event,
                               enum ynode_kind kind, const yaml_char_t *anchor,
                               const yaml_char_t *tag)
{
    if (anchor != NULL || tag != NULL)
        return check_node(loader, event, anchor, tag);
    if (expecting_key(loader)) {
        report(loader, event->start_mark, "map keys must be plain text");
        return -1;
    }
    if (loader->depth == YTREE_MAX_DEPTH) {
        char message[80];
        snprintf(message, sizeof message, "nesting deeper than %d levels", YTREE_MAX_DEPTH);
        report(loader, event->start_mark, message);
        return -1;
    }
    if (check_node(loader, event, NULL, NULL) != 0)
        return -1;
    ynode *node = loaded_node(loader, kind, event);
    if (node == NULL || attach(loader, node) != 0)
        return -1;
    loader->stack[loader->depth++] = (struct frame){node, 0, false, NULL, 0};
    return 0;
}

static void on_collection_end(struct loader *loader)
{
    struct frame *top = &loader->stack[--loader->depth];
    free(top->key_slots);
    top->key_slots = NULL;
    /* Trim to the exact size so that ynode_map_put can grow it one by one. */
    ynode *node = top->node;
    if (node->count > 0 && node->count < top->capacity) {
        if (node->kind == YNODE_MAP) {
            struct ynode_pair *trimmed = realloc(node->pairs, node->count * sizeof *trimmed);
            if (trimmed != NULL)
                node->pairs = trimmed;
        } else {
            ynode **trimmed = realloc(node->items, node->count * sizeof *trimmed);
            if (trimmed != NULL)
                node->items = trimmed;
        }
    }
}

/* 0 and sets loader->root, or -1 after adding a diagnostic. */
static int parse_events(struct loader *loader)
{
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&loader->parser, &event)) {
            report_libyaml_error(loader);
            return -1;
        }
        int status = 0;
        bool finished = false;
        switch (event.type) {
        case YAML_STREAM_END_EVENT:
            finished = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++loader->documents > 1) {
                report(loader, event.start_mark, "only one YAML document is allowed per file");
                status = -1;
            }
            break;
        case YAML_ALIAS_EVENT:
            report(loader, event.start_mark, "YAML anchors and aliases are not supported");
            status = -1;
            break;
        case YAML_SCALAR_EVENT:
            status = on_scalar(loader, &event);
            break;
        case YAML_MAPPING_START_EVENT:
            status = on_collection_start(loader, &event, YNODE_MAP,
                                         event.data.mapping_start.anchor,
                                         event.data.mapping_start.tag);
            break;
        case YAML_SEQUENCE_START_EVENT:
            status = on_collection_start(loader, &event, YNODE_SEQ,
                                         event.data.sequence_start.anchor,
                                         event.data.sequence_start.tag);
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (loader->depth > 0)
                on_collection_end(loader);
            break;
        default:
            break;
        }
        yaml_event_delete(&event);
        if (status != 0)
            return -1;
        if (finished)
            return 0;
    }
}

static int load_text(const char *display_name, const char *text, size_t length,
                     ynode **root, diag_list *diags)
{
    struct loader loader;
    memset(&loader, 0, sizeof loader);
    loader.name = display_name;
    loader.text = text;
    loader.length = length;
    loader.diags = diags;
    loader.interned = intern_name(display_name);
    if (loader.interned == NULL) {
        diag_add(diags, display_name, 0, 0, "out of memory");
        return -1;
    }
    if (!yaml_parser_initialize(&loader.parser)) {
        diag_add(diags, display_name, 0, 0, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&loader.parser, (const unsigned char *)(text ? text : ""), length);
    int status = parse_events(&loader);
    yaml_parser_delete(&loader.parser);
    for (size_t i = 0; i < loader.depth; i++)
        free(loader.stack[i].key_slots);
    if (status != 0) {
        ynode_free(loader.root);
        return -1;
    }

    /* No document, or one that is empty ("---" alone): an empty map. */
    ynode *result = loader.root;
    if (result == NULL || (result->kind == YNODE_SCALAR && result->plain && result->length == 0)) {
        ynode *map = node_new(YNODE_MAP);
        if (map == NULL) {
            ynode_free(result);
            diag_add(diags, display_name, 0, 0, "out of memory");
            return -1;
        }
        map->file = loader.interned;   /* line 0: the whole file */
        ynode_free(result);
        result = map;
    }
    *root = result;
    return 0;
}

int ytree_load_string(const char *display_name, const char *text, size_t length,
                      ynode **root, diag_list *diags)
{
    if (root == NULL || display_name == NULL || (text == NULL && length > 0))
        return -1;
    *root = NULL;
    if (length > YTREE_MAX_FILE) {
        diag_add(diags, display_name, 0, 0, "text larger than %d MiB", YTREE_MAX_FILE >> 20);
        return -1;
    }
    diag_add_source(diags, display_name, text ? text : "", length);
    return load_text(display_name, text, length, root, diags);
}

static void report_errno(diag_list *diags, const char *name, int error)
{
    char reason[256];
    if (strerror_r(error, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", error);
    diag_add(diags, name, 0, 0, "cannot read: %s", reason);
}

/* Reads path whole into *text (NUL-terminated); 0, or -1 after a diag. */
static int read_file(const char *path, const char *name, char **text, size_t *length,
                     diag_list *diags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        report_errno(diags, name, errno);
        return -1;
    }
    struct stat info;
    size_t capacity = 65536;
    if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
        if (info.st_size > (off_t)YTREE_MAX_FILE) {
            close(fd);
            diag_add(diags, name, 0, 0, "file larger than %d MiB", YTREE_MAX_FILE >> 20);
            return -1;
        }
        capacity = (size_t)info.st_size + 1;
    }
    char *buffer = malloc(capacity);
    size_t used = 0;
    int error = 0;
    bool too_big = false;
    while (buffer != NULL) {
        if (used == capacity) {
            size_t bigger = capacity * 2;
            if (bigger > (size_t)YTREE_MAX_FILE + 1)
                bigger = (size_t)YTREE_MAX_FILE + 1;
            char *grown = realloc(buffer, bigger);
            if (grown == NULL) {
                free(buffer);
                buffer = NULL;
                break;
            }
            buffer = grown;
            capacity = bigger;
        }
        ssize_t got = read(fd, buffer + used, capacity - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            error = errno;
            break;
        }
        if (got == 0)
            break;
        used += (size_t)got;
        if (used > (size_t)YTREE_MAX_FILE) {
            too_big = true;
            break;
        }
    }
    close(fd);
    if (buffer == NULL) {
        diag_add(diags, name, 0, 0, "out of memory");
        return -1;
    }
    if (error != 0 || too_big) {
        free(buffer);
        if (too_big)
            diag_add(diags, name, 0, 0, "file larger than %d MiB", YTREE_MAX_FILE >> 20);
        else
            report_errno(diags, name, error);
        return -1;
    }
    char *exact = realloc(buffer, used + 1);
    if (exact == NULL) {
        if (used == capacity) {
            free(buffer);
            diag_add(diags, name, 0, 0, "out of memory");
            return -1;
        }
        exact = buffer;
    }
    exact[used] = '\0';
    *text = exact;
    *length = used;
    return 0;
}

int ytree_load_file(const char *path, const char *display_name, ynode **root, diag_list *diags)
{
    if (root == NULL || path == NULL)
        return -1;
    *root = NULL;
    const char *name = display_name != NULL ? display_name : path;
    char *text = NULL;
    size_t length = 0;
    if (read_file(path, name, &text, &length, diags) != 0)
        return -1;
    diag_add_source(diags, name, text, length);
    int status = load_text(name, text, length, root, diags);
    free(text);
    return status;
}

/* ---- editing ---- */

/* Parses a sequence index: decimal digits only. */
static int parse_index(const char *text, size_t length, size_t *index)
{
    if (length == 0)
        return -1;
    size_t value = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        size_t digit = (size_t)(text[i] - '0');
        if (value > (SIZE_MAX - digit) / 10)
            return -1;
        value = value * 10 + digit;
    }
    *index = value;
    return 0;
}

/* Where part `index` of a split path hangs, for messages: "the document"
 * or the quoted path before it. */
static void path_prefix(char *const *parts, size_t index, char *buf, size_t size)
{
    if (index == 0) {
        snprintf(buf, size, "the document");
        return;
    }
    size_t used = 0;
    buf[used++] = '\'';
    for (size_t i = 0; i < index && used + 1 < size; i++) {
        for (const char *c = parts[i]; *c != '\0' && used + 1 < size; c++)
            buf[used++] = *c;
        if (i + 1 < index && used + 1 < size)
            buf[used++] = '.';
    }
    if (used + 1 < size)
        buf[used++] = '\'';
    buf[used] = '\0';
}

/* Hangs value under map at parts[0..count), making the maps in between
 * (none of parts[0..count-1] is in map). Leaves value with the caller on
 * failure. */
/* A map made for an edit carries the position of the value that made it
 * (a --set text), so that problems found in it can be reported there. */
static ynode *new_map_like(const ynode *value)
{
    ynode *map = ynode_new_map();
    if (map) {
        map->file = value->file;
        map->line = value->line;
        map->column = value->column;
    }
    return map;
}

static int hang_new_chain(ynode *map, char *const *parts, size_t count, ynode *value)
{
    if (count == 1)
        return map_put_keep(map, parts[0], value);
    ynode *top = new_map_like(value);
    if (top == NULL)
        return -1;
    ynode *holder = top;
    for (size_t i = 1; i + 1 < count; i++) {
        ynode *inner = new_map_like(value);
        if (inner == NULL || map_put_keep(holder, parts[i], inner) != 0) {
            ynode_free(inner);
            ynode_free(top);
            return -1;
        }
        holder = inner;
    }
    if (map_put_keep(holder, parts[count - 1], value) != 0) {
        ynode_free(top);
        return -1;
    }
    if (map_put_keep(map, parts[0], top) != 0) {
        holder->pairs[holder->count - 1].value = NULL;   /* still the caller's */
        ynode_free(top);
        return -1;
    }
    return 0;
}

/* The work of ytree_set_path on a path split in place into parts. */
static int set_parts(ynode *root, const char *dotted_path, char *const *parts, size_t count,
                     ynode *value, char *errbuf, size_t errbuf_size)
{
    char where[256];
    ynode *node = root;
    for (size_t i = 0; i < count; i++) {
        bool last = i + 1 == count;
        if (node->kind == YNODE_SCALAR) {
            path_prefix(parts, i, where, sizeof where);
            snprintf(errbuf, errbuf_size, "cannot set '%s': %s is a single value, not a map or a list",
                     dotted_path, where);
            return -1;
        }
        if (node->kind == YNODE_SEQ) {
            size_t index;
            bool number = parse_index(parts[i], strlen(parts[i]), &index) == 0;
            if (!number || index >= node->count) {
                path_prefix(parts, i, where, sizeof where);
                if (node->count == 0)
                    snprintf(errbuf, errbuf_size, "cannot set '%s': %s is an empty list",
                             dotted_path, where);
                else if (!number)
                    snprintf(errbuf, errbuf_size,
                             "cannot set '%s': %s is a list, so '%s' must be an index from 0 to %zu",
                             dotted_path, where, parts[i], node->count - 1);
                else
                    snprintf(errbuf, errbuf_size,
                             "cannot set '%s': %s has %zu item%s (indexes 0 to %zu)",
                             dotted_path, where, node->count, node->count == 1 ? "" : "s",
                             node->count - 1);
                return -1;
            }
            if (last) {
                if (node->items[index] != value)
                    ynode_free(node->items[index]);
                node->items[index] = value;
                return 0;
            }
            node = node->items[index];
            continue;
        }
        ynode *next = last ? NULL : ynode_map_get(node, parts[i]);
        if (next != NULL) {
            node = next;
            continue;
        }
        if (hang_new_chain(node, parts + i, count - i, value) != 0) {
            snprintf(errbuf, errbuf_size, "out of memory");
            return -1;
        }
        return 0;
    }
    snprintf(errbuf, errbuf_size, "nothing to set");
    return -1;
}

int ytree_set_path(ynode *root, const char *dotted_path, ynode *value,
                   char *errbuf, size_t errbuf_size)
{
    char scratch[1];
    if (errbuf == NULL || errbuf_size == 0) {
        errbuf = scratch;
        errbuf_size = sizeof scratch;
    }
    errbuf[0] = '\0';
    if (root == NULL || value == NULL || dotted_path == NULL) {
        snprintf(errbuf, errbuf_size, "nothing to set");
        return -1;
    }
    if (dotted_path[0] == '\0') {
        snprintf(errbuf, errbuf_size, "empty path");
        return -1;
    }
    char *copy = copy_bytes(dotted_path, strlen(dotted_path));
    if (copy == NULL) {
        snprintf(errbuf, errbuf_size, "out of memory");
        return -1;
    }
    char *parts[YTREE_MAX_DEPTH];
    size_t count = 0;
    int status = 0;
    for (char *start = copy;;) {
        char *dot = strchr(start, '.');
        if (dot != NULL)
            *dot = '\0';
        if (start[0] == '\0') {
            snprintf(errbuf, errbuf_size, "empty part in path '%s'", dotted_path);
            status = -1;
            break;
        }
        if (count == YTREE_MAX_DEPTH) {
            snprintf(errbuf, errbuf_size, "path '%s' has more than %d parts", dotted_path,
                     YTREE_MAX_DEPTH);
            status = -1;
            break;
        }
        parts[count++] = start;
        if (dot == NULL)
            break;
        start = dot + 1;
    }
    if (status == 0)
        status = set_parts(root, dotted_path, parts, count, value, errbuf, errbuf_size);
    free(copy);
    return status;
}

int ytree_merge(ynode *dst, const ynode *src)
{
    if (dst == NULL || src == NULL || dst->kind != YNODE_MAP || src->kind != YNODE_MAP)
        return -1;
    for (size_t i = 0; i < src->count; i++) {
        const struct ynode_pair *from = &src->pairs[i];
        struct ynode_pair *to = find_pair(dst, from->key);
        if (to != NULL && to->value != NULL && from->value != NULL &&
            to->value->kind == YNODE_MAP && from->value->kind == YNODE_MAP) {
            if (ytree_merge(to->value, from->value) != 0)
                return -1;
            continue;
        }
        ynode *copy = NULL;
        if (from->value != NULL && (copy = ynode_clone(from->value)) == NULL)
            return -1;
        if (to != NULL) {
            ynode_free(to->value);
            to->value = copy;
            continue;
        }
        struct ynode_pair *added = append_pair(dst, from->key, copy);
        if (added == NULL) {
            ynode_free(copy);
            return -1;
        }
        added->file = from->file;
        added->line = from->line;
        added->column = from->column;
    }
    return 0;
}

/* ---- emitting ---- */

static int emit_scalar(yaml_emitter_t *emitter, const char *text, size_t length, bool plain)
{
    yaml_event_t event;
    /* A plain node asks for plain style (the emitter quotes it if plain
     * would not read back the same text). Any other is never written plain
     * (plain_implicit is 0), so that a quoted "yes" or "1.5" stays text when
     * read back; text of several lines asks for a literal block, which the
     * emitter turns into double quotes where a block cannot hold it. */
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    if (plain)
        style = YAML_PLAIN_SCALAR_STYLE;
    else if (memchr(text, '\n', length) != NULL)
        style = YAML_LITERAL_SCALAR_STYLE;
    if (!yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text, (int)length,
                                      plain, 1, style))
        return -1;
    return yaml_emitter_emit(emitter, &event) ? 0 : -1;
}

static int emit_node(yaml_emitter_t *emitter, const ynode *node)
{
    yaml_event_t event;
    if (node == NULL)
        return emit_scalar(emitter, "", 0, true);
    switch (node->kind) {
    case YNODE_SCALAR:
        if (node->length > INT_MAX)
            return -1;
        return emit_scalar(emitter, node->text ? node->text : "", node->length, node->plain);
    case YNODE_MAP:
        if (!yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
            !yaml_emitter_emit(emitter, &event))
            return -1;
        for (size_t i = 0; i < node->count; i++) {
            const char *key = node->pairs[i].key;
            if (emit_scalar(emitter, key, strlen(key), true) != 0 ||
                emit_node(emitter, node->pairs[i].value) != 0)
                return -1;
        }
        if (!yaml_mapping_end_event_initialize(&event) || !yaml_emitter_emit(emitter, &event))
            return -1;
        return 0;
    case YNODE_SEQ:
        if (!yaml_sequence_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(emitter, &event))
            return -1;
        for (size_t i = 0; i < node->count; i++)
            if (emit_node(emitter, node->items[i]) != 0)
                return -1;
        if (!yaml_sequence_end_event_initialize(&event) || !yaml_emitter_emit(emitter, &event))
            return -1;
        return 0;
    }
    return -1;
}

int ytree_emit(const ynode *root, FILE *out)
{
    if (out == NULL)
        return -1;
    yaml_emitter_t emitter;
    if (!yaml_emitter_initialize(&emitter))
        return -1;
    yaml_emitter_set_output_file(&emitter, out);
    yaml_emitter_set_unicode(&emitter, 1);
    yaml_emitter_set_width(&emitter, -1);
    yaml_emitter_set_indent(&emitter, 2);
    yaml_emitter_set_break(&emitter, YAML_LN_BREAK);

    yaml_event_t event;
    int status = -1;
    if (yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING) &&
        yaml_emitter_emit(&emitter, &event) &&
        yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1) &&
        yaml_emitter_emit(&emitter, &event) &&
        emit_node(&emitter, root) == 0 &&
        yaml_document_end_event_initialize(&event, 1) &&
        yaml_emitter_emit(&emitter, &event) &&
        yaml_stream_end_event_initialize(&event) &&
        yaml_emitter_emit(&emitter, &event) &&
        yaml_emitter_flush(&emitter))
        status = 0;
    yaml_emitter_delete(&emitter);
    if (status == 0 && ferror(out))
        status = -1;
    return status;
}
