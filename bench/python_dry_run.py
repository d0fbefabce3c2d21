#!/usr/bin/env python3
"""The baseline a user would otherwise write: prospect-import's dry run in
plain Python 3, written for speed the ordinary way (csv module, patterns
compiled once, a dict of first rows, buffered output). Same header aliases,
delimiter detection, URL normalization, UUID and flag checks, key and
report columns; its valid, invalid and duplicate counts match the dry run's
on samples/*.csv and on bench/generate_leads.py files. Messages are shorter.

usage: python_dry_run.py IN.csv CAMPAIGN LIST REPORT.csv   (CAMPAIGN or LIST "-": none)
"""
import csv
import re
import sys
from urllib.parse import quote, unquote_to_bytes

ALIASES = {
    "url": ["prospectProfileUrl", "profileUrl", "defaultProfileUrl", "linkedinUrl", "linkedinProfileUrl",
            "LinkedIn URL", "LinkedIn", "LinkedIn Profile", "LinkedIn Profile URL",
            "LinkedIn Contact Profile URL", "Person Linkedin Url", "Profile URL", "Profile", "url"],
    "campaign": ["campaignId", "Campaign ID", "campaign"],
    "list": ["prospectListId", "Prospect List ID", "listId", "list"],
    "move": ["moveDuplicatedProspect", "move duplicates"],
}
HEADER_JUNK = re.compile(r"[ _-]")
# White space the dry run trims around a cell: ASCII, no-break and zero-width spaces, BOM.
TRIM = " \t\n\r\v\f\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b" \
       "\u200e\u200f\u202f\u205f\u2060\u3000\ufeff"
BAD_CHAR = re.compile(r"[\x00-\x20\x7f]")
SCHEME = re.compile(r"([^:/?#@]+):")
SCHEME_NAME = re.compile(r"[A-Za-z0-9+.-]+")
DIGITS = re.compile(r"[0-9]+")
AUTHORITY_END = re.compile(r"[/?#]")
PATH_END = re.compile(r"[?#]")
LINKEDIN_HOST = re.compile(r"(?:[A-Za-z0-9-]+\.)*linkedin\.com", re.I)
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def header_key(h):
    return HEADER_JUNK.sub("", h).lower()


def normalize(cell):
    """(normalized URL, None) or (None, why not)."""
    s = cell.strip(TRIM)
    if not s:
        return None, "empty profile URL"
    if BAD_CHAR.search(s):
        return None, "white space or control characters"
    if s[:7].lower() == "mailto:":
        return None, "an e-mail address"
    had_scheme = False
    if s.startswith("//"):
        s, had_scheme = s[2:], True
    else:
        m = SCHEME.match(s)
        if m:
            after = s[m.end():]
            port = AUTHORITY_END.split(after, 1)[0]
            if not DIGITS.fullmatch(port) and SCHEME_NAME.fullmatch(m.group(1)):
                if not after.startswith("//") or m.group(1).lower() not in ("http", "https"):
                    return None, "not an http:// or https:// URL"
                s, had_scheme = after[2:], True
    end = AUTHORITY_END.search(s)
    authority = s[:end.start()] if end else s
    if "@" in authority:
        return None, "user before the host" if had_scheme else "an e-mail address"
    host, colon, port = authority.rpartition(":")
    if not colon:
        host = authority
    elif port not in ("80", "443"):
        return None, "unexpected port"
    if host.endswith("."):
        host = host[:-1]
    if not LINKEDIN_HOST.fullmatch(host):
        return None, "not a LinkedIn URL"
    path = ""
    if end and s[end.start()] == "/":
        path = PATH_END.split(s[end.start():], 1)[0]
    parts = [p for p in path.split("/") if p]
    if parts and parts[0].lower() == "mwlite":
        del parts[0]
    if not parts or parts[0].lower() != "in":
        return None, "not a member profile"
    if len(parts) < 2:
        return None, "/in/ without a profile name"
    slug = parts[1]
    if BAD_PERCENT.search(slug):
        return None, "bad percent-encoding"
    try:
        raw = unquote_to_bytes(slug)
        raw.decode("utf-8")
    except UnicodeError:
        return None, "profile name is not UTF-8"
    if raw in (b".", b".."):
        return None, "/in/ without a profile name"
    if not raw.startswith(b"ACoAA"):  # member ids keep their case
        raw = raw.lower()  # ASCII letters only, like the dry run
    return "https://www.linkedin.com/in/" + quote(raw, safe=""), None


