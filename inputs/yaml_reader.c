/* inputs/yaml_reader.c — libyaml event stream → node tree, with the checks
 * libyaml does not make (docs/formats.md, Reading YAML): duplicate keys, anchors/aliases
 * (rejected: they allow cycles and exponential expansion), nesting depth.
 * The tree is built with an explicit stack, so nothing recurses deeper than
 * IN_YAML_MAX_DEPTH. Scalars are typed the YAML 1.2 core way for nulls only
 * (empty, ~, null); everything else stays text until fields.c decides. */
#include "yaml_reader.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct frame {
    in_ynode *node;
    in_ynode **kids;
    int n, cap;
} frame;

typedef struct builder {
    in_ydoc *doc;
    md_diag *d;
    const char *buf;
    size_t len;
    frame stack[IN_YAML_MAX_DEPTH + 1];
    int depth;
    int code;               /* worst exit code reported */
    int docs;
    int fatal;              /* the parse stopped early: the tree is partial */
} builder;

static void err(builder *b, int code, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void err(builder *b, int code, int line, int col, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    md_loc loc = { .file = b->doc->file, .line = line, .col = col };
    md_error(b->d, code, &loc, "%s", msg);
    if (code == MD_EX_SOFTWARE || !b->code) b->code = code;
}

static in_ynode *new_node(builder *b, in_ykind kind, const yaml_mark_t *mark)
{
    in_ynode *n = md_arena_alloc(&b->doc->arena, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->line = (int)mark->line + 1;
    n->col = (int)mark->column + 1;
    return n;
}

/* Appends n to the open container, or makes it the root. */
static int attach(builder *b, in_ynode *n)
{
    if (b->depth == 0) { b->doc->root = n; return 0; }
    frame *f = &b->stack[b->depth - 1];
    if (f->n == f->cap) {
        int ncap = f->cap ? f->cap * 2 : 8;
        in_ynode **p = realloc(f->kids, sizeof *p * (size_t)ncap);
        if (!p) return -1;
        f->kids = p;
        f->cap = ncap;
    }
    f->kids[f->n++] = n;
    return 0;
}

static int key_equal(const in_ynode *a, const in_ynode *b)
{
    return a->text && b->text && strcmp(a->text, b->text) == 0;
}

/* Marks and reports repeated keys of a finished mapping. Small mappings
 * (all entity mappings) are checked pairwise; big ones through a hash. */
static int check_keys(builder *b, in_ynode *map)
{
    int npairs = map->nkids / 2;
    md_index ix;
    int big = npairs > 32;
    if (big) md_index_init(&ix);
    for (int i = 0; i < npairs; i++) {
        in_ynode *k = map->kids[2 * i];
        if (k->kind == IN_Y_SEQ || k->kind == IN_Y_MAP) {
            err(b, MD_EX_DATAERR, k->line, k->col, "mapping keys must be scalars");
            k->dup = 1;
            continue;
        }
        if (!k->text) { k->dup = 1; continue; } /* null key: reported by the walker */
        int first = -1;
        if (big) {
            int r = md_index_put(&ix, k->text, i);
            if (r == -2) { md_index_free(&ix); return -1; }
            first = r;
        } else {
            for (int j = 0; j < i && first < 0; j++)
                if (!map->kids[2 * j]->dup && key_equal(map->kids[2 * j], k)) first = j;
        }
        if (first >= 0) {
            md_loc loc = { .file = b->doc->file, .line = k->line, .col = k->col };
            char show[IN_EXCERPT_SIZE + 8];
            md_error(b->d, MD_EX_DATAERR, &loc, "duplicate key %s (first given at line %d)",
                     in_ynode_show(k, show, sizeof show), map->kids[2 * first]->line);
            if (!b->code) b->code = MD_EX_DATAERR;
            k->dup = 1;
        }
    }
    if (big) md_index_free(&ix);
    return 0;
}

/* Closes the innermost container: its kids move into the arena. */
static int close_frame(builder *b)
{
    frame *f = &b->stack[--b->depth];
    in_ynode *n = f->node;
    if (f->n) {
        n->kids = md_arena_alloc(&b->doc->arena, sizeof *n->kids * (size_t)f->n);
        if (!n->kids) return -1;
        memcpy(n->kids, f->kids, sizeof *n->kids * (size_t)f->n);
    }
    n->nkids = f->n;
    free(f->kids);
    f->kids = NULL;
    if (n->kind == IN_Y_MAP && check_keys(b, n) != 0) return -1;
    return 0;
}

static const char *TAG_STR = "tag:yaml.org,2002:str";

/* Kind of a scalar event; -1 for an unsupported tag (reported). */
static int scalar_kind(builder *b, const yaml_event_t *e)
{
    const char *tag = (const char *)e->data.scalar.tag;
    const char *v = (const char *)e->data.scalar.value;
    size_t len = e->data.scalar.length;
    if (tag) {
        if (strcmp(tag, "!") == 0 || strcmp(tag, TAG_STR) == 0 ||
            strcmp(tag, "tag:yaml.org,2002:timestamp") == 0)
            return IN_Y_STRING; /* dates are checked as text by fields.c */
        if (strcmp(tag, "tag:yaml.org,2002:null") == 0) return IN_Y_NULL;
        if (strcmp(tag, "tag:yaml.org,2002:int") == 0 ||
            strcmp(tag, "tag:yaml.org,2002:float") == 0) return IN_Y_PLAIN;
        char ex[IN_EXCERPT_SIZE];
        err(b, MD_EX_DATAERR, (int)e->start_mark.line + 1, (int)e->start_mark.column + 1,
            "unsupported YAML tag '%s'", in_excerpt(ex, sizeof ex, tag, IN_EXCERPT_CHARS));
        return -1;
    }
    if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return IN_Y_STRING;
    if (len == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
        strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0)
        return IN_Y_NULL;
    return IN_Y_PLAIN;
}

static int container_tag_ok(builder *b, const yaml_event_t *e, const unsigned char *tag,
                            const char *want)
{
    if (!tag || strcmp((const char *)tag, want) == 0 || strcmp((const char *)tag, "!") == 0)
        return 1;
    char ex[IN_EXCERPT_SIZE];
    err(b, MD_EX_DATAERR, (int)e->start_mark.line + 1, (int)e->start_mark.column + 1,
        "unsupported YAML tag '%s'", in_excerpt(ex, sizeof ex, (const char *)tag, IN_EXCERPT_CHARS));
    return 0;
}

/* 1-based line and column of a byte offset (for encoding errors, which
 * libyaml reports by offset only). */
static void offset_pos(const char *buf, size_t len, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') { (*line)++; *col = 1; }
        else if (((unsigned char)buf[i] & 0xc0) != 0x80) (*col)++;
    }
}

static void syntax_error(builder *b, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        err(b, MD_EX_SOFTWARE, 0, 0, "out of memory while reading YAML");
        return;
    }
    int line, col;
    char msg[300];
    if (p->error == YAML_READER_ERROR) {
        size_t off = p->problem_offset;
        /* libyaml points at the bad trailing byte; the user's broken
         * character starts at its lead byte */
        if (p->problem && strstr(p->problem, "trailing") && off <= b->len) {
            while (off > 0 && ((unsigned char)b->buf[off - 1] & 0xc0) == 0x80) off--;
            if (off > 0 && ((unsigned char)b->buf[off - 1] & 0xc0) == 0xc0) off--;
        }
        offset_pos(b->buf, b->len, off, &line, &col);
        snprintf(msg, sizeof msg, "%s", p->problem ? p->problem : "unreadable text");
        err(b, MD_EX_DATAERR, line, col, "invalid text encoding: %s (YAML files must be UTF-8)", msg);
        return;
    }
    line = (int)p->problem_mark.line + 1;
    col = (int)p->problem_mark.column + 1;
    if (p->context)
        snprintf(msg, sizeof msg, "%s %s (line %d)", p->problem ? p->problem : "syntax error",
                 p->context, (int)p->context_mark.line + 1);
    else
        snprintf(msg, sizeof msg, "%s", p->problem ? p->problem : "syntax error");
    err(b, MD_EX_DATAERR, line, col, "YAML syntax error: %s", msg);
}

