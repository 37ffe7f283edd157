#!/usr/bin/env bash
# Sets up what the course and its tests need beyond the .NET SDK (Debian/Ubuntu package names).
# ./run-course calls it before it builds and .ci/run before the tests, so a fresh machine needs only
# the SDK. It checks first and touches apt only when something is missing, so a second run costs
# nothing. It installs when it may (root with apt-get); otherwise it prints one line saying what to
# run and carries on: the course still runs (experiments show recordings where a tool is missing),
# and the test that needs a missing piece names it.
#
# Usage: tools/setup.sh
set -euo pipefail

for arg in "$@"; do
  echo "tools/setup.sh: unknown option '$arg' (usage: tools/setup.sh)" >&2; exit 2
done

# Debian keeps ip and capsh in /usr/sbin, which is not on an ordinary user's PATH: look there too, so
# an installed tool is not reported missing.
export PATH="$PATH:/usr/sbin:/sbin"

missing=()
want() { # package: added once, however many of its tools are missing
  [[ " ${missing[*]} " == *" $1 "* ]] || missing+=("$1")
}
need_command() { # command package
  command -v "$1" >/dev/null 2>&1 || want "$2"
}

# The chapter tests validate every notebook with Debian's nbformat validator, run by /usr/bin/python3.
/usr/bin/python3 -c 'import nbformat' >/dev/null 2>&1 || want python3-nbformat
# The course kernel speaks Jupyter too: the tests run every chapter through Jupyter's own client
# (jupyter nbconvert --execute, which drives nbclient and jupyter_client) and open chapter 00 in
# Jupyter Notebook in a browser.
need_command jupyter-nbconvert jupyter-nbconvert # the command; python3-nbconvert is only the module
/usr/bin/python3 -c 'import nbclient' >/dev/null 2>&1 || want python3-nbclient
/usr/bin/python3 -c 'import jupyter_client' >/dev/null 2>&1 || want python3-jupyter-client
need_command jupyter-notebook jupyter-notebook
# Experiments build network namespaces: addresses and veth pairs with ip, and unshare/nsenter to enter
# a user + network namespace without root.
need_command ip iproute2
need_command unshare util-linux
need_command nsenter util-linux
# The tests run the chapters with a container's capability set under capsh.
need_command capsh libcap2-bin
# Writing notebooks renders a PNG still of every chart in a headless Chromium (GitHub and nbconvert show
# the still), and the site's tests open every page in it. Found where lib/Stills/Chromium.cs
# looks; NETIPC_CHROMIUM names another Chrome or Chromium.
if [[ -z "${NETIPC_CHROMIUM:-}" ]] && ! [[ -x /usr/lib/chromium/chromium || -x /usr/bin/chromium || -x /usr/bin/chromium-browser || -x /usr/bin/google-chrome || -x /usr/bin/google-chrome-stable ]]; then
  want chromium
fi
# Chapter 13 sets its own throughput figure against iperf3's, live (a few short rounds over loopback).
need_command iperf3 iperf3

# Ubuntu's AppArmor lock on user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, on by
# default since 24.04) would leave an ordinary user with recordings: as root this lets the course's own
# copy of unshare through it; as an ordinary user it says to run sudo tools/setup.sh; elsewhere it does nothing.
"$(dirname "$0")/apparmor/install.sh"

if ((${#missing[@]} == 0)); then exit 0; fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "tools/setup.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run (unattended upgrades on a fresh VM) may hold the lock for a while: wait for it.
  if apt-get -qq -o DPkg::Lock::Timeout=300 update &&
     apt-get -qq -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "tools/setup.sh: apt-get could not install ${missing[*]} (see above); carrying on without them" >&2
elif command -v apt-get >/dev/null 2>&1; then
  echo "tools/setup.sh: missing ${missing[*]}; to install, run: sudo apt-get install -y ${missing[*]}" >&2
else
  echo "tools/setup.sh: missing ${missing[*]} (Debian package names); install their equivalents with this system's package manager" >&2
fi
exit 0
