#!/usr/bin/env bash
# Installs the Debian 12 packages msgpool needs, only those missing.
# Runs `apt-get update` once, and only when something is missing.
# Never installs libboost-dev (Boost 1.74, conflicts with 1.81) nor packages
# that pull it in.
set -euo pipefail

packages=(
    g++ clang make cmake pkg-config
    libboost1.81-dev libboost-atomic1.81-dev libboost-test1.81-dev
    libboost-program-options1.81-dev libboost-json1.81-dev
    libconcurrentqueue-dev libtbb-dev libxenium-dev
    gnuplot-nox python3
)
if [ "$#" -gt 0 ]; then packages+=("$@"); fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

echo "install_deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "install_deps: missing packages and not root; install them with apt-get: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
