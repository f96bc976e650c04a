/* The minimesosFile grammar: a pure bison parser over the reentrant flex
 * scanner in lexer.l (in the style of jq's src/parser.y).
 *
 *   file      := [ 'package' qualified-name ] 'minimesos' block EOF
 *   block     := '{' statement* '}'
 *   statement := IDENT '=' value [';'] | IDENT block | ';'
 *
 * Statements are separated by a new line or ';'. The scanner reports a new
 * line (NL) only where one can end a statement: not after `=` or `{` (like
 * Go's automatic semicolons), so `name =\n 1` still reads as one statement,
 * blank lines cost the grammar nothing, and error recovery resumes at the
 * end of the bad line.
 *
 * The scanner wrapper (mm_yylex, below) also bounds the nesting depth: past
 * MM_MAX_DEPTH it swallows the too-deep block's contents, so neither the
 * parser stack nor the tree grow with hostile input. At end of file it closes
 * every unclosed block itself, after one MM_E_UNCLOSED_BLOCK diagnostic.
 */

%code requires {
#include <stdbool.h>
#include <stddef.h>
#include "minimesos/ast.h"
#include "base/pool.h"
#include "base/util.h"

/* Scanner state (flex's yyextra): positions, the string being decoded,
 * the comments seen, and the wrapper's brace bookkeeping. */
typedef struct mm_lexer {
    const char *src;
    size_t len;
    mm_diags *d;
    mm_pool *pool;          /* the file's: names and values are interned there */
    mm_pos pos;             /* just past the last matched text */
    mm_pos tok_start;       /* start of the last matched text */

    strbuf sb;              /* string being decoded */
    mm_pos str_start;
    int str_quote;          /* mm_quote */
    bool str_too_long;
    bool str_interp;        /* an interpolation error was reported */
    mm_pos cmt_start;       /* start of a block comment */

    mm_comment **comments;  /* every comment in source order (not the shebang) */
    size_t n_comments, cap_comments;
    mm_comment *shebang;

    bool have_bad;          /* the last diagnostic is an invalid-character one ... */
    uint32_t bad_end;       /* ... ending at this offset (adjacent ones merge) */

    /* wrapper state */
    mm_span braces[MM_MAX_DEPTH];
    unsigned depth;
    unsigned skip;          /* > 0: inside a too-deep block, tokens are dropped */
    mm_span skip_open;
    bool too_deep_reported, unclosed_reported;
    bool last_ends;         /* the last token may end a statement */
    bool eof;
    bool gave_up;           /* too many errors: the rest of the file is ignored */
    size_t diag_base;       /* diagnostics in the list before this parse */
    /* a fragment (mm__parse_fragment): the blocks open around it, and no
     * new line made up at its end (the text goes on after it) */
    unsigned base_depth;
    bool fragment;
} mm_lexer;

/* Past this many diagnostics the rest of a file is not read: a garbage file
 * of 60 MB must not make millions of them. */
#define MM_MAX_PARSE_DIAGS 200
#define MM_LX_TOO_MANY(lx) ((lx)->d->len >= (lx)->diag_base + MM_MAX_PARSE_DIAGS)

typedef struct mm_pstate {
    mm_lexer lx;
    void *scanner;
    mm_file *f;
    mm_diags *d;
    int frag_token;         /* a fragment's start token, returned first */
    mm_node *frag;          /* a fragment's statements, in a block node */
} mm_pstate;
}

