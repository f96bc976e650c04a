/* libminimesos: the whole public API.
 *   diag.h   diagnostics (codes, spans, text/gcc/json output)
 *   ast.h    the syntax tree and the parser
 *   model.h  the typed cluster model, its defaults and emitters
 *   fmt.h    the canonical layout of a syntax tree (`fmt`)
 *   convert.h  a file's literal JSON form and back (`convert`)
 * For running clusters: plan.h (the pure container plan), compose.h (a plan
 * as a compose file) and cluster.h
 * (start, find, query, destroy; Marathon; tasks). */
#ifndef MINIMESOS_H
#define MINIMESOS_H

#include "minimesos/runtime.h" /* MINIMESOS_VERSION */
#include "minimesos/diag.h"
#include "minimesos/ast.h"
#include "minimesos/model.h"
#include "minimesos/fmt.h"
#include "minimesos/convert.h"

#ifdef __cplusplus
extern "C" {
#endif


#ifdef __cplusplus
}
#endif

#endif
