#!/usr/bin/env bash
# Scratch-org CI: create a scratch org from the Dev Hub, deploy the package, assign the permission
# sets, run the org-level smoke checks, and delete the org whatever happens.
#
# The scratch org is namespaced: sfdx-project.json declares the namespace aircallsfv, so
# `sf org create scratch` creates the org in that namespace (the Dev Hub must have the namespace
# linked to it, which is the publisher's step) and everything deployed into it carries the prefix,
# as in a subscriber org: doctor then finds aircallsfv__Aircall_Voice__c. With
# SCRATCH_INSTALL_PACKAGE=04t… (a package version from `npm run package:version`) it creates an
# org without a namespace and installs that version instead, as a customer would.
#
# Needs, in the environment:
#   SF_DEVHUB_CLIENT_ID       consumer key of the Dev Hub's connected app (JWT bearer flow)
#   SF_DEVHUB_JWT_KEY_FILE    path to the private key whose certificate the connected app holds
#   SF_DEVHUB_USERNAME        Dev Hub username the connected app is pre-authorised for
# Optional:
#   SF_LOGIN_URL              default https://login.salesforce.com
#   SCRATCH_DURATION_DAYS     default 1
#   SCRATCH_ALIAS             default aircall-ci-<run id>
#   SCRATCH_INSTALL_PACKAGE   a package version id (04t…) to install instead of deploying the source
#   SCRATCH_NO_NAMESPACE      1 = deploy into a scratch org without the namespace (npm run deploy's case)
# The sf CLI is the project's own (@salesforce/cli, a devDependency), run on the project's Node 22:
# node_modules/.bin goes first on PATH.
#
# Without the Dev Hub credentials it prints why it is skipped and exits 0, so forks and local runs
# stay green. It cannot run on a machine without network access to Salesforce.
#
# Local mode, `scripts/scratch-org-ci.sh --local [--namespace aircallsfv]` (no Dev Hub, no network):
# the same path against the embedded local org instead of a scratch org — start an empty org
# (`local-org --schema none`, its integration user on the "Minimum Access - API Only Integrations"
# profile), log the project's sf CLI in to it, build, `sf project deploy start --metadata-dir
# dist/mdapi`, `sf org assign permset --name Aircall_Integration` (the only permission set the
# integration user gets), doctor, then the connector's end-to-end scenario against that same org, as
# that integration user (LOCAL_E2E=0 leaves it out). The sf CLI's state lives in a temporary HOME, removed at the end.
# test/scripts/scratch-org-ci.test.ts runs it in `npm test`, namespaced and not.
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--local" ]]; then
  shift
  namespace=""
  if [[ "${1:-}" == "--namespace" ]]; then
    namespace="${2:?--namespace takes a namespace prefix, e.g. aircallsfv}"
    shift 2
  fi
  export PATH="$PWD/node_modules/.bin:$PATH"
  state="$(mktemp -d)"
  org_pid=""
  cleanup_local() {
    local status=$?
    [[ -n "$org_pid" ]] && kill "$org_pid" 2>/dev/null && wait "$org_pid" 2>/dev/null
    rm -rf "$state"
    exit "$status"
  }
  trap cleanup_local EXIT INT TERM
  # The sf CLI keeps its auth files under HOME: a throwaway one, so nothing leaks into the user's.
  export HOME="$state/home" XDG_CONFIG_HOME="$state/home/.config" XDG_DATA_HOME="$state/home/.local/share" \
    XDG_CACHE_HOME="$state/home/.cache"
  export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_SKIP_NEW_VERSION_CHECK=true \
    SF_HIDE_RELEASE_NOTES=true SF_USE_PROGRESS_BAR=false NODE_NO_WARNINGS=1
  mkdir -p "$HOME"
  alias="aircall-local"

  echo "::group::start an empty local org${namespace:+ (namespace $namespace)}"
  node bin/aircall-sfv.cjs local-org --schema none --seed none --port 0 --json \
    --user-profile "Minimum Access - API Only Integrations" ${namespace:+--namespace "$namespace"} \
    >"$state/org.json" 2>"$state/org.err" &
  org_pid=$!
  until [[ -s "$state/org.json" ]]; do
    kill -0 "$org_pid" 2>/dev/null || { cat "$state/org.err" >&2; exit 1; }
    sleep 0.2
  done
  instance_url="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).instanceUrl)' "$state/org.json")"
  access_token="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).accessToken)' "$state/org.json")"
  echo "local org at $instance_url"
  echo "::endgroup::"

  echo "::group::log in to it"
  SF_ACCESS_TOKEN="$access_token" sf org login access-token --instance-url "$instance_url" --no-prompt --alias "$alias"
  echo "::endgroup::"

  echo "::group::build the Metadata API folder"
  node --import tsx scripts/build.ts
  echo "::endgroup::"

  echo "::group::deploy dist/mdapi"
  sf project deploy start --metadata-dir dist/mdapi --target-org "$alias" --wait 10
  echo "::endgroup::"

  echo "::group::assign the integration permission set"
  sf org assign permset --name Aircall_Integration --target-org "$alias"
  echo "::endgroup::"

  echo "::group::smoke checks"
  node bin/aircall-sfv.cjs doctor --target-org "$alias"
  echo "::endgroup::"

  if [[ "${LOCAL_E2E:-1}" != 0 ]]; then
    echo "::group::connector end to end against this org, as the integration user with only Aircall_Integration"
    # NODE_TEST_CONTEXT: set when this script itself runs under `node --test`; the suite below then
    # reports to this terminal rather than to that runner.
    env -u NODE_TEST_CONTEXT AIRCALL_E2E_INSTANCE_URL="$instance_url" AIRCALL_E2E_ACCESS_TOKEN="$access_token" \
      AIRCALL_E2E_NAMESPACE="$namespace" \
      node --import tsx --test --test-reporter tap --test-name-pattern "against the deployed org" test/connector/end-to-end.test.ts
    echo "::endgroup::"
  fi
  echo "Scratch-org CI (local mode${namespace:+, namespace $namespace}) passed on $instance_url."
  exit 0