/* One event; returns 1 to go on, 0 at the end, -1 after a fatal error. */
static int on_event(builder *b, const yaml_event_t *e)
{
    int line = (int)e->start_mark.line + 1, col = (int)e->start_mark.column + 1;
    in_ynode *n = NULL;
    char ex[IN_EXCERPT_SIZE];
    switch (e->type) {
    case YAML_STREAM_END_EVENT:
        return 0;
    case YAML_DOCUMENT_START_EVENT:
        if (++b->docs > 1) {
            err(b, MD_EX_DATAERR, line, col, "a file may hold only one YAML document");
            return -1;
        }
        return 1;
    case YAML_ALIAS_EVENT:
        err(b, MD_EX_DATAERR, line, col, "YAML aliases (*%s) are not supported",
            in_excerpt(ex, sizeof ex, (const char *)e->data.alias.anchor, IN_EXCERPT_CHARS));
        return -1;
    case YAML_SCALAR_EVENT: {
        if (e->data.scalar.anchor) {
            err(b, MD_EX_DATAERR, line, col, "YAML anchors (&%s) are not supported",
                in_excerpt(ex, sizeof ex, (const char *)e->data.scalar.anchor, IN_EXCERPT_CHARS));
            return -1;
        }
        int k = scalar_kind(b, e);
        if (k < 0) return -1;
        if (memchr(e->data.scalar.value, 0, e->data.scalar.length)) {
            err(b, MD_EX_DATAERR, line, col, "a NUL character is not allowed in text");
            return -1;
        }
        if (!(n = new_node(b, (in_ykind)k, &e->start_mark))) return -2;
        if (k != IN_Y_NULL &&
            !(n->text = md_arena_strndup(&b->doc->arena, (const char *)e->data.scalar.value,
                                         e->data.scalar.length)))
            return -2;
        return attach(b, n) == 0 ? 1 : -2;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int seq = e->type == YAML_SEQUENCE_START_EVENT;
        const unsigned char *anchor = seq ? e->data.sequence_start.anchor : e->data.mapping_start.anchor;
        const unsigned char *tag = seq ? e->data.sequence_start.tag : e->data.mapping_start.tag;
        if (anchor) {
            err(b, MD_EX_DATAERR, line, col, "YAML anchors (&%s) are not supported",
                in_excerpt(ex, sizeof ex, (const char *)anchor, IN_EXCERPT_CHARS));
            return -1;
        }
        if (!container_tag_ok(b, e, tag, seq ? "tag:yaml.org,2002:seq" : "tag:yaml.org,2002:map"))
            return -1;
        if (b->depth >= IN_YAML_MAX_DEPTH) {
            err(b, MD_EX_DATAERR, line, col, "YAML nesting deeper than %d levels", IN_YAML_MAX_DEPTH);
            return -1;
        }
        if (!(n = new_node(b, seq ? IN_Y_SEQ : IN_Y_MAP, &e->start_mark))) return -2;
        if (attach(b, n) != 0) return -2;
        frame *f = &b->stack[b->depth++];
        memset(f, 0, sizeof *f);
        f->node = n;
        return 1;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (b->depth == 0) return 1; /* cannot happen with libyaml */
        return close_frame(b) == 0 ? 1 : -2;
    default:
        return 1;
    }
}

int in_yaml_parse(in_ydoc *doc, const char *buf, size_t len, const char *file, md_diag *d)
{
    memset(doc, 0, sizeof *doc);
    md_arena_init(&doc->arena);
    doc->file = file;
    builder b = { .doc = doc, .d = d, .buf = buf, .len = len };
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        err(&b, MD_EX_SOFTWARE, 0, 0, "out of memory while reading YAML");
        return b.code;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) { syntax_error(&b, &p); b.fatal = 1; break; }
        int r = on_event(&b, &e);
        yaml_event_delete(&e);
        if (r == -2) err(&b, MD_EX_SOFTWARE, 0, 0, "out of memory while reading YAML");
        if (r < 0) b.fatal = 1;
        if (r <= 0) break;
    }
    yaml_parser_delete(&p);
    while (b.depth > 0) free(b.stack[--b.depth].kids);
    /* A partial tree would only add misleading "missing field" errors; a
     * tree with duplicate keys is complete and still worth walking. */
    if (b.fatal) doc->root = NULL;
    return b.code;
}

