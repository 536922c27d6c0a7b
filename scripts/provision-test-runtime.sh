#!/usr/bin/env bash
# Installs what the tests need: Debian chromium (+ libs for code-server's native modules), neovim, kubectl
# (the unit tests compare against it), pre-commit and git (the pre-commit hook test) and code-server 4.100.3 (VS Code 1.100.3, the last one that
# runs on Node 20) into the git-ignored .vscode-test/ folder. Idempotent: a second run is a no-op.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cs_dir="$root/.vscode-test/code-server"
cs_version="4.100.3"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# The unit tests run kubectl against the test API server (test/unit/kube/kubectl*.test.ts). These
# machines have one at /usr/bin/kubectl; elsewhere Debian 12's kubernetes-client (kubectl 1.20).
[ -x /usr/bin/kubectl ] || need_apt+=(kubernetes-client)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# The language server's Neovim test (test/editors/neovim.test.ts) runs Debian's nvim headless.
command -v nvim >/dev/null 2>&1 || need_apt+=(neovim)
# The distribution test runs the pre-commit hook (.pre-commit-hooks.yaml) with Debian's pre-commit,
# and needs git for it and for the CLI's config discovery.
command -v pre-commit >/dev/null 2>&1 || need_apt+=(pre-commit)
command -v git >/dev/null 2>&1 || need_apt+=(git)
if ((${#need_apt[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ -x "$cs_dir/node_modules/.bin/code-server" ] && \
   grep -q "\"version\": \"$cs_version\"" "$cs_dir/node_modules/code-server/package.json" 2>/dev/null; then
  echo "code-server $cs_version already installed"
  exit 0
fi
mkdir -p "$cs_dir"
# @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable: seed its cache
# with Debian's rg so the download is skipped.
cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
cd "$cs_dir"
[ -f package.json ] || echo '{"name":"vscode-test-code-server","private":true}' > package.json
npm_config_yes=true npm_config_unsafe_perm=true npm install "code-server@$cs_version" \
  --no-audit --no-fund --foreground-scripts --loglevel=error
echo "code-server $cs_version installed in $cs_dir"
