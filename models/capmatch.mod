/* models/capmatch.mod -- the capmatch allocation problem
 * (docs/formats.md, The allocation problem)
 * written as a GNU MathProg model.
 *
 * It is the readable statement of the mathematics and an independent second
 * implementation: tests/xcheck.py solves it with glpsol and compares the
 * optimum with what the capmatch program reports.  It computes eligibility
 * itself from the raw data (tests/gen_instance.py writes the data section).
 *
 * Solve in three stages (the objective is lexicographic):
 *   stage 1: maximise the total score;
 *   stage 2: minimise the total cost   s.t. score >= score_min;
 *   stage 3: minimise the total seats  s.t. score >= score_min,
 *                                           cost  <= cost_max.
 * e.g.  glpsol -m capmatch.mod -d data.dat -d stage.dat
 * where stage.dat sets stage, score_min, cost_max and out_file.
 * Stage 4 audits a plan computed elsewhere (capmatch's allocations.csv and
 * funding.csv, given as FIXX/fix_x and FIXF/fix_f): x and f are fixed to it
 * and glpsol says whether it satisfies every constraint; the printed score
 * and cost are then that plan's, recomputed here.
 *
 * Conventions used by the data section:
 *   - every amount is in its own currency; the model converts with rates;
 *   - "unlimited" numbers (capacity, max_per_country, trainee_hours,
 *     max_trainees) are given as -1 or simply left out;
 *   - an absent optional string (region, income group, provider) is '';
 *     it matches no list entry;
 *   - an eligibility list that may be "absent = any" comes as a flag
 *     has_X[d] (1 = the list is present) plus the indexed set of its entries,
 *     so "absent" and "present but empty" stay different;
 *   - dates are integers YYYYMMDD, 0 when absent.
 *
 * Sparse sets are always built as indexed sets (KP{c}, CP{k}, ...), never as
 * flat sets of pairs filtered again and again: MathProg's generator is
 * quadratic on flat sparse sets.
 */

/* ------------------------------------------------------------------ */
/* Entities                                                            */
/* ------------------------------------------------------------------ */

set T;                                  /* topics */
set C;                                  /* countries */
set K;                                  /* courses */
set D default {};                       /* donors */

param base symbolic;                    /* scenario currency */
set CUR default {};                     /* currencies with a rate */
param rate{CUR} > 0;                    /* base units per unit */
param to_base{u in CUR union {base}} := if u = base then 1 else rate[u];

/* countries */
set LANGS{C};                           /* ISO 639-1 codes spoken */
param region{C} symbolic default '';
param income{C} symbolic default '';    /* LIC, LMIC, UMIC, HIC or '' */
param trainee_hours{C} default -1;      /* < 0: unlimited */
param max_trainees{C} default -1;       /* < 0: unlimited */

/* needs: NT[c] = topics country c needs, one need per (c, t) */
set NT{C} within T default {};
param need_seats{c in C, t in NT[c]} integer >= 1;
param priority{c in C, t in NT[c]} > 0 default 1;

/* courses */
set KTOP{K} within T;                   /* topics covered (>= 1) */
param lang{K} symbolic;
param format{K} symbolic in {'online', 'in_person', 'blended'};
param provider{K} symbolic default '';
param cost_per_seat{K} >= 0;
param kcur{K} symbolic default base;
param capacity{K} default -1;           /* < 0: unlimited */
param min_seats{K} integer >= 0 default 0;
param max_per_country{K} default -1;    /* < 0: unlimited */
param hours{K} >= 0 default 0;
param quality{K} default -1;            /* declared; < 0: none */
param has_kregions{K} binary default 0; /* 1: the course names regions */
set KREG{K} default {};
param start_date{K} integer default 0;  /* YYYYMMDD, 0: absent */

/* ratings: participants' evaluations of past deliveries */
set R default {};
param r_course{R} symbolic;
param r_score{R} >= 1, <= 5;
param r_resp{R} integer >= 1;
param rating_weight > 0 default 5;

