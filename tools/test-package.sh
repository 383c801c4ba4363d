#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, installed into an empty folder, then --help and
# --version of each bin, the emulator bin, a run against that emulator, the cleanup the run names,
# and runs ended by SIGTERM through npx, all without ts-node, swc or typescript installed.
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
version=$(node -p "require('./node_modules/personalize-list-import-jobs-conformance/package.json').version")
for bin in personalize-list-import-jobs-conformance personalize-emulator personalize-conformance-cleanup; do
  [ "$(npx --no-install "$bin" --version)" = "$bin $version" ] || { echo "test:package: $bin --version"; exit 1; }
done

# The installed bin itself (not through npx, whose pid is not the emulator's: killing npx left it running).
node_modules/.bin/personalize-emulator --port 0 > emulator.log 2>&1 &
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
const ok = r.apiVersion && r.verdict === 'conformant' && r.implementation.name === 'personalize-emulator' && r.summary.requirements.passed === 2 && r.summary.requirements['failed (MUST)'] === 0;
if (!ok) { console.error('test:package: unexpected report', JSON.stringify(r.summary), JSON.stringify(r.implementation)); process.exit(1); }
"

# The cleanup the run names is the one that exists here: the package's bin, through npx.
hint=$(grep -o 'npx personalize-conformance-cleanup --prefix [a-z0-9]*' run.log | head -1)
[ -n "$hint" ] || { echo "test:package: the run does not name the cleanup bin"; exit 1; }
AWS_ACCESS_KEY_ID=package-test-a AWS_SECRET_ACCESS_KEY=not-a-secret AWS_REGION=us-east-1 \
  $hint --endpoint "$url" --dry-run > cleanup.log || { echo "test:package: $hint failed"; cat cleanup.log; exit 1; }

# SIGTERM through npx, as `timeout -s TERM` sends it in CI: to the process group, and npm forwards it
# again. The runner takes the two as one stop: it deletes what the running scenario created and writes
# its reports before it ends. Whether the caller waits for that depends on the shell npm runs the bin
# with: bash runs it in its own place (npm waits for the runner); dash (Debian's sh) dies of the signal
# and npm returns at once, before the reports exist.
term_run() { # term_run DIR COMMAND...: the run ended by timeout's SIGTERM after 8 s; sets took (s) and present (reports there when timeout returned)
  local dir=$1; shift
  local t0=$SECONDS status=0
  AWS_ACCESS_KEY_ID=package-test-a AWS_SECRET_ACCESS_KEY=not-a-secret AWS_REGION=us-east-1 \
    timeout -s TERM 8 "$@" --endpoint "$url" --reports "$dir" > "$dir.log" 2>&1 || status=$?
  [ "$status" -eq 124 ] || { echo "test:package: $dir: exit $status, expected 124 (timed out)"; cat "$dir.log"; exit 1; }
  took=$((SECONDS - t0)); present=no
  if [ -f "$dir/conformance.json" ]; then present=yes; fi
  # A runner that npm left behind finishes on its own: wait for its reports.
  for _ in $(seq 1 600); do [ -f "$dir/conformance.json" ] && [ ! -e "$dir/.conformance-run.lock" ] && break; sleep 0.1; done
  local r=$dir/conformance.json
  node -e "
const r = require('./$r');
if (!/SIGTERM/.test(r.stopped || '') || r.warnings.cleanup.length) { console.error('test:package: $dir:', r.stopped, r.warnings.cleanup); process.exit(1); }
" || exit 1
  if grep -q 'cleanup abandoned' "$dir.log"; then echo "test:package: $dir: the second signal abandoned the cleanup"; exit 1; fi
}
npm_config_script_shell=bash term_run term-bash npx --no-install personalize-list-import-jobs-conformance
[ "$present" = yes ] || { echo "test:package: through npx (bash), timeout returned before the reports were written"; cat term-bash.log; exit 1; }
tail -1 term-bash.log | grep -qE '^(conformant|not conformant|incomplete)' || { echo "test:package: the closing line is not the last line"; tail -3 term-bash.log; exit 1; }
bash_took=$took
term_run term-direct node_modules/.bin/personalize-list-import-jobs-conformance
[ "$present" = yes ] || { echo "test:package: the bin called directly: timeout returned before the reports were written"; cat term-direct.log; exit 1; }
direct_took=$took
term_run term-sh npx --no-install personalize-list-import-jobs-conformance
echo "test:package: SIGTERM after 8 s, the reports written before timeout returned: through npx with bash (${bash_took} s), the bin called directly (${direct_took} s); through npx with $(basename "$(readlink -f /bin/sh)") as sh: ${present} after ${took} s (npm returns once sh dies of the signal; the runner still stops cleanly and writes them)"
echo "test:package: passed in $((SECONDS - started)) s"
