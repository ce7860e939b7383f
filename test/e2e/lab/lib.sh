# Bash helpers for scenario scripts run INSIDE the lab kernel by test/e2e/lab/harness.ts (source: `. "$LAB_LIB"`).
# Topology they build: one bridge in the root namespace (the director side, default name lab0) and one network
# namespace per test host, joined to the bridge by a veth pair (eth0 inside). Every address is a test address that
# exists only inside the lab kernel. Results: "RESULT key=value" lines on stdout (harness labResults), progress on
# stderr (lab_log), scenario output between "=== BEGIN name" / "=== END name" markers (harness labSection).

# Bash's own clock ($EPOCHREALTIME, µs) instead of date(1): every process start is slow in the lab kernel.
_lab_us() { local t=${EPOCHREALTIME/./}; echo "${t/,/}"; }
LAB_T0=$(_lab_us)
LAB_BRIDGE=${LAB_BRIDGE:-lab0}

# lab_log MSG...: progress line on stderr with ms since the script started.
lab_log() { printf '[%6s ms] %s\n' "$(( ($(_lab_us) - LAB_T0) / 1000 ))" "$*" >&2; }
# lab_result key=value...: machine-readable result line on stdout.
lab_result() { printf 'RESULT %s\n' "$*"; }
# lab_die MSG: log, report fatal=MSG and exit 1.
lab_die() { lab_log "FATAL: $*"; lab_result "fatal=\"$*\""; exit 1; }
# lab_now_ms: wall clock in ms (for measuring inside the lab).
lab_now_ms() { echo $(( $(_lab_us) / 1000 )); }
# lab_begin NAME / lab_end NAME: section markers so one boot can carry several scenarios.
lab_begin() { echo "=== BEGIN $1"; lab_log "scenario $1"; }
lab_end() { echo "=== END $1"; }

# _lab_ip ADDR: "ip -6" for an IPv6 address, "ip -4" otherwise.
_lab_ip() { case "$1" in *:*) echo "ip -6" ;; *) echo "ip -4" ;; esac; }

# _lab_addr ADDR/PREFIX DEV [NS]: add an address (IPv6 without duplicate address detection, so it is usable at once).
# `ip -n NS` instead of `ip netns exec NS ip`: process starts are slow in the lab kernel, namespace entry more so.
_lab_addr() {
  case "$1" in
    *:*) ip ${3:+-n "$3"} -6 addr add "$1" dev "$2" nodad ;;
    *) ip ${3:+-n "$3"} -4 addr add "$1" dev "$2" ;;
  esac
}

