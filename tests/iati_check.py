#!/usr/bin/env python3
"""Checks of iati-activities.xml that the IATI schema does not make
(tests/t_iati.sh). Each prints one line per problem and exits 1 if any.

  codes XML CODELIST_DIR     every code written is an active entry of its
                             codelist; percentages add up to 100; identifiers
                             unique and prefixed by the reporting org's ref
  amounts XML OUTDIR YAML... each activity's value equals the donor's
                             funding.csv amounts for that course converted
                             back with the rates of the YAML inputs, in the
                             donor's currency, and every funded pair has one
  show XML                   one line per activity: id, countries, regions,
                             sectors, currency, value (for the shell checks)
"""
import csv
import decimal
import os
import sys
import xml.etree.ElementTree as ET

import yaml

# IATI OrganisationType (2.03): the codelist file is not in tests/iati, so the
# codes are listed here as in docs/formats.md.
ORG_TYPES = {"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70",
             "71", "72", "73", "80", "90"}


def codelist(path):
    """The active codes of one IATI codelist file."""
    root = ET.parse(path).getroot()
    out = set()
    for item in root.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        out.add(item.findtext("code").strip())
    return out


def acts(path):
    return ET.parse(path).getroot().findall("iati-activity")


def check_codes(xml, cl_dir):
    lists = {n: codelist(os.path.join(cl_dir, n + ".xml")) for n in (
        "Country", "Currency", "Sector", "SectorVocabulary", "ActivityStatus",
        "ActivityDateType", "OrganisationRole", "BudgetType", "Region")}
    bad = []

    def want(kind, value, where):
        if value not in lists[kind]:
            bad.append("%s: %r is not an active %s code" % (where, value, kind))
    seen = set()
    root = ET.parse(xml).getroot()
    if root.get("version") != "2.03":
        bad.append("iati-activities/@version is %r" % root.get("version"))
    n = 0
    for a in root.findall("iati-activity"):
        n += 1
        ident = a.findtext("iati-identifier")
        where = ident
        if ident in seen:
            bad.append("%s: identifier used twice" % ident)
        seen.add(ident)
        ro = a.find("reporting-org")
        if not ident.startswith(ro.get("ref") + "-"):
            bad.append("%s: does not start with the reporting org ref" % where)
        if any(c.isspace() or c in "/&|?" for c in ident):
            bad.append("%s: a character IATI identifiers must not hold" % where)
        if ro.get("type") not in ORG_TYPES:
            bad.append("%s: reporting-org type %r" % (where, ro.get("type")))
        want("Currency", a.get("default-currency"), where)
        for p in a.findall("participating-org"):
            want("OrganisationRole", p.get("role"), where)
        want("ActivityStatus", a.find("activity-status").get("code"), where)
        for d in a.findall("activity-date"):
            want("ActivityDateType", d.get("type"), where)
        pct = decimal.Decimal(0)
        for c in a.findall("recipient-country"):
            want("Country", c.get("code"), where)
            pct += decimal.Decimal(c.get("percentage"))
        for r in a.findall("recipient-region"):
            want("Region", r.get("code"), where)
            pct += decimal.Decimal(r.get("percentage"))
        if pct != 100:
            bad.append("%s: recipient percentages add up to %s" % (where, pct))
        spct = decimal.Decimal(0)
        for s in a.findall("sector"):
            want("SectorVocabulary", s.get("vocabulary"), where)
            if s.get("vocabulary") == "1":
                want("Sector", s.get("code"), where)
            spct += decimal.Decimal(s.get("percentage"))
        if spct != 100:
            bad.append("%s: sector percentages add up to %s" % (where, spct))
        for pd in a.findall("planned-disbursement"):
            want("BudgetType", pd.get("type"), where)
            want("Currency", pd.find("value").get("currency"), where)
    if n == 0:
        bad.append("no activity")
    return bad


def check_amounts(xml, outdir, yamls):
    base = None
    cur_of, rate = {}, {}
    for y in yamls:
        doc = yaml.safe_load(open(y)) or {}
        base = doc.get("currency", base)
        for d in doc.get("donors") or []:
            cur_of[str(d["id"])] = d.get("currency")
        for r in doc.get("rates") or []:
            rate[r["currency"]] = float(r["rate"])
    want = {}
    with open(os.path.join(outdir, "funding.csv"), newline="") as f:
        for row in csv.DictReader(f):
            key = (row["donor"], row["course"])
            want[key] = want.get(key, 0.0) + float(row["amount"])
    bad = []
    got = {}
    for a in acts(xml):
        ident = a.findtext("iati-identifier")
        donor = a.find("participating-org[@role='1']").findtext("narrative")
        val = a.find("planned-disbursement/value")
        got[ident] = (val.get("currency"), float(val.text), donor)
    # match activities to funded pairs through the identifier's encoding
    for (donor, course), amount in sorted(want.items()):
        enc = lambda s: "".join(c if (c.isascii() and c.isalnum()) or c == "-"
                                else "".join("_%02X" % b for b in c.encode()) for c in s)
        suffix = "-" + enc(donor) + "." + enc(course)
        hits = [i for i in got if i.endswith(suffix)]
        if len(hits) != 1:
            bad.append("%s/%s: %d activities" % (donor, course, len(hits)))
            continue
        cur = cur_of.get(donor) or base
        r = rate.get(cur, 1.0) if cur != base else 1.0
        expect = round(amount / r + 1e-9, 2)
        c, v, _ = got.pop(hits[0])
        if c != cur:
            bad.append("%s/%s: currency %s, the donor's is %s" % (donor, course, c, cur))
        if abs(v - expect) > 0.011:
            bad.append("%s/%s: value %.2f %s, funding.csv gives %.2f" % (donor, course, v, c, expect))
    for i in got:
        bad.append("%s: no funding.csv rows" % i)
    return bad


def show(xml):
    for a in acts(xml):
        print(a.findtext("iati-identifier"),
              ",".join("%s=%s" % (c.get("code"), c.get("percentage")) for c in a.findall("recipient-country")) or "-",
              ",".join("%s=%s" % (c.get("code"), c.get("percentage")) for c in a.findall("recipient-region")) or "-",
              ",".join("%s=%s" % (c.get("code"), c.get("percentage")) for c in a.findall("sector")) or "-",
              a.find("planned-disbursement/value").get("currency"),
              a.findtext("planned-disbursement/value"),
              len(a.findall("participating-org")),
              "|" + a.findtext("description/narrative"))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "show":
        show(sys.argv[2])
        sys.exit(0)
    problems = (check_codes(sys.argv[2], sys.argv[3]) if cmd == "codes"
                else check_amounts(sys.argv[2], sys.argv[3], sys.argv[4:]))
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)
