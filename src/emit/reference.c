/* The language reference, generated from the schema table: docs/language.md
 * (Markdown) and the minimesosFile(5) man page come from here, so neither can
 * drift from what the parser and the model accept. The prose around the
 * table (syntax, legacy forms) is written once, below. */
#include "minimesos/model.h"
#include "minimesos/runtime.h" /* MINIMESOS_VERSION */
#include "model/schema.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>

typedef enum { REF_MD, REF_MAN } ref_fmt;

/* roff: a backslash is \e, a hyphen \-, and a line must not start with . or '. */
static void man_text(strbuf *sb, const char *s)
{
    bool bol = sb->len == 0 || sb->buf[sb->len - 1] == '\n';
    for (; *s; s++) {
        if (bol && (*s == '.' || *s == '\''))
            mm_sb_adds(sb, "\\&");
        bol = *s == '\n';
        if (*s == '\\')
            mm_sb_adds(sb, "\\e");
        else if (*s == '-')
            mm_sb_adds(sb, "\\-");
        else
            mm_sb_addc(sb, *s);
    }
}

/* Markdown table cell: | would end the cell. */
static void md_cell(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            mm_sb_adds(sb, "\\|");
        else
            mm_sb_addc(sb, *s);
    }
}

/* Prose with `code` spans: Markdown keeps them, roff renders them bold. */
static void prose(strbuf *sb, ref_fmt f, const char *s)
{
    if (f == REF_MD) {
        mm_sb_adds(sb, s);
        return;
    }
    bool code = false;
    for (const char *p = s; *p; p++) {
        if (*p == '`') {
            mm_sb_adds(sb, code ? "\\fR" : "\\fB");
            code = !code;
            continue;
        }
        char one[2] = { *p, 0 };
        man_text(sb, one);
    }
}

