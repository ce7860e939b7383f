#!/bin/bash
# Two directors under Heartbeat 3 (haresources mode) inside the lab kernel: issue 8 steps 1 to 5.
# Env: DIRECTOR=ts (bin/ldirectord-ts, default) or ldirectord (Debian's, the baseline); FO_TRIALS (cut trials, 2);
# FO_STEPS (which of "status rejoin standby" to run, all by default).
HERE=$(cd "$(dirname "$0")" && pwd)
FO_REPO=$(cd "$HERE/../../.." && pwd)
. "$HERE/lib.sh"
TRIALS=${FO_TRIALS:-2}
STEPS=${FO_STEPS:-status rejoin standby}
want() { case " $STEPS " in *" $1 "*) return 0;; esac; return 1; }

log "director=${DIRECTOR:-ts} trials=$TRIALS steps=$STEPS"
fo_net
fo_real rs1; fo_real rs2
fo_wait_http $FO_NET.11; fo_wait_http $FO_NET.12
for n in d1 d2; do fo_hb_prepare $n; fo_hb_node $n; done
t=$(now_ms)
fo_hb_start d1; fo_hb_start d2
# Step 1: only d1 (the haresources owner) takes the group; the client reaches both reals through it.
ms=$(fo_until 90000 fo_get 0.5) || die "nobody served the VIP within 90 s of starting Heartbeat"
result "step=start served_after_ms=$(( $(now_ms) - t ))"
fo_until 20000 sh -c "[ \$(ip netns exec d1 ipvsadm -Ln | grep -c -- '->.*Route') = 2 ]" >/dev/null
sleep 2
result "step=start d1_vip=$(fo_has_vip d1 && echo 1 || echo 0) d2_vip=$(fo_has_vip d2 && echo 1 || echo 0) d1_reals=$(fo_reals d1) d2_reals=$(fo_reals d2) d2_services=$(fo_services d2) bodies=\"$(fo_bodies 8)\""

if want status; then
  # Step 2: what Heartbeat's ResourceManager sees, and the script's own stdout and exit code, on both nodes.
  for n in d1 d2; do
    out=$(fo_in $n /etc/ha.d/resource.d/ldirectord www status 2>/dev/null); rc=$?
    fo_in $n /usr/share/heartbeat/ResourceManager status ldirectord::www >/dev/null 2>&1; rm_rc=$?
    result "step=status node=$n rc=$rc rm_rc=$rm_rc stdout=\"$(echo $out | tr '"' "'")\""
  done
fi

