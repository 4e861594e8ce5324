/* inputs/yaml_reader.h — YAML text → a small checked node tree, and the
 * walk from entity lists in that tree to in_entity calls. Internal to inputs/.
 * Ownership: an in_ydoc owns its nodes and strings (its own arena);
 * in_yaml_free() releases them. The model never points into a document. */
#ifndef IN_YAML_READER_H
#define IN_YAML_READER_H
#include "fields.h"
#include <stddef.h>

/* Limits on untrusted input: nesting depth and file size. */
#define IN_YAML_MAX_DEPTH 64
#define IN_YAML_MAX_BYTES (64u * 1024 * 1024)

typedef enum in_ykind { IN_Y_NULL, IN_Y_PLAIN, IN_Y_STRING, IN_Y_SEQ, IN_Y_MAP } in_ykind;

typedef struct in_ynode {
    in_ykind kind;
    int dup;                 /* a map key seen before in its mapping: skip the pair */
    const char *text;        /* scalars (NUL-terminated, no inner NUL) */
    int line, col;           /* 1-based */
    struct in_ynode **kids;  /* seq: items; map: key, value, key, value, … */
    int nkids;
} in_ynode;

typedef struct in_ydoc {
    md_arena arena;
    const char *file;        /* name shown in messages (borrowed) */
    in_ynode *root;          /* NULL for a file without a document */
} in_ydoc;

/* Parses len bytes of buf. Duplicate keys are reported (and marked dup),
 * as are anchors, aliases, unsupported tags, nesting beyond
 * IN_YAML_MAX_DEPTH, several documents and syntax or encoding errors (the
 * last four stop the parse). Returns 0 when no error was reported, else the
 * exit code (65; 70 when out of memory). The caller frees doc. */
int in_yaml_parse(in_ydoc *doc, const char *buf, size_t len, const char *file, md_diag *d);
void in_yaml_free(in_ydoc *doc);

md_loc in_ynode_loc(const in_ydoc *doc, const in_ynode *n);
/* The node as an in_value (sequences recursively, items in doc's arena).
 * Returns 0, or -1 when out of memory. */
int in_ynode_value(in_ydoc *doc, const in_ynode *n, in_value *v);
/* "a list", "a mapping", "'text'" … for messages; text is an excerpt
 * (in_excerpt), so buf needs IN_EXCERPT_SIZE + 8 bytes. */
const char *in_ynode_show(const in_ynode *n, char *buf, size_t size);

/* Adds every entity of one list (the value of a `donors:` key) to m. */
void in_yaml_entities(in_ydoc *doc, in_entity_kind kind, const in_ynode *list,
                      md_model *m, md_diag *d);

#endif
