#!/bin/sh
# init (PID 1) of the benchmark's user-mode Linux kernel (see /work/shared/LAB.md). The kernel command line
# carries LAB_JOB (a shell script to run) and LAB_OUT (a folder outside /tmp where results go back to the host).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/netns /run/lock
ip link set lo up
M=/usr/lib/uml/modules/$(uname -r)/kernel
# IPVS and its dependencies, in dependency order (modprobe cannot find the UML module tree).
for m in lib/crc-ccitt net/ipv6/ipv6 net/ipv4/netfilter/nf_defrag_ipv4 net/ipv6/netfilter/nf_defrag_ipv6 \
         net/netfilter/nf_conntrack net/netfilter/ipvs/ip_vs net/netfilter/ipvs/ip_vs_rr \
         net/netfilter/ipvs/ip_vs_wrr net/netfilter/ipvs/ip_vs_wlc drivers/net/veth drivers/net/dummy; do
  insmod "$M/$m.ko" 2>>"$LAB_OUT/insmod.log"
done
ulimit -n 65536
cd "$(dirname "$LAB_JOB")"
sh "$LAB_JOB" >"$LAB_OUT/stdout" 2>"$LAB_OUT/stderr"
echo $? >"$LAB_OUT/rc"
sync
halt -f -p
