#!/bin/bash
# Two directors under Corosync 3 + Pacemaker 2.1 inside the lab kernel: issue 8 steps 1, 3 and 4 and the OCF agent's
# monitor (kill -9 the daemon: Pacemaker restarts it in place, the VIP stays).
# Env: DIRECTOR=ts (our agent ocf:ldirectord-ts:ldirectord-ts, default) or ldirectord (ocf:heartbeat:ldirectord with
# Debian's ldirectord, the baseline); FO_TRIALS (cut trials, 1); FO_STEPS ("kill rejoin" by default).
HERE=$(cd "$(dirname "$0")" && pwd)
FO_REPO=$(cd "$HERE/../../.." && pwd)
. "$HERE/lib.sh"
TRIALS=${FO_TRIALS:-1}
STEPS=${FO_STEPS:-kill rejoin}
want() { case " $STEPS " in *" $1 "*) return 0;; esac; return 1; }
other() { [ "$1" = d1 ] && echo d2 || echo d1; }

log "director=${DIRECTOR:-ts} trials=$TRIALS steps=$STEPS"
fo_net
fo_real rs1; fo_real rs2
fo_wait_http $FO_NET.11; fo_wait_http $FO_NET.12
fo_pcmk_ocf
for n in d1 d2; do fo_pcmk_prepare $n; fo_pcmk_node $n; done
t=$(now_ms)
fo_pcmk_start d1; fo_pcmk_start d2
fo_until 120000 sh -c "nsenter -t $(cat $FO_WORK/d1.pid) -n -m -u crm_mon -1 2>/dev/null | grep -q 'Online: \[ d1 d2 \]'" >/dev/null \
  || die "the two-node cluster did not form within 120 s"
result "step=cluster formed_after_ms=$(( $(now_ms) - t ))"

if [ "${DIRECTOR:-ts}" = ldirectord ]; then
  DIR_RSC='<primitive id="director" class="ocf" provider="heartbeat" type="ldirectord"><instance_attributes id="director-ia"><nvpair id="director-cf" name="configfile" value="/etc/ha.d/www"/><nvpair id="director-bin" name="ldirectord" value="/etc/ha.d/resource.d/ldirectord"/></instance_attributes><operations><op id="director-mon" name="monitor" interval="2s" timeout="20s"/><op id="director-start" name="start" interval="0" timeout="60s"/><op id="director-stop" name="stop" interval="0" timeout="60s"/></operations></primitive>'
else
  DIR_RSC='<primitive id="director" class="ocf" provider="ldirectord-ts" type="ldirectord-ts"><instance_attributes id="director-ia"><nvpair id="director-cf" name="configfile" value="/etc/ha.d/www"/><nvpair id="director-bin" name="binary" value="/etc/ha.d/resource.d/ldirectord"/></instance_attributes><operations><op id="director-mon" name="monitor" interval="2s" timeout="20s"/><op id="director-start" name="start" interval="0" timeout="60s"/><op id="director-stop" name="stop" interval="0" timeout="60s"/></operations></primitive>'
fi
GROUP="<group id=\"lvs\"><primitive id=\"vip\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\"><instance_attributes id=\"vip-ia\"><nvpair id=\"vip-ip\" name=\"ip\" value=\"$FO_VIP\"/><nvpair id=\"vip-mask\" name=\"cidr_netmask\" value=\"24\"/><nvpair id=\"vip-nic\" name=\"nic\" value=\"eth0\"/></instance_attributes><operations><op id=\"vip-mon\" name=\"monitor\" interval=\"5s\"/></operations></primitive>$DIR_RSC</group>"
fo_crm d1 crm_attribute --type crm_config --name stonith-enabled --update false || die "stonith-enabled"
# Stickiness: a recovered node does not pull the group back (Heartbeat's auto_failback off).
fo_crm d1 crm_attribute --type rsc_defaults --name resource-stickiness --update 100 || die "resource-stickiness"
fo_crm d1 cibadmin --create -o resources --xml-text "$GROUP" || die "cibadmin group"
fo_crm d1 cibadmin --create -o constraints --xml-text '<rsc_location id="lvs-prefers-d1" rsc="lvs" node="d1" score="50"/>' || die "cibadmin location"
ms=$(fo_until 120000 fo_get 0.5) || die "nobody served the VIP within 120 s of creating the group"
fo_until 20000 sh -c "[ \$(ip netns exec d1 ipvsadm -Ln | grep -c -- '->.*Route') = 2 ]" >/dev/null
sleep 2
result "step=start served_after_ms=$(( $(now_ms) - t )) d1_vip=$(fo_has_vip d1 && echo 1 || echo 0) d2_vip=$(fo_has_vip d2 && echo 1 || echo 0) d1_reals=$(fo_reals d1) d2_reals=$(fo_reals d2) d2_services=$(fo_services d2) bodies=\"$(fo_bodies 8)\""
active=d1; standby=d2

