#!/usr/bin/env python3
"""Writes a realistic lead spreadsheet for benchmarks: an Apollo-like export
with 16 columns, quoted cells, a multi-line Notes cell now and then, ~2% bad
URLs, ~1% duplicates and the URL forms people paste. Deterministic (seeded).

usage: generate_leads.py ROWS OUT.csv
"""
import random
import sys

FIRST = ["Jane", "John", "Marie", "Jörg", "Ana", "Priya", "Tom", "Olivia", "Liam", "Sofia", "Noah", "Emma",
         "Lukas", "Chloé", "Mateo", "Aiko", "Zoë", "Søren"]
LAST = ["Doe", "Smith", "Dubois", "Müller", "García", "Patel", "Brown", "Chen", "O'Brien", "Rossi", "Williams",
        "Johnson", "Fischer", "Łukasz", "Nakamura", "Kowalski"]
TITLES = ["VP Sales", "Head of Growth", "CTO", "Founder", "Account Executive", "Directrice Commerciale",
          "Sales Manager, EMEA", "Chief Revenue Officer"]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella GmbH", "Hooli", "Vandelay", "Stark Industries",
             "Northwind", "Contoso", "Fabrikam, Inc."]
CITIES = ["Berlin, Germany", "London, United Kingdom", "Paris, France", "Madrid, Spain", "New York, United States",
          "München, Deutschland", "Tokyo, Japan"]
FORMS = ["https://www.linkedin.com/in/{s}", "https://www.linkedin.com/in/{s}/", "linkedin.com/in/{s}",
         "http://www.linkedin.com/in/{s}?trk=public_profile", "https://uk.linkedin.com/in/{s}",
         "https://www.linkedin.com/in/{s}/details/experience/", "www.linkedin.com/in/{s}",
         "HTTPS://WWW.LINKEDIN.COM/IN/{S}"]
BAD = ["https://www.linkedin.com/company/acme", "https://www.linkedin.com/sales/lead/ACwAAA{n}",
       "someone{n}@example.com", "https://linkedin.com.evil.example/in/x{n}", "https://www.linkedin.com/in/", ""]


def quote(cell):
    if any(c in cell for c in ',"\n\r'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    header = ["First Name", "Last Name", "Title", "Company", "Email", "Seniority", "Departments", "Stage",
              "# Employees", "Industry", "Person Linkedin Url", "Website", "City", "Country", "Notes",
              "Apollo Contact Id"]
    seen = []
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(quote(h) for h in header) + "\r\n")
        for i in range(rows):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            r = rnd.random()
            if r < 0.02:
                url = rnd.choice(BAD).format(n=i)
            elif r < 0.03 and seen:
                url = rnd.choice(seen)
            else:
                slug = f"{first}-{last}-{i:x}".lower().replace("'", "").replace(" ", "-")
                url = rnd.choice(FORMS).format(s=slug, S=slug.upper())
                if len(seen) < 10000:
                    seen.append(url)
            notes = "" if rnd.random() < 0.9 else "Met at the fair.\nCall back, said \"next week\"."
            cells = [first, last, rnd.choice(TITLES), rnd.choice(COMPANIES), f"{first}.{last}{i}@example.com",
                     "Head", "Sales", "Cold", str(rnd.randint(5, 5000)), "Software", url,
                     "https://www.example.com", rnd.choice(CITIES), "Germany", notes, f"{i:024x}"]
            f.write(",".join(quote(c) for c in cells) + "\r\n")


if __name__ == "__main__":
    main()
