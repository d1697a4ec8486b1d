/* report_files: SHA-256 digests (libcrypto EVP, files streamed in 64 KiB
 * chunks) and JSON string literals that are always valid JSON and valid
 * UTF-8, whatever bytes the text holds. */
#include "engine/report_files.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include <openssl/evp.h>

enum { READ_CHUNK = 64 * 1024 };

/* out[65] = lowercase hex of digest[0..length). */
static void to_hex(const unsigned char *digest, unsigned length, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < length; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 0x0f];
    }
    out[2 * length] = '\0';
}

static EVP_MD_CTX *start_sha256(void)
{
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    if (EVP_DigestInit_ex(context, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(context);
        errno = EIO;
        return NULL;
    }
    return context;
}

/* Finishes the digest into out and frees the context. 0, or -1 (errno EIO). */
static int finish_sha256(EVP_MD_CTX *context, char out[65])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned length = 0;
    int ok = EVP_DigestFinal_ex(context, digest, &length) == 1 && length == 32;
    EVP_MD_CTX_free(context);
    if (!ok) {
        errno = EIO;
        return -1;
    }
    to_hex(digest, length, out);
    return 0;
}

int sha256_buffer_hex(const void *data, size_t length, char out[65])
{
    EVP_MD_CTX *context = start_sha256();
    if (context == NULL)
        return -1;
    if (length > 0 && EVP_DigestUpdate(context, data, length) != 1) {
        EVP_MD_CTX_free(context);
        errno = EIO;
        return -1;
    }
    return finish_sha256(context, out);
}

int sha256_file_hex(const char *path, char out[65])
{
    FILE *in = fopen(path, "rb");
    if (in == NULL)
        return -1;
    unsigned char *chunk = malloc(READ_CHUNK);
    EVP_MD_CTX *context = chunk != NULL ? start_sha256() : NULL;
    if (context == NULL) {
        int saved = chunk == NULL ? ENOMEM : errno;
        free(chunk);
        fclose(in);
        errno = saved;
        return -1;
    }
    int failure = 0;
    for (;;) {
        errno = 0;
        size_t got = fread(chunk, 1, READ_CHUNK, in);
        if (got > 0 && EVP_DigestUpdate(context, chunk, got) != 1) {
            failure = EIO;
            break;
        }
        if (got < READ_CHUNK) {
            if (ferror(in))
                failure = errno != 0 ? errno : EIO;
            break;
        }
    }
    free(chunk);
    fclose(in);
    if (failure != 0) {
        EVP_MD_CTX_free(context);
        errno = failure;
        return -1;
    }
    return finish_sha256(context, out);
}

/* Length of the valid UTF-8 sequence at text (2 to 4), or, when it is not
 * one, 0 with *skip = the bytes to replace by one U+FFFD (the maximal
 * subpart: the lead byte and the continuation bytes that were still
 * acceptable). text[0] >= 0x80. */
static size_t utf8_sequence_length(const unsigned char *text, size_t *skip)
{
    unsigned char lead = text[0];
    size_t length;
    unsigned char low = 0x80, high = 0xbf;   /* range for the second byte */
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0)
            low = 0xa0;            /* no overlongs */
        else if (lead == 0xed)
            high = 0x9f;           /* no surrogates */
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0)
            low = 0x90;            /* no overlongs */
        else if (lead == 0xf4)
            high = 0x8f;           /* nothing above U+10FFFF */
    } else {
        *skip = 1;                 /* a continuation byte, 0xc0, 0xc1, 0xf5..0xff */
        return 0;
    }
    for (size_t i = 1; i < length; i++) {
        unsigned char byte = text[i];   /* the NUL terminator fails this check */
        bool acceptable = i == 1 ? (byte >= low && byte <= high) : (byte >= 0x80 && byte <= 0xbf);
        if (!acceptable) {
            *skip = i;
            return 0;
        }
    }
    return length;
}

void json_write_string(FILE *out, const char *text)
{
    putc('"', out);
    const unsigned char *p = (const unsigned char *)(text != NULL ? text : "");
    while (*p != '\0') {
        unsigned char c = *p;
        if (c < 0x80) {
            switch (c) {
            case '"':  fputs("\\\"", out); break;
            case '\\': fputs("\\\\", out); break;
            case '\n': fputs("\\n", out); break;
            case '\t': fputs("\\t", out); break;
            case '\r': fputs("\\r", out); break;
            case '\b': fputs("\\b", out); break;
            case '\f': fputs("\\f", out); break;
            default:
                if (c < 0x20 || c == 0x7f)
                    fprintf(out, "\\u%04x", (unsigned)c);
                else
                    putc(c, out);
            }
            p++;
            continue;
        }
        size_t skip = 0;
        size_t length = utf8_sequence_length(p, &skip);
        if (length > 0) {
            fwrite(p, 1, length, out);
            p += length;
        } else {
            fputs("\\ufffd", out);
            p += skip;
        }
    }
    putc('"', out);
}
