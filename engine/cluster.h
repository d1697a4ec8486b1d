/* cluster: the processes of one job. Built with `make MPI=1` (AVRRSIM_MPI)
 * they are the MPI ranks that mpirun started; otherwise this process is the
 * whole job (rank 0 of 1). This is the only module that calls MPI: the
 * rest of the program sees ranks and whole messages (byte strings of any
 * size, between two ranks, in the order they were sent). Rank 0 is the
 * writer: it alone prints and writes files; at start-up the standard output
 * and error of every other rank go to /dev/null. */
#ifndef AVRRSIM_CLUSTER_H
#define AVRRSIM_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>

/* Joins the job (MPI_Init_thread: only the calling thread calls MPI). 0,
 * or -1 with a reason. Call once, before any other cluster_ function. */
int cluster_start(int *argc, char ***argv, char *why, size_t why_size);

/* Leaves the job. clean: every rank ends here too (MPI_Finalize waits for
 * them); otherwise the job was broken off (a rank failed or a signal came)
 * and the process only exits, leaving mpirun to end the others. */
void cluster_finish(bool clean);

int cluster_rank(void);          /* 0 .. cluster_size() - 1 */
int cluster_size(void);          /* 1 without MPI */
bool cluster_is_writer(void);    /* rank 0 */

/* Whether this process draws the progress line on standard error: not when
 * quiet (--quiet), never on a rank other than 0; alone, when standard error
 * is a terminal; under mpirun (more than one rank), whose pipe carries rank
 * 0's standard error to wherever mpirun's goes, always. */
bool cluster_show_progress(bool quiet);

enum { CLUSTER_ANY = -1 };       /* any sender or any tag (cluster_probe) */

/* Sends size bytes to rank `to` under tag (0 .. 30000). Returns when the
 * buffer may be reused. 0, or -1 (no such rank, or MPI failed). */
int cluster_send(int to, int tag, const void *data, size_t size);

/* Whether a message from `from` with `tag` (either may be CLUSTER_ANY) is
 * waiting, without waiting: 1 (and its sender and tag when the pointers
 * are not NULL), 0, or -1 (MPI failed). */
int cluster_probe(int from, int tag, int *sender, int *found_tag);

/* Receives the next message from `from` (a rank) with `tag`, waiting for
 * it: *data is malloc'd (the caller frees it; NULL when size is 0). 0, or
 * -1 (out of memory, or MPI failed). */
int cluster_receive(int from, int tag, void **data, size_t *size);

#endif
