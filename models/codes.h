/* models/codes.h — ISO code lists, generated at build time from Debian's
 * iso-codes package (build/iso_codes.c). Pure lookups, no state. */
#ifndef MD_CODES_H
#define MD_CODES_H
/* ISO 3166-1 alpha-3, or a user-assigned code XAA–XZZ */
int md_is_country_code(const char *s);
int md_is_language_code(const char *s); /* ISO 639-1 (two lower-case letters) */
int md_is_currency_code(const char *s); /* ISO 4217 alpha-3 */
#endif
