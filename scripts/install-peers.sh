#!/usr/bin/env bash
# Installs the Debian packages the interop tests drive (root only). Idempotent and quick when
# everything is present.
set -euo pipefail
need=()
command -v tshark >/dev/null || need+=(tshark)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
