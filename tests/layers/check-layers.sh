#!/usr/bin/env bash
# check-layers: every #include "layer/file.h" in src/ must point to the file's own layer or one below it.
# Layers, lowest first: base, model (with model/access), scenario, run, analysis, tools, cli. Each folder's README.md
# says what lives there. A violation prints the file, line and include, and the script exits 1.
set -euo pipefail
src=${1:-"$(dirname "$0")/../../src"}
rank() {
  case $1 in
    base) echo 0 ;; model) echo 1 ;; scenario) echo 2 ;; run) echo 3 ;; analysis) echo 4 ;; tools) echo 5 ;; cli) echo 6 ;;
    *) echo -1 ;;
  esac
}
status=0
checked=0
while IFS= read -r -d '' file; do
  rel=${file#"$src"/}
  layer=${rel%%/*}
  own=$(rank "$layer")
  if [ "$own" -lt 0 ] || [ "$rel" = "$layer" ]; then
    echo "check-layers: $rel: not inside a known layer folder (base model scenario run analysis tools cli)" >&2
    status=1
    continue
  fi
  lineno=0
  while IFS= read -r line; do
    lineno=$((lineno + 1))
    case $line in
      '#include "'*) ;;
      *) continue ;;
    esac
    inc=${line#'#include "'}
    inc=${inc%%'"'*}
    checked=$((checked + 1))
    target=${inc%%/*}
    if [ "$target" = "$inc" ]; then
      # only generated headers (from the build directory) are included without a folder
      case $inc in
        *_xsd.h | *_generated.h) continue ;;
      esac
      echo "check-layers: $rel:$lineno: #include \"$inc\" names no layer folder" >&2
      status=1
      continue
    fi
    to=$(rank "$target")
    if [ "$to" -lt 0 ]; then
      echo "check-layers: $rel:$lineno: #include \"$inc\": unknown layer '$target'" >&2
      status=1
    elif [ "$to" -gt "$own" ]; then
      echo "check-layers: $rel:$lineno: #include \"$inc\" points up, from layer $layer to layer $target" >&2
      status=1
    fi
  done < "$file"
done < <(find "$src" \( -name '*.[ch]' -o -name '*.cpp' \) -print0 | sort -z)
if [ "$checked" -eq 0 ]; then
  echo "check-layers: no #include found under $src: nothing was checked" >&2
  exit 1
fi
[ "$status" -eq 0 ] && echo "check-layers: $checked includes checked, none points up"
exit "$status"
