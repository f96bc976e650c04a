/* Process-wide switches of libminimesos, made explicit: the interrupt flag
 * that long waits poll, and the HTTP trace. Both are atomic, so any thread
 * (or a signal handler, for mm_interrupt) may set them at any time.
 * This is the lowest layer of the library (src/base/runtime.c). */
#ifndef MINIMESOS_RUNTIME_H
#define MINIMESOS_RUNTIME_H

#include <stdbool.h>
#include <stdio.h>

#define MINIMESOS_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* Ask every running wait of the library (mm_up's readiness, the folder
 * lock, pulls) to stop and fail. Async-signal-safe: call it from a SIGINT or
 * SIGTERM handler. The flag stays set until mm_interrupt_reset(). */
void mm_interrupt(void);
/* True once mm_interrupt() was called (and not reset since). */
bool mm_interrupted(void);
/* Clear the flag, e.g. before the next mm_up of a test program that caught
 * a signal and carried on. */
void mm_interrupt_reset(void);

/* Describe every HTTP request the library makes (to the engine, the master,
 * the agents, Marathon, app URLs) on out, one line each after it completes:
 * method, URL, socket, status or error, duration. NULL turns it off.
 * `minimesos --debug` sets stderr. */
void mm_set_trace(FILE *out);

#ifdef __cplusplus
}
#endif

#endif
