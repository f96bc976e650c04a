// The public headers are a contract for C++ callers too: every header
// compiles as C++ (-Wall -Wextra -Werror; not -pedantic: ast.h keeps C11
// anonymous structs, which g++ and clang++ accept), its declarations have C
// linkage, and a program calling into each area links against the static
// library. Built and run by `make check-header`.
#include "minimesos/runtime.h"
#include "minimesos/diag.h"
#include "minimesos/ast.h"
#include "minimesos/model.h"
#include "minimesos/fmt.h"
#include "minimesos/convert.h"
#include "minimesos/plan.h"
#include "minimesos/cluster.h"
#include "minimesos/lsp.h"
#include "minimesos/minimesos.h"

#include <cjson/cJSON.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

int main()
{
    int failures = 0;
    mm_interrupt_reset();
    if (mm_interrupted()) failures++;

    mm_diags d;
    mm_diags_init(&d, "inline");
    static const char text[] = "minimesos {\n    timeout = 30\n    agent {\n    }\n}\n";
    mm_cluster *c = mm_cluster_load("/dev/null", 0, &d);  // empty file: the default cluster
    if (!c) failures++;
    mm_cluster_free(c);
    mm_diags_free(&d);

    char *ref = mm_language_reference("markdown");
    if (!ref || !std::strstr(ref, "mapPortsToHost")) failures++;
    std::free(ref);

    char *err = nullptr;
    char *tmpl = mm_init_template(nullptr, 2, 0, &err);
    if (!tmpl || !std::strstr(tmpl, "agent {")) failures++;
    std::free(tmpl);
    std::free(err);

    mm_up_options o;
    mm_up_options_init(&o);
    if (std::strcmp(o.config_path, "minimesosFile") != 0 || o.num_agents != -1 ||
        o.pull != MM_PULL_MISSING || o.on_event != nullptr) failures++;

    // The plan of a minimesosFile given as text, through the C API.
    mm_error e;
    char *plan = nullptr;
    if (mm_up_dry_run_text(text, sizeof text - 1, "/tmp", &o, &plan, &e) != 0 || e.code != MM_ERR_NONE ||
        !plan || !std::strstr(plan, "minimesos-agent-")) failures++;
    std::free(plan);
    mm_error_free(&e);
    if (mm_up_dry_run_text("minimesos {", 11, nullptr, nullptr, &plan, &e) != -1 ||
        e.code != MM_ERR_CONFIG || !e.message) failures++;
    mm_error_free(&e);

    // The generated JSON Schemas and a SARIF log.
    cJSON *schema = mm_cluster_json_schema();
    if (!schema) failures++;
    cJSON_Delete(schema);
    schema = mm_convert_json_schema();
    if (!schema) failures++;
    cJSON_Delete(schema);
    cJSON *sarif = mm_sarif_new();
    mm_diags sd;
    mm_diags_init(&sd, "f");
    mm_sarif_add(sarif, &sd, "f", nullptr, 0);
    mm_diags_free(&sd);
    if (!sarif) failures++;
    cJSON_Delete(sarif);
    // The language server over two descriptors: an empty input ends it (1).
    mm_lsp_options lo;
    mm_lsp_options_init(&lo);
    if (lo.max_message != MM_LSP_MAX_MESSAGE || lo.log != nullptr) failures++;
    int pin[2], pout[2];
    if (pipe(pin) == 0 && pipe(pout) == 0) {
        close(pin[1]);
        if (mm_lsp_serve(pin[0], pout[1], &lo) != 1) failures++;
        close(pin[0]); close(pout[0]); close(pout[1]);
    } else failures++;

    std::printf("header: %d passed, %d failed\n", failures == 0 ? 1 : 0, failures);
    return failures == 0 ? 0 : 1;
}