# lab_bridge [ADDR/PREFIX...]: create $LAB_BRIDGE (once) in the root namespace, up, with these addresses.
lab_bridge() {
  if ! [ -d "/sys/class/net/$LAB_BRIDGE" ]; then
    ip link add "$LAB_BRIDGE" type bridge || lab_die "bridge $LAB_BRIDGE"
    ip link set "$LAB_BRIDGE" up
    echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad 2>/dev/null
    echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad 2>/dev/null
    echo 1 >/proc/sys/net/ipv4/ip_forward
    echo 1 >/proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null
  fi
  for a in "$@"; do
    _lab_addr "$a" "$LAB_BRIDGE" || lab_die "address $a on $LAB_BRIDGE"
    # The bridge's first address of each family is the hosts' default gateway (see lab_add_host).
    case "$a" in
      *:*) LAB_GW6=${LAB_GW6:-${a%/*}} ;;
      *) LAB_GW4=${LAB_GW4:-${a%/*}} ;;
    esac
  done
  return 0
}

# lab_add_host NAME ADDR/PREFIX...: a namespace NAME with eth0 on the bridge holding these addresses; its default
# routes point at the bridge's first IPv4/IPv6 address when lab_bridge gave it one (so masq replies come back).
lab_add_host() {
  ns=$1; shift
  lab_bridge
  ip netns add "$ns" || lab_die "netns $ns"
  # veth names are limited to 15 characters: a counter keeps them unique whatever the namespace is called.
  LAB_VETH_N=$(( ${LAB_VETH_N:-0} + 1 ))
  # Two `ip -batch` runs (root side, host side) instead of a dozen ip processes: process starts are slow in here.
  printf '%s\n' "link add lv$LAB_VETH_N type veth peer name eth0 netns $ns" "link set lv$LAB_VETH_N master $LAB_BRIDGE up" |
    ip -batch - || lab_die "veth for $ns"
  {
    echo "link set lo up"
    echo "link set eth0 up"
    for a in "$@"; do
      case "$a" in *:*) echo "addr add $a dev eth0 nodad" ;; *) echo "addr add $a dev eth0" ;; esac
    done
    [ -n "${LAB_GW4:-}" ] && echo "route add 0.0.0.0/0 via $LAB_GW4"
    [ -n "${LAB_GW6:-}" ] && echo "route add ::/0 via $LAB_GW6"
  } | ip -n "$ns" -batch - || lab_die "addresses and routes in $ns"
  return 0
}

# lab_vip ADDR/PREFIX...: addresses on a dummy interface (labvip) in the root namespace, e.g. the virtual IPs.
lab_vip() {
  ip link show labvip >/dev/null 2>&1 || { ip link add labvip type dummy && ip link set labvip up; } || lab_die "dummy labvip"
  for a in "$@"; do _lab_addr "$a" labvip || lab_die "address $a on labvip"; done
}

# lab_wait SECONDS CMD...: run CMD every 0.1 s until it succeeds (0) or SECONDS pass (1).
lab_wait() {
  local limit=$(( SECONDS + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS >= limit )) && return 1
    sleep 0.1
  done
  return 0
}

# lab_listening NS PORT [tcp|udp]: true when something in NS listens on PORT.
lab_listening() {
  flag=-ltn; [ "${3:-tcp}" = udp ] && flag=-lun
  ip netns exec "$1" ss -H "$flag" "sport = :$2" | grep -q .
}

# lab_http NS PORT: an HTTP server (node) in namespace NS on every address, port PORT. GET / answers "NS\n";
# GET /health answers 200 "ok" unless /tmp/lab-http/NS-PORT.down exists (then 503: see lab_http_down/up).
# Waits (at most 30 s) until it listens: it touches /tmp/lab-http/NS-PORT.ready then (a file test costs no process,
# polling with ss would). Its pid goes to /tmp/lab-http/NS-PORT.pid. Start several with & and wait: they overlap.
lab_http() {
  mkdir -p /tmp/lab-http
  rm -f /tmp/lab-http/"$1-$2".ready
  ip netns exec "$1" node -e '
    const http = require("node:http"), fs = require("node:fs");
    const [ns, port] = process.argv.slice(1);
    const down = `/tmp/lab-http/${ns}-${port}.down`;
    http.createServer((req, res) => {
      if (req.url === "/health" && fs.existsSync(down)) { res.writeHead(503); res.end("down\n"); return; }
      res.end(req.url === "/health" ? "ok\n" : `${ns}\n`);
    }).listen(Number(port), "::", () => fs.writeFileSync(`/tmp/lab-http/${ns}-${port}.ready`, ""));
  ' "$1" "$2" >/dev/null 2>>/tmp/lab-http/"$1-$2".log &
  echo $! >/tmp/lab-http/"$1-$2".pid
  lab_wait 30 test -e /tmp/lab-http/"$1-$2".ready || lab_die "http server in $1 on port $2 did not start: $(cat /tmp/lab-http/"$1-$2".log)"
}
# lab_http_down NS PORT / lab_http_up NS PORT: make /health fail / pass.
lab_http_down() { mkdir -p /tmp/lab-http; : >/tmp/lab-http/"$1-$2".down; }
lab_http_up() { rm -f /tmp/lab-http/"$1-$2".down; }

# lab_ipvs_snapshot NAME: the kernel table as `ipvsadm -S -n` and /proc/net/ip_vs into $LAB_OUT/NAME.save and
# $LAB_OUT/NAME.proc (read them on the host with the harness's outDir).
lab_ipvs_snapshot() {
  ipvsadm -S -n >"$LAB_OUT/$1.save" || lab_die "ipvsadm -S -n"
  cat /proc/net/ip_vs >"$LAB_OUT/$1.proc"
}
