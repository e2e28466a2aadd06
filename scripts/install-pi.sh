#!/usr/bin/env bash
# Install Kindly on Raspberry Pi OS (64-bit, Bookworm or newer) as an always-on user service.
# Run as the user who will own the device (not root); it asks for sudo only for the Debian packages.
#   curl or copy this folder to the Pi, then:  scripts/install-pi.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(python3 python3-venv espeak-ng libespeak-ng1 libportaudio2 alsa-utils)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "kindly: installing ${missing[*]}"
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
echo "kindly: installing Kindly into $(pwd)/.venv (every dependency has an aarch64 wheel)"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q .

echo "kindly: checking the device"
.venv/bin/kindly doctor || echo "kindly: fix the ✗ lines above (see README, 'On a Raspberry Pi'), then run: .venv/bin/kindly service install"

.venv/bin/kindly service install
if ! loginctl show-user "$USER" 2>/dev/null | grep -q "Linger=yes"; then
  echo "kindly: to start Kindly at boot before anyone logs in, run: sudo loginctl enable-linger $USER"
fi
echo "kindly: done. Logs: journalctl --user -u kindly -f"
