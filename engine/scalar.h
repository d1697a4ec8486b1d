/* scalar: strict reading of YAML scalars as numbers, integers and booleans.
 * Only plain (unquoted) scalars are numbers; no atof, no silent truncation:
 * the whole text must be the number, finite and in range. */
#ifndef AVRRSIM_SCALAR_H
#define AVRRSIM_SCALAR_H

#include <stdbool.h>
#include <stdint.h>

#include "yamltree.h"

/* Each returns 0 on success, or -1 and writes a short reason into why
 * ("expected a number, got 'abc'") without file or position. */
int scalar_number(const ynode *node, double *out, char *why, size_t why_size);
int scalar_int64(const ynode *node, long long min, long long max, long long *out,
                 char *why, size_t why_size);
int scalar_uint64(const ynode *node, uint64_t *out, char *why, size_t why_size);
int scalar_bool(const ynode *node, bool *out, char *why, size_t why_size);

/* Strict text-to-number conversions shared with the command line. */
int text_to_double(const char *text, double *out);          /* 0 or -1 */
int text_to_uint64(const char *text, uint64_t *out);        /* 0 or -1 */
int text_to_int64(const char *text, long long *out);        /* 0 or -1 */

/* A short description of a node for messages: "a map", "a list", "'abc'". */
const char *ynode_describe(const ynode *node, char *buf, size_t buf_size);

#endif
