#!/usr/bin/env bash
# Installs Debian's buildah, which only `chaincode package --type ccaas --image`
# (the chaincode service as an OCI image) needs; the network itself does not,
# so network/install.sh leaves it out.
set -euo pipefail
# Owner-only from the moment of creation: keys, CA databases, ledgers (README: secrets at rest).
umask 077
. "$(dirname "$0")/lib/common.sh"
if command -v buildah >/dev/null; then
  info "buildah present: $(buildah --version)"
  exit 0
fi
sudo=()
((EUID == 0)) || sudo=(sudo)
run_logged "apt-get update" "${sudo[@]}" apt-get update -qq
run_logged "apt-get install buildah" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah
info "installed $(buildah --version)"
