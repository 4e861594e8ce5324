/* tests/unit_warn.c — the pieces under the input warnings: edit-distance
 * hints (models/suggest.c) and the warnings an md_diag keeps for the outputs
 * and prints as errors under --strict (models/diag.c). The warnings
 * themselves are checked end to end by tests/t_warnings.sh. */
#include "check.h"
#include "../models/model.h"
#include "../models/suggest.h"
#include <stdlib.h>

static void test_distance(void)
{
    CHECK(md_edit_distance("KEN", "KEN") == 0);
    CHECK(md_edit_distance("KNE", "KEN") == 1);       /* a swap is one edit */
    CHECK(md_edit_distance("Afirca", "Africa") == 1);
    CHECK(md_edit_distance("africa", "Africa") == 0);  /* case is ignored */
    CHECK(md_edit_distance("Pacfic", "Pacific") == 1);
    CHECK(md_edit_distance("", "abc") == 3);
    CHECK(md_edit_distance("kitten", "sitting") == 3);
    char longw[100];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    CHECK(md_edit_distance(longw, "a") > 2);           /* too long: never close */
}

static void test_suggest(void)
{
    const char *regions[] = { "Africa", "Asia-Pacific", "Pacific", NULL, "Europe" };
    CHECK_STR(md_suggest("Afirca", regions, 5), "Africa");
    CHECK_STR(md_suggest("Pacifc", regions, 5), "Pacific");
    CHECK_STR(md_suggest("africa", regions, 5), "Africa");
    CHECK(md_suggest("Africa", regions, 5) == NULL);   /* itself is no hint */
    CHECK(md_suggest("Antarctica", regions, 5) == NULL);
    CHECK(md_suggest("", regions, 5) == NULL);
    CHECK(md_suggest(NULL, regions, 5) == NULL);
    const char *codes[] = { "KEN", "GHA", "FJI" };
    CHECK_STR(md_suggest("KNE", codes, 3), "KEN");
    CHECK(md_suggest("KXX", codes, 3) == NULL);        /* 2 edits on a short word */
    CHECK_STR(md_suggest("GH", codes, 3), "GHA");       /* one edit, two letters */
    CHECK(md_suggest("G", codes, 3) == NULL);          /* as many edits as letters */
    /* ties go to the first candidate */
    const char *two[] = { "ab1", "ab2" };
    CHECK_STR(md_suggest("ab3", two, 2), "ab1");

    md_model m;
    md_model_init(&m);
    const char *cc[] = { "KEN", "GHA", "UKR" };
    for (int i = 0; i < 3; i++) {
        md_country *c = md_model_add_country(&m);
        CHECK(c != NULL);
        if (c) c->code = cc[i];
    }
    md_topic *t = md_model_add_topic(&m);
    CHECK(t != NULL);
    if (t) t->id = "international-law";
    CHECK_STR(md_suggest_country(&m, "KNE"), "KEN");
    CHECK_STR(md_suggest_country(&m, "URK"), "UKR");
    CHECK(md_suggest_country(&m, "FRA") == NULL);
    CHECK(md_suggest_country(&m, "KEN") == NULL);
    CHECK_STR(md_suggest_topic(&m, "internatinal-law"), "international-law");
    CHECK(md_suggest_topic(&m, "cybercrime") == NULL);
    md_model_free(&m);
}

/* Runs three warnings and an error through a diag writing to memory. */
static char *run_diag(md_diag *d, int keep, int strict)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    md_diag_init(d, f);
    if (keep) md_diag_keep_warnings(d, strict);
    md_loc yaml = { .file = "donors.yaml", .line = 12, .col = 5 };
    md_loc row = { .file = "cat.db", .table = "donors", .key = "d4" };
    md_warn(d, &yaml, "donor '%s' lists region '%s'", "x", "Afirca");
    md_warn(d, &row, "budget %.2f", 12.5);
    md_warn(d, NULL, "no position");
    md_error(d, MD_EX_DATAERR, &yaml, "a real error");
    fclose(f);
    return buf;
}

static void test_diag(void)
{
    md_diag d;
    char *out = run_diag(&d, 1, 0);
    CHECK_STR(out, "capmatch: donors.yaml:12:5: warning: donor 'x' lists region 'Afirca'\n"
                   "capmatch: cat.db: table donors, row d4: warning: budget 12.50\n"
                   "capmatch: warning: no position\n"
                   "capmatch: donors.yaml:12:5: error: a real error\n");
    CHECK(d.nwarned == 3 && d.nerrors == 1 && d.exit_code == MD_EX_DATAERR);
    CHECK(d.nwarnings == 3);
    if (d.nwarnings == 3) {
        CHECK_STR(d.warnings[0], "donors.yaml:12:5: donor 'x' lists region 'Afirca'");
        CHECK_STR(d.warnings[1], "cat.db: table donors, row d4: budget 12.50");
        CHECK_STR(d.warnings[2], "no position");
    }
    md_diag_free(&d);
    CHECK(d.nwarnings == 0 && d.warnings == NULL);
    free(out);

    /* --strict: the same lines as errors; they still do not count as errors */
    out = run_diag(&d, 1, 1);
    CHECK_STR(out, "capmatch: donors.yaml:12:5: error: donor 'x' lists region 'Afirca'\n"
                   "capmatch: cat.db: table donors, row d4: error: budget 12.50\n"
                   "capmatch: error: no position\n"
                   "capmatch: donors.yaml:12:5: error: a real error\n");
    CHECK(d.nwarned == 3 && d.nerrors == 1 && d.nwarnings == 3);
    md_diag_free(&d);
    free(out);

    /* without keeping, warnings are only printed and counted */
    out = run_diag(&d, 0, 0);
    CHECK(d.nwarned == 3 && d.nwarnings == 0 && d.warnings == NULL);
    CHECK(strstr(out, "capmatch: warning: no position\n") != NULL);
    md_diag_free(&d);
    free(out);

    /* many warnings: the list grows */
    md_diag_init(&d, NULL);
    md_diag_keep_warnings(&d, 0);
    for (int i = 0; i < 100; i++) md_warn(&d, NULL, "w%d", i);
    CHECK(d.nwarnings == 100 && d.nerrors == 0);
    if (d.nwarnings == 100) CHECK_STR(d.warnings[99], "w99");
    md_diag_free(&d);
}

int main(void)
{
    test_distance();
    test_suggest();
    test_diag();
    return CHECK_DONE();
}
