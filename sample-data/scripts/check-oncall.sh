#!/bin/sh
# Probe for operations.oncall_owner: the rota must name at least two people for the launch window.
rota=${1:-evidence/oncall-rota.txt}
[ -r "$rota" ] || { echo "no rota file at $rota"; exit 2; }
n=$(grep -c . "$rota")
echo "on-call rota: $(tr '\n' ' ' < "$rota")($n people)"
[ "$n" -ge 2 ] || { echo "needs at least 2 people on the rota"; exit 1; }
