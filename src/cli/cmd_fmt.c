/* minimesos fmt [--check] [--diff] [FILE...]: rewrite minimesosFiles in the
 * canonical layout (src/fmt.h). A file with syntax errors is left alone. */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "minimesos/fmt.h"
#include "minimesos/ast.h"
#include "minimesos/diag.h"
#include "base/util.h"

static const char usage[] =
    "usage: minimesos fmt [--check] [--diff] [FILE...]\n"
    "\n"
    "Rewrite each FILE (default: minimesosFile) in the canonical layout: 4-space\n"
    "indent, one statement a line, `;` dropped, at most one blank line in a row,\n"
    "every comment kept. A file with syntax errors is not changed.\n"
    "\n"
    "  --check   change nothing; list the files that would change and exit 1 if any\n"
    "  --diff    change nothing; print a unified diff of what would change\n"
    "  -         read standard input, write the result to standard output\n"
    "\n"
    "Exit status: 0 done (or nothing to change), 1 a file has errors, could not be\n"
    "read or written, or (--check) would change; 2 wrong command line.\n";

/* ---- a line diff (LCS), printed as a unified diff ---- */

typedef struct line {
    const char *s;
    size_t n;       /* without the '\n' */
    bool nl;        /* ended by '\n' */
} line;

static line *split_lines(const char *s, size_t len, size_t *count)
{
    size_t cap = 0, n = 0;
    line *v = NULL;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        v = mm_xgrow(v, &cap, n + 1, sizeof *v);
        v[n].s = s + i;
        v[n].n = e - i;
        v[n].nl = nl != NULL;
        n++;
        i = nl ? e + 1 : len;
    }
    *count = n;
    return v;
}

static bool line_eq(const line *a, const line *b)
{
    return a->n == b->n && a->nl == b->nl && memcmp(a->s, b->s, a->n) == 0;
}

typedef struct op {
    char kind;      /* ' ', '-', '+' */
    const line *l;
} op;

/* Edit script from a to b: common prefix and suffix, then an LCS table over
 * the middle when it is small enough (else: delete all, insert all, still a
 * correct diff). */
static op *diff_lines(const line *a, size_t na, const line *b, size_t nb, size_t *nops)
{
    op *ops = mm_xmalloc((na + nb + 1) * sizeof *ops);
    size_t k = 0;
    size_t pre = 0;
    while (pre < na && pre < nb && line_eq(&a[pre], &b[pre]))
        pre++;
    size_t suf = 0;
    while (suf < na - pre && suf < nb - pre && line_eq(&a[na - 1 - suf], &b[nb - 1 - suf]))
        suf++;
    for (size_t i = 0; i < pre; i++)
        ops[k++] = (op){ ' ', &a[i] };
    size_t n = na - pre - suf, m = nb - pre - suf;
    const line *A = a + pre, *B = b + pre;
    if (n && m && n <= 4096 && m <= 4096) {
        uint32_t *t = mm_xcalloc((n + 1) * (m + 1), sizeof *t);
#define T(i, j) t[(i) * (m + 1) + (j)]
        for (size_t i = n; i-- > 0;)
            for (size_t j = m; j-- > 0;)
                T(i, j) = line_eq(&A[i], &B[j]) ? T(i + 1, j + 1) + 1
                          : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1);
        size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && line_eq(&A[i], &B[j])) {
                ops[k++] = (op){ ' ', &A[i] };
                i++, j++;
            } else if (j < m && (i == n || T(i, j + 1) >= T(i + 1, j))) {
                ops[k++] = (op){ '+', &B[j++] };
            } else {
                ops[k++] = (op){ '-', &A[i++] };
            }
        }
#undef T
        free(t);
        /* put deletions before insertions inside a run of changes */
        for (size_t x = 1; x < k; x++)
            for (size_t y = x; y > 0 && ops[y].kind == '-' && ops[y - 1].kind == '+'; y--) {
                op tmp = ops[y];
                ops[y] = ops[y - 1];
                ops[y - 1] = tmp;
            }
    } else {
        for (size_t i = 0; i < n; i++)
            ops[k++] = (op){ '-', &A[i] };
        for (size_t j = 0; j < m; j++)
            ops[k++] = (op){ '+', &B[j] };
    }
    for (size_t i = 0; i < suf; i++)
        ops[k++] = (op){ ' ', &a[na - suf + i] };
    *nops = k;
    return ops;
}

#define CONTEXT 3