/* donors: budget, optional cap per country, eligibility lists */
param budget{D} >= 0;
param dcur{D} symbolic default base;
param max_share{D} default 0;           /* 0: no cap, else 0 < s <= 1 */
param has_regions{D}        binary default 0;  set D_REGIONS{D}   default {};
param has_countries{D}      binary default 0;  set D_COUNTRIES{D} default {};
param has_income_groups{D}  binary default 0;  set D_INCOME{D}    default {};
param has_topics{D}         binary default 0;  set D_TOPICS{D}    default {};
param has_formats{D}        binary default 0;  set D_FORMATS{D}   default {};
param has_providers{D}      binary default 0;  set D_PROVIDERS{D} default {};
param has_exclude{D}        binary default 0;  set D_EXCLUDE{D}   default {};

/* commitments: free ones (no donor) and paid ones (named donor) */
set CMF dimen 2 default {} cross {};             /* (country, course) */
param cmf_seats{CMF} integer >= 1;
set CMP dimen 3 default {} cross {} cross {};             /* (country, course, donor) */
param cmp_seats{CMP} integer >= 1;

/* ------------------------------------------------------------------ */
/* Policy and solver stage                                             */
/* ------------------------------------------------------------------ */

/* coverage tiers [[f1,v1],...,[fm,vm]], 0 < f1 < ... < fm = 1 */
param ntiers integer >= 1 default 1;
param tier_frac{1..ntiers} > 0, <= 1 default 1;
param tier_val{1..ntiers} > 0 default 1;
param tier_lo{i in 1..ntiers} := if i = 1 then 0 else tier_frac[i - 1];
check{i in 2..ntiers}: tier_frac[i] > tier_frac[i - 1];
check: tier_frac[ntiers] = 1;

set GROUPS := {'LIC', 'LMIC', 'UMIC', 'HIC'};
param income_weight{GROUPS} > 0 default 1;

param has_min_quality binary default 0;
param min_quality default 0;
param unrated_allow binary default 1;   /* unrated: allow (1) | exclude (0) */

/* provider-share cap: no provider is paid more than this share of the
 * plan's total spend (1: no cap); a course without a provider is its own */
param max_provider_share > 0, <= 1 default 1;

param has_period binary default 0;
param period_start integer default 0;   /* YYYYMMDD */
param period_end integer default 0;

param stage integer in 1..4 default 1;  /* 4: audit a given plan, below */
param score_min default 0;              /* best score of stage 1 */
param cost_max default 0;               /* least cost of stage 2 */
/* Slack when re-imposing an earlier optimum: solver tolerances, not policy. */
param score_tol default 1e-7;
param cost_tol default 1e-9;
param out_file symbolic default 'capmatch.out';

/* stage 4: the plan to audit (seats per pair; amounts per donor and pair) */
set FIXX dimen 2 default {} cross {};           /* (country, course) */
param fix_x{FIXX} integer >= 0;
set FIXF dimen 3 default {} cross {} cross {};  /* (donor, country, course) */
param fix_f{FIXF} >= 0;

/* ------------------------------------------------------------------ */
/* Derived data                                                        */
/* ------------------------------------------------------------------ */

param cost{k in K} := cost_per_seat[k] * to_base[kcur[k]];
param budget_base{d in D} := budget[d] * to_base[dcur[d]];

/* need weight: priority x income weight (no income group: 1) */
param w{c in C, t in NT[c]} :=
    priority[c, t] * (if income[c] = '' then 1 else income_weight[income[c]]);

/* The quality a run uses: (w * prior + sum score * responses) / (w + sum
 * responses); prior = declared quality, else the mean declared quality of
 * the provider's courses, else (only for a rated course) the mean declared
 * quality of all courses (3 if none); otherwise unrated (-1). */
param q_sum{k in K} := sum{r in R: r_course[r] = k} r_score[r] * r_resp[r];
param q_n{k in K} := sum{r in R: r_course[r] = k} r_resp[r];
param q_all := if card({k in K: quality[k] >= 0}) > 0
    then (sum{k in K: quality[k] >= 0} quality[k]) / card({k in K: quality[k] >= 0}) else 3;
