/*
 * W10: CLIENTS connections to a `release-ledger serve` on loopback, each appending one event per
 * request (a note with an id of its own), one request at a time, for SECONDS. Prints the
 * acknowledged events per second and the latency percentiles. Plain sockets and blocking I/O, one
 * thread per client: the load generator must cost the 2-core machine as little as possible.
 * PORT may list several servers (W11: "8080,8081"); client i talks to the (i mod count)th.
 *
 *   ledger-load HOST PORT[,PORT...] CLIENTS SECONDS [TOKEN]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *host;
static int ports[16];
static int port_count;
static double seconds;
static const char *token;
static double start_time;

typedef struct {
    int index;
    long acknowledged;
    long failed;
    double *latencies;
    long latency_count;
    long latency_capacity;
} client_state;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int connect_to_server(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, host, &address.sin_addr);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Reads one response; returns its status, or -1 when the connection failed. */
static int read_response(int fd, char *buffer, size_t size) {
    size_t used = 0;
    long content_length = -1;
    char *body = NULL;
    for (;;) {
        ssize_t n = read(fd, buffer + used, size - used - 1);
        if (n <= 0) return -1;
        used += (size_t)n;
        buffer[used] = 0;
        if (!body) {
            body = strstr(buffer, "\r\n\r\n");
            if (!body) continue;
            body += 4;
            char *length = strcasestr(buffer, "\r\ncontent-length:");
            content_length = length ? strtol(length + 17, NULL, 10) : 0;
        }
        if (body && (long)(buffer + used - body) >= content_length) break;
    }
    return atoi(buffer + 9);
}

static void *run_client(void *argument) {
    client_state *state = argument;
    char request[2048], response[65536];
    int port = ports[state->index % port_count];
    int fd = connect_to_server(port);
    long n = 0;
    while (now() - start_time < seconds) {
        if (fd < 0) {
            fd = connect_to_server(port);
            if (fd < 0) { state->failed++; usleep(1000); continue; }
        }
        char body[512];
        int body_length = snprintf(body, sizeof body,
            "{\"type\":\"x-load\",\"sha\":\"%040d\",\"id\":\"load-%d-%ld-%ld\",\"data\":{\"n\":%ld}}",
            state->index, state->index, (long)start_time, n, n);
        char authorization[1024] = "";
        if (token) snprintf(authorization, sizeof authorization, "Authorization: Bearer %s\r\n", token);
        int length = snprintf(request, sizeof request,
            "POST /v1/events HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n%s",
            host, port, authorization, body_length, body);
        double sent = now();
        if (write(fd, request, (size_t)length) != length) { close(fd); fd = -1; state->failed++; continue; }
        int status = read_response(fd, response, sizeof response);
        double latency = now() - sent;
        if (status == 201 || status == 200) {
            state->acknowledged++;
            if (state->latency_count == state->latency_capacity) {
                state->latency_capacity = state->latency_capacity ? state->latency_capacity * 2 : 4096;
                state->latencies = realloc(state->latencies, (size_t)state->latency_capacity * sizeof(double));
            }
            state->latencies[state->latency_count++] = latency;
        } else {
            state->failed++;
            if (status < 0) { close(fd); fd = -1; }
        }
        n++;
    }
    if (fd >= 0) close(fd);
    return NULL;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: ledger-load HOST PORT[,PORT...] CLIENTS SECONDS [TOKEN]\n");
        return 64;
    }
    host = argv[1];
    for (char *list = argv[2]; *list && port_count < 16; port_count++) {
        ports[port_count] = (int)strtol(list, &list, 10);
        if (*list == ',') list++;
    }
    int clients = atoi(argv[3]);
    seconds = atof(argv[4]);
    token = argc > 5 ? argv[5] : NULL;
    client_state *states = calloc((size_t)clients, sizeof *states);
    pthread_t *threads = calloc((size_t)clients, sizeof *threads);
    start_time = now();
    for (int i = 0; i < clients; i++) {
        states[i].index = i;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setstacksize(&attributes, 256 * 1024);
        pthread_create(&threads[i], &attributes, run_client, &states[i]);
    }
    long acknowledged = 0, failed = 0, count = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(threads[i], NULL);
        acknowledged += states[i].acknowledged;
        failed += states[i].failed;
        count += states[i].latency_count;
    }
    double elapsed = now() - start_time;
    double *all = malloc((size_t)(count ? count : 1) * sizeof(double));
    long k = 0;
    for (int i = 0; i < clients; i++)
        for (long j = 0; j < states[i].latency_count; j++) all[k++] = states[i].latencies[j];
    qsort(all, (size_t)count, sizeof(double), compare);
    double p50 = count ? all[count / 2] : 0, p99 = count ? all[(long)(count * 0.99)] : 0;
    printf("acknowledged=%ld failed=%ld seconds=%.2f ack_per_s=%.0f p50_ms=%.2f p99_ms=%.2f\n", acknowledged, failed, elapsed,
           acknowledged / elapsed, p50 * 1000, p99 * 1000);
    return failed > 0 && acknowledged == 0 ? 1 : 0;
}
