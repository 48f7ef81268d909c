#!/bin/sh
# Every #include "..." in kernel/, hal-stub/ and sim/ against the include
# directions of docs/architecture.md (the table between its include-rules
# markers): each folder may include its own headers and what its row lists,
# nothing else. An include is resolved as the compiler does: the including
# file's folder first, then kernel/, hal-stub/, sim/ and include/ (the
# -iquote and -I folders of CMakeLists.txt). Also checks that the table and
# the tree agree: every folder holding sources has a row, every row a folder.
# Usage: check_includes.sh SOURCE_DIR. Exit 0 when every include is allowed.
set -u
src=${1:?usage: check_includes.sh SOURCE_DIR}
doc="$src/docs/architecture.md"
cd "$src" || exit 2

# "FOLDER ALLOWED..." per row, backticks and table bars removed.
rules=$(sed -n '/<!-- include-rules begin/,/<!-- include-rules end/p' "$doc" |
  grep '^| `' | sed 's/|//g; s/`//g')
if [ -z "$rules" ]; then
  echo "$doc: no include-rules table"
  exit 2
fi

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
status=0
fail() {
  echo "$1"
  status=1
}

# The row of a file: the longest folder in the table that holds it.
row_of() {
  best=""
  for folder in $(printf '%s\n' "$rules" | awk '{print $1}'); do
    case "$1" in
    "$folder"*) [ ${#folder} -gt ${#best} ] && best=$folder ;;
    esac
  done
  printf '%s' "$best"
}

# Where the compiler finds "$2", included from file $1 ("" when nowhere).
resolve() {
  for dir in "$(dirname "$1")" kernel hal-stub sim include; do
    if [ -f "$dir/$2" ]; then
      # Normalised relative path: sim/run/../board/board.h -> sim/board/board.h
      realpath -m --relative-to=. "$dir/$2"
      return
    fi
  done
}

files=$(find kernel hal-stub sim \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | sort)
for f in $files; do
  row=$(row_of "$f")
  if [ -z "$row" ]; then
    fail "$f: its folder has no row in the include-rules table of docs/architecture.md"
    continue
  fi
  allowed="$row $(printf '%s\n' "$rules" | awk -v r="$row" '$1 == r {$1 = ""; print}')"
  grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
    sed 's/^\([0-9]*\):.*"\([^"]*\)".*/\1 \2/' >"$tmp"
  while read -r line name; do
    target=$(resolve "$f" "$name")
    if [ -z "$target" ]; then
      fail "$f:$line: \"$name\" is no header of kernel/, hal-stub/, sim/ or include/"
      continue
    fi
    ok=0
    for a in $allowed; do
      case "$a" in
      */) case "$target" in "$a"*) ok=1 ;; esac ;;
      *) [ "$target" = "$a" ] && ok=1 ;;
      esac
    done
    [ $ok = 1 ] || fail "$f:$line: includes $target, which $row may not (docs/architecture.md)"
  done <"$tmp"
done

# The table matches the tree: no source folder without a row (checked
# above, file by file), no row without a folder, no file loose in sim/.
for folder in $(printf '%s\n' "$rules" | awk '{print $1}'); do
  [ -d "$folder" ] || fail "docs/architecture.md: row $folder names no folder"
done
for f in $(find sim -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \)); do
  fail "$f: a file directly in sim/ (every file belongs to one of its folders)"
done
for d in $(find sim -mindepth 1 -maxdepth 1 -type d | sort); do
  printf '%s\n' "$rules" | awk '{print $1}' | grep -qx "$d/" ||
    fail "$d/: no row in the include-rules table of docs/architecture.md"
done

[ $status = 0 ] && echo "every include in kernel/, hal-stub/ and sim/ follows docs/architecture.md"
exit $status