param q_nprov{k in K} := card({j in K: provider[k] != '' and provider[j] = provider[k]
                                       and quality[j] >= 0});
param q_prov{k in K} := if q_nprov[k] > 0
    then (sum{j in K: provider[k] != '' and provider[j] = provider[k] and quality[j] >= 0}
          quality[j]) / q_nprov[k] else -1;
param q_prior{k in K} := if quality[k] >= 0 then quality[k] else if q_prov[k] >= 0 then q_prov[k]
    else if q_n[k] > 0 then q_all else -1;
param q_est{k in K} := if q_prior[k] < 0 then -1
    else (rating_weight * q_prior[k] + q_sum[k]) / (rating_weight + q_n[k]);

/* Course k passes country-independent filters (quality, period). */
set KOK := setof{k in K:
       (has_min_quality = 0
        or (q_est[k] <  0 and unrated_allow = 1)
        or (q_est[k] >= 0 and q_est[k] >= min_quality))
   and (has_period = 0 or start_date[k] = 0
        or (period_start <= start_date[k] and start_date[k] <= period_end))} k;

/* Eligible pairs (c, k): language, region, quality, period, a needed topic. */
set KE{c in C} := setof{k in KOK:
       lang[k] in LANGS[c]
   and (has_kregions[k] = 0 or region[c] in KREG[k])
   and (exists{t in KTOP[k]} t in NT[c])} k;

/* Donors admitting country c (countries, regions, income groups, exclude). */
set DC{c in C} := setof{d in D:
       (has_countries[d] = 0     or c in D_COUNTRIES[d])
   and (has_regions[d] = 0       or region[c] in D_REGIONS[d])
   and (has_income_groups[d] = 0 or income[c] in D_INCOME[d])
   and (has_exclude[d] = 0       or c not in D_EXCLUDE[d])} d;

/* Donors admitting course k (topics: any one of k's; formats; providers). */
set DK{k in K} := setof{d in D:
       (has_topics[d] = 0    or (exists{t in KTOP[k]} t in D_TOPICS[d]))
   and (has_formats[d] = 0   or format[k] in D_FORMATS[d])
   and (has_providers[d] = 0 or provider[k] in D_PROVIDERS[d])} d;

/* Pairs that can hold seats at all: free, or with at least one eligible
 * donor (a paid seat with nobody allowed to pay is forced to 0 by the
 * funding equation, so such pairs are simply left out). */
set KP{c in C} := setof{k in KE[c]:
    cost[k] = 0 or (exists{d in DC[c]} d in DK[k])} k;
set CP{k in K} := setof{c in C: k in KP[c]} c;

/* Donors that may pay for pair (c, k); empty for free courses. */
set FD{c in C, k in KP[c]} :=
    if cost[k] > 0 then setof{d in DC[c]: d in DK[k]} d else {};

/* Providers: a course without one counts as its own provider. */
param pkey{k in K} symbolic := if provider[k] = '' then 'course ' & k else provider[k];
set PV := setof{k in K} pkey[k];
set KOFP{p in PV} := setof{k in K: pkey[k] = p} k;

/* Courses of pair set covering topic t for country c. */
set KFOR{c in C, t in NT[c]} := setof{k in KP[c]: t in KTOP[k]} k;

/* Committed seats per pair, and checks that each commitment is admissible
 * (a commitment on an ineligible pair or donor is an input error). */
check{(c, k) in CMF}: c in C and k in K;
check{(c, k) in CMF}: k in KP[c] and cost[k] = 0;
check{(c, k, d) in CMP}: c in C and k in K and d in D;
check{(c, k, d) in CMP}: k in KE[c] and d in DC[c] and d in DK[k];
param committed{c in C, k in KP[c]} :=
      sum{(c2, k2) in CMF: c2 = c and k2 = k} cmf_seats[c2, k2]
    + sum{(c2, k2, d2) in CMP: c2 = c and k2 = k} cmp_seats[c2, k2, d2];

