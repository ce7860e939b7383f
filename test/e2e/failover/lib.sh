# Shell helpers for the failover scenarios (sourced by heartbeat.sh and pacemaker.sh, run as root INSIDE the lab
# kernel, see /work/shared/LAB.md). One LAN bridge in the root namespace joins five namespaces:
#   d1, d2 (directors)  rs1, rs2 (real servers, direct routing)  client
# Every address is a private test address that exists only inside the lab kernel.
# Results go to stdout as "RESULT key=value ..." lines the vitest side parses; progress goes to stderr.

FO_NET=10.10.0
FO_VIP=$FO_NET.50
FO_WORK=/tmp/fo
FO_T0=$(date +%s%N)

log() { printf '[%6s] %s\n' "$(( ($(date +%s%N) - FO_T0) / 1000000 ))" "$*" >&2; }
result() { printf 'RESULT %s\n' "$*"; }
die() { log "FATAL: $*"; result "fatal=\"$*\""; fo_dump; exit 1; }
# fo_dump: what an engineer needs to see after a failure (engine logs, addresses, tables, director calls), on stderr.
fo_dump() {
  for f in "$FO_WORK"/*/ha.log "$FO_WORK"/*/ha-debug.log "$FO_WORK"/*/director.log "$FO_WORK"/*/pacemaker.log "$FO_WORK"/*/corosync.log "$FO_WORK"/calls.log "$FO_WORK"/*-anchor.log; do
    [ -f "$f" ] && { echo "== $f" >&2; tail -n 60 "$f" >&2; }
  done
  for n in d1 d2; do
    echo "== $n" >&2; ip netns exec $n ip -4 -o addr >&2; ip netns exec $n ipvsadm -Ln >&2
  done
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Modules the harness may not load: bridge for the LAN (insmod of a loaded module fails harmlessly).
fo_modules() {
  M=/usr/lib/uml/modules/$(uname -r)/kernel
  for m in net/llc/llc net/802/stp net/bridge/bridge drivers/net/veth net/netfilter/ipvs/ip_vs_rr; do
    [ -f "$M/$m.ko" ] && insmod "$M/$m.ko" 2>/dev/null
  done
  return 0
}

# fo_host NAME ADDR: a namespace with eth0 on the LAN bridge.
fo_host() {
  ip netns add "$1" || die "netns add $1"
  ip link add "v-$1" type veth peer name eth0 netns "$1" || die "veth for $1"
  ip link set "v-$1" master br0 up
  ip netns exec "$1" ip link set lo up
  ip netns exec "$1" ip addr add "$2/24" brd + dev eth0
  ip netns exec "$1" ip link set eth0 up
}

fo_net() {
  fo_modules
  mkdir -p "$FO_WORK" /run/netns
  ip link add br0 type bridge || die "bridge (module bridge missing?)"
  # No STP and no forwarding delay: ports forward as soon as they are up, so a cut/restore is a clean link event.
  ip link set br0 type bridge stp_state 0 forward_delay 0 2>/dev/null
  ip link set br0 up
  fo_host d1 $FO_NET.2
  fo_host d2 $FO_NET.3
  fo_host rs1 $FO_NET.11
  fo_host rs2 $FO_NET.12
  fo_host client $FO_NET.100
}

# fo_real NAME: a direct-routing real server: VIP on lo, no ARP for it, HTTP on :80 answering its own name.
fo_real() {
  d=$FO_WORK/www-$1
  mkdir -p "$d"
  echo "$1" > "$d/index.html"
  echo "ok" > "$d/check.html"
  ip netns exec "$1" sysctl -q -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
    net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
  ip netns exec "$1" ip addr add "$FO_VIP/32" dev lo
  ip netns exec "$1" python3 -m http.server 80 --bind 0.0.0.0 --directory "$d" >"$FO_WORK/http-$1.log" 2>&1 &
}

# fo_wait_http HOSTADDR: bounded wait until a real server answers.
fo_wait_http() {
  i=0
  while [ $i -lt 100 ]; do
    ip netns exec client curl -s -m 1 -o /dev/null "http://$1/check.html" && return 0
    sleep 0.2; i=$((i + 1))
  done
  die "real server $1 never answered"
}

# fo_get: one request from the client to the VIP; prints the body (the real server's name), fails if none.
fo_get() { ip netns exec client curl -s -f -m "${1:-0.5}" "http://$FO_VIP/" 2>/dev/null; }

# fo_wait_served MAXMS: poll the VIP every 100 ms until an answer; prints the ms waited, or fails after MAXMS.
fo_wait_served() {
  start=$(now_ms); n=0
  while [ $n -lt 2000 ]; do
    if fo_get 0.5 >/dev/null; then echo $(( $(now_ms) - start )); return 0; fi
    [ $(( $(now_ms) - start )) -gt "$1" ] && return 1
    sleep 0.1; n=$((n + 1))
  done
  return 1
}

# fo_bodies N: N requests to the VIP; prints the distinct answers (sorted, space-separated).
fo_bodies() {
  i=0; out=""
  while [ $i -lt "$1" ]; do out="$out $(fo_get 1)"; i=$((i + 1)); done
  echo $out | tr ' ' '\n' | grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# fo_has_vip NODE: does NODE hold the VIP on eth0?
fo_has_vip() { ip netns exec "$1" ip -4 -o addr show dev eth0 | grep -q " $FO_VIP/"; }

# fo_reals NODE: the number of real servers in NODE's IPVS table (each namespace has its own table).
fo_reals() { ip netns exec "$1" ipvsadm -Ln 2>/dev/null | grep -c -- '->.*Route\|->.*Masq\|->.*Tunnel' ; }
# fo_services NODE: the number of virtual services in NODE's IPVS table.
fo_services() { ip netns exec "$1" ipvsadm -Ln 2>/dev/null | grep -c '^TCP\|^UDP\|^FWM' ; }

# fo_table NODE: NODE's IPVS table without counters (services, reals, forwarding, weights), for flap detection.
fo_table() { ip netns exec "$1" ipvsadm -S -n 2>/dev/null | sort; }

# fo_until MAXMS CMD...: bounded wait for CMD to succeed; prints ms waited.
fo_until() {
  max=$1; shift; start=$(now_ms); n=0
  while [ $n -lt 3000 ]; do
    if "$@"; then echo $(( $(now_ms) - start )); return 0; fi
    [ $(( $(now_ms) - start )) -gt "$max" ] && return 1
    sleep 0.1; n=$((n + 1))
  done
  return 1
}

# fo_director_conf FILE LOGFILE: the director's config (ldirectord syntax), shared by both directors and engines.
fo_director_conf() {
  cat > "$1" <<CONF
# Two direct-routing real servers behind one VIP; negotiate check of /check.html.
checktimeout=2
checkinterval=1
autoreload=no
quiescent=no
logfile="$2"
virtual=$FO_VIP:80
	real=$FO_NET.11:80 gate
	real=$FO_NET.12:80 gate
	service=http
	request="check.html"
	receive="ok"
	scheduler=rr
	protocol=tcp
	checktype=negotiate
CONF
}

# fo_install_director PRIVDIR: put the director executable in PRIVDIR/resource.d/ldirectord as Heartbeat wants it.
# DIRECTOR=ldirectord uses Debian's /usr/sbin/ldirectord (the baseline); anything else the project's bin/ldirectord-ts.
# The installed file is a wrapper that logs each call (begin, end, exit code, IPVS entries left) so a scenario can
# prove ordering (a stop returns only after its table is clean), then execs nothing else.
fo_install_director() {
  mkdir -p "$1/resource.d"
  # The copied resource.d/ldirectord is Debian's symlink to /usr/sbin/ldirectord, and the host tree is writable from
  # inside the lab: remove the link first so the wrapper never writes through it.
  rm -f "$1/resource.d/ldirectord"
  if [ "${DIRECTOR:-ts}" = ldirectord ]; then real=/usr/sbin/ldirectord; else real=$FO_REPO/bin/ldirectord-ts; fi
  cat > "$1/resource.d/ldirectord" <<WRAP
#!/bin/sh
echo "\$(date +%s%N) \$(hostname) begin \$*" >> $FO_WORK/calls.log
$real "\$@"
rc=\$?
echo "\$(date +%s%N) \$(hostname) end \$* rc=\$rc reals=\$(ipvsadm -Ln 2>/dev/null | grep -c -- '->.*Route')" >> $FO_WORK/calls.log
exit \$rc
WRAP
  chmod 755 "$1/resource.d/ldirectord"
}

# ---- nodes: each director runs in its own network, mount and UTS namespace -----------------------------------------

# fo_node NAME SETUP: start an anchor process in NAME's namespaces (own mount + UTS namespace, host name NAME, tmpfs
# /run), run the SETUP shell text in it first, and record its pid so fo_in can enter the same namespaces later.
fo_node() {
  rm -f "$FO_WORK/$1.ready"
  ip netns exec "$1" unshare -m -u sh -c "hostname $1; mount -t tmpfs none /run; $2; touch $FO_WORK/$1.ready; exec sleep 1000000" \
    >"$FO_WORK/$1-anchor.log" 2>&1 &
  echo $! > "$FO_WORK/$1.pid"
  i=0; while [ ! -f "$FO_WORK/$1.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  [ -f "$FO_WORK/$1.ready" ] || die "node $1 setup did not finish: $(cat "$FO_WORK/$1-anchor.log")"
}

# fo_in NODE CMD...: run CMD inside NODE's namespaces (network, mount, UTS).
fo_in() { n=$1; shift; nsenter -t "$(cat "$FO_WORK/$n.pid")" -n -m -u "$@"; }

# fo_cut NODE / fo_uncut NODE: the node drops off the LAN / comes back.
fo_cut() { ip netns exec "$1" ip link set eth0 down; }
fo_uncut() { ip netns exec "$1" ip link set eth0 up; }

# ---- Heartbeat (R1 haresources mode) --------------------------------------------------------------------------------

# fo_hb_prepare NODE: private /etc/ha.d and /var/lib/heartbeat for NODE with ha.cf, authkeys, haresources, www.
fo_hb_prepare() {
  p=$FO_WORK/$1
  mkdir -p "$p/ha.d" "$p/lib"
  cp -a /etc/ha.d/. "$p/ha.d/"
  cp -a /var/lib/heartbeat/. "$p/lib/"
  # Never write through a copied symlink into the host tree (visible read-write inside the lab).
  rm -f "$p/ha.d/ha.cf" "$p/ha.d/authkeys" "$p/ha.d/haresources" "$p/ha.d/www"
  cat > "$p/ha.d/ha.cf" <<CF
logfile $p/ha.log
debugfile $p/ha-debug.log
use_logd no
keepalive 1
warntime 2
deadtime 4
initdead 10
udpport 694
bcast eth0
auto_failback off
node d1
node d2
crm no
CF
  printf 'auth 1\n1 sha1 failover-lab-secret\n' > "$p/ha.d/authkeys"
  chmod 600 "$p/ha.d/authkeys"
  echo "d1 IPaddr2::$FO_VIP/24/eth0 ldirectord::www" > "$p/ha.d/haresources"
  fo_director_conf "$p/ha.d/www" "$p/director.log"
  fo_install_director "$p/ha.d"
}

# fo_hb_node NODE: namespaces for NODE with its private Heartbeat folders bound over the real ones.
fo_hb_node() {
  p=$FO_WORK/$1
  fo_node "$1" "mount --bind $p/ha.d /etc/ha.d; mount --bind $p/lib /var/lib/heartbeat; mkdir -p /run/heartbeat /run/resource-agents /run/lock"
}

fo_hb_start() { fo_in "$1" /usr/libexec/heartbeat/heartbeat >>"$FO_WORK/$1/hb-start.log" 2>&1 || die "heartbeat start on $1"; }
# fo_hb_stop NODE: Heartbeat's own shutdown (releases its resources: the director's stop, then the VIP).
fo_hb_stop() { fo_in "$1" /usr/libexec/heartbeat/heartbeat -k >>"$FO_WORK/$1/hb-start.log" 2>&1; }
fo_hb_running() { fo_in "$1" /usr/libexec/heartbeat/heartbeat -s >/dev/null 2>&1; }
fo_hb_not_running() { ! fo_hb_running "$1"; }

# ---- Corosync 3 + Pacemaker 2.1 -------------------------------------------------------------------------------------

# fo_pcmk_ocf: one private copy of the OCF agent tree with our agent added as provider "ldirectord-ts"; each node binds
# it over /usr/lib/ocf/resource.d (the real tree belongs to the host and is writable from inside the lab).
fo_pcmk_ocf() {
  mkdir -p "$FO_WORK/ocf"
  cp -a /usr/lib/ocf/resource.d/. "$FO_WORK/ocf/"
  rm -rf "$FO_WORK/ocf/ldirectord-ts"
  mkdir -p "$FO_WORK/ocf/ldirectord-ts"
  cp "$FO_REPO/examples/ocf/ldirectord-ts" "$FO_WORK/ocf/ldirectord-ts/ldirectord-ts"
  chmod 755 "$FO_WORK/ocf/ldirectord-ts/ldirectord-ts"
}

# fo_pcmk_prepare NODE: corosync.conf, the director config /etc/ha.d/www and the logging director wrapper for NODE.
fo_pcmk_prepare() {
  p=$FO_WORK/$1
  mkdir -p "$p/corosync" "$p/ha.d"
  cat > "$p/corosync/corosync.conf" <<CC
totem {
	version: 2
	cluster_name: fo
	transport: knet
	crypto_cipher: none
	crypto_hash: none
	token: 1000
}
logging {
	to_logfile: yes
	logfile: $p/corosync.log
	to_syslog: no
	to_stderr: no
	timestamp: on
}
quorum {
	provider: corosync_votequorum
	two_node: 1
}
nodelist {
	node {
		ring0_addr: $FO_NET.2
		name: d1
		nodeid: 1
	}
	node {
		ring0_addr: $FO_NET.3
		name: d2
		nodeid: 2
	}
}
CC
  fo_director_conf "$p/ha.d/www" "$p/director.log"
  fo_install_director "$p/ha.d"
}

# fo_pcmk_node NODE: namespaces for NODE with private corosync/pacemaker state, /dev/shm (libqb IPC) and agents.
fo_pcmk_node() {
  p=$FO_WORK/$1
  fo_node "$1" "mount --bind $p/corosync /etc/corosync; mount --bind $p/ha.d /etc/ha.d; \
mount --bind $FO_WORK/ocf /usr/lib/ocf/resource.d; \
mount -t tmpfs none /var/lib/corosync; mount -t tmpfs none /var/lib/pacemaker; \
mkdir -p /var/lib/pacemaker/cib /var/lib/pacemaker/pengine /var/lib/pacemaker/blackbox /var/lib/pacemaker/cores; \
chown -R hacluster:haclient /var/lib/pacemaker; mount -t tmpfs none /var/log/pacemaker; chown hacluster:haclient /var/log/pacemaker; \
mkdir -p /dev/shm; mount -t tmpfs none /dev/shm; mkdir -p /run/resource-agents /run/lock /run/crm"
}

# fo_pcmk_start NODE: corosync, then pacemakerd a second later (LAB.md), both in NODE's namespaces.
fo_pcmk_start() {
  p=$FO_WORK/$1
  fo_in "$1" corosync -f >>"$p/corosync.out" 2>&1 &
  sleep 1
  fo_in "$1" env PCMK_logfile="$p/pacemaker.log" pacemakerd >>"$p/pacemakerd.out" 2>&1 &
}

# fo_pids NODE COMM: pids of processes named COMM in NODE's network namespace.
fo_pids() { for pid in $(ip netns pids "$1"); do [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$2" ] && echo $pid; done; }

# fo_pcmk_stop NODE: Pacemaker's own shutdown (stops the group locally), then corosync; bounded waits.
fo_pcmk_stop() {
  for pid in $(fo_pids "$1" pacemakerd); do kill -TERM "$pid"; done
  fo_until 90000 sh -c "[ -z \"\$(for p in \$(ip netns pids $1); do grep -lx pacemakerd /proc/\$p/comm 2>/dev/null; done)\" ]" >/dev/null
  for pid in $(fo_pids "$1" corosync); do kill -TERM "$pid"; done
  fo_until 30000 sh -c "[ -z \"\$(for p in \$(ip netns pids $1); do grep -lx corosync /proc/\$p/comm 2>/dev/null; done)\" ]" >/dev/null
}

# fo_crm NODE CMD...: a Pacemaker command line tool in NODE's namespaces.
fo_crm() { fo_in "$@"; }
