/* inputs/topic_map.c — the topic_map file (docs/formats.md, "Topic names"):
 * lets a catalogue or needs list exported from another system keep its own
 * topic names. Only syntax is checked here; whether the target topic exists
 * and whether a name is claimed twice needs every topic, so models/alias.c
 * checks that during validation. */
#include "topic_map.h"
#include <string.h>

/* An external name or topic id as text (plain or quoted, safe, at most
 * IN_MAX_ID_BYTES bytes), or NULL after reporting. */
static const char *name_of(in_ydoc *doc, const in_ynode *n, const char *what, md_diag *d)
{
    char buf[IN_EXCERPT_SIZE + 8];
    md_loc l = in_ynode_loc(doc, n);
    if ((n->kind != IN_Y_PLAIN && n->kind != IN_Y_STRING) || !n->text || !n->text[0]) {
        md_error(d, MD_EX_DATAERR, &l, "topic_map %s must be a non-empty name, got %s", what,
                 in_ynode_show(n, buf, sizeof buf));
        return NULL;
    }
    size_t len = strlen(n->text);
    if (len > IN_MAX_ID_BYTES || in_text_problem(n->text) != 0 || n->text[0] == ' '
        || n->text[len - 1] == ' ') {
        md_error(d, MD_EX_DATAERR, &l, "topic_map %s must be a name of at most %d bytes without "
                 "control characters or surrounding spaces, got %s", what, IN_MAX_ID_BYTES,
                 in_ynode_show(n, buf, sizeof buf));
        return NULL;
    }
    return n->text;
}

void in_topic_map_read(in_ydoc *doc, md_model *m, md_diag *d)
{
    const in_ynode *root = doc->root;
    if (!root || root->kind == IN_Y_NULL) return; /* an empty map maps nothing */
    if (root->kind != IN_Y_MAP) {
        md_loc rl = in_ynode_loc(doc, root);
        md_error(d, MD_EX_DATAERR, &rl, "%s must be a mapping of external topic names to "
                 "topic ids", doc->file);
        return;
    }
    for (int i = 0; i + 1 < root->nkids; i += 2) {
        const in_ynode *k = root->kids[i], *v = root->kids[i + 1];
        if (k->dup) continue; /* reported by the parser */
        const char *name = name_of(doc, k, "name", d);
        const char *topic = name_of(doc, v, "topic id", d);
        if (!name || !topic) continue;
        md_alias *a = md_model_add_alias(m);
        md_loc l = in_ynode_loc(doc, k);
        if (a) {
            a->name = md_arena_strdup(&m->arena, name);
            a->topic = md_arena_strdup(&m->arena, topic);
            a->loc = l;
            a->loc.file = md_arena_strdup(&m->arena, l.file);
        }
        if (!a || !a->name || !a->topic || !a->loc.file) {
            md_error(d, MD_EX_SOFTWARE, &l, "out of memory");
            return;
        }
    }
}