fi

missing=()
for name in SF_DEVHUB_CLIENT_ID SF_DEVHUB_JWT_KEY_FILE SF_DEVHUB_USERNAME; do
  [[ -n "${!name:-}" ]] || missing+=("$name")
done
if ((${#missing[@]} > 0)); then
  echo "skipped: scratch-org CI needs Dev Hub JWT credentials; ${missing[*]} not set."
  echo "  Set them (as repository secrets in GitHub Actions) to deploy to a fresh scratch org on each run."
  exit 0
fi
if [[ ! -r "$SF_DEVHUB_JWT_KEY_FILE" ]]; then
  echo "SF_DEVHUB_JWT_KEY_FILE=$SF_DEVHUB_JWT_KEY_FILE is not a readable file; point it at the Dev Hub connected app's private key." >&2
  exit 1
fi
export PATH="$PWD/node_modules/.bin:$PATH"
if ! command -v sf >/dev/null 2>&1; then
  echo "The sf CLI is not installed: run npm install." >&2
  exit 1
fi

login_url="${SF_LOGIN_URL:-https://login.salesforce.com}"
alias="${SCRATCH_ALIAS:-aircall-ci-${GITHUB_RUN_ID:-$$}}"
duration="${SCRATCH_DURATION_DAYS:-1}"
created=0

cleanup() {
  local status=$?
  if ((created)); then
    echo "::group::delete scratch org $alias"
    sf org delete scratch --target-org "$alias" --no-prompt || echo "Could not delete $alias; delete it from the Dev Hub (Active Scratch Orgs)." >&2
    echo "::endgroup::"
  fi
  exit "$status"
}
trap cleanup EXIT INT TERM

step() { echo "::group::$*"; }
end() { echo "::endgroup::"; }

step "log in to the Dev Hub ($SF_DEVHUB_USERNAME)"
sf org login jwt \
  --client-id "$SF_DEVHUB_CLIENT_ID" \
  --jwt-key-file "$SF_DEVHUB_JWT_KEY_FILE" \
  --username "$SF_DEVHUB_USERNAME" \
  --instance-url "$login_url" \
  --alias aircall-devhub \
  --set-default-dev-hub
end

install="${SCRATCH_INSTALL_PACKAGE:-}"
namespace_flag=()
if [[ -n "$install" || "${SCRATCH_NO_NAMESPACE:-}" == 1 ]]; then
  namespace_flag=(--no-namespace)
fi

step "create scratch org $alias${namespace_flag:+ (no namespace)}"
created=1
sf org create scratch \
  --definition-file config/project-scratch-def.json \
  --alias "$alias" \
  --duration-days "$duration" \
  --target-dev-hub aircall-devhub \
  "${namespace_flag[@]}" \
  --wait 20
end

if [[ -n "$install" ]]; then
  step "install package version $install"
  sf package install --package "$install" --target-org "$alias" --wait 30 --publish-wait 10 --no-prompt
  end
else
  step "build the Metadata API folder"
  npm run build
  end

  step "deploy dist/mdapi"
  sf project deploy start --metadata-dir dist/mdapi --target-org "$alias" --wait 30
  end
fi

step "assign permission sets"
sf org assign permset --name Aircall_Admin --name Aircall_Agent --name Aircall_Integration --target-org "$alias"
end

step "smoke checks"
npx aircall-sfv doctor --target-org "$alias"
end

echo "Scratch-org CI passed on $alias."
