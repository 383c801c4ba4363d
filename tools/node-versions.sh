#!/usr/bin/env bash
# The mock suite on each supported Node version besides the one running CI (20): Node 22 and 24,
# fetched as the registry's `node` package (npx -y -p node@N). Prints each version's time.
set -uo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true
status=0
for major in ${NODE_VERSIONS:-22 24}; do
  started=$SECONDS
  version=$(npx -y -p "node@$major" node --version) || { echo "node-versions: could not get node@$major"; status=1; continue; }
  if npx -y -p "node@$major" node bin/conformance.js --target mock --quiet --reports "reports/node-$major"; then
    echo "node-versions: Node $version: the mock suite passed in $((SECONDS - started)) s"
  else
    echo "node-versions: Node $version: the mock suite FAILED ($((SECONDS - started)) s)"
    status=1
  fi
done
exit $status
