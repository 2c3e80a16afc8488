#!/usr/bin/env bash
# Starts PDSNO with a simulated network. With no ConnectionStrings__Pdsno in the environment it sets up a
# private PostgreSQL under .pdsno/ (initialised once, started if stopped) and uses that. With
# ConnectionStrings__PdsnoOwner also set (as for the private one), the schema is applied with it first.
# Arguments are passed to the silo, e.g. --urls http://127.0.0.1:9090 --Orleans:SiloPort=11112
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -z "${ConnectionStrings__Pdsno:-}" ]]; then
  echo "pdsno: no ConnectionStrings__Pdsno set; using the private PostgreSQL in .pdsno/pg" >&2
  ConnectionStrings__PdsnoOwner="$("$root/scripts/pg.sh" start "$root/.pdsno/pg" auto | tail -1)"
  ConnectionStrings__Pdsno="$("$root/scripts/pg.sh" url "$root/.pdsno/pg")"
  export ConnectionStrings__Pdsno ConnectionStrings__PdsnoOwner
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "pdsno: the .NET SDK (dotnet) is required" >&2
  exit 1
fi

dotnet build "$root/src/Pdsno.Silo/Pdsno.Silo.csproj" -c Release -nologo -v quiet >&2
urls_given=0
for a in "$@"; do [[ "$a" == --urls* ]] && urls_given=1; done
extra=()
[[ $urls_given -eq 1 ]] || extra=(--urls "http://127.0.0.1:8080")
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
silo="$root/src/Pdsno.Silo/bin/Release/net10.0/Pdsno.Silo.dll"
# With the owner's connection string the schema is applied as its owner, and the silo runs as its own role,
# which may append to the audit trail but never change it; the silo itself never sees the owner's credentials.
if [[ -n "${ConnectionStrings__PdsnoOwner:-}" ]]; then
  dotnet "$silo" migrate --contentRoot "$root/src/Pdsno.Silo" >&2
  unset ConnectionStrings__PdsnoOwner
fi
exec dotnet "$silo" --contentRoot "$root/src/Pdsno.Silo" "${extra[@]}" "$@"
