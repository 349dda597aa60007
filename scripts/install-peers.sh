#!/usr/bin/env bash
# Installs the Debian packages the interop tests drive (root only): strongSwan 5.9 (charon,
# swanctl, charon-cmd and the plugins for 3DES, XAUTH and userspace ESP), vpnc 0.5.3, tshark,
# tcpdump, ping, iproute2, the management clients telnet and sshpass (the console tests), and
# chromium for the web console's browser tests (playwright-core), and gcc to build the raw ESP helper
# (native/netio.c, IP protocol 50).
# Idempotent: one dpkg-query when everything is present; apt-get update runs only when something
# is missing.
#
# The tests start their own charon inside network namespaces, so a system charon (started by a
# package's service) must not be left running: it would hold UDP 500/4500 of the host and load
# every plugin. This script makes sure none is enabled or running.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "install-peers.sh: must run as root" >&2
  exit 1
fi

packages=(
  strongswan-charon strongswan-swanctl charon-cmd
  libcharon-extra-plugins libcharon-extauth-plugins
  libstrongswan-extra-plugins libstrongswan-standard-plugins
  vpnc tshark tcpdump iputils-ping iproute2
  telnet sshpass chromium
  gcc libc6-dev
)

missing_packages() {
  local pkg status
  for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || echo "$pkg"
  done
}

mapfile -t missing < <(missing_packages)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-peers.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # wireshark-common asks whether non-root users may capture; answer it before it is asked.
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null
  mapfile -t still_missing < <(missing_packages)
  if [ ${#still_missing[@]} -gt 0 ]; then
    echo "install-peers.sh: still missing after install: ${still_missing[*]}" >&2
    exit 1
  fi
fi

# Units that Debian's strongSwan packages may ship (strongswan-starter: ipsec; charon-systemd:
# strongswan). Disabling is harmless when a unit does not exist.
system_units=(strongswan-starter.service strongswan.service ipsec.service)
if command -v systemctl >/dev/null; then
  for unit in "${system_units[@]}"; do
    if systemctl list-unit-files "$unit" 2>/dev/null | grep -q "^$unit"; then
      # Separate calls: without a running systemd, "stop" fails but "disable" still works.
      systemctl disable "$unit" >/dev/null 2>&1 || true
      if systemctl is-active --quiet "$unit" 2>/dev/null; then systemctl stop "$unit" || true; fi
    fi
  done
fi

# Whatever the init system (policy-rc.d may have blocked the unit, or there is no systemd), no
# IKE daemon may be left holding the host's UDP 500/4500. Other holders (a developer's own
# `rtxlab start` on the host, say) are not ours to judge: the tests run in namespaces of their own.
ike_daemon_holds_ports() {
  holders=$(ss -H -lunp 'sport = :500 or sport = :4500' 2>/dev/null || true)
  grep -qE '"(charon|starter|pluto)"' <<<"$holders"
}
if ike_daemon_holds_ports && [ -x /etc/init.d/ipsec ]; then
  /etc/init.d/ipsec stop >/dev/null 2>&1 || true
  sleep 1
fi
if ike_daemon_holds_ports; then
  echo "install-peers.sh: a system IKE daemon still holds UDP 500/4500 of the host:" >&2
  echo "$holders" >&2
  exit 1
fi

for tool in /usr/lib/ipsec/charon swanctl vpnc tshark tcpdump ip ping unshare; do
  command -v "$tool" >/dev/null || { echo "install-peers.sh: $tool not found" >&2; exit 1; }
done
