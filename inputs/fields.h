/* inputs/fields.h — reader-independent entity building.
 * The YAML and SQLite readers turn what they read into in_value's and hand
 * them, field by field, to an in_entity; the field table in fields.c checks
 * names, types and ranges once for both readers and stores into the model.
 * Ownership: in_value's are borrowed for the duration of the call; strings
 * kept are copied into the model's arena. */
#ifndef IN_FIELDS_H
#define IN_FIELDS_H
#include "../models/model.h"

typedef enum in_kind {
    IN_NULL,    /* YAML ~/null/empty plain scalar, SQLite NULL */
    IN_PLAIN,   /* YAML plain scalar: text, may be a number */
    IN_STRING,  /* YAML quoted scalar or SQLite TEXT: always a string */
    IN_INT,     /* SQLite INTEGER */
    IN_REAL,    /* SQLite REAL */
    IN_BLOB,    /* SQLite BLOB (always a type error) */
    IN_SEQ,     /* YAML sequence or SQLite join-table list */
    IN_MAP      /* YAML mapping (a type error for entity fields) */
} in_kind;

typedef struct in_value {
    in_kind kind;
    const char *text;           /* IN_PLAIN, IN_STRING (NUL-terminated) */
    long long i;                /* IN_INT */
    double r;                   /* IN_REAL */
    const struct in_value *items; int nitems; /* IN_SEQ */
    md_loc loc;
} in_value;

typedef enum in_entity_kind {
    IN_E_TOPIC, IN_E_COUNTRY, IN_E_NEED, IN_E_DONOR, IN_E_COURSE, IN_E_RATE,
    IN_E_COMMITMENT, IN_E_RATING, IN_E_COUNT
} in_entity_kind;

/* YAML key / SQLite table name of each entity list ("topics", …) */
extern const char *const in_entity_lists[IN_E_COUNT];
/* The entity kind for a list key, or -1. */
int in_entity_kind_of(const char *list_key);

typedef struct in_entity {
    md_model *m;
    md_diag *d;
    in_entity_kind kind;
    void *e;                    /* the md_* entity being filled */
    unsigned seen;              /* bit per field already set */
    int errors;                 /* errors reported for this entity */
    md_loc loc;
} in_entity;

/* Starts a new entity at loc; returns 0, or -1 when out of memory. */
int in_entity_begin(in_entity *b, md_model *m, md_diag *d, in_entity_kind kind,
                    const md_loc *loc);
/* Sets one field. Unknown names (with a "did you mean" hint), wrong types,
 * out-of-range values and a field given twice are reported at key_loc /
 * v->loc. SQLite readers pass list fields (languages, topics, regions,
 * donor rule lists) as IN_SEQ built from the join tables. */
void in_entity_field(in_entity *b, const char *name, const md_loc *key_loc,
                     const in_value *v);
/* Reports missing required fields; the entity stays in the model either
 * way (validation needs it for duplicate-id checks). */
void in_entity_end(in_entity *b);

/* Limits on text (docs/limits.md): ids, codes, regions, providers and
 * other compared keys; names and titles; entries of one list. */
#define IN_MAX_ID_BYTES 64
#define IN_MAX_TEXT_BYTES 200
#define IN_MAX_LIST 1000
/* A course url: long enough for tracking parameters, short enough for a table cell. */
#define IN_MAX_URL_BYTES 1000
/* Paths in the scenario (include entries, output.dir): PATH_MAX, and no
 * control characters since messages print them. */
#define IN_MAX_PATH 4096

/* Messages quote at most IN_EXCERPT_CHARS characters of input text;
 * IN_EXCERPT_SIZE bytes hold any such excerpt. */
#define IN_EXCERPT_CHARS 32
#define IN_EXCERPT_SIZE 224

/* 0 when s is valid UTF-8 without unsafe characters, 1 when it holds an
 * unsafe one, 2 when it is not valid UTF-8. */
int in_text_problem(const char *s);
/* At most max_chars characters of s into buf (size ≥ 6 × max_chars + 16):
 * control characters and invalid bytes as \xNN, C1 and bidi controls as
 * \uNNNN, "…" when s is longer. Returns buf. */
const char *in_excerpt(char *buf, size_t size, const char *s, int max_chars);

/* The closest of n candidate names to s (edit distance ≤ 2), or NULL. */
const char *in_suggest(const char *s, const char *const *cands, int n);

/* Scalar conversions shared with the scenario settings. Each reports a
 * positioned error and returns -1 on failure. */
int in_value_number(md_diag *d, const in_value *v, const char *what, double *out);
int in_value_integer(md_diag *d, const in_value *v, const char *what, long long *out);
/* text of a string-like scalar (plain or quoted); NULL after an error */
const char *in_value_text(md_diag *d, const in_value *v, const char *what);
/* YYYY-MM-DD → YYYYMMDD (a real calendar date) */
int in_value_date(md_diag *d, const in_value *v, const char *what, int *out);

#endif
