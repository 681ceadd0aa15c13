#!/usr/bin/env bash
# Regenerates lib/pdf/fonts/ from the full DejaVu Sans TTFs (https://dejavu-fonts.github.io,
# or Debian's fonts-dejavu-core in /usr/share/fonts/truetype/dejavu): every Latin script, Greek
# and Cyrillic (EU customers' names and addresses), punctuation, currency and letterlike
# symbols; kerning as the only layout feature; no hinting (a PDF viewer does not use it).
# The full fonts are ~6× larger, and fontkit decoded their tables on every render: the subset
# made a one-page invoice render ~3 ms faster (scripts/pdf-smoke.ts). Needs fonttools
# (`apt-get install fonttools`); run once, commit the result.
#
#   bash scripts/subset-fonts.sh /usr/share/fonts/truetype/dejavu
set -euo pipefail
src="${1:?usage: subset-fonts.sh DIRECTORY-WITH-DejaVuSans.ttf}"
out="$(cd "$(dirname "$0")/.." && pwd)/lib/pdf/fonts"
unicodes="U+0020-007E,U+00A0-024F,U+02B0-036F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-2199,U+2212,U+2215,U+FFFD"
for name in DejaVuSans DejaVuSans-Bold; do
  pyftsubset "$src/$name.ttf" --unicodes="$unicodes" --layout-features=kern --no-hinting \
    --name-IDs='*' --name-legacy --notdef-outline --glyph-names --output-file="$out/$name.ttf"
done
ls -l "$out"