%code provides {
/* Run the scanner and parser over f->src. Sets f->root, f->package and
 * f->shebang and hands back every other comment, in source order, for
 * ast.c to attach to the tree. */
void mm__parse_run(mm_file *f, mm_diags *d, mm_comment ***comments, size_t *n_comments);
/* How a fragment sits between the statements around it (mm__parse_fragment):
 * after the block's `{` or after a statement (then a separator comes
 * first, unless the fragment holds nothing), and before the block's `}` or
 * before a statement (then every statement of it ends with a separator). */
enum { MM_FRAG_OPEN_CLOSE, MM_FRAG_OPEN_NEXT, MM_FRAG_PREV_CLOSE, MM_FRAG_PREV_NEXT };
/* Parse src[start.off, end) as the statements of a fragment of a block
 * nested `depth` deep in a file whose whole text is src[0..len) (for the
 * positions and messages), with the nodes and texts in f's pool. Returns a
 * block node (of f's pool) holding the statements, or NULL when d gained
 * a diagnostic; *comments (malloc'd, the caller frees them and the array)
 * are the comments met, in source order. */
mm_node *mm__parse_fragment(mm_file *f, const char *src, size_t len, mm_pos start, size_t end,
                            int mode, unsigned depth, mm_diags *d, mm_comment ***comments,
                            size_t *n_comments);
/* Give back the byte flex replaced with a NUL after the last token (lexer.l). */
void mm__lx_release(void *scanner);
/* Whether the scanner starts at the beginning of a line (lexer.l). */
void mm__lx_set_bol(void *scanner, int bol);
/* Position arithmetic shared with the scanner. */
void mm__lx_advance(mm_lexer *lx, const char *text, size_t n);
}

%{
#include <stdlib.h>
#include <string.h>
%}

%define api.pure full
%define api.prefix {mm_yy}
%define api.location.type {mm_span}
%define parse.error custom
%define parse.lac full
%locations
%param {mm_pstate *ps}

%union {
    char *str;
    mm_value val;
    mm_node *node;
    int ival;
}

%token <str> IDENT "name"
%token <val> STRING "string"
%token <val> NUMBER "number"
%token TRUE "true" FALSE "false" NUL "null"
%token <str> PACKAGE "package line"
%token LBRACE "{"
%token <ival> RBRACE "}"
%token EQ "=" SEMI ";"
%token NL "new line"
/* Internal: seen by the wrapper only, never by the grammar. */
%token RAW_NL RAW_COMMENT RAW_COMMENT_NL
/* Internal: the first token of a fragment (mm__parse_fragment), one per mode. */
%token FRAG_OPEN_CLOSE FRAG_OPEN_NEXT FRAG_PREV_CLOSE FRAG_PREV_NEXT

%type <val> value
%type <node> stmt stmts body

/* Names and values live in the file's pool (interned by the scanner); only
 * a package line's name and the nodes need freeing when discarded. */
%destructor { free($$); } PACKAGE
%destructor { mm_node_free($$); } <node>

%code {
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                     \
    do {                                                                \
        if (N) {                                                        \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                       \
            (Cur).end = YYRHSLOC(Rhs, N).end;                           \
        } else {                                                        \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;             \
        }                                                               \
    } while (0)

/* flex's header renames yylex to its own scanner; the parser calls the
 * wrapper below instead. */
#define YYSTYPE MM_YYSTYPE
#define YYLTYPE MM_YYLTYPE
#undef yylex
#include "lexer.h"
#undef yylex
#define yylex mm_yylex
static int mm_yylex(MM_YYSTYPE *lval, mm_span *lloc, mm_pstate *ps);
static void mm_yyerror(const mm_span *loc, mm_pstate *ps, const char *msg);
static void top_statement(mm_pstate *ps, mm_node *n);
static void top_package(mm_pstate *ps, char *name, mm_span span);
static mm_node *finish_block(mm_node *b, char *name, mm_span name_span, mm_span open,
                             mm_span close, int synthetic, mm_span whole);
static mm_node *pool_node(mm_pstate *ps, mm_node_kind kind);
}

%%

file: top
    | FRAG_OPEN_CLOSE body              { ps->frag = $2; }
    | FRAG_OPEN_NEXT stmts              { ps->frag = $2; }
    | FRAG_PREV_CLOSE                   { ps->frag = pool_node(ps, MM_NODE_BLOCK); }
    | FRAG_PREV_CLOSE sep body          { ps->frag = $3; }
    | FRAG_PREV_NEXT sep stmts          { ps->frag = $3; }
    ;

sep: NL | SEMI ;

top: %empty
   | top NL
   | top SEMI
   | top PACKAGE          { top_package(ps, $2, @2); }
   | top stmt             { top_statement(ps, $2); }
   | top error NL         { yyerrok; }
   | top error LBRACE body RBRACE
                          { yyerrok; mm_node_free($4); }
   ;

