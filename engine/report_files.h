/* report_files: the small file formats around the results: JSON written with
 * careful escaping, and SHA-256 digests (libcrypto) of files and buffers. */
#ifndef AVRRSIM_REPORT_FILES_H
#define AVRRSIM_REPORT_FILES_H

#include <stddef.h>
#include <stdio.h>

/* Lowercase hex SHA-256 of a file's bytes / of a buffer into out[65].
 * 0, or -1 (cannot read; errno set). */
int sha256_file_hex(const char *path, char out[65]);
int sha256_buffer_hex(const void *data, size_t length, char out[65]);

/* Writes text as a JSON string literal, quotes included: '"' and '\\'
 * escaped, control characters as \uXXXX, invalid UTF-8 bytes as U+FFFD. */
void json_write_string(FILE *out, const char *text);

#endif
