/* tests/unit_quality.c — the quality estimate from ratings (models/quality.c)
 * against hand-computed values, and topic aliases (models/alias.c): every
 * reference rewritten to the canonical id. Scenarios are written to a
 * temporary folder and loaded with in_load(), as a run does. */
#include "check.h"
#include "../inputs/inputs.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/unit_quality.XXXXXX";

static int write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

/* Loads dir/name into m; returns in_load's code. Messages go to stderr. */
static int load(const char *name, md_model *m)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    md_diag d;
    md_diag_init(&d, NULL);
    md_model_init(m);
    return in_load(path, m, &d);
}

static const md_course *course(const md_model *m, const char *id)
{
    int k = md_find_course(m, id);
    return k >= 0 ? &m->courses[k] : NULL;
}

#define COURSE(id, rest) "  - {id: " id ", topics: [t], language: en, format: online, cost_per_seat: 10" rest "}\n"

static const char *const base =
    "currency: USD\n%s"
    "topics: [{id: t}]\n"
    "courses:\n"
    COURSE("a", ", provider: P, quality: 4")    /* declared 4, rated */
    COURSE("d", ", provider: P, quality: 3")
    COURSE("f", ", provider: R, quality: 4.5")
    COURSE("b", ", provider: P")                /* no ratings, rated provider */
    COURSE("b2", ", provider: P")               /* ratings, rated provider */
    COURSE("c", ", provider: Q")                /* ratings, provider declares nothing */
    COURSE("e", ", provider: Q")                /* nothing at all: unrated */
    COURSE("g", "")                             /* no provider, nothing: unrated */
    "ratings:\n"
    "  - {course: a, score: 2, responses: 10, collected: 2026-05-01}\n"
    "  - {course: a, score: 5, responses: 2, collected: 2026-06-01}\n"
    "  - {course: b2, score: 1, responses: 5, collected: 2026-06-01}\n"
    "  - {course: c, score: 5, responses: 5, collected: 2026-06-01}\n";

static void shrinkage(void)
{
    char text[4096];
    md_model m;
    snprintf(text, sizeof text, base, "");
    CHECK(write_file("q.yaml", text) == 0);
    CHECK(load("q.yaml", &m) == 0);
    const md_course *a = course(&m, "a"), *b = course(&m, "b"), *b2 = course(&m, "b2"),
                    *c = course(&m, "c"), *e = course(&m, "e"), *g = course(&m, "g"),
                    *d = course(&m, "d");
    CHECK(a && b && b2 && c && e && g && d);
    if (a && b && b2 && c && e && g && d) {
        /* (5·4 + 2·10 + 5·2) / (5 + 12) = 50/17 */
        CHECK_NEAR(a->quality, 50.0 / 17.0, 1e-12);
        CHECK_NEAR(a->quality_declared, 4, 0);
        CHECK(a->rating_responses == 12);
        /* no ratings: the provider's declared mean (4 + 3) / 2 */
        CHECK_NEAR(b->quality, 3.5, 1e-12);
        CHECK(b->quality_declared < 0 && b->rating_responses == 0);
        /* (5·3.5 + 1·5) / (5 + 5) = 2.25 */
        CHECK_NEAR(b2->quality, 2.25, 1e-12);
        /* Q declares nothing: the mean of all declared (4 + 3 + 4.5) / 3 */
        CHECK_NEAR(c->quality, (5 * (11.5 / 3) + 25) / 10, 1e-12);
        /* nothing declared, no ratings, no rated provider: unrated */
        CHECK(e->quality < 0);
        CHECK(g->quality < 0);
        CHECK_NEAR(d->quality, 3, 0); /* declared, no ratings: unchanged */
    }
    md_model_free(&m);

    /* policy.rating_weight: (2·4 + 30) / (2 + 12) */
    snprintf(text, sizeof text, base, "policy: {rating_weight: 2}\n");
    CHECK(write_file("w.yaml", text) == 0);
    CHECK(load("w.yaml", &m) == 0);
    a = course(&m, "a");
    CHECK(a && fabs(a->quality - 38.0 / 14.0) < 1e-12);
    md_model_free(&m);

    /* no course declares a quality: the prior is 3 */
    CHECK(write_file("n.yaml", "currency: USD\ntopics: [{id: t}]\ncourses:\n" COURSE("h", "")
                     "ratings: [{course: h, score: 4, responses: 5, collected: 2026-01-31}]\n") == 0);
    CHECK(load("n.yaml", &m) == 0);
    CHECK(m.ncourses == 1 && fabs(m.courses[0].quality - 3.5) < 1e-12);
    md_model_free(&m);
}

static void aliases(void)
{
    md_model m;
    CHECK(write_file("map.yaml", "Cyber Crime (EU): cybercrime\n") == 0);
    CHECK(write_file("al.yaml",
        "currency: USD\ntopic_map: map.yaml\n"
        "topics:\n  - {id: cybercrime, aliases: [cyber-crime, e-evidence]}\n  - {id: norms, aliases: [un-norms]}\n"
        "countries: [{code: KEN, name: Kenya, languages: [en]}]\n"
        "needs:\n  - {country: KEN, topic: un-norms, seats: 2}\n  - {country: KEN, topic: Cyber Crime (EU), seats: 3}\n"
        "donors: [{id: d, budget: 100, topics: [e-evidence, norms]}]\n"
        "courses:\n  - {id: k, topics: [cyber-crime, un-norms], language: en, format: online, cost_per_seat: 1}\n") == 0);
    CHECK(load("al.yaml", &m) == 0);
    CHECK(m.nneeds == 2);
    if (m.nneeds == 2) { /* sorted by canonical topic */
        CHECK_STR(m.needs[0].topic, "cybercrime");
        CHECK_STR(m.needs[1].topic, "norms");
        CHECK(m.needs[0].t == md_find_topic(&m, "cybercrime"));
    }
    CHECK(m.ncourses == 1 && m.courses[0].topics.n == 2);
    if (m.ncourses == 1 && m.courses[0].topics.n == 2) {
        CHECK_STR(m.courses[0].topics.v[0], "cybercrime");
        CHECK_STR(m.courses[0].topics.v[1], "norms");
    }
    CHECK(m.ndonors == 1 && m.donors[0].topics.n == 2);
    if (m.ndonors == 1 && m.donors[0].topics.n == 2) CHECK_STR(m.donors[0].topics.v[0], "cybercrime");
    CHECK(md_find_topic_name(&m, "Cyber Crime (EU)") == md_find_topic(&m, "cybercrime"));
    CHECK(md_find_topic_name(&m, "un-norms") == md_find_topic(&m, "norms"));
    CHECK(md_find_topic_name(&m, "nothing") == -1);
    md_model_free(&m);
}

int main(void)
{
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    shrinkage();
    aliases();
    const char *names[] = { "q.yaml", "w.yaml", "n.yaml", "map.yaml", "al.yaml" };
    char path[256];
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return CHECK_DONE();
}