def resolve_id(cell, default, what, problems):
    s = cell.strip(TRIM)
    if not s:
        if default is None:
            problems.append(f"no {what}")
            return ""
        return default
    if UUID.fullmatch(s):
        return s.lower()
    problems.append(f"{what} '{s}' is not a UUID")
    return s


def main():
    src, campaign, lst, out = sys.argv[1:5]
    campaign = None if campaign == "-" else campaign.lower()
    lst = None if lst == "-" else lst.lower()
    first_row = {}
    with open(src, newline="", encoding="utf-8-sig", errors="surrogateescape") as f, \
            open(out, "w", newline="", encoding="utf-8", errors="replace", buffering=1 << 20) as o:
        first_line = f.readline()
        if first_line.lstrip('"')[:4].lower() == "sep=":  # Excel's delimiter line, maybe quoted
            delimiter, first_line = first_line.lstrip('"')[4], f.readline()
        else:
            delimiter = max(",;\t", key=first_line.count)
        reader = csv.reader([first_line], delimiter=delimiter)
        keys = [header_key(h) for h in next(reader)]
        col = {}
        for field, aliases in ALIASES.items():
            for alias in aliases:
                if header_key(alias) in keys:
                    col[field] = keys.index(header_key(alias))
                    break
        if "url" not in col:
            sys.exit(f"{src}: no profile URL column")
        url_col = col["url"]
        campaign_col, list_col, move_col = col.get("campaign"), col.get("list"), col.get("move")
        w = csv.writer(o)
        w.writerow(["row", "profile_url", "normalized_url", "campaign_id", "prospect_list_id", "outcome",
                    "http_status", "attempts", "message", "move_duplicates"])
        records = csv.reader(f, delimiter=delimiter, strict=True)
        n = 1
        while True:
            n += 1
            try:
                rec = next(records)
            except StopIteration:
                break
            except csv.Error as e:  # a quote that never closes, text after a closing quote
                w.writerow([n, "", "", campaign or "", lst or "", "invalid", "", 0, f"unreadable record: {e}", "false"])
                continue
            if not "".join(rec).strip(" \t"):
                continue  # blank lines and rows of delimiters only
            width = len(rec)
            cell = rec[url_col] if url_col < width else ""
            url, why = normalize(cell)
            problems = [why] if why else []
            c = resolve_id(rec[campaign_col] if campaign_col is not None and campaign_col < width else "",
                           campaign, "campaign id", problems)
            li = resolve_id(rec[list_col] if list_col is not None and list_col < width else "",
                            lst, "prospect list id", problems)
            move = False
            flag = rec[move_col].strip(TRIM) if move_col is not None and move_col < width else ""
            if flag:
                move = FLAGS.get(flag.lower())
                if move is None:
                    move = False
                    problems.append(f"move duplicates cell '{flag}' is not true/false, yes/no or 1/0")
            move = "true" if move else "false"
            if problems:
                w.writerow([n, cell, url or "", c, li, "invalid", "", 0, "; ".join(problems), move])
                continue
            k = (url, c, li)
            first = first_row.get(k)
            if first is None:
                first_row[k] = n
                w.writerow([n, cell, url, c, li, "not_sent", "", 0, "dry run", move])
            else:
                w.writerow([n, cell, url, c, li, "duplicate", "", 0, f"duplicate of row {first}", move])


if __name__ == "__main__":
    main()
