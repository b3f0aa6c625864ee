#ifndef RELEASE_LEDGER_CLIBCURL_H
#define RELEASE_LEDGER_CLIBCURL_H

#include <stddef.h>

/// The answer to one request made with libcurl, which is loaded at run time (dlopen) the first
/// time a server URL is used: the command line links no HTTP or TLS library.
typedef struct rl_http_response {
    long status;                 /* HTTP status; 0 when no response came */
    unsigned char *body;         /* malloc'ed, body_length bytes */
    size_t body_length;
    char retry_after[32];        /* the Retry-After header, or "" */
    char content_type[128];      /* the Content-Type header, or "" */
    int transport_error;         /* 0, or libcurl's CURLcode when no response came */
    int timed_out;               /* 1 when the request timed out */
    char error[256];             /* libcurl's message for transport_error */
} rl_http_response;

/// Loads libcurl; 0 on success, else -1 with a message in `error`.
int rl_http_load(char *error, size_t error_size);

/// One request on a connection kept for the next one. `headers` are "Name: value" lines.
/// Returns 0 when a response (any status) came, -1 otherwise (see transport_error).
int rl_http_perform(const char *method, const char *url, const char *const *headers, int header_count,
                    const unsigned char *body, size_t body_length, long timeout_ms, const char *ca_file,
                    rl_http_response *response);

void rl_http_response_free(rl_http_response *response);

#endif
