# Boot script of test/e2e/ipvs-lab-health.test.ts: three real servers (rs3 is the fallback "sorry" server) with HTTP
# on port 80 in their own namespaces, routed through the director (masq), then the node scenario.
. "$LAB_LIB"
lab_bridge 10.10.0.1/24
lab_vip 10.10.9.1/32 10.10.9.2/32
lab_add_host rs1 10.10.0.11/24
lab_add_host rs2 10.10.0.12/24
lab_add_host rs3 10.10.0.13/24
lab_log "hosts ready"
lab_http rs1 80 &
lab_http rs2 80 &
lab_http rs3 80 &
wait
for ns in rs1 rs2 rs3; do [ -e "/tmp/lab-http/$ns-80.ready" ] || lab_die "no http server in $ns"; done
lab_log "http servers ready"
node "$LAB_REPO/test/e2e/scenarios/ipvs-health.mjs"
lab_log "scenario done"
