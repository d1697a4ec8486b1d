#!/bin/sh
# Installs what avrrsim needs to build, test and draw charts, from Debian's
# packages, when something is missing. As root it runs apt-get; with
# password-less sudo it uses sudo; otherwise it prints the exact command.
set -eu

packages="gcc make pkg-config libgsl-dev libyaml-dev libssl-dev libcmocka-dev gnuplot-nox"
[ "$#" -gt 0 ] && packages="$packages $*"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        # gnuplot under another flavour (gnuplot-qt, gnuplot-x11) serves as well
        if [ "$p" = gnuplot-nox ] && command -v gnuplot >/dev/null 2>&1; then continue; fi
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "avrrsim needs:$missing (Debian package names); install them with your system's package manager." >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "avrrsim needs:$missing" >&2
    echo "Run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "Installing:$missing" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
