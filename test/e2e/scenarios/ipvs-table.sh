# Boot script of test/e2e/ipvs-lab-table.test.ts: the director side gets addresses in every subnet the scenarios use
# (IPVS refuses a real it cannot route), then node runs the scenarios against the real kernel table.
. "$LAB_LIB"
lab_bridge 10.10.0.1/24 10.20.0.1/16 fd00:10::1/64
lab_vip 10.10.9.1/32 fd00:99::1/128
node "$LAB_REPO/test/e2e/scenarios/ipvs-table.mjs"
