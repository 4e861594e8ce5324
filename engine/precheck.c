/* engine/precheck.c — eng_precheck(): the engine tables are built (which
 * checks every commitment against the eligibility rules) and dropped, so
 * that a model is refused for the same reasons and with the same messages
 * as the solve would refuse it, without any LP being built. */
#include "precheck.h"
#include "eng_int.h"

int eng_precheck(const md_model *m, md_diag *d)
{
    eng_tab T;
    int rc = eng_tab_build(m, 0, &T, d);
    if (rc == 0) eng_tab_free(&T);
    return rc;
}
