#!/usr/bin/env bash
# Builds PDSNO and runs every test. Integration tests start their own private PostgreSQL (or use the one
# PDSNO_TEST_POSTGRES names). Prints "N passed, M failed" as its last line; exits non-zero on any failure.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

results="$root/TestResults"
rm -rf "$results"
if ! dotnet build PDSNO.sln -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test PDSNO.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
status=$?

passed=0; failed=0
shopt -s nullglob
for f in "$results"/*.trx; do
  p=$(grep -o '<UnitTestResult [^>]*outcome="Passed"' "$f" | wc -l)
  x=$(grep -o '<UnitTestResult [^>]*outcome="Failed"' "$f" | wc -l)
  passed=$((passed + p)); failed=$((failed + x))
done
if [[ $status -ne 0 && $failed -eq 0 ]]; then failed=1; fi
# Name the failures again at the very end, where a log that keeps only its tail still shows them.
for f in "$results"/*.trx; do
  grep -o '<UnitTestResult [^>]*outcome="Failed"' "$f" | sed -n 's/.*testName="\([^"]*\)".*/failed: \1/p'
done
echo "$passed passed, $failed failed"
exit $status