static void heading(strbuf *sb, ref_fmt f, int level, const char *title)
{
    if (f == REF_MD) {
        mm_sb_addf(sb, "%s %s\n\n", level == 1 ? "##" : "###", title);
        return;
    }
    mm_sb_adds(sb, level == 1 ? ".SH " : ".SS ");
    if (level == 1) {
        for (const char *p = title; *p; p++)
            mm_sb_addc(sb, (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p);
    } else {
        mm_sb_addc(sb, '"');
        prose(sb, f, title);
        mm_sb_addc(sb, '"');
    }
    mm_sb_addc(sb, '\n');
}

static void para(strbuf *sb, ref_fmt f, const char *text)
{
    if (f == REF_MAN)
        mm_sb_adds(sb, ".PP\n");
    prose(sb, f, text);
    mm_sb_adds(sb, f == REF_MD ? "\n\n" : "\n");
}

static void item(strbuf *sb, ref_fmt f, const char *text)
{
    if (f == REF_MD) {
        mm_sb_addf(sb, "- %s\n", text);
        return;
    }
    mm_sb_adds(sb, ".IP \\(bu 2\n");
    prose(sb, f, text);
    mm_sb_addc(sb, '\n');
}

static void block_path(strbuf *out, const sc_block *b)
{
    if (b->parent != SC_B__COUNT) {
        block_path(out, mm_sc_block_get(b->parent));
        mm_sb_adds(out, " > ");
    }
    mm_sb_adds(out, b->name);
}

static void describe_block(strbuf *sb, ref_fmt f, const sc_block *b)
{
    strbuf title = STRBUF_INIT;
    mm_sb_addc(&title, '`');
    block_path(&title, b);
    mm_sb_addc(&title, '`');
    heading(sb, f, 2, title.buf);
    mm_sb_free(&title);

    const sc_block *kids[SC_B__COUNT];
    size_t nk = mm_sc_children(b, kids);
    char *line;
    if (b->parent == SC_B__COUNT)
        line = mm_xasprintf("The cluster; exactly one `%s` block per file.", b->name);
    else
        line = mm_xasprintf("%c%s. %s inside `%s`.", b->doc[0] >= 'a' && b->doc[0] <= 'z' ? b->doc[0] - 32 : b->doc[0],
                         b->doc + 1, b->repeat ? "Any number of these" : "At most one",
                         mm_sc_block_get(b->parent)->name);
    para(sb, f, line);
    free(line);

    if (b->n_props) {
        if (f == REF_MD)
            mm_sb_adds(sb, "| property | type | default | allowed values | meaning |\n|---|---|---|---|---|\n");
        for (size_t i = 0; i < b->n_props; i++) {
            const sc_prop *p = &b->props[i];
            char *def = mm_sc_prop_default_text(p);
            char *allowed = mm_sc_prop_allowed_text(p);
            const char *type = mm_sc_type_name(p->type);
            bool nullable = p->flags & SC_F_NULLABLE;
            if (f == REF_MD) {
                mm_sb_addf(sb, "| `%s` | %s%s | `", p->name, type, nullable ? ", null" : "");
                md_cell(sb, def);
                mm_sb_adds(sb, "` | ");
                md_cell(sb, *allowed ? allowed : "any");
                mm_sb_adds(sb, " | ");
                md_cell(sb, p->doc);
                mm_sb_adds(sb, " |\n");
            } else {
                mm_sb_adds(sb, ".TP\n\\fB");
                man_text(sb, p->name);
                mm_sb_addf(sb, "\\fR (%s%s, default \\fB", type, nullable ? " or null" : "");
                man_text(sb, def);
                mm_sb_adds(sb, "\\fR)\n");
                man_text(sb, p->doc);
                mm_sb_adds(sb, ".");
                if (*allowed) {
                    mm_sb_adds(sb, " Allowed: ");
                    man_text(sb, allowed);
                    mm_sb_adds(sb, ".");
                }
                mm_sb_addc(sb, '\n');
            }
            free(def);
            free(allowed);
        }
        if (f == REF_MD)
            mm_sb_addc(sb, '\n');
    } else {
        para(sb, f, "No properties of its own.");
    }
    if (nk) {
        strbuf kb = STRBUF_INIT;
        mm_sb_adds(&kb, "Blocks inside it: ");
        for (size_t i = 0; i < nk; i++)
            mm_sb_addf(&kb, "%s`%s` (%s)", i ? ", " : "", kids[i]->name, kids[i]->repeat ? "0..n" : "0..1");
        mm_sb_adds(&kb, ".");
        para(sb, f, kb.buf);
        mm_sb_free(&kb);
    }
    for (size_t i = 0; i < nk; i++)
        describe_block(sb, f, kids[i]);
}

static const char *const syntax_items[] = {
    "A file holds one `minimesos { ... }` block. It may start with `package a.b.c` "
    "(ignored) and, on its first line, a `#!` line. An empty file means the default "
    "cluster (lint warns).",
    "A block is a name and `{ ... }`; a property is `name = value`. Two statements on "
    "one line need a `;` between them.",
    "Values: strings in double or single quotes, with the escapes "
    "`\\\" \\' \\\\ \\n \\t \\r \\b \\f \\/ \\uXXXX`; long strings in triple quotes "
    "(`\"\"\"...\"\"\"`), which may span lines; numbers such as `60`, `0.5` or `1e3`; "
    "`true`, `false` and `null`.",
    "Comments: `// to the end of the line` and `/* ... */`. `minimesos fmt` keeps them.",
    "Names are case-sensitive. An unknown property or block is an error, with a "
    "did-you-mean hint. A second copy of a block that may appear once is an error "
    "that points at both.",
    "Types are strict: `timeout = \"60\"` or `mapPortsToHost = \"false\"` is an error "
    "naming the expected type. Only a resource `value` may quote its number.",
    "A `$` in a double-quoted string is an error: it was Groovy interpolation. Use "
    "single quotes or `\\$`.",
    NULL,
};

static const char *const semantics_items[] = {
    "The effective cluster always has a `master` and a `zookeeper`: when the file "
    "has none, `minimesos config` and `minimesos up` add them with their defaults.",
    "A file with no `agent` block runs no agents unless `up --num-agents N` asks for N "
    "default agents.",
    "Every agent starts with `cpus(*):4`, `mem(*):1024`, `disk(*):2000` and "
    "`ports(*):[31000-32000]`. A resource block replaces the entry of its kind and "
    "role and adds other roles beside it; a kind and role repeated in one agent: "
    "the later wins, with a warning.",
    "`imageTag` of `master` and `agent` defaults to the cluster's `mesosVersion` "
    "followed by `-0.1.0`, wherever in the file `mesosVersion` is set.",
    "`aclJson` takes effect only with `authenticate = true` (lint warns otherwise). "
    "`registrator` needs a `consul` block.",
    NULL,
};

static const char *const legacy_items[] = {
    "`imageTag = \"# derive from mesos version\"` means the derived default; lint "
    "warns and suggests removing the line.",
    "`exposePorts` was renamed `mapPortsToHost`: an error whose hint gives the new name.",
    "`loggingLevel = \"# INHERIT FROM CLUSTER\"` is current: master and agents take "
    "the cluster's level.",
    NULL,
};

static void items(strbuf *sb, ref_fmt f, const char *const *v)
{
    for (size_t i = 0; v[i]; i++)
        item(sb, f, v[i]);
    if (f == REF_MD)
        mm_sb_addc(sb, '\n');
}

char *mm_language_reference(const char *format)
{
    ref_fmt f;
    if (!format || strcmp(format, "markdown") == 0)
        f = REF_MD;
    else if (strcmp(format, "man") == 0)
        f = REF_MAN;
    else
        return NULL;
    strbuf sb = STRBUF_INIT;
    if (f == REF_MD) {
        mm_sb_adds(&sb, "# The minimesosFile language\n\n"
                     "<!-- Generated from the schema table (src/model/schema.c) by "
                     "`minimesos help language`; `make docs` rewrites it and `make check` "
                     "fails when it is stale. Do not edit by hand. -->\n\n");
    } else {
        mm_sb_addf(&sb, ".\\\" Generated from the schema table (src/model/schema.c) by\n"
                     ".\\\" `minimesos help language --format man`. Do not edit by hand.\n"
                     ".TH MINIMESOSFILE 5 \"\" \"minimesos %s\" \"File Formats\"\n"
                     ".SH NAME\nminimesosFile \\- the description of a local Mesos cluster\n",
                MINIMESOS_VERSION);
    }
    para(&sb, f, "A minimesosFile describes one local Apache Mesos cluster: which "
                 "containers `minimesos up` starts, from which images, and how they are "
                 "configured. `minimesos init` writes one with every property at its "
                 "default; `minimesos lint` checks one; `minimesos config` prints what it "
                 "means with every default applied.");
    heading(&sb, f, 1, "Syntax");
    items(&sb, f, syntax_items);
    heading(&sb, f, 1, "Blocks and properties");
    para(&sb, f, "Each block below lists its properties: type, default, the values "
                 "allowed beyond the type, and meaning. `null` is allowed only where the "
                 "type says so.");
    describe_block(&sb, f, mm_sc_block_get(SC_B_CLUSTER));
    heading(&sb, f, 1, "Meaning");
    items(&sb, f, semantics_items);
    heading(&sb, f, 1, "Legacy forms");
    items(&sb, f, legacy_items);
    heading(&sb, f, 1, "Example");
    const char *example = "minimesos {\n    clusterName = \"demo\"\n    mesosVersion = \"1.0.0\"\n"
                          "    master {\n        authenticate = false\n    }\n"
                          "    agent {\n        resources {\n            cpu {\n"
                          "                role = \"*\"\n                value = 2\n"
                          "            }\n        }\n    }\n    marathon {\n"
                          "        app {\n            marathonJson = \"apps/web.json\"\n"
                          "        }\n    }\n}\n";
    if (f == REF_MD) {
        mm_sb_addf(&sb, "```\n%s```\n", example);
    } else {
        mm_sb_adds(&sb, ".PP\n.EX\n");
        man_text(&sb, example);
        mm_sb_adds(&sb, ".EE\n");
        mm_sb_adds(&sb, ".SH SEE ALSO\n.BR minimesos (1)\n");
    }
    return mm_sb_detach(&sb);
}