static void print_diff(FILE *out, const char *name, const char *a, size_t alen, const char *b,
                       size_t blen)
{
    size_t na, nb, nops;
    line *la = split_lines(a, alen, &na), *lb = split_lines(b, blen, &nb);
    op *ops = diff_lines(la, na, lb, nb, &nops);
    size_t *ai = mm_xmalloc((nops + 1) * sizeof *ai), *bi = mm_xmalloc((nops + 1) * sizeof *bi);
    ai[0] = bi[0] = 0;
    for (size_t k = 0; k < nops; k++) {
        ai[k + 1] = ai[k] + (ops[k].kind != '+');
        bi[k + 1] = bi[k] + (ops[k].kind != '-');
    }
    const char *sep = name[0] == '/' ? "" : "/";
    fprintf(out, "--- a%s%s\n+++ b%s%s\n", sep, name, sep, name);
    size_t k = 0;
    while (k < nops) {
        size_t s = k;
        while (s < nops && ops[s].kind == ' ')
            s++;
        if (s == nops)
            break;
        size_t last = s, j = s;
        while (j < nops) {
            if (ops[j].kind != ' ')
                last = j;
            else if (j - last > 2 * CONTEXT)
                break;
            j++;
        }
        size_t start = s >= k + CONTEXT ? s - CONTEXT : k;
        size_t end = last + 1 + CONTEXT < nops ? last + 1 + CONTEXT : nops;
        size_t ac = ai[end] - ai[start], bc = bi[end] - bi[start];
        fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ac ? ai[start] + 1 : ai[start], ac,
                bc ? bi[start] + 1 : bi[start], bc);
        for (size_t x = start; x < end; x++) {
            fputc(ops[x].kind, out);
            fwrite(ops[x].l->s, 1, ops[x].l->n, out);
            fputc('\n', out);
            if (!ops[x].l->nl)
                fputs("\\ No newline at end of file\n", out);
        }
        k = end;
    }
    free(ai);
    free(bi);
    free(ops);
    free(la);
    free(lb);
}

/* ---- writing ---- */

static int write_file_atomically(const char *path, const char *shown, const char *text,
                                 size_t len);

/* Replace the file atomically: a temporary file beside it, renamed over it.
 * A symbolic link is followed: its target is rewritten, the link stays. */
static int write_in_place(const char *shown, const char *text, size_t len)
{
    char *real = realpath(shown, NULL);
    int rc = write_file_atomically(real ? real : shown, shown, text, len);
    free(real);
    return rc;
}

static int write_file_atomically(const char *path, const char *shown, const char *text, size_t len)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? mm_xstrndup(path, (size_t)(slash - path) + 1) : mm_xstrdup("");
    char *tmp = mm_xasprintf("%s.%s.fmt-XXXXXX", dir, slash ? slash + 1 : path);
    free(dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return cli_fail("fmt: cannot write %s: %s", shown, strerror(e));
    }
    struct stat st;
    if (stat(path, &st) == 0)
        (void)fchmod(fd, st.st_mode & 07777);
    size_t off = 0;
    int err = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0 && !err)
        err = errno;
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        unlink(tmp);
        free(tmp);
        return cli_fail("fmt: cannot write %s: %s", shown, strerror(err));
    }
    free(tmp);
    return 0;
}

enum { OPT_CHECK = 1, OPT_DIFF = 2 };

static int fmt_one(const char *path, unsigned opts)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name;
    size_t len = 0;
    char *text = cli_read_input("fmt", path, &name, &len);
    if (!text)
        return 1;
    mm_diags d;
    mm_diags_init(&d, name);
    mm_file *f = mm_parse(text, len, name, &d);
    int rc = 0;
    if (mm_diags_count(&d, MM_SEV_ERROR) > 0) {
        mm_diags_sort(&d);
        mm_diags_print_text(stderr, &d, text, len, cli_use_color(stderr));
        fprintf(stderr, "minimesos: fmt: %s not formatted: it has errors\n", name);
        rc = 1;
    } else {
        char *out = mm_fmt(f);
        size_t olen = strlen(out);
        bool changed = olen != len || memcmp(out, text, len) != 0;
        if (opts & (OPT_CHECK | OPT_DIFF)) {
            if (changed) {
                if (opts & OPT_DIFF)
                    print_diff(stdout, name, text, len, out, olen);
                else
                    printf("%s\n", name);
                if (opts & OPT_CHECK)
                    rc = 1;
            }
        } else if (is_stdin) {
            fwrite(out, 1, olen, stdout);
        } else if (changed) {
            rc = write_in_place(path, out, olen);
        }
        free(out);
    }
    mm_file_free(f);
    mm_diags_free(&d);
    free(text);
    return rc;
}

static const struct option options[] = {
    { "check", no_argument, NULL, 'c' },
    { "diff", no_argument, NULL, 'd' },
    { NULL, 0, NULL, 0 },
};

static int run_fmt(int argc, char **argv)
{
    unsigned opts = 0;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (c) {
        case 'c': opts |= OPT_CHECK; break;
        case 'd': opts |= OPT_DIFF; break;
        default:
            return cli_usage_error(&cmd_fmt, "fmt: unknown option %s", argv[optind - 1]);
        }
    }
    int nfiles = 0;
    const char **files = mm_xcalloc((size_t)(argc - optind) + 2, sizeof *files);
    for (int i = optind; i < argc; i++)
        files[nfiles++] = argv[i];
    if (nfiles == 0)
        files[nfiles++] = "minimesosFile";
    int rc = 0;
    for (int i = 0; i < nfiles; i++)
        if (fmt_one(files[i], opts) != 0)
            rc = 1;
    free((void *)files);
    return rc;
}

const cli_command cmd_fmt = {
    .name = "fmt",
    .summary = "Rewrite minimesosFiles in the canonical layout",
    .usage = usage,
    .run = run_fmt,
    .options = options,
};