void in_yaml_free(in_ydoc *doc)
{
    md_arena_free(&doc->arena);
    doc->root = NULL;
}

md_loc in_ynode_loc(const in_ydoc *doc, const in_ynode *n)
{
    md_loc l = { .file = doc->file, .line = n->line, .col = n->col };
    return l;
}

int in_ynode_value(in_ydoc *doc, const in_ynode *n, in_value *v)
{
    memset(v, 0, sizeof *v);
    v->loc = in_ynode_loc(doc, n);
    switch (n->kind) {
    case IN_Y_NULL: v->kind = IN_NULL; return 0;
    case IN_Y_PLAIN: v->kind = IN_PLAIN; v->text = n->text; return 0;
    case IN_Y_STRING: v->kind = IN_STRING; v->text = n->text; return 0;
    case IN_Y_MAP: v->kind = IN_MAP; return 0;
    case IN_Y_SEQ: break;
    }
    v->kind = IN_SEQ;
    if (n->nkids == 0) return 0;
    in_value *items = md_arena_alloc(&doc->arena, sizeof *items * (size_t)n->nkids);
    if (!items) return -1;
    for (int i = 0; i < n->nkids; i++)
        if (in_ynode_value(doc, n->kids[i], &items[i]) != 0) return -1; /* depth ≤ 64 */
    v->items = items;
    v->nitems = n->nkids;
    return 0;
}

