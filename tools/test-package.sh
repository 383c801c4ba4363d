#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, installed into an empty folder, then --help, the
# emulator bin and a run against that emulator, all without ts-node, swc or typescript installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
emulator_pid=
finish() { [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null; rm -rf "$work"; }
trap finish EXIT
started=$SECONDS
export AWS_EC2_METADATA_DISABLED=true

tarball=$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -1)
cd "$work"
npm init -y > /dev/null
npm install --no-audit --no-fund --prefer-offline "./$tarball" > install.log 2>&1 || { cat install.log; exit 1; }
for forbidden in ts-node typescript @swc/core; do
  if [ -e "node_modules/$forbidden" ]; then echo "test:package: $forbidden was installed"; exit 1; fi
done
if find node_modules/personalize-list-import-jobs-conformance -name '*.ts' ! -name '*.d.ts' | grep -q .; then
  echo "test:package: the package ships TypeScript sources"; exit 1
fi
echo "test:package: installed in $((SECONDS - started)) s; $(du -sh node_modules | cut -f1) in node_modules, the package itself $(du -sh node_modules/personalize-list-import-jobs-conformance | cut -f1)"

npx --no-install personalize-list-import-jobs-conformance --help | grep -q 'Exit codes' || { echo "test:package: --help"; exit 1; }
npx --no-install personalize-emulator --help | grep -q -- '--seed-region' || { echo "test:package: emulator --help"; exit 1; }

npx --no-install personalize-emulator --port 0 > emulator.log 2>&1 &
emulator_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' emulator.log | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "test:package: the emulator did not start"; cat emulator.log; exit 1; }

# A run against the emulator as an emulator author runs it, with a file of their own known deviations.
echo '{ "deviations": [] }' > my-deviations.json
AWS_ACCESS_KEY_ID=package-test-a AWS_SECRET_ACCESS_KEY=not-a-secret AWS_REGION=us-east-1 \
  npx --no-install personalize-list-import-jobs-conformance --endpoint "$url" --quiet --reports out \
    --requirement LDIJ-ERR-001,LDIJ-FILTER-001 --deviations my-deviations.json \
    --implementation-name personalize-emulator --implementation-version packaged --implementation-url https://example.org/contact \
  | tee run.log
node -e "
const r = require('./out/conformance.json');
const ok = r.apiVersion && r.implementation.name === 'personalize-emulator' && r.summary.requirements.passed === 2 && r.summary.requirements.failed === 0;
if (!ok) { console.error('test:package: unexpected report', JSON.stringify(r.summary), JSON.stringify(r.implementation)); process.exit(1); }
"
echo "test:package: passed in $((SECONDS - started)) s"