stmts: %empty             { $$ = pool_node(ps, MM_NODE_BLOCK); }
     | stmts NL           { $$ = $1; }
     | stmts SEMI         { $$ = $1; }
     | stmts stmt NL      { mm_node_append($1, $2); $$ = $1; }
     | stmts stmt SEMI    { mm_node_append($1, $2); $$ = $1; }
     | stmts error NL     { yyerrok; $$ = $1; }
     | stmts error SEMI   { yyerrok; $$ = $1; }
       /* after a bad statement head, skip a whole block: `a b { ... }` */
     | stmts error LBRACE body RBRACE
                          { yyerrok; mm_node_free($4); $$ = $1; }
     ;

stmt: IDENT EQ value
        {
            $$ = pool_node(ps, MM_NODE_PROPERTY);
            $$->name = $1;
            $$->name_span = @1;
            $$->value = $3;
            $$->span = @$;
        }
    | IDENT LBRACE body RBRACE
        { $$ = finish_block($3, $1, @1, @2, @4, $4, @$); }
    ;

/* A block's statements; the last needs no separator before `}`. */
body: stmts               { $$ = $1; }
    | stmts stmt          { mm_node_append($1, $2); $$ = $1; }
    | stmts error         { yyerrok; $$ = $1; }
    ;

value: STRING             { $$ = $1; }
     | NUMBER             { $$ = $1; }
     | TRUE               { memset(&$$, 0, sizeof $$); $$.kind = MM_VAL_BOOL; $$.boolean = true; $$.span = @1; }
     | FALSE              { memset(&$$, 0, sizeof $$); $$.kind = MM_VAL_BOOL; $$.boolean = false; $$.span = @1; }
     | NUL                { memset(&$$, 0, sizeof $$); $$.kind = MM_VAL_NULL; $$.span = @1; }
     ;

%%

static void mm_yyerror(const mm_span *loc, mm_pstate *ps, const char *msg)
{
    mm_diag_add(ps->d, MM_E_TOO_LARGE, *loc, NULL, "%s", msg);
}

/* A node of the file's pool (ast.h: `pooled`), zeroed, named "". */
static mm_node *pool_node(mm_pstate *ps, mm_node_kind kind)
{
    mm_node *n = mm_pool_zalloc(ps->f->pool, sizeof *n);
    n->kind = kind;
    n->pooled = true;
    if (kind == MM_NODE_BLOCK) /* a property gets its name at once */
        n->name = mm_pool_intern(ps->f->pool, "", 0);
    return n;
}

static mm_node *finish_block(mm_node *b, char *name, mm_span name_span, mm_span open,
                             mm_span close, int synthetic, mm_span whole)
{
    b->name = name;
    b->name_span = name_span;
    b->open_brace = open;
    if (!synthetic)
        b->close_brace = close;
    b->span = whole;
    return b;
}

static void top_statement(mm_pstate *ps, mm_node *n)
{
    mm_file *f = ps->f;
    if (n->kind == MM_NODE_PROPERTY) {
        mm_diag_add(ps->d, MM_E_NOT_CLUSTER, n->span,
                    "put it inside the `minimesos { ... }` block",
                    "property `%s` outside the `minimesos` block", n->name);
    } else if (strcmp(n->name, "minimesos") != 0) {
        static const char *const names[] = { "minimesos", NULL };
        const char *close = mm_closest(n->name, names);
        mm_diag_add(ps->d, MM_E_NOT_CLUSTER, n->name_span,
                    close ? "did you mean `minimesos`?"
                          : "a minimesosFile holds one `minimesos { ... }` block",
                    "top-level block `%s` is not a `minimesos` block", n->name);
    } else if (f->root) {
        mm_diag_add_related(ps->d, MM_E_MULTIPLE_ROOTS, n->name_span, f->root->name_span,
                            "a minimesosFile describes one cluster",
                            "a second `minimesos` block (the first is at line %u)",
                            (unsigned)f->root->name_span.start.line);
    } else {
        f->root = n;
        return;
    }
    mm_node_free(n);
}

static void top_package(mm_pstate *ps, char *name, mm_span span)
{
    mm_file *f = ps->f;
    if (f->package || f->root) {
        mm_diag_add(ps->d, MM_E_SYNTAX, span, "write `package` once, before the `minimesos` block",
                    "unexpected `package` line");
        free(name);
        return;
    }
    f->package = name;
    f->package_span = span;
}