/* An upper bound on x(c, k) that keeps every lexicographic optimum: seats
 * beyond max(largest need k serves for c, min_seats(k), committed seats)
 * add no score, and removing them keeps every constraint satisfied while
 * lowering cost or seats.  The explicit limits (per-country maximum,
 * capacity, headcount, hours) are intersected in.  It also serves as the
 * big-M of the minimum-cohort switch. */
param BIG := 1e9;
param ub{c in C, k in KP[c]} := min(
    max(max{t in KTOP[k]: t in NT[c]} need_seats[c, t], min_seats[k],
        committed[c, k]),
    if max_per_country[k] >= 0 then max_per_country[k] else BIG,
    if capacity[k] >= 0 then capacity[k] else BIG,
    if max_trainees[c] >= 0 then max_trainees[c] else BIG,
    if trainee_hours[c] >= 0 and hours[k] > 0
        then floor(trainee_hours[c] / hours[k] + 1e-9) else BIG);

/* ------------------------------------------------------------------ */
/* Decisions                                                           */
/* ------------------------------------------------------------------ */

var x{c in C, k in KP[c]} integer >= 0, <= ub[c, k];      /* seats */
var f{c in C, k in KP[c], d in FD[c, k]} >= 0;            /* money, base */
/* z[c,t,i]: covered seats of need (c,t) counted in tier i; the tier
 * values decrease, so maximising fills tier 1 first and the sum of z is
 * covered(c,t) = min(seats, sum of x) with the concave tier score. */
var z{c in C, t in NT[c], i in 1..ntiers} >= 0,
    <= (tier_frac[i] - tier_lo[i]) * need_seats[c, t];
/* open[k] = 1 when course k with a minimum cohort runs at all */
var open{k in K: min_seats[k] > 0} binary;

/* ------------------------------------------------------------------ */
/* Objective: one expression per stage                                 */
/* ------------------------------------------------------------------ */

maximize Objective:
    if stage = 1 or stage = 4 then
        sum{c in C, t in NT[c], i in 1..ntiers} w[c, t] * tier_val[i] * z[c, t, i]
    else if stage = 2 then
        - sum{c in C, k in KP[c]} cost[k] * x[c, k]
    else
        - sum{c in C, k in KP[c]} x[c, k];

/* Earlier stages' optima, kept by the later stages. */
s.t. KeepScore{s in 1..1: stage = 2 or stage = 3}:
    sum{c in C, t in NT[c], i in 1..ntiers} w[c, t] * tier_val[i] * z[c, t, i]
    >= score_min - score_tol * max(1, abs(score_min));
s.t. KeepCost{s in 1..1: stage = 3}:
    sum{c in C, k in KP[c]} cost[k] * x[c, k]
    <= cost_max + cost_tol * max(1, abs(cost_max)) + 1e-6;

/* ------------------------------------------------------------------ */
/* Constraints                                                         */
/* ------------------------------------------------------------------ */

/* coverage: tiers sum to at most the seats in courses covering t */
s.t. Cover{c in C, t in NT[c]}:
    sum{i in 1..ntiers} z[c, t, i] <= sum{k in KFOR[c, t]} x[c, k];

/* funding: every paid seat is paid in full by eligible donors */
s.t. Fund{c in C, k in KP[c]: cost[k] > 0}:
    sum{d in FD[c, k]} f[c, k, d] = cost[k] * x[c, k];

/* donor budget */
s.t. Budget{d in D}:
    sum{c in C, k in KP[c]: d in FD[c, k]} f[c, k, d] <= budget_base[d];

/* share cap: what one donor spends on one country */
s.t. ShareCap{c in C, d in DC[c]: max_share[d] > 0}:
    sum{k in KP[c]: d in FD[c, k]} f[c, k, d] <= max_share[d] * budget_base[d];

/* provider share: what one provider is paid, at most max_provider_share
 * of what the whole plan pays for seats */
s.t. ProviderShare{p in PV: max_provider_share < 1}:
    sum{k in KOFP[p], c in CP[k]} cost[k] * x[c, k]
    <= max_provider_share * sum{c in C, k in KP[c]} cost[k] * x[c, k];

