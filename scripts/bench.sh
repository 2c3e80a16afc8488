#!/usr/bin/env bash
# Runs the PDSNO bench: one real silo in-process against PostgreSQL, a fresh database per scenario.
#   scripts/bench.sh [ingest|discovery|latency|memory|graphql|auth|config|snmp|fanout|audit|changes|ssh|console|intents|analytics|all ...] [--option value ...]   (default: all)
# PostgreSQL is the server PDSNO_BENCH_POSTGRES names (a connection string whose user may CREATE DATABASE),
# or else a private PostgreSQL started in a temporary folder and stopped (and removed) at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "bench: the .NET SDK (dotnet) is required" >&2
  exit 1
fi

pgdir=""
cleanup() {
  if [[ -n "$pgdir" ]]; then
    "$root/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1 || true
    if [[ -f "$pgdir/datadir" ]]; then rm -rf "$(cat "$pgdir/datadir")"; fi
    rm -rf "$pgdir"
  fi
}
trap cleanup EXIT

if [[ -z "${PDSNO_BENCH_POSTGRES:-}" ]]; then
  pgdir="$(mktemp -d "${TMPDIR:-/tmp}/pdsno-bench-pg.XXXXXX")"
  echo "bench: starting a private PostgreSQL in $pgdir" >&2
  PDSNO_BENCH_POSTGRES="$("$root/scripts/pg.sh" start "$pgdir" auto | tail -1)"
fi
export PDSNO_BENCH_POSTGRES

dotnet build "$root/bench/Pdsno.Bench/Pdsno.Bench.csproj" -c Release -nologo -v quiet >&2
dotnet run -c Release --no-build --project "$root/bench/Pdsno.Bench" -- "$@"
