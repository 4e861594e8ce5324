/* outputs/report_quality.c — the reports' "Course quality" section: for
 * every course, the quality it declares, the rating responses received and
 * the estimate this run used (models/quality.c), so that a reader sees why a
 * course passed or failed min_quality. Courses in id order. */
#include "feedback.h"

static const char *num(char *buf, double v) { return out_fmt_number(buf, v); }

static long rated(const md_model *m)
{
    long n = 0;
    for (int k = 0; k < m->ncourses; k++) n += m->courses[k].rating_responses > 0;
    return n;
}

/* The formula and how many courses have ratings: plain text, the same in
 * both reports (nothing in it needs escaping). */
static void intro(FILE *f, const md_model *m)
{
    char w[32];
    fprintf(f, "The quality a run uses is (w × prior + Σ score × responses) / (w + Σ responses) "
            "with w = %s; the prior is the declared quality, else the provider's mean, else the "
            "mean of all courses. %ld of %d course%s received ratings.",
            num(w, m->set.rating_weight), rated(m), m->ncourses, m->ncourses == 1 ? "" : "s");
}

void out_report_quality_md(FILE *f, const md_model *m)
{
    char a[32], b[32];
    fputs("\n## Course quality\n\n", f);
    intro(f, m);
    fputs("\n\n", f);
    if (m->ncourses == 0) return;
    fputs("| Course | Provider | Declared quality | Responses | Quality used |\n"
          "|---|---|--:|--:|--:|\n", f);
    for (int k = 0; k < m->ncourses; k++) {
        const md_course *c = &m->courses[k];
        fputs("| ", f); out_md_text(f, c->id);
        fputs(" | ", f); out_md_text(f, c->provider ? c->provider : "");
        fprintf(f, " | %s | %ld | %s |\n", c->quality_declared < 0 ? "none" : num(a, c->quality_declared),
                c->rating_responses, c->quality < 0 ? "unrated" : num(b, c->quality));
    }
}

void out_report_quality_html(FILE *f, const md_model *m)
{
    char a[32], b[32];
    fputs("<section id=\"quality\"><h2>Course quality</h2>\n", f);
    fputs("<p>", f);
    intro(f, m);
    fputs("</p>\n", f);
    if (m->ncourses > 0) {
        fputs("<table><thead><tr><th>Course</th><th>Provider</th><th class=\"n\">Declared quality</th>"
              "<th class=\"n\">Responses</th><th class=\"n\">Quality used</th></tr></thead><tbody>\n", f);
        for (int k = 0; k < m->ncourses; k++) {
            const md_course *c = &m->courses[k];
            fputs("<tr><td>", f); out_html_text(f, c->id);
            fputs("</td><td>", f); out_html_text(f, c->provider ? c->provider : "");
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%ld</td><td class=\"n\">%s</td></tr>\n",
                    c->quality_declared < 0 ? "none" : num(a, c->quality_declared), c->rating_responses,
                    c->quality < 0 ? "unrated" : num(b, c->quality));
        }
        fputs("</tbody></table>\n", f);
    }
    fputs("</section>\n", f);
}
