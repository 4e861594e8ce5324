/* models/model.h — the in-memory domain model (docs/formats.md, Entities).
 * Ownership: an md_model owns every string, list, array and index reachable
 * from it (strings and lists in its arena, entity arrays by malloc);
 * md_model_free() releases all of it in one call. Readers fill it through
 * md_model_add_*(); md_validate() then checks it, converts amounts to the
 * base currency, sorts every entity list by its key and builds the indexes.
 * After a successful md_validate() the model is read-only. */
#ifndef MD_MODEL_H
#define MD_MODEL_H
#include "arena.h"
#include "diag.h"
#include "index.h"

enum md_income { MD_INC_NONE = -1, MD_INC_LIC, MD_INC_LMIC, MD_INC_UMIC, MD_INC_HIC, MD_INC_COUNT };
enum md_format { MD_FMT_NONE = -1, MD_FMT_ONLINE, MD_FMT_IN_PERSON, MD_FMT_BLENDED, MD_FMT_COUNT };

/* output.formats bits */
enum { MD_OUT_CSV = 1, MD_OUT_JSON = 2, MD_OUT_MARKDOWN = 4, MD_OUT_HTML = 8,
       MD_OUT_SQLITE = 16, MD_OUT_ALL = 31 };

extern const char *const md_income_names[MD_INC_COUNT]; /* "LIC", … */
extern const char *const md_format_names[MD_FMT_COUNT]; /* "online", … */
int md_income_parse(const char *s); /* MD_INC_NONE if unknown */
int md_format_parse(const char *s); /* MD_FMT_NONE if unknown */

/* A list of strings; present == 0 means the field was absent ("any"). */
typedef struct md_strlist {
    const char **v;
    int n;
    int present;
} md_strlist;

typedef struct md_topic {
    const char *id, *name;
    md_loc loc;
    const char *dac_sector;           /* 5-digit DAC code for the iati format; NULL: default */
    md_strlist aliases;               /* other names of the topic (models/alias.c) */
} md_topic;

typedef struct md_country {
    const char *code, *name, *region; /* region may be NULL */
    int income;                       /* enum md_income, MD_INC_NONE if absent */
    md_strlist languages;
    double trainee_hours;             /* < 0: unlimited */
    long max_trainees;                /* < 0: unlimited */
    int need_first, need_count;       /* after validation: its needs, sorted by topic */
    md_loc loc;
} md_country;

typedef struct md_need {
    const char *country, *topic;
    int c, t;                         /* resolved indexes (after validation) */
    long seats;
    double priority;                  /* default 1 */
    md_loc loc;
} md_need;

typedef struct md_donor {
    const char *id, *name;
    double budget;                    /* in the donor's currency */
    const char *currency;             /* NULL: scenario currency */
    double budget_base;               /* after validation */
    double max_share;                 /* 0 < s <= 1; 0 when absent (no cap) */
    md_strlist regions, countries, income_groups, topics, formats, providers,
               exclude_countries;
    md_loc loc;
} md_donor;

typedef struct md_course {
    const char *id, *provider, *title; /* provider, title may be NULL */
    md_strlist topics;
    int *topic_idx;                   /* after validation: topics.n indexes, ascending */
    const char *language;
    int format;                       /* enum md_format */
    double cost_per_seat;             /* in the course's currency */
    const char *currency;             /* NULL: scenario currency */
    double cost_base;                 /* after validation */
    long seats;                       /* capacity; < 0: unlimited */
    long min_seats;                   /* default 0 */
    long max_per_country;             /* < 0: unlimited */
    double hours;                     /* default 0 */
    double quality;                   /* 0..5; < 0: unrated */
    md_strlist regions;               /* absent: open to all */
    int start_date, end_date;         /* YYYYMMDD; 0 when absent */
    md_loc loc;
    const char *url;                  /* http(s) address or NULL */
    /* after validation (models/quality.c): quality holds the estimate a run uses */
    double quality_declared;          /* the course's own quality; < 0: none */
    long rating_responses;            /* responses of its ratings, summed */
} md_course;

typedef struct md_rate {
    const char *currency;
    double rate;                      /* base units per 1 unit */
    md_loc loc;
} md_rate;

typedef struct md_commitment {
    const char *country, *course, *donor; /* donor may be NULL */
    int c, k, d;                      /* resolved (d = -1 when no donor) */
    long seats;
    md_loc loc;
} md_commitment;

typedef struct md_tier { double frac, value; } md_tier;

