#!/usr/bin/env bash
# The mock suite on each supported Node version besides the one running CI (20): Node 22 and 24,
# fetched as the registry's `node` package (npx -y -p node@N), run side by side. Prints each
# version's time; a failing version's log is shown.
set -uo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true
mkdir -p reports
started=$SECONDS
pids=()
majors=(${NODE_VERSIONS:-22 24})
for major in "${majors[@]}"; do
  (
    version=$(npx -y -p "node@$major" node --version) || { echo "could not get node@$major from the registry"; exit 2; }
    echo "Node $version"
    npx -y -p "node@$major" node bin/conformance.js --target mock --quiet --reports "reports/node-$major"
  ) > "reports/node-$major.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!majors[@]}"; do
  major=${majors[$i]}
  if wait "${pids[$i]}"; then
    echo "node-versions: $(head -1 "reports/node-$major.log"): $(tail -1 "reports/node-$major.log")"
  else
    echo "node-versions: node@$major FAILED:"; cat "reports/node-$major.log"
    status=1
  fi
done
echo "node-versions: ${majors[*]} in $((SECONDS - started)) s"
exit $status
