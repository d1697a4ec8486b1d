/* suggest: "did you mean ...?" for a mistyped name, by edit distance. */
#ifndef AVRRSIM_SUGGEST_H
#define AVRRSIM_SUGGEST_H

#include <stddef.h>

/* The candidate nearest to word (Damerau-Levenshtein distance), or NULL when
 * none is close enough to be a plausible typo (distance at most 1 for short
 * words, 2 for words of 5 or more characters, and less than the word's length). */
const char *suggest_nearest(const char *word, const char *const *candidates, size_t count);

/* Edit distance with adjacent transpositions; exposed for tests. */
size_t suggest_distance(const char *a, const char *b);

#endif