/* ---- syntax error messages ---- */

static void describe_found(strbuf *sb, yysymbol_kind_t k, const mm_span *loc, mm_pstate *ps)
{
    const char *what = NULL;
    switch (k) {
    case YYSYMBOL_IDENT: what = "name"; break;
    case YYSYMBOL_STRING: what = "string"; break;
    case YYSYMBOL_NUMBER: what = "number"; break;
    case YYSYMBOL_NL: mm_sb_adds(sb, "end of line"); return;
    case YYSYMBOL_YYEOF: mm_sb_adds(sb, "end of file"); return;
    case YYSYMBOL_PACKAGE: mm_sb_adds(sb, "`package` line"); return;
    case YYSYMBOL_RBRACE:
        if (loc->end.off == loc->start.off) { /* closing an unclosed block at EOF */
            mm_sb_adds(sb, "end of file");
            return;
        }
        break;
    default: break;
    }
    if (what) {
        mm_sb_adds(sb, what);
        mm_sb_addc(sb, ' ');
    }
    size_t a = loc->start.off, b = loc->end.off;
    if (b > ps->lx.len)
        b = ps->lx.len;
    if (a > b)
        a = b;
    bool cut = false;
    for (size_t i = a; i < b; i++)
        if (ps->lx.src[i] == '\n' || ps->lx.src[i] == '\r') {
            b = i;
            cut = true;
            break;
        }
    if (b - a > 40) {
        b = a + 40;
        while (b > a && ((unsigned char)ps->lx.src[b] & 0xC0) == 0x80)
            b--; /* don't split a UTF-8 sequence */
        cut = true;
    }
    mm_sb_addc(sb, '`');
    mm_sb_add(sb, ps->lx.src + a, b - a);
    if (cut)
        mm_sb_adds(sb, "...");
    mm_sb_addc(sb, '`');
}

static const char *describe_expected(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_IDENT: return "a name";
    case YYSYMBOL_STRING: case YYSYMBOL_NUMBER: case YYSYMBOL_TRUE:
    case YYSYMBOL_FALSE: case YYSYMBOL_NUL: return "a value";
    case YYSYMBOL_NL: return "a new line";
    case YYSYMBOL_SEMI: return "`;`";
    case YYSYMBOL_LBRACE: return "`{`";
    case YYSYMBOL_RBRACE: return "`}`";
    case YYSYMBOL_EQ: return "`=`";
    case YYSYMBOL_YYEOF: return "end of file";
    default: return NULL;
    }
}

static int yyreport_syntax_error(const yypcontext_t *ctx, mm_pstate *ps)
{
    if (ps->lx.gave_up)
        return 0;
    yysymbol_kind_t look = yypcontext_token(ctx);
    const mm_span *loc = yypcontext_location(ctx);
    strbuf sb = STRBUF_INIT;
    mm_sb_adds(&sb, "unexpected ");
    describe_found(&sb, look, loc, ps);

    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
    const char *names[YYNTOKENS];
    int m = 0;
    bool want_value = false;
    for (int i = 0; i < n; i++) {
        const char *s = describe_expected(exp[i]);
        if (!s)
            continue;
        if (strcmp(s, "a value") == 0)
            want_value = true;
        bool dup = false;
        for (int j = 0; j < m; j++)
            if (strcmp(names[j], s) == 0)
                dup = true;
        if (!dup)
            names[m++] = s;
    }
    static const char *const order[] = {
        "a name", "a value", "`=`", "`{`", "a new line", "`;`", "`}`", "end of file",
    };
    int k = 0;
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
        for (int j = 0; j < m; j++) {
            if (strcmp(names[j], order[o]) != 0)
                continue;
            mm_sb_adds(&sb, k == 0 ? ", expected " : k == m - 1 ? " or " : ", ");
            mm_sb_adds(&sb, names[j]);
            k++;
        }
    }

    char *hint = NULL;
    if (look == YYSYMBOL_IDENT && want_value) {
        size_t a = loc->start.off, b = loc->end.off;
        if (b - a <= 200)
            hint = mm_xasprintf("text values are quoted: \"%.*s\"", (int)(b - a), ps->lx.src + a);
    } else if (look == YYSYMBOL_RBRACE && ps->lx.depth == 0 && loc->end.off > loc->start.off &&
               !want_value) {
        hint = mm_xstrdup("this `}` closes no open block");
    }
    mm_diag_add(ps->d, MM_E_SYNTAX, *loc, hint, "%s", sb.buf);
    free(hint);
    mm_sb_free(&sb);
    return 0;
}

