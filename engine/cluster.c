/* cluster: the job's processes (cluster.h): Open MPI's ranks when built
 * with AVRRSIM_MPI, else this process alone. A message travels as its
 * size (8 bytes) followed by pieces of at most 1 GiB under the same tag, so
 * that no MPI count overflows; MPI keeps messages between two ranks with
 * one tag in order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cluster.h"

#ifdef AVRRSIM_MPI

#include <mpi.h>

enum { PIECE = 1 << 30 };

int cluster_start(int *argc, char ***argv, char *why, size_t why_size)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        snprintf(why, why_size, "MPI could not start");
        return -1;
    }
    if (provided < MPI_THREAD_FUNNELED) {
        snprintf(why, why_size, "this MPI library does not allow threads beside MPI "
                                "(MPI_THREAD_FUNNELED)");
        MPI_Abort(MPI_COMM_WORLD, 1);
        return -1;
    }
    /* errors come back as values, never as an abort inside MPI */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if (!cluster_is_writer()) {
        /* one voice: rank 0 reports for the job (other ranks send it their failures) */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) {
            snprintf(why, why_size, "cannot silence rank %d's output", cluster_rank());
            return -1;
        }
    }
    return 0;
}

void cluster_finish(bool clean)
{
    int started = 0, finished = 0;
    MPI_Initialized(&started);
    MPI_Finalized(&finished);
    if (clean && started && !finished)
        MPI_Finalize();
}

int cluster_rank(void)
{
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

int cluster_size(void)
{
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

int cluster_send(int to, int tag, const void *data, size_t size)
{
    uint64_t total = size;
    if (MPI_Send(&total, 1, MPI_UINT64_T, to, tag, MPI_COMM_WORLD) != MPI_SUCCESS)
        return -1;
    const char *at = data;
    for (size_t sent = 0; sent < size;) {
        size_t piece = size - sent < PIECE ? size - sent : PIECE;
        if (MPI_Send(at + sent, (int)piece, MPI_BYTE, to, tag, MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
        sent += piece;
    }
    return 0;
}

int cluster_probe(int from, int tag, int *sender, int *found_tag)
{
    int flag = 0;
    MPI_Status status;
    if (MPI_Iprobe(from == CLUSTER_ANY ? MPI_ANY_SOURCE : from, tag == CLUSTER_ANY ? MPI_ANY_TAG : tag,
                   MPI_COMM_WORLD, &flag, &status) != MPI_SUCCESS)
        return -1;
    if (!flag)
        return 0;
    if (sender)
        *sender = status.MPI_SOURCE;
    if (found_tag)
        *found_tag = status.MPI_TAG;
    return 1;
}

int cluster_receive(int from, int tag, void **data, size_t *size)
{
    uint64_t total = 0;
    *data = NULL;
    *size = 0;
    if (MPI_Recv(&total, 1, MPI_UINT64_T, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS)
        return -1;
    char *buffer = total > 0 ? malloc(total) : NULL;
    if (total > 0 && !buffer)
        return -1;
    for (size_t got = 0; got < total;) {
        size_t piece = total - got < PIECE ? total - got : PIECE;
        if (MPI_Recv(buffer + got, (int)piece, MPI_BYTE, from, tag, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            free(buffer);
            return -1;
        }
        got += piece;
    }
    *data = buffer;
    *size = total;
    return 0;
}

#else /* one process: the whole job */

int cluster_start(int *argc, char ***argv, char *why, size_t why_size)
{
    (void)argc;
    (void)argv;
    (void)why;
    (void)why_size;
    return 0;
}

void cluster_finish(bool clean)
{
    (void)clean;
}

int cluster_rank(void)
{
    return 0;
}

int cluster_size(void)
{
    return 1;
}

int cluster_send(int to, int tag, const void *data, size_t size)
{
    (void)to;
    (void)tag;
    (void)data;
    (void)size;
    return -1;
}

int cluster_probe(int from, int tag, int *sender, int *found_tag)
{
    (void)from;
    (void)tag;
    (void)sender;
    (void)found_tag;
    return 0;
}

int cluster_receive(int from, int tag, void **data, size_t *size)
{
    (void)from;
    (void)tag;
    *data = NULL;
    *size = 0;
    return -1;
}

#endif

bool cluster_is_writer(void)
{
    return cluster_rank() == 0;
}

bool cluster_show_progress(bool quiet)
{
    if (quiet || !cluster_is_writer())
        return false;
    return cluster_size() > 1 || isatty(STDERR_FILENO);
}
