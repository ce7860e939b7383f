#!/bin/sh
# PID 1 of the lab kernel (user-mode Linux, see /work/shared/LAB.md), started by test/e2e/lab/harness.ts.
# The kernel command line carries LAB_DIR: a folder OUTSIDE /tmp (the host tree is mounted over hostfs, and /tmp
# is a fresh tmpfs in here) holding env.sh, modules.txt and job.sh; results go back through the same folder.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmpfs /run
# /tmp becomes a fresh tmpfs in here. A checkout that itself lives under /tmp (CI may clone there) would vanish
# with it, and LAB_DIR with it: keep the host's /tmp reachable and bind that checkout's top folder back in place.
mkdir -p /run/host-tmp
mount --bind /tmp /run/host-tmp
mount -t tmpfs tmpfs /tmp
case "$LAB_DIR" in
  /tmp/*)
    top=${LAB_DIR#/tmp/}; top=${top%%/*}
    mkdir -p "/tmp/$top"
    mount --bind "/run/host-tmp/$top" "/tmp/$top"
    ;;
esac
mkdir -p /run/netns /run/lock
date +%s%N >"$LAB_DIR/t-init"
ip link set lo up
# modprobe cannot find the UML module tree (it is not under /lib/modules): insmod by path, each module's
# dependencies first, in the order modules.dep gives (deepest last, so reversed).
MODDIR=/usr/lib/uml/modules/$(uname -r)
LOADED=" "
lab_insmod() {
  case "$LOADED" in *" $1 "*) return 0 ;; esac
  deps=$(awk -v m="kernel/$1.ko:" '$1 == m { for (i = NF; i > 1; i--) print $i }' "$MODDIR/modules.dep")
  for d in $deps; do
    d=${d#kernel/}; d=${d%.ko}
    case "$LOADED" in *" $d "*) ;; *) insmod "$MODDIR/kernel/$d.ko" 2>>"$LAB_DIR/insmod.log"; LOADED="$LOADED$d " ;; esac
  done
  insmod "$MODDIR/kernel/$1.ko" 2>>"$LAB_DIR/insmod.log"
  LOADED="$LOADED$1 "
}
for m in $(cat "$LAB_DIR/modules.txt"); do lab_insmod "$m"; done
ulimit -n 65536
. "$LAB_DIR/env.sh"
date +%s%N >"$LAB_DIR/t-job"
cd "$LAB_DIR"
bash "$LAB_DIR/job.sh" >"$LAB_DIR/stdout" 2>"$LAB_DIR/stderr" </dev/null
echo $? >"$LAB_DIR/rc.tmp"
date +%s%N >"$LAB_DIR/t-end"
mv "$LAB_DIR/rc.tmp" "$LAB_DIR/rc"
sync
halt -f -p
