#!/bin/sh
# A headless Chromium for tests/test_graph_browser.py where neither the distribution's chromium nor
# `playwright install` can be had (no CDN): the chrome-headless-shell build that the npm package
# @sparticuz/chromium carries, brotli-compressed, unpacked under DIR (default /tmp/chromium).
#   pip install playwright && sh scripts/chromium-for-tests.sh && export MSGLINT_CHROMIUM=/tmp/chromium/chrome/chromium
set -eu
version=147.0.0
dir=${1:-/tmp/chromium}
mkdir -p "$dir" && cd "$dir"
[ -f "sparticuz-chromium-$version.tgz" ] || npm pack "@sparticuz/chromium@$version"
rm -rf package && tar xzf "sparticuz-chromium-$version.tgz"
mkdir -p chrome
node -e '
const zlib = require("zlib"), fs = require("fs"), cp = require("child_process");
fs.writeFileSync("chrome/chromium", zlib.brotliDecompressSync(fs.readFileSync("package/bin/chromium.br")));
// SwiftShader beside the binary: software rendering for a machine with no GPU
fs.writeFileSync("swiftshader.tar", zlib.brotliDecompressSync(fs.readFileSync("package/bin/swiftshader.tar.br")));
cp.execFileSync("tar", ["xf", "swiftshader.tar", "-C", "chrome"]);
fs.unlinkSync("swiftshader.tar");'
chmod +x chrome/chromium
"$dir/chrome/chromium" --version
echo "export MSGLINT_CHROMIUM=$dir/chrome/chromium"
