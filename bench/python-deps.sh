#!/usr/bin/env bash
# Makes Debian's Python packages a benchmark compares against importable by /usr/bin/python3, installing them with
# apt-get when missing (as root; this machine reaches Debian's repositories). Usage: bench/python-deps.sh sklearn torch
set -eu
missing=()
for module in "$@"; do
  /usr/bin/python3 -c "import $module" 2>/dev/null || missing+=("python3-$module")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "bench: /usr/bin/python3 lacks ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
echo "bench: installing ${missing[*]} from Debian's repositories" >&2
apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
