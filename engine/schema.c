/* schema: small helpers over schema table entries (see schema.h). */
#include <string.h>

#include "engine/schema.h"

const char *schema_key_name(const struct schema_key *key)
{
    const char *dot = strrchr(key->path, '.');
    return dot ? dot + 1 : key->path;
}

int schema_choice_index(const struct schema_key *key, const char *word)
{
    if (!key->choices || !word)
        return -1;
    size_t word_length = strlen(word);
    int index = 0;
    for (const char *p = key->choices;; index++) {
        const char *bar = strchr(p, '|');
        size_t length = bar ? (size_t)(bar - p) : strlen(p);
        if (length == word_length && strncmp(p, word, length) == 0)
            return index;
        if (!bar)
            return -1;
        p = bar + 1;
    }
}
