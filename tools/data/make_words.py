"""Makes the word list the charlm example trains on: examples/src/main/resources/kindling/datasets/words/words.txt.

Source: Debian's wamerican package (SCOWL word lists by Kevin Atkinson), /usr/share/dict/american-english.
Keeps the words made only of lowercase a-z (no capitals, so no proper nouns; no apostrophes or accents)
with 3 to 10 letters, then draws 8,000 of them with a fixed seed and writes them in alphabetical
order, one per line. The licence notice travels with the file (LICENSE, a copy of Debian's
/usr/share/doc/wamerican/copyright, as the SCOWL licence asks).

Run: python3 tools/data/make_words.py          (plain Python 3, no packages needed)
"""
import os
import random
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = "/usr/share/dict/american-english"
COPYRIGHT = "/usr/share/doc/wamerican/copyright"
OUT_DIR = os.path.join(ROOT, "examples", "src", "main", "resources", "kindling", "datasets", "words")
COUNT = 8000
SEED = 0

with open(SOURCE, encoding="utf-8") as f:
    candidates = sorted({w.strip() for w in f if re.fullmatch(r"[a-z]{3,10}", w.strip())})
words = sorted(random.Random(SEED).sample(candidates, COUNT))
os.makedirs(OUT_DIR, exist_ok=True)
with open(os.path.join(OUT_DIR, "words.txt"), "w", encoding="utf-8") as out:
    out.write("\n".join(words) + "\n")
shutil.copyfile(COPYRIGHT, os.path.join(OUT_DIR, "LICENSE"))
print("wrote %d of %d candidate words to %s" % (len(words), len(candidates), os.path.relpath(OUT_DIR, ROOT)))