/* ---- the scanner wrapper ---- */

/* A line break after any token but `=` and `{` may end a statement (and
 * must: `name` alone on a line is an error, as it was in Groovy). */
static bool ends_statement(int t)
{
    return t != EQ && t != LBRACE;
}

/* A token dropped inside a too-deep block: names and values are the
 * pool's, a package line's name is malloc'd. */
static void drop_value(int t, MM_YYSTYPE *lval)
{
    if (t == PACKAGE)
        free(lval->str);
}

static int mm_yylex(MM_YYSTYPE *lval, mm_span *lloc, mm_pstate *ps)
{
    mm_lexer *lx = &ps->lx;
    if (!lx->gave_up && MM_LX_TOO_MANY(lx)) {
        lx->gave_up = true;
        mm_span here = { lx->pos, lx->pos };
        mm_diag_add(ps->d, MM_E_SYNTAX, here, "fix the errors above first",
                    "too many errors; the rest of the file was not read");
        lx->eof = true;
        lx->skip = 0;
        lx->unclosed_reported = true;
    }
    if (ps->frag_token) {
        int t = ps->frag_token;
        ps->frag_token = 0;
        lloc->start = lloc->end = lx->pos;
        return t;
    }
    for (;;) {
        int t;
        if (lx->eof) {
            t = 0;
            lloc->start = lloc->end = lx->pos;
        } else {
            t = mm_scan_lex(lval, lloc, ps->scanner);
            if (t == 0) {
                lx->eof = true;
                lloc->start = lloc->end = lx->pos;
            }
        }
        if (t == RAW_COMMENT) {
            if (!lx->gave_up && MM_LX_TOO_MANY(lx))
                return mm_yylex(lval, lloc, ps); /* gives up, once */
            continue;
        }
        if (t == RAW_NL || t == RAW_COMMENT_NL) {
            if (!lx->skip && lx->last_ends) {
                lx->last_ends = false;
                return NL;
            }
            continue;
        }
        if (lx->skip) {
            if (t == 0) {
                if (!lx->unclosed_reported)
                    mm_diag_add(ps->d, MM_E_UNCLOSED_BLOCK, lx->skip_open,
                                "add the missing `}`",
                                "this block is never closed (reached the end of the file)");
                lx->unclosed_reported = true;
                lx->skip = 0;
                lval->ival = 1;
                lx->last_ends = true;
                return RBRACE;
            }
            if (t == LBRACE) {
                lx->skip++;
            } else if (t == RBRACE) {
                if (--lx->skip == 0) {
                    lx->last_ends = true;
                    return RBRACE;
                }
            } else {
                drop_value(t, lval);
            }
            continue;
        }
        if (t == 0) {
            if (lx->last_ends && !lx->fragment) {
                lx->last_ends = false;
                return NL;
            }
            if (lx->depth > lx->base_depth) {
                if (!lx->unclosed_reported)
                    mm_diag_add(ps->d, MM_E_UNCLOSED_BLOCK, lx->braces[lx->depth - 1],
                                "add the missing `}`",
                                "this block is never closed (reached the end of the file)");
                lx->unclosed_reported = true;
                lx->depth--;
                lval->ival = 1;
                lx->last_ends = true;
                return RBRACE;
            }
            return 0;
        }
        if (t == LBRACE) {
            if (lx->depth >= MM_MAX_DEPTH) {
                if (!lx->too_deep_reported)
                    mm_diag_add(ps->d, MM_E_TOO_DEEP, *lloc, NULL,
                                "blocks are nested more than %d levels deep", MM_MAX_DEPTH);
                lx->too_deep_reported = true;
                lx->skip = 1;
                lx->skip_open = *lloc;
                lx->last_ends = false;
                return LBRACE;
            }
            lx->braces[lx->depth++] = *lloc;
        } else if (t == RBRACE) {
            lval->ival = 0;
            if (lx->depth > 0)
                lx->depth--;
        }
        lx->last_ends = ends_statement(t);
        return t;
    }
}

