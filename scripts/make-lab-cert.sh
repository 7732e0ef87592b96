#!/usr/bin/env bash
# A self-signed certificate for Asterisk's TLS listener (http.conf tlsenable, WSS on 8089),
# for a LAB only: browsers refuse it until someone accepts it by hand (open
# https://<host>:8089/ws once and accept the warning). A centre uses a certificate from its
# own CA instead. The key is written outside asterisk-config/, readable by its owner only.
#
#   scripts/make-lab-cert.sh pbx.lab.example [out-dir]    (default out-dir: var/asterisk-keys)
#
# Then in http.conf: tlsenable = yes, tlsbindaddr = 0.0.0.0:8089,
# tlscertfile = /etc/asterisk-keys/asterisk.crt, tlsprivatekey = /etc/asterisk-keys/asterisk.key,
# and mount the directory: - ./var/asterisk-keys:/etc/asterisk-keys:ro
set -euo pipefail

host="${1:?usage: make-lab-cert.sh <host name or IP address> [out-dir]}"
out="${2:-var/asterisk-keys}"
days=825   # the longest validity browsers accept for a server certificate

if [[ "$host" =~ ^[0-9]+(\.[0-9]+){3}$ ]]; then san="IP:${host}"; else san="DNS:${host}"; fi

mkdir -p "$out"
umask 077
openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days "$days" \
  -keyout "$out/asterisk.key" -out "$out/asterisk.crt" \
  -subj "/CN=${host}/O=12345 hotline lab" \
  -addext "subjectAltName=${san}" \
  -addext "extendedKeyUsage=serverAuth" 2>/dev/null
chmod 644 "$out/asterisk.crt"
echo "wrote $out/asterisk.crt and $out/asterisk.key for ${host} (${san}), valid ${days} days"
