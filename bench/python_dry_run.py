#!/usr/bin/env python3
"""The baseline a user would otherwise write: the dry run's validation in
Python with the csv module (same header aliases, URL normalization, UUID
check, de-duplication, a CSV report).

usage: python_dry_run.py IN.csv CAMPAIGN LIST REPORT.csv
"""
import csv
import re
import sys
import urllib.parse

ALIASES = {"prospectprofileurl", "profileurl", "linkedinurl", "linkedinprofile", "linkedinprofileurl",
           "personlinkedinurl", "url"}
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SAFE = "-._~"


def key(h):
    return re.sub(r"[ _-]", "", h).lower()


def normalize(cell):
    cell = cell.strip()
    if not cell:
        return None, "empty"
    if "@" in cell and "/" not in cell:
        return None, "e-mail address"
    if "://" not in cell:
        cell = "https://" + cell
    u = urllib.parse.urlsplit(cell)
    host = (u.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None, "not a LinkedIn URL"
    parts = [p for p in u.path.split("/") if p]
    if len(parts) < 2 or parts[0].lower() != "in":
        return None, "not a member profile"
    try:
        raw = urllib.parse.unquote_to_bytes(parts[1]).decode("utf-8")
    except UnicodeDecodeError:
        return None, "invalid UTF-8"
    if not raw.startswith("ACoAA"):
        raw = "".join(c.lower() if c.isascii() else c for c in raw)
    return "https://www.linkedin.com/in/" + urllib.parse.quote(raw, safe=SAFE), None


def main():
    src, campaign, lst, out = sys.argv[1:5]
    seen = {}
    with open(src, newline="", encoding="utf-8-sig") as f, open(out, "w", newline="") as o:
        reader = csv.reader(f)
        header = next(reader)
        col = next(i for i, h in enumerate(header) if key(h) in ALIASES)
        w = csv.writer(o)
        w.writerow(["row", "profile_url", "normalized_url", "campaign_id", "prospect_list_id", "outcome",
                    "http_status", "attempts", "message"])
        assert UUID.match(campaign) and UUID.match(lst)
        for n, rec in enumerate(reader, start=2):
            cell = rec[col] if col < len(rec) else ""
            url, err = normalize(cell)
            if err:
                w.writerow([n, cell, "", campaign, lst, "invalid", "", 0, err])
            elif (url, campaign, lst) in seen:
                w.writerow([n, cell, url, campaign, lst, "duplicate", "", 0, f"duplicate of row {seen[url, campaign, lst]}"])
            else:
                seen[url, campaign, lst] = n
                w.writerow([n, cell, url, campaign, lst, "not_sent", "", 0, "dry run"])


if __name__ == "__main__":
    main()
