#include "CLibcurl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* libcurl's stable ABI (curl/curl.h): option numbers are type base + index. */
enum {
    OPT_WRITEDATA = 10001, OPT_URL = 10002, OPT_ERRORBUFFER = 10010, OPT_WRITEFUNCTION = 20011,
    OPT_POSTFIELDS = 10015, OPT_HTTPHEADER = 10023, OPT_HEADERDATA = 10029, OPT_CUSTOMREQUEST = 10036,
    OPT_POST = 47, OPT_HTTPGET = 80, OPT_NOSIGNAL = 99, OPT_CAINFO = 10065, OPT_HEADERFUNCTION = 20079,
    OPT_TIMEOUT_MS = 155, OPT_CONNECTTIMEOUT_MS = 156, OPT_POSTFIELDSIZE_LARGE = 30120,
    INFO_RESPONSE_CODE = 0x200002, CODE_OPERATION_TIMEDOUT = 28, GLOBAL_DEFAULT = 3,
};

struct slist;
typedef void *(*easy_init_t)(void);
typedef int (*easy_setopt_t)(void *, int, ...);
typedef int (*easy_perform_t)(void *);
typedef int (*easy_getinfo_t)(void *, int, ...);
typedef void (*easy_reset_t)(void *);
typedef int (*global_init_t)(long);
typedef struct slist *(*slist_append_t)(struct slist *, const char *);
typedef void (*slist_free_all_t)(struct slist *);

static struct {
    void *library;
    easy_init_t easy_init;
    easy_setopt_t easy_setopt;
    easy_perform_t easy_perform;
    easy_getinfo_t easy_getinfo;
    easy_reset_t easy_reset;
    slist_append_t slist_append;
    slist_free_all_t slist_free_all;
    void *handle; /* kept: the next request reuses the connection */
} curl;

int rl_http_load(char *error, size_t error_size) {
    if (curl.library) return 0;
#ifdef __APPLE__
    const char *name = "libcurl.4.dylib";
#else
    const char *name = "libcurl.so.4";
#endif
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, error_size, "cannot load %s, which a server URL needs (install libcurl4): %s", name, dlerror());
        return -1;
    }
    global_init_t global_init = (global_init_t)dlsym(library, "curl_global_init");
    curl.easy_init = (easy_init_t)dlsym(library, "curl_easy_init");
    curl.easy_setopt = (easy_setopt_t)dlsym(library, "curl_easy_setopt");
    curl.easy_perform = (easy_perform_t)dlsym(library, "curl_easy_perform");
    curl.easy_getinfo = (easy_getinfo_t)dlsym(library, "curl_easy_getinfo");
    curl.easy_reset = (easy_reset_t)dlsym(library, "curl_easy_reset");
    curl.slist_append = (slist_append_t)dlsym(library, "curl_slist_append");
    curl.slist_free_all = (slist_free_all_t)dlsym(library, "curl_slist_free_all");
    if (!global_init || !curl.easy_init || !curl.easy_setopt || !curl.easy_perform || !curl.easy_getinfo || !curl.easy_reset
        || !curl.slist_append || !curl.slist_free_all) {
        snprintf(error, error_size, "%s lacks a function the client needs", name);
        dlclose(library);
        return -1;
    }
    global_init(GLOBAL_DEFAULT);
    curl.library = library;
    return 0;
}

static size_t on_body(char *data, size_t size, size_t count, void *context) {
    rl_http_response *response = context;
    size_t length = size * count;
    unsigned char *grown = realloc(response->body, response->body_length + length + 1);
    if (!grown) return 0;
    memcpy(grown + response->body_length, data, length);
    response->body = grown;
    response->body_length += length;
    grown[response->body_length] = 0;
    return length;
}

/* Copies a header's value (trimmed) when the line is that header. */
static void header_value(const char *line, size_t length, const char *name, char *out, size_t out_size) {
    size_t name_length = strlen(name);
    if (length <= name_length || strncasecmp(line, name, name_length) != 0 || line[name_length] != ':') return;
    const char *value = line + name_length + 1;
    const char *end = line + length;
    while (value < end && (*value == ' ' || *value == '\t')) value++;
    while (end > value && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) end--;
    size_t value_length = (size_t)(end - value) < out_size - 1 ? (size_t)(end - value) : out_size - 1;
    memcpy(out, value, value_length);
    out[value_length] = 0;
}

static size_t on_header(char *data, size_t size, size_t count, void *context) {
    rl_http_response *response = context;
    size_t length = size * count;
    header_value(data, length, "Retry-After", response->retry_after, sizeof response->retry_after);
    header_value(data, length, "Content-Type", response->content_type, sizeof response->content_type);
    return length;
}

int rl_http_perform(const char *method, const char *url, const char *const *headers, int header_count,
                    const unsigned char *body, size_t body_length, long timeout_ms, const char *ca_file,
                    rl_http_response *response) {
    memset(response, 0, sizeof *response);
    if (!curl.library && rl_http_load(response->error, sizeof response->error) != 0) {
        response->transport_error = -1;
        return -1;
    }
    if (!curl.handle) curl.handle = curl.easy_init();
    else curl.easy_reset(curl.handle); /* options reset; the connection cache stays */
    void *handle = curl.handle;
    if (!handle) {
        snprintf(response->error, sizeof response->error, "libcurl could not start a request");
        response->transport_error = -1;
        return -1;
    }
    struct slist *list = NULL;
    for (int i = 0; i < header_count; i++) list = curl.slist_append(list, headers[i]);
    char error[256] = {0};
    curl.easy_setopt(handle, OPT_URL, url);
    curl.easy_setopt(handle, OPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, OPT_ERRORBUFFER, error);
    curl.easy_setopt(handle, OPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(handle, OPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl.easy_setopt(handle, OPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(handle, OPT_WRITEDATA, response);
    curl.easy_setopt(handle, OPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(handle, OPT_HEADERDATA, response);
    if (list) curl.easy_setopt(handle, OPT_HTTPHEADER, list);
    if (ca_file && *ca_file) curl.easy_setopt(handle, OPT_CAINFO, ca_file);
    if (strcmp(method, "GET") == 0) {
        curl.easy_setopt(handle, OPT_HTTPGET, 1L);
    } else {
        curl.easy_setopt(handle, OPT_POST, 1L);
        curl.easy_setopt(handle, OPT_POSTFIELDS, body ? (const char *)body : "");
        curl.easy_setopt(handle, OPT_POSTFIELDSIZE_LARGE, (long long)body_length);
        if (strcmp(method, "POST") != 0) curl.easy_setopt(handle, OPT_CUSTOMREQUEST, method);
    }
    int code = curl.easy_perform(handle);
    if (list) curl.slist_free_all(list);
    if (code != 0) {
        response->transport_error = code;
        response->timed_out = code == CODE_OPERATION_TIMEDOUT;
        snprintf(response->error, sizeof response->error, "%s", error[0] ? error : "the request failed");
        return -1;
    }
    curl.easy_getinfo(handle, INFO_RESPONSE_CODE, &response->status);
    return 0;
}

void rl_http_response_free(rl_http_response *response) {
    free(response->body);
    response->body = NULL;
    response->body_length = 0;
}
