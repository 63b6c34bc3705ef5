#!/usr/bin/env bash
# Regenerates the Tigrinya font that the child app ships (frontend/fonts/): Noto Sans
# Ethiopic, cut down to the Ethiopic letters our Tigrinya texts use, as woff2, and its
# licence. Two files come out:
#   noto-sans-ethiopic-ti.woff2    every Ethiopic letter in the Tigrinya texts; the page
#                                  loads it only for text marked lang="ti"
#   noto-sans-ethiopic-name.woff2  only the letters of "ትግርኛ", for the language switch, so
#                                  that a Tigrinya reader can find their language on any device
# Run it after a Tigrinya text changes; commit what it writes.
#
# The font comes from Debian's fonts-noto-core (used from /usr/share/fonts when installed,
# otherwise downloaded with apt-get and unpacked in a temporary folder, never installed);
# the cutting is done by fonttools' pyftsubset, with brotli for woff2 (python3-fonttools and
# python3-brotli, installed when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

OUT=frontend/fonts
FONT_NAME=NotoSansEthiopic-Regular.ttf
SYSTEM_FONT=/usr/share/fonts/truetype/noto/$FONT_NAME
SYSTEM_COPYRIGHT=/usr/share/doc/fonts-noto-core/copyright

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Debian's packages go to Debian's python, which need not be the first python3 on the PATH.
python_with_fonttools() {
  local py
  for py in python3 /usr/bin/python3; do
    if "$py" -c 'import fontTools.subset, brotli' 2>/dev/null; then echo "$py"; return 0; fi
  done
  return 1
}
if ! py="$(python_with_fonttools)"; then
  echo "font-subset: installing python3-fonttools and python3-brotli"
  apt-get install -y python3-fonttools python3-brotli >/dev/null
  py="$(python_with_fonttools)"
fi

if [ -f "$SYSTEM_FONT" ] && [ -f "$SYSTEM_COPYRIGHT" ]; then
  font="$SYSTEM_FONT"
  copyright="$SYSTEM_COPYRIGHT"
else
  echo "font-subset: fetching fonts-noto-core to unpack $FONT_NAME (not installed)"
  (cd "$work" && apt-get download fonts-noto-core >/dev/null 2>&1)
  dpkg-deb -x "$work"/fonts-noto-core_*.deb "$work/unpacked"
  font="$work/unpacked/usr/share/fonts/truetype/noto/$FONT_NAME"
  copyright="$work/unpacked/usr/share/doc/fonts-noto-core/copyright"
fi

# The Ethiopic letters (U+1200–139F, U+2D80–2DDF, U+AB00–AB2F) in every Tigrinya text the
# child can meet: the draft questionnaires and the language's own name.
python3 - "$work/letters.txt" questionnaires/drafts/*.ti.toml frontend/src/common/lang.rs <<'PY'
import sys
ranges = [(0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)]
letters = set()
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        letters.update(c for c in f.read() if any(lo <= ord(c) <= hi for lo, hi in ranges))
if not letters:
    sys.exit("font-subset: found no Ethiopic letters in the Tigrinya texts")
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("".join(sorted(letters)))
print(f"font-subset: {len(letters)} Ethiopic letters", flush=True)
PY
printf 'ትግርኛ' > "$work/name.txt"

mkdir -p "$OUT"
subset() {
  "$py" -m fontTools.subset "$font" --text-file="$1" --flavor=woff2 --layout-features='*' \
    --no-hinting --desubroutinize --output-file="$2"
}
subset "$work/letters.txt" "$OUT/noto-sans-ethiopic-ti.woff2"
subset "$work/name.txt" "$OUT/noto-sans-ethiopic-name.woff2"

# The licence: the font's copyright lines and the SIL Open Font License 1.1, as Debian ships them.
{
  echo "Noto Sans Ethiopic (subsets in this folder, made by scripts/font-subset.sh)"
  echo "Copyright 2010-2020 Google Inc. and Google LLC."
  echo "This Font Software is licensed under the SIL Open Font License, Version 1.1."
  echo
  # The licence text is the "License: OFL-1.1" paragraph that goes on with " PREAMBLE".
  awk 'on && /^(License|Files):/ { exit }
       prev == "License: OFL-1.1" && $0 == " PREAMBLE" { on = 1 }
       on { print }
       { prev = $0 }' "$copyright" | sed -e 's/^ //' -e 's/^\.$//'
} > "$OUT/OFL.txt"
ls -l "$OUT"
