/* suggest: the nearest known name to a mistyped one, by optimal string
 * alignment distance (Levenshtein with adjacent transpositions), in bytes.
 * Memory is bounded: only the first SUGGEST_MAX_LENGTH bytes of each word
 * are compared, and longer words get no suggestion. */
#include "engine/suggest.h"

#include <string.h>

enum { SUGGEST_MAX_LENGTH = 256 };

static size_t smallest(size_t a, size_t b, size_t c)
{
    size_t least = a < b ? a : b;
    return least < c ? least : c;
}

size_t suggest_distance(const char *a, const char *b)
{
    if (a == NULL)
        a = "";
    if (b == NULL)
        b = "";
    size_t a_length = strnlen(a, SUGGEST_MAX_LENGTH);
    size_t b_length = strnlen(b, SUGGEST_MAX_LENGTH);
    /* Three rows of the table: i-2, i-1 and i. */
    size_t rows[3][SUGGEST_MAX_LENGTH + 1];
    size_t *before = rows[0], *previous = rows[1], *current = rows[2];
    for (size_t j = 0; j <= b_length; j++)
        previous[j] = j;
    for (size_t i = 1; i <= a_length; i++) {
        current[0] = i;
        for (size_t j = 1; j <= b_length; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = smallest(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            current[j] = best;
        }
        size_t *recycled = before;
        before = previous;
        previous = current;
        current = recycled;
    }
    return previous[b_length];
}

const char *suggest_nearest(const char *word, const char *const *candidates, size_t count)
{
    if (word == NULL || candidates == NULL)
        return NULL;
    size_t length = strnlen(word, SUGGEST_MAX_LENGTH + 1);
    if (length > SUGGEST_MAX_LENGTH)
        return NULL;
    size_t limit = length < 5 ? 1 : 2;
    if (limit >= length)
        limit = length == 0 ? 0 : length - 1;
    const char *best = NULL;
    size_t best_distance = limit + 1;
    for (size_t i = 0; i < count; i++) {
        const char *candidate = candidates[i];
        if (candidate == NULL)
            continue;
        size_t candidate_length = strnlen(candidate, SUGGEST_MAX_LENGTH + 1);
        if (candidate_length > SUGGEST_MAX_LENGTH)
            continue;
        size_t gap = candidate_length > length ? candidate_length - length
                                               : length - candidate_length;
        if (gap >= best_distance)
            continue;
        size_t distance = suggest_distance(word, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}
