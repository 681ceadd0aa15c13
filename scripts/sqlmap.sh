#!/usr/bin/env bash
# sqlmap against the invoice list's filters and search, and the CSV export: expects no
# injectable parameter and no 5xx answer. `npm run test:sqlmap`; not part of `npm test`.
#
#   scripts/sqlmap.sh                  build if needed, start the panel on a fresh embedded database
#                                      (PGlite: PostgreSQL's own SQL), sign in as demo@example.com, run;
#                                      with DATABASE_URL, on that PostgreSQL database instead, which
#                                      is emptied and seeded (never point it at one you want to keep)
#   scripts/sqlmap.sh URL COOKIE       against a running panel, e.g.
#                                      scripts/sqlmap.sh https://panel.example "authjs.session-token=…"
#                                      (behind HTTPS the cookie is __Secure-authjs.session-token)
#
# Parameters tested: status, q, from, to and the keyset cursors after/before (the list's
# "cursor") on /invoices, and status, q, from, to on /invoices/export.csv. SQLMAP_LEVEL and
# SQLMAP_RISK (default 3 and 2: every boundary and payload up to OR-based, about 5 minutes here)
# and SQLMAP_THREADS (default 2) change the depth; SQLMAP_KEEP=1 keeps sqlmap's logs (they hold
# the session cookie). Needs sqlmap (Debian: apt-get install -y sqlmap).
set -euo pipefail
cd "$(dirname "$0")/.."

LEVEL="${SQLMAP_LEVEL:-3}"
RISK="${SQLMAP_RISK:-2}"
THREADS="${SQLMAP_THREADS:-2}"

if ! command -v sqlmap >/dev/null 2>&1; then
  echo "sqlmap is not installed. Debian/Ubuntu: apt-get install -y sqlmap (or see https://sqlmap.org)." >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/cumulus-sqlmap-XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  if [[ -n "${SQLMAP_KEEP:-}" ]]; then echo "sqlmap logs kept in ${work}"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [[ $# -ge 2 ]]; then
  base="${1%/}"
  cookie="$2"
else
  # A port the OS says is free: a random one can be another server's (PostgreSQL's 5432).
  port="${PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
  base="http://localhost:${port}"
  node -e "import('./scripts/start.mjs').then((m) => m.buildIfStale())"
  if [[ -n "${DATABASE_URL:-}" ]]; then
    echo "Seeding ${DATABASE_URL##*/} and starting the panel at ${base} on it…"
    npx tsx scripts/db-seed.ts --reset >"${work}/seed.log" 2>&1 || { cat "${work}/seed.log" >&2; exit 1; }
    database=(DATABASE_URL="$DATABASE_URL")
  else
    echo "Starting the panel at ${base} on a fresh embedded database in ${work}/data…"
    database=(CUMULUS_ALLOW_EMBEDDED=true)
  fi
  # Its own process group, so the cleanup stops the server and its PDF workers.
  env -u DATABASE_URL "${database[@]}" PORT="$port" NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 NEXT_MANUAL_SIG_HANDLE=true \
    CUMULUS_ALLOW_SANDBOX=true APP_URL="$base" CUMULUS_DATA_DIR="${work}/data" CUMULUS_OUTBOX_INTERVAL_MS=0 \
    AUTH_SECRET="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')" \
    setsid node node_modules/next/dist/bin/next start -p "$port" >"${work}/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "${base}/login" && break
    kill -0 "$server_pid" 2>/dev/null || { cat "${work}/server.log" >&2; exit 1; }
    sleep 0.3
  done
  # Sign in through Auth.js's credentials endpoint (CSRF token first).
  jar="${work}/cookies.txt"
  csrf="$(curl -fs -c "$jar" "${base}/api/auth/csrf" | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).csrfToken))')"
  curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrfToken=${csrf}" --data-urlencode "email=demo@example.com" \
    --data-urlencode "password=cumulus-demo-2026" --data-urlencode "callbackUrl=/" "${base}/api/auth/callback/credentials"
  token="$(awk '$6 ~ /authjs\.session-token$/ { print $6 "=" $7 }' "$jar" | head -n1)"
  [[ -n "$token" ]] || { echo "Signing in as demo@example.com failed." >&2; exit 1; }
  cookie="$token"
fi

# The list must answer signed in (not a redirect to the login page) or sqlmap tests nothing.
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${cookie}" "${base}/invoices")"
[[ "$status" == "200" ]] || { echo "GET ${base}/invoices answered ${status} with the given cookie: not signed in." >&2; exit 1; }

targets=(
  "${base}/invoices?status=all&q=1000&from=2020-01-01&to=2099-12-31|status,q,from,to"
  "${base}/invoices?after=2099-01-01_999999|after"
  "${base}/invoices?before=2000-01-01_1|before"
  "${base}/invoices/export.csv?status=all&q=1000&from=2020-01-01&to=2099-12-31|status,q,from,to"
)

failed=0
tested=0
for t in "${targets[@]}"; do
  url="${t%%|*}"
  params="${t##*|}"
  tested=$((tested + $(tr ',' '\n' <<<"$params" | wc -l)))
  log="${work}/sqlmap-$tested.log"
  echo "▶ sqlmap --level ${LEVEL} --risk ${RISK} -p ${params}  ${url#"$base"}"
  # --text-only: pages carry a fresh CSP nonce per request; compare what a person reads.
  sqlmap -u "$url" -p "$params" --cookie "$cookie" --batch --level "$LEVEL" --risk "$RISK" --threads "$THREADS" \
    --dbms PostgreSQL --text-only --flush-session --disable-coloring --output-dir "${work}/out" >"$log" 2>&1 || true
  if grep -qiE "identified the following injection point|is vulnerable" "$log"; then
    echo "  ✖ injectable:" && grep -iE "Parameter:|Type:|Title:|Payload:" "$log" | sed 's/^/    /'
    failed=1
  elif grep -q "all tested parameters do not appear to be injectable" "$log"; then
    echo "  ✔ all tested parameters do not appear to be injectable ($(grep -c "\[INFO\] testing '" "$log") technique runs)"
  else
    echo "  ✖ sqlmap did not finish its tests:" && tail -n 20 "$log" | sed 's/^/    /'
    failed=1
  fi
  if grep -qE "HTTP error codes detected during run:.*5[0-9][0-9]" "$log"; then
    echo "  ✖ the server answered with 5xx:" && grep -A2 "HTTP error codes detected" "$log" | sed 's/^/    /'
    failed=1
  fi
done

if [[ "$failed" -ne 0 ]]; then
  echo "sqlmap: ${tested} parameters on ${#targets[@]} URLs: FAILED (see above)"
  exit 1
fi
echo "sqlmap: ${tested} parameters on ${#targets[@]} URLs (level ${LEVEL}, risk ${RISK}): no injectable parameter, no 5xx"