const char *in_ynode_show(const in_ynode *n, char *buf, size_t size)
{
    switch (n->kind) {
    case IN_Y_NULL: return "null";
    case IN_Y_SEQ: return "a list";
    case IN_Y_MAP: return "a mapping";
    default: break;
    }
    if (size < 3) return "";
    buf[0] = '\'';
    in_excerpt(buf + 1, size - 2, n->text, IN_EXCERPT_CHARS);
    strcat(buf, "'");
    return buf;
}

static void entity(in_ydoc *doc, in_entity_kind kind, const in_ynode *map, md_model *m,
                   md_diag *d)
{
    in_entity b;
    md_loc loc = in_ynode_loc(doc, map);
    if (in_entity_begin(&b, m, d, kind, &loc) != 0) {
        md_error(d, MD_EX_SOFTWARE, &loc, "out of memory");
        return;
    }
    for (int i = 0; i + 1 < map->nkids; i += 2) {
        const in_ynode *k = map->kids[i], *val = map->kids[i + 1];
        md_loc kl = in_ynode_loc(doc, k);
        if (k->dup) continue;
        if (!k->text) {
            md_error(d, MD_EX_DATAERR, &kl, "a key must not be empty or null");
            continue;
        }
        in_value v;
        if (in_ynode_value(doc, val, &v) != 0) {
            md_error(d, MD_EX_SOFTWARE, &kl, "out of memory");
            return;
        }
        in_entity_field(&b, k->text, &kl, &v);
    }
    in_entity_end(&b);
}

void in_yaml_entities(in_ydoc *doc, in_entity_kind kind, const in_ynode *list,
                      md_model *m, md_diag *d)
{
    md_loc loc = in_ynode_loc(doc, list);
    char buf[IN_EXCERPT_SIZE + 8];
    if (list->kind == IN_Y_NULL) return; /* `needs:` with nothing: no entities */
    if (list->kind != IN_Y_SEQ) {
        md_error(d, MD_EX_DATAERR, &loc, "%s must be a list, got %s", in_entity_lists[kind],
                 in_ynode_show(list, buf, sizeof buf));
        return;
    }
    /* out of memory (the only 70 a reader raises): one message, not one per entry */
    for (int i = 0; i < list->nkids && d->exit_code != MD_EX_SOFTWARE; i++) {
        const in_ynode *it = list->kids[i];
        if (it->kind != IN_Y_MAP) {
            md_loc il = in_ynode_loc(doc, it);
            md_error(d, MD_EX_DATAERR, &il, "each entry of %s must be a mapping, got %s",
                     in_entity_lists[kind], in_ynode_show(it, buf, sizeof buf));
            continue;
        }
        entity(doc, kind, it, m, d);
    }
}