/* course capacity (the per-country maximum is in the bound ub) */
s.t. Capacity{k in K: capacity[k] >= 0 and card(CP[k]) > 0}:
    sum{c in CP[k]} x[c, k] <= capacity[k];

/* minimum cohort: the course runs with >= min_seats seats or not at all */
s.t. CohortMin{k in K: min_seats[k] > 0}:
    sum{c in CP[k]} x[c, k] >= min_seats[k] * open[k];
s.t. CohortOff{k in K, c in CP[k]: min_seats[k] > 0}:
    x[c, k] <= ub[c, k] * open[k];

/* country time and headcount */
s.t. Hours{c in C: trainee_hours[c] >= 0}:
    sum{k in KP[c]} hours[k] * x[c, k] <= trainee_hours[c];
s.t. Headcount{c in C: max_trainees[c] >= 0}:
    sum{k in KP[c]} x[c, k] <= max_trainees[c];

/* commitments: seats already confirmed, and the named donor's share */
s.t. CommitSeats{c in C, k in KP[c]: committed[c, k] > 0}:
    x[c, k] >= committed[c, k];
s.t. CommitPay{(c, k, d) in CMP: cost[k] > 0}:
    f[c, k, d] >= cost[k] * cmp_seats[c, k, d];

/* stage 4: the audited plan; a pair or donor outside the eligible sets
 * fails a check (the plan is not admissible at all).  Amounts in the CSV
 * files are rounded to cents, hence the band of one cent. */
check{(c, k) in FIXX}: c in C and k in K;
check{(c, k) in FIXX}: k in KP[c];
check{(d, c, k) in FIXF}: c in C and k in K and d in D;
check{(d, c, k) in FIXF}: k in KP[c] and d in FD[c, k];
s.t. AuditX{c in C, k in KP[c]: stage = 4}:
    x[c, k] = if (c, k) in FIXX then fix_x[c, k] else 0;
s.t. AuditF{c in C, k in KP[c], d in FD[c, k]: stage = 4}:
    (if (d, c, k) in FIXF then max(0, fix_f[d, c, k] - 0.01) else 0)
    <= f[c, k, d] <=
    (if (d, c, k) in FIXF then fix_f[d, c, k] + 0.01 else 0.01);

solve;

/* ------------------------------------------------------------------ */
/* Results, recomputed from the rounded integer seats                  */
/* ------------------------------------------------------------------ */

param xs{c in C, k in KP[c]} := round(x[c, k]);
param covered{c in C, t in NT[c]} :=
    min(need_seats[c, t], sum{k in KFOR[c, t]} xs[c, k]);
param need_score{c in C, t in NT[c]} := w[c, t] * sum{i in 1..ntiers}
    tier_val[i] * max(0, min(covered[c, t] - tier_lo[i] * need_seats[c, t],
                            (tier_frac[i] - tier_lo[i]) * need_seats[c, t]));

printf "stage %d\n", stage > out_file;
printf "objective %.9f\n", Objective >> out_file;
printf "score %.9f\n", sum{c in C, t in NT[c]} need_score[c, t] >> out_file;
printf "cost %.6f\n", sum{c in C, k in KP[c]} cost[k] * xs[c, k] >> out_file;
printf "seats %d\n", sum{c in C, k in KP[c]} xs[c, k] >> out_file;
printf "pairs %d\n", sum{c in C} card(KP[c]) >> out_file;
printf {c in C, k in KP[c]: xs[c, k] > 0}
    "x %s %s %d\n", c, k, xs[c, k] >> out_file;
printf {c in C, k in KP[c], d in FD[c, k]: f[c, k, d] > 1e-6}
    "f %s %s %s %.6f\n", d, c, k, f[c, k, d] >> out_file;
printf {c in C, t in NT[c]}
    "cov %s %s %d %g %.9f\n", c, t, need_seats[c, t], covered[c, t],
    need_score[c, t] >> out_file;
printf "end\n" >> out_file;

end;
