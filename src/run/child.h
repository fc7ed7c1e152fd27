/* child: a forked child process whose result pipe and standard error the parent reads without blocking. */
#ifndef VNICSIM_CHILD_H
#define VNICSIM_CHILD_H

#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct s_child s_child_t;
typedef s_child_t* child_t;
typedef const s_child_t* const_child_t;

/** @brief Fork a child that runs @p body(@p data, fd) with fd the write end of its result pipe and its standard output
 *  and error redirected into a second pipe; @p body must end the child with _exit(). When @p forward_stderr is set,
 *  the parent copies what the child writes on its standard error to its own as it comes. Returns NULL (errno set)
 *  when the pipes or the fork fail. */
child_t child_spawn(void (*body)(void* data, int fd), void* data, int forward_stderr);

/** @brief The child's process id. */
pid_t child_pid(const_child_t c);

/** @brief Add the child's open pipes to @p fds (room for 2 entries); returns how many were added. */
size_t child_pollfds(const_child_t c, struct pollfd* fds);

/** @brief Read what is available on @p fd (one of the child's pipes reported ready by poll). */
void child_read(child_t c, int fd);

/** @brief Whether both pipes reached their end (the child has exited or is about to). */
int child_drained(const_child_t c);

/** @brief Read both pipes to their end, blocking. */
void child_drain(child_t c);

/** @brief Wait for the child's exit once drained; returns its wait status (also kept). */
int child_wait(child_t c);

/** @brief Everything the child wrote into its result pipe (NUL-terminated; the caller may modify it in place). */
char* child_output(child_t c);

/** @brief The last line of the child's standard error that is a message, not a backtrace frame ("" if none). */
const char* child_last_message(child_t c);

/** @brief Describe a wait status ("was killed by signal 11 (Segmentation fault)", "exited with status 3"). */
void child_describe_status(int status, char* buf, size_t len);

/** @brief Kill the child (SIGKILL), drain and reap it. */
void child_kill(child_t c);

/** @brief Write @p text to a child's result pipe as part of one line: a backslash, a carriage return and a line feed
 *  are written as a backslash followed by '\\', 'r' or 'n', so text of any content (a SimGrid host whose name holds a
 * line break) cannot end the line. */
void child_put_escaped(FILE* out, const char* text);

/** @brief Undo child_put_escaped() in place on one line read from the pipe; returns @p line. */
char* child_unescape(char* line);

/** @brief Free; NULL is a no-op. Call after child_wait() or child_kill(). */
void child_free(child_t c);

#endif
