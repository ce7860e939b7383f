#!/bin/sh
# Run ONCE on one director after both have joined the cluster (crm_mon -1 shows "Online: [ director1 director2 ]").
# Plain Pacemaker tools only (no crmsh or pcs needed); the same steps the failover scenario runs in the lab.
set -e
# No fencing device between two directors: without this Pacemaker refuses to start anything. A director holds no
# shared data, so the worst case of a split brain is two nodes answering ARP for the VIP until the link heals.
crm_attribute --type crm_config --name stonith-enabled --update false
# A node that comes back does not pull the group back (Heartbeat's auto_failback off).
crm_attribute --type rsc_defaults --name resource-stickiness --update 100
cibadmin --create -o resources --xml-file "$(dirname "$0")/lvs-group.xml"
# Prefer director1 when both are up at the start.
cibadmin --create -o constraints --xml-text '<rsc_location id="lvs-prefers-director1" rsc="lvs" node="director1" score="50"/>'
# The same with pcs, for those who use it:
#   pcs property set stonith-enabled=false
#   pcs resource defaults update resource-stickiness=100
#   pcs resource create vip ocf:heartbeat:IPaddr2 ip=192.0.2.50 cidr_netmask=24 nic=eth0 op monitor interval=5s --group lvs
#   pcs resource create director ocf:ldirectord-ts:ldirectord-ts configfile=/etc/ha.d/www binary=/usr/bin/ldirectord-ts \
#       op monitor interval=2s timeout=20s --group lvs
#   pcs constraint location lvs prefers director1=50
