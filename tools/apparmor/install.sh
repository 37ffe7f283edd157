#!/usr/bin/env bash
# Lets the course's own copy of util-linux's unshare through Ubuntu's AppArmor lock on user namespaces
# (kernel.apparmor_restrict_unprivileged_userns = 1), so that an ordinary user's namespace experiments run
# live there. Where AppArmor or the lock is absent it does nothing. tools/setup.sh runs it: as root it
# copies unshare to the root-owned path the profile names (lib/NetIpc/Isolation/UserNamespaceChild.cs runs
# that copy when it exists), installs the profile beside this script as /etc/apparmor.d/netipc-course and
# loads it; as an ordinary user it says to run sudo tools/setup.sh.
#
# For tests: NETIPC_SYSTEM_ROOT reads /proc/sys, /sys/kernel/security and the installed files under another
# folder; NETIPC_DRY_RUN=1 prints each command it would run ("would run: …") and runs none.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source_profile="$here/netipc-course"
root="${NETIPC_SYSTEM_ROOT:-}"
dry_run="${NETIPC_DRY_RUN:-0}"

lock="$root/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
if ! [[ -d "$root/sys/kernel/security/apparmor" && -r "$lock" && "$(cat "$lock")" == 1 ]]; then
  exit 0 # no AppArmor, or no lock on user namespaces: unshare needs nothing
fi

# The profile's attachment path is where the copy goes: one place says it.
copy=$(sed -n 's|^profile netipc-course-unshare \(/[^ ]*\) flags=(unconfined) {$|\1|p' "$source_profile")
if [[ -z "$copy" ]]; then
  echo "tools/apparmor/install.sh: $source_profile has no 'profile netipc-course-unshare <path> flags=(unconfined) {' line" >&2
  exit 1
fi
profile=/etc/apparmor.d/netipc-course
unshare=$(command -v unshare || true)
if [[ -z "$unshare" ]]; then
  echo "tools/setup.sh: Ubuntu's AppArmor lock on user namespaces is on, and unshare (util-linux) is missing: install util-linux, then run sudo tools/setup.sh" >&2
  exit 0
fi
unshare=$(readlink -f "$unshare")

if [[ $(id -u) -ne 0 ]]; then
  # An up-to-date copy and profile were loaded by the root run that installed them.
  if ! cmp -s "$unshare" "$root$copy" || ! cmp -s "$source_profile" "$root$profile"; then
    echo "tools/setup.sh: Ubuntu's AppArmor lock on user namespaces is on; the namespace experiments show recordings until you run: sudo tools/setup.sh" >&2
  fi
  exit 0
fi

run() {
  if [[ "$dry_run" == 1 ]]; then echo "would run: $*"; else "$@"; fi
}
# A fresh copy after every util-linux update, so the course never runs an old unshare; loading is
# idempotent, and makes sure the profile is in the kernel after a reboot that skipped it.
if ! { cmp -s "$unshare" "$root$copy" || run install -D -o root -g root -m 0755 "$unshare" "$copy"; } ||
   ! { cmp -s "$source_profile" "$root$profile" || run install -D -o root -g root -m 0644 "$source_profile" "$profile"; } ||
   ! run apparmor_parser -r "$profile"; then
  echo "tools/setup.sh: could not let the course's unshare through Ubuntu's AppArmor lock (see above); the namespace experiments will show recordings" >&2
  exit 0
fi
if [[ "$dry_run" != 1 ]]; then
  echo "tools/setup.sh: Ubuntu's AppArmor lock on user namespaces is on; $copy may create them now (profile $profile)" >&2
fi
