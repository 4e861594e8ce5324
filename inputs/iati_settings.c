/* inputs/iati_settings.c — output.iati.reporting_org {ref, name, type}.
 * ref becomes the prefix of every iati-identifier, so it is limited to the
 * characters IATI organisation identifiers use (letters, digits, '-', '.',
 * '_'; no spaces and none of / & | ? that IATI forbids in identifiers); type
 * must be an OrganisationType code; all three are required. */
#include "iati_settings.h"
#include <string.h>

static const char *const keys[] = { "ref", "name", "type" };
enum { NKEYS = 3 };

static void err(in_ydoc *doc, md_diag *d, const in_ynode *n, const char *msg, const in_ynode *shown)
{
    char buf[IN_EXCERPT_SIZE + 8];
    md_loc loc = in_ynode_loc(doc, n);
    if (shown)
        md_error(d, MD_EX_DATAERR, &loc, "%s, got %s", msg, in_ynode_show(shown, buf, sizeof buf));
    else
        md_error(d, MD_EX_DATAERR, &loc, "%s", msg);
}

/* 1 when n is a mapping; 0 for null or after reporting a type error */
static int is_map(in_ydoc *doc, md_diag *d, const in_ynode *n, const char *what)
{
    char msg[80];
    if (n->kind == IN_Y_MAP) return 1;
    snprintf(msg, sizeof msg, "%s must be a mapping", what);
    if (n->kind != IN_Y_NULL) err(doc, d, n, msg, n);
    return 0;
}

/* Index of key k among names, or -1 after reporting it (duplicates were
 * reported by the parser). */
static int key_of(in_ydoc *doc, md_diag *d, const in_ynode *k, const char *const *names, int n,
                  const char *what)
{
    char buf[IN_EXCERPT_SIZE + 8];
    if (k->dup) return -1;
    for (int i = 0; k->text && i < n; i++)
        if (strcmp(k->text, names[i]) == 0) return i;
    const char *hint = k->text ? in_suggest(k->text, names, n) : NULL;
    md_loc loc = in_ynode_loc(doc, k);
    md_error(d, MD_EX_DATAERR, &loc, "unknown key %s in %s%s%s%s", in_ynode_show(k, buf, sizeof buf),
             what, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
    return -1;
}

static int ref_ok(const char *s)
{
    if (!*s || strlen(s) > IN_MAX_ID_BYTES) return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '.' || *s == '_'))
            return 0;
    return 1;
}

static void reporting_org(in_ydoc *doc, const in_ynode *key, const in_ynode *val, md_model *m,
                          md_diag *d)
{
    const char *got[NKEYS] = { NULL, NULL, NULL };
    int bad = 0, seen[NKEYS] = { 0, 0, 0 };
    if (!is_map(doc, d, val, "output.iati.reporting_org")) {
        if (val->kind == IN_Y_NULL)
            err(doc, d, key, "output.iati.reporting_org needs ref, name and type", NULL);
        return;
    }
    for (int i = 0; i + 1 < val->nkids; i += 2) {
        const in_ynode *v = val->kids[i + 1];
        int f = key_of(doc, d, val->kids[i], keys, NKEYS, "output.iati.reporting_org");
        if (f < 0) { bad = 1; continue; }
        seen[f] = 1;
        char what[48];
        snprintf(what, sizeof what, "output.iati.reporting_org.%s", keys[f]);
        in_value iv;
        if (in_ynode_value(doc, v, &iv) != 0) {
            md_loc loc = in_ynode_loc(doc, v);
            md_error(d, MD_EX_SOFTWARE, &loc, "out of memory");
            bad = 1;
            continue;
        }
        const char *s = v->kind == IN_Y_NULL ? NULL : in_value_text(d, &iv, what);
        if (!s) {
            if (v->kind == IN_Y_NULL) {
                char msg[96];
                snprintf(msg, sizeof msg, "%s must not be empty", what);
                err(doc, d, v, msg, NULL);
            }
            bad = 1;
            continue;
        }
        char msg[200];
        if (f == 0 && !ref_ok(s)) {
            snprintf(msg, sizeof msg, "%s must be an IATI organisation identifier of at most %d "
                     "letters, digits, '-', '.' or '_'", what, IN_MAX_ID_BYTES);
            err(doc, d, v, msg, v);
            bad = 1;
        } else if (f == 1 && (!*s || strlen(s) > IN_MAX_TEXT_BYTES || in_text_problem(s) != 0)) {
            snprintf(msg, sizeof msg, "%s must be a name of at most %d bytes without control "
                     "characters", what, IN_MAX_TEXT_BYTES);
            err(doc, d, v, msg, v);
            bad = 1;
        } else if (f == 2 && !md_is_iati_org_type(s)) {
            snprintf(msg, sizeof msg, "%s must be an IATI OrganisationType code (10 government, "
                     "40 multilateral, 21 international NGO, 60 foundation, …)", what);
            err(doc, d, v, msg, v);
            bad = 1;
        } else {
            got[f] = s;
        }
    }
    for (int f = 0; f < NKEYS; f++) {
        if (seen[f]) continue;
        char msg[96];
        snprintf(msg, sizeof msg, "output.iati.reporting_org needs %s", keys[f]);
        err(doc, d, key, msg, NULL);
        bad = 1;
    }
    if (bad) { /* reported: md_validate_iati must not add "needs reporting_org" */
        m->set.iati_ref = "";
        return;
    }
    m->set.iati_ref = md_arena_strdup(&m->arena, got[0]);
    m->set.iati_name = md_arena_strdup(&m->arena, got[1]);
    m->set.iati_type = md_arena_strdup(&m->arena, got[2]);
    if (!m->set.iati_ref || !m->set.iati_name || !m->set.iati_type) {
        md_loc loc = in_ynode_loc(doc, val);
        md_error(d, MD_EX_SOFTWARE, &loc, "out of memory");
    }
}

void in_iati_settings(in_ydoc *doc, const in_ynode *val, md_model *m, md_diag *d)
{
    static const char *const names[] = { "reporting_org" };
    if (!is_map(doc, d, val, "output.iati")) return;
    for (int i = 0; i + 1 < val->nkids; i += 2)
        if (key_of(doc, d, val->kids[i], names, 1, "output.iati") == 0)
            reporting_org(doc, val->kids[i], val->kids[i + 1], m, d);
}
