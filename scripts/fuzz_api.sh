#!/usr/bin/env bash
# Property-based fuzzing of the OpenAPI spec with schemathesis against a real `redactor serve` on loopback.
#
#   scripts/fuzz_api.sh                    # all phases, ~50 examples per operation
#   MAX_EXAMPLES=200 scripts/fuzz_api.sh   # longer run; extra arguments go to `schemathesis run`
#
# The server gets a temporary SQLite database and a plan with no practical limits (so the fuzzer
# explores inputs instead of hitting the rate limit); it prints a demo key, which the fuzzer sends.
# Exits non-zero if schemathesis finds a 500, a response that breaks the schema, an undocumented
# status, content type or header, or accepts invalid data.
#
# Excluded checks:
# - positive_data_acceptance expects every schema-valid request to get a 2xx, but a schema cannot say
#   "a decodable image": random bytes in the `image` field are rightly answered 415 unsupported_format.
# - negative_data_rejection sends values of the wrong JSON type, but multipart carries only strings:
#   an "object" {} for the list-of-strings field deny_list arrives as the legitimate term "{}". Our own
#   tests (tests/api) check that invalid fields are rejected with 422.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
MAX_EXAMPLES=${MAX_EXAMPLES:-50}
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

cat > "$tmp/plans.yaml" <<'EOF'
tokens: {per_call: 2, per_page: 1, per_1000_characters: 6, per_entity: 0.2, minimum: 1}
demo_plan: fuzz
plans:
  fuzz: {title: Fuzz, image_redaction: true, max_file_bytes: 2000000, max_pixels: 4000000, max_pages: 3,
         monthly_tokens: 100000000, requests_per_minute: 1000000}
EOF
port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REDACTOR_DATABASE_URL="sqlite:///$tmp/fuzz.db" REDACTOR_PLANS_FILE="$tmp/plans.yaml" REDACTOR_QUEUE=64 \
  "$PYTHON" -m redactor serve --port "$port" >"$tmp/server.log" 2>&1 &
pid=$!

for _ in $(seq 1 300); do
  if "$PYTHON" -c "import httpx, sys; sys.exit(httpx.get('http://127.0.0.1:$port/readyz', timeout=1).status_code != 200)" 2>/dev/null; then
    break
  fi
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.2
done
key=$(grep -o 'rdk_[A-Za-z0-9_-]*' "$tmp/server.log" | head -1)
[ -n "$key" ] || { echo "no demo key printed"; cat "$tmp/server.log"; exit 1; }

status=0
schemathesis=$(cd "$(dirname "$PYTHON")" && pwd)/schemathesis
# Run from the temporary directory so schemathesis's cache (.schemathesis/) stays out of the work tree.
(cd "$tmp" && "$schemathesis" run "http://127.0.0.1:$port/openapi.json" \
  --header "X-API-Key: $key" \
  --checks all --exclude-checks positive_data_acceptance,negative_data_rejection \
  --max-examples "$MAX_EXAMPLES" \
  --workers 2 \
  --request-timeout 60 \
  --suppress-health-check too_slow,data_too_large \
  "$@") || status=$?

if grep -q "Traceback\|unhandled" "$tmp/server.log"; then
  echo "server log has a traceback:"
  grep -n -A3 "Traceback\|unhandled" "$tmp/server.log" | head -40 || true
  status=1
fi
exit $status
