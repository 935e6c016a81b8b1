#!/bin/sh
# run-firefox.sh: record what headless Firefox's fetch() exposes for every
# case of cases.jsonl, into recorded/firefox.jsonl (or the file given).
#
#   tests/interop/run-firefox.sh [OUT]
#
# Needs root: the server and the browser run inside a private network
# namespace (unshare --net) where only the loopback interface exists and is
# up, so Firefox cannot reach anything but 127.0.0.1.  A PID namespace
# (--pid --fork) makes sure no browser process outlives the run.  Firefox
# runs with a fresh profile whose user.js switches off updates, telemetry,
# remote settings, captive-portal and connectivity checks, safe browsing and
# the rest of its background networking, and with HOME and the XDG
# directories inside the run's temporary directory.
# Environment: FIREFOX (default firefox-esr), INTEROP_TIME_LIMIT (seconds,
# default 300).  Exit status: 0 recorded, 1 failed, 2 time limit reached
# (what there is goes to OUT.partial), 77 no browser (skip).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
FIREFOX=${FIREFOX:-firefox-esr}
LIMIT=${INTEROP_TIME_LIMIT:-300}

# The profile's preferences.  Any URL Firefox might still fetch points at
# port 9 of 127.0.0.1, where nothing listens, never at the suite's ports.
write_user_js() {
  cat >"$1" <<'EOF'
// corsim interop: a throw-away profile for one unattended run.
// Updates (application, search, extensions, system add-ons, GMP plugins).
user_pref("app.update.auto", false);
user_pref("app.update.disabledForTesting", true);
user_pref("app.update.enabled", false);
user_pref("app.update.service.enabled", false);
user_pref("app.update.staging.enabled", false);
user_pref("app.update.checkInstallTime", false);
user_pref("app.update.url", "http://127.0.0.1:9/");
user_pref("app.update.url.manual", "http://127.0.0.1:9/");
user_pref("app.update.url.details", "http://127.0.0.1:9/");
user_pref("browser.search.update", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.update.autoUpdateDefault", false);
user_pref("extensions.update.url", "http://127.0.0.1:9/");
user_pref("extensions.update.background.url", "http://127.0.0.1:9/");
user_pref("extensions.systemAddon.update.enabled", false);
user_pref("extensions.systemAddon.update.url", "http://127.0.0.1:9/");
user_pref("extensions.blocklist.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("extensions.getAddons.showPane", false);
user_pref("extensions.htmlaboutaddons.recommendations.enabled", false);
user_pref("extensions.recommendations.themeRecommendationUrl", "");
user_pref("extensions.webservice.discoverURL", "http://127.0.0.1:9/");
user_pref("browser.discovery.enabled", false);
user_pref("extensions.autoDisableScopes", 15);
user_pref("media.gmp-manager.url", "http://127.0.0.1:9/");
user_pref("media.gmp-manager.updateEnabled", false);
user_pref("media.gmp-gmpopenh264.autoupdate", false);
user_pref("media.gmp-gmpopenh264.enabled", false);
user_pref("media.gmp-widevinecdm.autoupdate", false);
user_pref("media.gmp-widevinecdm.enabled", false);
user_pref("media.gmp-provider.enabled", false);
// Telemetry, data reporting, the health report, studies, crash reports.
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.archive.enabled", false);
user_pref("toolkit.telemetry.server", "http://127.0.0.1:9/");
user_pref("toolkit.telemetry.newProfilePing.enabled", false);
user_pref("toolkit.telemetry.firstShutdownPing.enabled", false);
user_pref("toolkit.telemetry.shutdownPingSender.enabled", false);
user_pref("toolkit.telemetry.updatePing.enabled", false);
user_pref("toolkit.telemetry.bhrPing.enabled", false);
user_pref("toolkit.telemetry.coverage.opt-out", true);
user_pref("toolkit.coverage.opt-out", true);
user_pref("toolkit.coverage.endpoint.base", "");
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.policy.dataSubmissionPolicyBypassNotification", true);
user_pref("datareporting.usage.uploadEnabled", false);
user_pref("browser.ping-centre.telemetry", false);
user_pref("browser.newtabpage.activity-stream.telemetry", false);
user_pref("browser.newtabpage.activity-stream.feeds.telemetry", false);
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("nimbus.rollouts.enabled", false);
user_pref("browser.crashReports.unsubmittedCheck.enabled", false);
user_pref("browser.crashReports.unsubmittedCheck.autoSubmit2", false);
user_pref("browser.tabs.crashReporting.sendReport", false);
// Normandy and remote settings.
user_pref("app.normandy.enabled", false);
user_pref("app.normandy.api_url", "");
user_pref("services.settings.server", "http://127.0.0.1:9/v1");
user_pref("security.remote_settings.crlite_filters.enabled", false);
user_pref("security.remote_settings.intermediates.enabled", false);
// Captive-portal detection and connectivity checks.
user_pref("network.captive-portal-service.enabled", false);
user_pref("captivedetect.canonicalURL", "");
user_pref("network.connectivity-service.enabled", false);
user_pref("network.connectivity-service.IPv4.url", "");
user_pref("network.connectivity-service.IPv6.url", "");
// Safe browsing.
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.blockedURIs.enabled", false);
user_pref("browser.safebrowsing.passwords.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.downloads.remote.enabled", false);
user_pref("browser.safebrowsing.downloads.remote.url", "");
user_pref("browser.safebrowsing.provider.google.updateURL", "");
user_pref("browser.safebrowsing.provider.google.gethashURL", "");
user_pref("browser.safebrowsing.provider.google4.updateURL", "");
user_pref("browser.safebrowsing.provider.google4.gethashURL", "");
user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
user_pref("browser.safebrowsing.provider.mozilla.gethashURL", "");
// Default-browser checks, first-run and welcome pages, session restore.
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.startup.firstrunSkipsHomepage", true);
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("startup.homepage_override_url", "");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("trailhead.firstrun.didSeeAboutWelcome", true);
user_pref("browser.startup.page", 0);
user_pref("browser.startup.homepage", "about:blank");
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.sessionstore.resume_from_crash", false);
user_pref("toolkit.startup.max_resumed_crashes", -1);
user_pref("browser.tabs.warnOnClose", false);
user_pref("browser.warnOnQuit", false);
user_pref("browser.uitour.enabled", false);
user_pref("browser.rights.3.shown", true);
// Other background requests: new-tab content, push, sync, geolocation,
// region, DNS over HTTPS, speculative connections and prefetching.
user_pref("browser.newtabpage.activity-stream.feeds.topsites", false);
user_pref("browser.newtabpage.activity-stream.feeds.section.topstories", false);
user_pref("browser.newtabpage.activity-stream.feeds.snippets", false);
user_pref("browser.newtabpage.activity-stream.showSponsored", false);
user_pref("browser.newtabpage.activity-stream.showSponsoredTopSites", false);
user_pref("browser.topsites.contile.enabled", false);
user_pref("dom.push.enabled", false);
user_pref("dom.push.connection.enabled", false);
user_pref("dom.push.serverURL", "");
user_pref("identity.fxaccounts.enabled", false);
user_pref("services.sync.engine.addons", false);
user_pref("geo.enabled", false);
user_pref("geo.provider.network.url", "");
user_pref("browser.region.network.url", "");
user_pref("browser.region.update.enabled", false);
user_pref("browser.search.geoip.url", "");
user_pref("network.trr.mode", 5);
user_pref("doh-rollout.disable-heuristics", true);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("network.predictor.enabled", false);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("browser.urlbar.speculativeConnect.enabled", false);
user_pref("browser.places.speculativeConnect.enabled", false);
user_pref("security.OCSP.enabled", 0);
user_pref("network.proxy.type", 0);
// Unattended: no dialogs, no safe-mode prompt, no throttling of the page.
user_pref("dom.disable_open_during_load", false);
user_pref("dom.max_script_run_time", 0);
user_pref("dom.max_chrome_script_run_time", 0);
user_pref("toolkit.cosmeticAnimations.enabled", false);
EOF
}

if [ "${1:-}" = "--inside" ]; then
  # ---- inside the namespaces --------------------------------------------
  OUT=$2 WORK=$3 VERSION=$4
  . "$HERE/netns.sh"
  interop_loopback_only run-firefox.sh
  mkdir -p "$WORK/profile" "$WORK/home" "$WORK/cache" "$WORK/config" \
    "$WORK/data" "$WORK/runtime"
  chmod 700 "$WORK/runtime"
  write_user_js "$WORK/profile/user.js"
  interop_start_server firefox run-firefox.sh
  env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
    -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY \
    -u all_proxy -u ALL_PROXY -u no_proxy -u NO_PROXY \
    HOME="$WORK/home" XDG_CACHE_HOME="$WORK/cache" \
    XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" \
    XDG_RUNTIME_DIR="$WORK/runtime" TMPDIR="$WORK" \
    MOZ_HEADLESS=1 MOZ_CRASHREPORTER_DISABLE=1 MOZ_DISABLE_AUTO_SAFE_MODE=1 \
    MOZ_SKIP_SYSTEM_PREFS=1 \
    "$FIREFOX" --headless --no-remote --new-instance \
    --profile "$WORK/profile" \
    http://127.0.0.1:18610/ >"$WORK/firefox.log" 2>&1 &
  fpid=$!
  rc=0
  wait "$spid" || rc=$?
  kill "$fpid" 2>/dev/null || true
  interop_stop_browser "$fpid"
  interop_report run-firefox.sh Firefox "$WORK/firefox.log" "$rc"
  exit "$rc"
fi

# ---- outside: set up and enter the namespaces ------------------------------
OUT=${1:-$HERE/recorded/firefox.jsonl}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
if ! command -v "$FIREFOX" >/dev/null 2>&1; then
  echo "run-firefox.sh: $FIREFOX not found; skipped" >&2
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "run-firefox.sh: must run as root (unshare --net)" >&2
  exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/corsim-interop-firefox.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
# firefox --version only reads application.ini; it too runs without a network
# (a network namespace of its own) and with a scratch HOME.
VERSION=$(HOME="$WORK" MOZ_HEADLESS=1 unshare --net "$FIREFOX" --version 2>/dev/null \
  | head -n 1 | sed 's/[[:space:]]*$//')
[ -n "$VERSION" ] || { echo "run-firefox.sh: no version from $FIREFOX" >&2; exit 1; }
export FIREFOX
. "$HERE/netns.sh"
interop_enter run-firefox.sh
