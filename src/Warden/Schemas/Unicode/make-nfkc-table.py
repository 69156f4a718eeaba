#!/usr/bin/env python3
"""Regenerates nfkc.embedded.json, the Unicode data behind Warden's NFKC normaliser.

Warden runs with .NET's invariant globalization (no ICU), where string.Normalize leaves non-ASCII text
unchanged, so identifiers are normalised by our own code (Schemas/Unicode/Nfkc.cs) from this table.
The data comes from Python's unicodedata module:
  d  full compatibility decomposition (NFKD) of every code point that has one (Hangul syllables excluded:
     they are decomposed algorithmically)
  c  canonical combining class of every code point whose class is not 0
  p  primary composites: starter,combining -> composite, the pairs canonical composition may join
Run: python3 make-nfkc-table.py > nfkc.embedded.json
"""
import json
import sys
import unicodedata as ud

def hexs(s):
    return " ".join("%X" % ord(ch) for ch in s)

decomp, ccc, pairs = [], [], []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
        continue
    ch = chr(cp)
    nfkd = ud.normalize("NFKD", ch)
    if nfkd != ch:
        decomp.append("%X=%s" % (cp, hexs(nfkd)))
    cc = ud.combining(ch)
    if cc:
        ccc.append("%X=%d" % (cp, cc))
    d = ud.decomposition(ch)
    if d and not d.startswith("<"):
        parts = [int(x, 16) for x in d.split()]
        # A primary composite is what NFC produces from its own two-part canonical decomposition.
        if len(parts) == 2 and ud.normalize("NFC", chr(parts[0]) + chr(parts[1])) == ch:
            pairs.append("%X,%X=%X" % (parts[0], parts[1], cp))

json.dump({"unicode": ud.unidata_version, "d": decomp, "c": ccc, "p": pairs}, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
