#!/bin/sh
# Lab stand-in for Debian's vpnc-script, run by vpnc (through system()) inside the client's
# network namespace. Debian's script also edits the host's /etc/resolv.conf and /var/run/vpnc;
# this one only configures the TUN device of its own namespace, and records every call (the
# variables vpnc passes) as NN-REASON.env in $RTXLAB_VPNC_EVENTS for the test to read.
set -eu
events=${RTXLAB_VPNC_EVENTS:?RTXLAB_VPNC_EVENTS must name the folder for recorded calls}
count=$(ls "$events" | wc -l)
env | grep -E '^(reason|VPNGATEWAY|TUNDEV|INTERNAL_IP4_|CISCO_|VPNPID)' | sort \
  > "$events/$(printf %02d "$count")-$reason.env" || true

case "$reason" in
  connect)
    ip link set dev "$TUNDEV" up mtu "${INTERNAL_IP4_MTU:-1412}"
    ip address add "$INTERNAL_IP4_ADDRESS/32" dev "$TUNDEV"
    # Routes the test asks for, then the gateway's split-include networks (Cisco Unity), if any.
    for net in ${RTXLAB_VPNC_ROUTES:-}; do ip route replace "$net" dev "$TUNDEV"; done
    i=0
    while [ "$i" -lt "${CISCO_SPLIT_INC:-0}" ]; do
      eval "net=\$CISCO_SPLIT_INC_${i}_ADDR/\$CISCO_SPLIT_INC_${i}_MASKLEN"
      ip route replace "$net" dev "$TUNDEV"
      i=$((i + 1))
    done
    ;;
esac
