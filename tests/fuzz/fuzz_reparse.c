/* libFuzzer harness: the in-place re-parse of edits (lang/reparse.h)
 * against a full parse.
 *
 * Input: one byte K (1 + K % 4 edits), then K edits, each two bytes of
 * position (big-endian, taken modulo the text's length + 1), one byte of
 * how many bytes it removes (% 32), one byte of how many it inserts (% 32)
 * and those bytes; the rest is the text. The text is parsed, then each edit
 * applied: while the tree has no parse diagnostic, mm_reparse_edit is tried,
 * and when it says it updated the tree, that tree must equal mm_parse of the
 * new text (tests/tree_eq.h), which must have no diagnostic either; when it
 * declines, the tree must still be the old text's. A declined or broken
 * edit gets a full parse, as the language server does. */
#include "fuzz_util.h"

#include "minimesos/ast.h"
#include "lang/reparse.h"
#include "../tree_eq.h"

static mm_file *parse(const char *t, size_t n, bool *clean)
{
    mm_diags d;
    mm_diags_init(&d, "fuzz");
    mm_file *f = mm_parse(t, n, "fuzz", &d);
    *clean = d.len == 0;
    mm_diags_free(&d);
    return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned k = 1 + data[0] % 4;
    size_t at = 1;
    struct { size_t pos, del, n; const char *ins; } ed[4];
    for (unsigned i = 0; i < k; i++) {
        if (size - at < 4)
            return 0;
        ed[i].pos = (size_t)data[at] << 8 | data[at + 1];
        ed[i].del = data[at + 2] % 32;
        ed[i].n = data[at + 3] % 32;
        at += 4;
        if (size - at < ed[i].n)
            return 0;
        ed[i].ins = (const char *)data + at;
        at += ed[i].n;
    }
    size_t len = size - at;
    char *text = mm_xmalloc(len + 1);
    memcpy(text, data + at, len);
    bool clean;
    mm_file *f = parse(text, len, &clean);
    for (unsigned i = 0; i < k; i++) {
        size_t a = ed[i].pos % (len + 1);
        size_t b = a + ed[i].del > len ? len : a + ed[i].del;
        size_t nlen = len - (b - a) + ed[i].n;
        char *next = mm_xmalloc(nlen + 1);
        memcpy(next, text, a);
        memcpy(next + a, ed[i].ins, ed[i].n);
        memcpy(next + a + ed[i].n, text + b, len - b);
        bool full_clean;
        mm_file *full = parse(next, nlen, &full_clean);
        if (clean && mm_reparse_edit(f, next, nlen, a, b, ed[i].n)) {
            FUZZ_CHECK(full_clean, "re-parsed in place, but the full parse has diagnostics", "");
            if (!file_eq(f, full))
                fuzz_fail("re-parsed tree == full parse", why, "");
            mm_file_free(full);
        } else {
            FUZZ_CHECK(f->len == len && memcmp(f->src, text, len) == 0,
                       "a declined re-parse leaves the tree alone", "");
            mm_file_free(f);
            f = full;
            clean = full_clean;
        }
        free(text);
        text = next;
        len = nlen;
    }
    mm_file_free(f);
    free(text);
    return 0;
}
