/* models/iati_codes.h — the IATI code tables, generated at build time
 * (build/iati_codes.c by models/gen_iati.sh) from Debian's iso-codes and the
 * IATI codelists kept in tests/iati/codelists. Pure lookups, no state. */
#ifndef MD_IATI_CODES_H
#define MD_IATI_CODES_H
/* The IATI Country code (ISO 3166-1 alpha-2, "KE") of an alpha-3 country
 * code ("KEN"; "XKX" gives "XK"), or NULL when IATI has no country for it
 * (user-assigned codes other than XKX). */
const char *md_iati_country(const char *alpha3);
/* 1 when s is an active 5-digit DAC sector code of IATI's Sector codelist */
int md_is_dac_sector(const char *s);
#endif