if want kill; then
  # The daemon dies (kill -9): the agent's monitor reports it, Pacemaker restarts it in place; the VIP never moves.
  st=$(fo_in $active /etc/ha.d/resource.d/ldirectord /etc/ha.d/www status 2>/dev/null)
  pid=$(echo "$st" | sed -n 's/.*pid:* *\([0-9][0-9]*\).*/\1/p' | head -1)
  [ -n "$pid" ] || pid=$(fo_in $active cat /run/ldirectord.www.pid 2>/dev/null)
  [ -n "$pid" ] || die "no daemon pid on $active (status said: $st)"
  : > "$FO_WORK/calls.log"
  k=$(now_ms)
  kill -9 "$pid"
  lost=0; s=0; back=none
  while [ $s -lt 300 ] && [ $(( $(now_ms) - k )) -lt 60000 ]; do
    fo_has_vip $active || lost=$((lost + 1))
    if grep -q " $active end .*www start rc=0" "$FO_WORK/calls.log"; then back=$(( $(now_ms) - k )); break; fi
    sleep 0.2; s=$((s + 1))
  done
  st2=$(fo_in $active /etc/ha.d/resource.d/ldirectord /etc/ha.d/www status 2>/dev/null)
  pid2=$(echo "$st2" | sed -n 's/.*pid:* *\([0-9][0-9]*\).*/\1/p' | head -1)
  fo_until 20000 sh -c "[ \$(ip netns exec $active ipvsadm -Ln | grep -c -- '->.*Route') = 2 ]" >/dev/null
  fails=$(fo_crm $active crm_mon -1 --failcounts 2>/dev/null | grep -c "director.*fail-count=[1-9]")
  result "step=kill node=$active old_pid=$pid new_pid=${pid2:-none} restarted_after_ms=$back vip_lost_samples=$lost other_vip=$(fo_has_vip $standby && echo 1 || echo 0) failcount_seen=$fails reals=$(fo_reals $active) starts_elsewhere=$(grep -c " $standby begin .*www start" "$FO_WORK/calls.log") served=$(fo_get 1 >/dev/null && echo 1 || echo 0)"
fi

i=1
while [ $i -le "$TRIALS" ]; do
  : > "$FO_WORK/calls.log"
  cut_ms=$(now_ms)
  fo_cut $active
  log "trial $i: cut $active"
  ms=$(fo_wait_served 180000) || die "trial $i: not served again within 180 s after cutting $active"
  log "trial $i: served through $standby after $ms ms"
  bs=$(grep " $standby begin .*www start" "$FO_WORK/calls.log" | head -1 | cut -d' ' -f1)
  engine_ms=none; director_ms=none
  if [ -n "$bs" ]; then engine_ms=$(( bs / 1000000 - cut_ms )); director_ms=$(( cut_ms + ms - bs / 1000000 )); fi
  full=$(fo_until 30000 sh -c "[ \$(ip netns exec $standby ipvsadm -Ln | grep -c -- '->.*Route') = 2 ]") || full=none
  result "step=failover trial=$i from=$active to=$standby failover_ms=$ms engine_ms=$engine_ms director_ms=$director_ms both_reals_after_ms=$full new_vip=$(fo_has_vip $standby && echo 1 || echo 0) new_reals=$(fo_reals $standby) bodies=\"$(fo_bodies 6)\""
  if want rejoin || [ $i -lt "$TRIALS" ]; then
    # The old active node comes back after a restart of its cluster stack: stickiness keeps the group where it is.
    log "trial $i: $active stops its cluster stack, comes back on the LAN and starts it again"
    before=$(fo_table $standby)
    fo_pcmk_stop $active
    fo_uncut $active
    : > "$FO_WORK/calls.log"
    fo_pcmk_start $active
    fo_until 120000 sh -c "nsenter -t $(cat $FO_WORK/$standby.pid) -n -m -u crm_mon -1 2>/dev/null | grep -q 'Online: \[ d1 d2 \]'" >/dev/null \
      || die "$active did not rejoin within 120 s"
    flaps=0; vipback=0; s=0
    while [ $s -lt 50 ]; do
      now=$(fo_table $standby)
      [ "$now" = "$before" ] || flaps=$((flaps + 1))
      fo_has_vip $active && vipback=$((vipback + 1))
      sleep 0.2; s=$((s + 1))
    done
    starts=$(grep -c " $active begin .*www start" "$FO_WORK/calls.log")
    result "step=rejoin trial=$i node=$active flaps=$flaps vip_samples_on_returning=$vipback director_starts_on_returning=$starts returning_reals=$(fo_reals $active) active_vip=$(fo_has_vip $standby && echo 1 || echo 0) served=$(fo_get 1 >/dev/null && echo 1 || echo 0)"
    x=$active; active=$standby; standby=$x
  fi
  i=$((i + 1))
done

for n in d1 d2; do fo_pcmk_stop $n; done
result "done=1"
fo_dump
exit 0