active=d1; standby=d2
i=1
while [ $i -le "$TRIALS" ]; do
  # Step 3: the active director drops off the network; measure cut -> first answer through the standby.
  : > "$FO_WORK/calls.log"
  fo_cut $active
  cut_ms=$(now_ms)
  log "trial $i: cut $active"
  ms=$(fo_wait_served 120000) || die "trial $i: not served again within 120 s after cutting $active"
  # Where the time went: engine (cut -> Heartbeat runs the director's start on the standby, which includes the
  # deadtime and taking the VIP) and director (its start -> first answer through it).
  bs=$(grep " $standby begin www start" "$FO_WORK/calls.log" | head -1 | cut -d' ' -f1)
  engine_ms=none; director_ms=none
  if [ -n "$bs" ]; then engine_ms=$(( bs / 1000000 - cut_ms )); director_ms=$(( cut_ms + ms - bs / 1000000 )); fi
  dead=$(grep -c "node $active: is dead" "$FO_WORK/$standby/ha-debug.log")
  log "trial $i: served through $standby after $ms ms"
  full=$(fo_until 30000 sh -c "[ \$(ip netns exec $standby ipvsadm -Ln | grep -c -- '->.*Route') = 2 ]") || full=none
  result "step=failover trial=$i from=$active to=$standby failover_ms=$ms engine_ms=$engine_ms director_ms=$director_ms dead_seen=$dead both_reals_after_ms=$full new_vip=$(fo_has_vip $standby && echo 1 || echo 0) new_reals=$(fo_reals $standby) bodies=\"$(fo_bodies 6)\""
  if want rejoin || [ $i -lt "$TRIALS" ]; then
    # Step 4: the old active node comes back (Heartbeat restarted on it, as after a reboot): with auto_failback
    # off it stays standby; the active table must not flap and the returning node must not start the director.
    before=$(fo_table $standby)
    log "trial $i: $active stops Heartbeat (as a reboot would), comes back on the LAN and starts it again"
    fo_hb_stop $active
    fo_until 60000 fo_hb_not_running $active >/dev/null || die "heartbeat on $active did not stop"
    fo_uncut $active
    : > "$FO_WORK/calls.log"
    fo_hb_start $active
    # Sample the active table and the returning node's VIP for 14 s (longer than initdead): any change is a flap.
    flaps=0; vipback=0; s=0
    while [ $s -lt 70 ]; do
      now=$(fo_table $standby)
      [ "$now" = "$before" ] || flaps=$((flaps + 1))
      fo_has_vip $active && vipback=$((vipback + 1))
      sleep 0.2; s=$((s + 1))
    done
    starts=$(grep -c " $active begin www start" "$FO_WORK/calls.log")
    result "step=rejoin trial=$i node=$active flaps=$flaps vip_samples_on_returning=$vipback director_starts_on_returning=$starts returning_reals=$(fo_reals $active) active_vip=$(fo_has_vip $standby && echo 1 || echo 0) served=$(fo_get 1 >/dev/null && echo 1 || echo 0)"
    x=$active; active=$standby; standby=$x
  fi
  i=$((i + 1))
done

if want standby && fo_hb_running $standby; then
  # Step 5: graceful hb_standby on the active node: its stop returns with a clean table before the other starts,
  # and no sample ever sees the VIP on both nodes.
  : > "$FO_WORK/calls.log"
  both=0; s=0
  fo_in $active /usr/share/heartbeat/hb_standby all >/dev/null 2>&1 &
  t=$(now_ms)
  log "hb_standby on $active"
  while [ $s -lt 600 ] && [ $(( $(now_ms) - t )) -lt 90000 ]; do
    a=0; b=0
    fo_has_vip $active && a=1
    fo_has_vip $standby && b=1
    [ $a = 1 ] && [ $b = 1 ] && both=$((both + 1))
    if [ $a = 0 ] && [ $b = 1 ] && fo_get 0.5 >/dev/null; then break; fi
    sleep 0.05; s=$((s + 1))
  done
  moved_ms=$(( $(now_ms) - t ))
  sleep 1
  stop_end=$(grep " $active end www stop" "$FO_WORK/calls.log" | head -1)
  start_begin=$(grep " $standby begin www start" "$FO_WORK/calls.log" | head -1)
  stop_end_ns=${stop_end%% *}; start_begin_ns=${start_begin%% *}
  left=$(echo "$stop_end" | sed -n 's/.*reals=\([0-9]*\).*/\1/p')
  order=0; [ -n "$stop_end_ns" ] && [ -n "$start_begin_ns" ] && [ "$stop_end_ns" -lt "$start_begin_ns" ] && order=1
  result "step=standby from=$active to=$standby moved_ms=$moved_ms both_vip_samples=$both stop_before_start=$order reals_left_at_stop=${left:-none} old_reals=$(fo_reals $active) new_reals=$(fo_reals $standby) served=$(fo_get 1 >/dev/null && echo 1 || echo 0)"
fi

for n in d1 d2; do fo_hb_stop $n; done
fo_until 30000 sh -c "! nsenter -t $(cat $FO_WORK/d1.pid) -n -m -u /usr/libexec/heartbeat/heartbeat -s >/dev/null 2>&1" >/dev/null
result "done=1"
fo_dump
exit 0