void mm__parse_run(mm_file *f, mm_diags *d, mm_comment ***comments, size_t *n_comments)
{
    mm_pstate ps;
    memset(&ps, 0, sizeof ps);
    ps.f = f;
    ps.d = d;
    ps.lx.src = f->src;
    ps.lx.len = f->len;
    ps.lx.d = d;
    ps.lx.pool = f->pool;
    ps.lx.diag_base = d->len;
    ps.lx.pos.line = 1;
    ps.lx.pos.col = 1;
    ps.lx.tok_start = ps.lx.pos;
    if (mm_scan_lex_init_extra(&ps.lx, &ps.scanner) != 0)
        abort();
    /* Scanned in place, not copied: f->src ends in the two NUL bytes flex
     * wants. flex writes a NUL after each token while it is current (yytext)
     * and puts the byte back before the next; mm__lx_release puts back the
     * last one, so f->src is the text again for fmt and diagnostics. */
    YY_BUFFER_STATE buf = mm_scan__scan_buffer(f->src, f->len + 2, ps.scanner);
    if (!buf)
        abort();
    mm_yyparse(&ps);
    mm__lx_release(ps.scanner);
    mm_scan__delete_buffer(buf, ps.scanner);
    mm_scan_lex_destroy(ps.scanner);
    mm_sb_free(&ps.lx.sb);
    f->shebang = ps.lx.shebang;
    *comments = ps.lx.comments;
    *n_comments = ps.lx.n_comments;
}

void mm__lx_advance(mm_lexer *lx, const char *text, size_t n)
{
    mm_pos p = lx->pos;
    const char *nl;
    const char *s = text, *end = text + n;
    while ((nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
        p.line++;
        p.col = 1;
        s = nl + 1;
    }
    p.col += (uint32_t)(end - s);
    p.off += (uint32_t)n;
    lx->pos = p;
}

mm_node *mm__parse_fragment(mm_file *f, const char *src, size_t len, mm_pos start, size_t end,
                            int mode, unsigned depth, mm_diags *d, mm_comment ***comments,
                            size_t *n_comments)
{
    static const int first[] = { FRAG_OPEN_CLOSE, FRAG_OPEN_NEXT, FRAG_PREV_CLOSE, FRAG_PREV_NEXT };
    size_t n = end - start.off;
    char *copy = mm_xmalloc(n + 2); /* flex scans in place and wants two NULs */
    memcpy(copy, src + start.off, n);
    copy[n] = copy[n + 1] = '\0';
    mm_pstate ps;
    memset(&ps, 0, sizeof ps);
    ps.f = f;
    ps.d = d;
    ps.frag_token = first[mode];
    ps.lx.src = src;
    ps.lx.len = len;
    ps.lx.d = d;
    ps.lx.pool = f->pool;
    ps.lx.diag_base = d->len;
    ps.lx.pos = start;
    ps.lx.tok_start = start;
    ps.lx.fragment = true;
    ps.lx.base_depth = ps.lx.depth = depth;
    ps.lx.last_ends = mode == MM_FRAG_PREV_CLOSE || mode == MM_FRAG_PREV_NEXT;
    if (mm_scan_lex_init_extra(&ps.lx, &ps.scanner) != 0)
        abort();
    YY_BUFFER_STATE buf = mm_scan__scan_buffer(copy, n + 2, ps.scanner);
    if (!buf)
        abort();
    mm__lx_set_bol(ps.scanner, start.off == 0 || src[start.off - 1] == '\n');
    size_t before = d->len;
    mm_yyparse(&ps);
    mm_scan__delete_buffer(buf, ps.scanner);
    mm_scan_lex_destroy(ps.scanner);
    mm_sb_free(&ps.lx.sb);
    free(copy);
    if (ps.lx.shebang) { /* only at offset 0, which no fragment starts at */
        free(ps.lx.shebang->text);
        free(ps.lx.shebang);
    }
    *comments = ps.lx.comments;
    *n_comments = ps.lx.n_comments;
    if (d->len != before || !ps.frag || ps.lx.pos.off != end) {
        mm_node_free(ps.frag);
        return NULL;
    }
    return ps.frag;
}