/* Scenario settings with their defaults applied by md_model_init(). */
typedef struct md_settings {
    const char *path;                 /* the scenario file as given */
    const char *name;
    const char *currency;             /* base currency (required) */
    int has_period, period_start, period_end; /* YYYYMMDD */
    md_tier *tiers; int ntiers;       /* default [[1.0, 1.0]] */
    double income_weight[MD_INC_COUNT]; /* default 1.0 each */
    int has_min_quality; double min_quality;
    int unrated_allow;                /* default 1 */
    double time_limit;                /* seconds, default 300 */
    double mip_gap;                   /* default 1e-4 */
    const char *out_dir;              /* resolved path; default "out" next to the scenario */
    unsigned formats;                 /* MD_OUT_* bits, default MD_OUT_ALL */
    md_loc loc;                       /* of the scenario's top mapping */
    /* output.iati.reporting_org (iati format); all NULL when absent */
    const char *iati_ref, *iati_name, *iati_type;
    md_loc iati_loc;                  /* the 'iati' entry of output.formats */
    double rating_weight;             /* policy.rating_weight, default 5 */
    const char *topic_map;            /* resolved path of the topic_map file, or NULL */
    md_loc topic_map_loc;
    double max_provider_share;        /* 0 < s <= 1 caps each provider's share of the spend; 0: absent */
    md_loc max_provider_share_loc;    /* where it was given */
} md_settings;

typedef struct md_model {
    md_arena arena;
    md_settings set;
    md_topic *topics;           int ntopics, cap_topics;
    md_country *countries;      int ncountries, cap_countries;
    md_need *needs;             int nneeds, cap_needs;
    md_donor *donors;           int ndonors, cap_donors;
    md_course *courses;         int ncourses, cap_courses;
    md_rate *rates;             int nrates, cap_rates;
    md_commitment *commitments; int ncommitments, cap_commitments;
    /* after validation */
    md_index topic_ix, country_ix, donor_ix, course_ix, rate_ix;
    char input_digest[65];      /* SHA-256 hex of the input files' bytes */
    const char **input_files; int ninput_files, cap_input_files;
    struct md_rating *ratings;  int nratings, cap_ratings;
    struct md_alias *aliases;   int naliases, cap_aliases; /* from the topic_map file */
    md_index alias_ix;          /* after validation: alias -> topic index */
} md_model;

void md_model_init(md_model *m);
void md_model_free(md_model *m);

/* Each returns a new zeroed entity with defaults applied (priority 1,
 * unlimited seats/hours/trainees, unrated, …), or NULL when out of memory. */
md_topic *md_model_add_topic(md_model *m);
md_country *md_model_add_country(md_model *m);
md_need *md_model_add_need(md_model *m);
md_donor *md_model_add_donor(md_model *m);
md_course *md_model_add_course(md_model *m);
md_rate *md_model_add_rate(md_model *m);
md_commitment *md_model_add_commitment(md_model *m);

/* Checks everything docs/formats.md (Validation) requires across entities, reporting every
 * problem to d; then converts, sorts and indexes. Returns 0 when valid. */
int md_validate(md_model *m, md_diag *d);

/* Lookups (valid after md_validate): index or -1. */
int md_find_topic(const md_model *m, const char *id);
int md_find_country(const md_model *m, const char *code);
int md_find_donor(const md_model *m, const char *id);
int md_find_course(const md_model *m, const char *id);
/* Base-currency units per unit of cur (NULL = base); < 0 when no rate. */
double md_rate_of(const md_model *m, const char *cur);

int md_strlist_has(const md_strlist *l, const char *s);

/* The iati output format (iati-activities.xml), outside MD_OUT_ALL: it is
 * written only when listed, since it needs output.iati.reporting_org. */
enum { MD_OUT_IATI = 32 };
/* Checks what the iati format needs (called by md_validate; models/iati_check.c):
 * the reporting organisation when iati is listed, and dates for every course. */
void md_validate_iati(const md_model *m, md_diag *d);
/* The default DAC sector of a topic without dac_sector (docs/formats.md). */
#define MD_IATI_DEFAULT_SECTOR "22040"
/* 1 when s is a code of IATI's OrganisationType codelist. */
int md_is_iati_org_type(const char *s);
/* output.formats bit for `datapackage` (datapackage.json and the CSV files it
 * describes); not in MD_OUT_ALL: only written when asked for. */
enum { MD_OUT_DATAPACKAGE = 64 };
/* A participants' evaluation of a past delivery of a course (models/quality.c). */
typedef struct md_rating {
    const char *course;
    double score;                     /* 1..5 */
    long responses;                   /* >= 1 */
    int collected;                    /* YYYYMMDD */
    int k;                            /* resolved course (after validation) */
    md_loc loc;
} md_rating;

/* One entry of the topic_map file: external name -> topic id (models/alias.c). */
typedef struct md_alias {
    const char *name, *topic;
    md_loc loc;
} md_alias;

md_rating *md_model_add_rating(md_model *m);
md_alias *md_model_add_alias(md_model *m);
/* The topic an id or alias names (after validation), or -1. */
int md_find_topic_name(const md_model *m, const char *name);

#endif
