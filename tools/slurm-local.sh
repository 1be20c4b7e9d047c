#!/usr/bin/env bash
# A real single-node Slurm on this machine, for the tests of `waymark slurm`: munge, slurmctld
# and slurmd from Debian's packages (slurm-wlm, munge), run as root, configured for localhost
# with no cgroups (proctrack/linuxproc, task/none) and no accounting.
#
# usage: tools/slurm-local.sh start|stop|status
#   start   writes /etc/slurm/slurm.conf, starts munged, slurmctld and slurmd, and waits until
#           the node takes jobs (state and logs in $WAYMARK_SLURM_STATE, default /tmp/waymark-slurm)
#   stop    stops slurmctld and slurmd (munged is left running)
#   status  prints sinfo's view of the node
# Needs root (it writes /etc/slurm and starts daemons).
set -euo pipefail
state=${WAYMARK_SLURM_STATE:-/tmp/waymark-slurm}
conf=/etc/slurm/slurm.conf

start_munge() {
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key
  chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
  chmod 0700 /etc/munge
  chmod 0400 /etc/munge/munge.key
  if ! pgrep -x munged >/dev/null; then
    su -s /bin/sh munge -c /usr/sbin/munged
  fi
  munge -n | unmunge >/dev/null
}

write_conf() {
  local cpus mem
  cpus=$(nproc)
  mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
  mkdir -p /etc/slurm "$state/ctld" "$state/d" "$state/log"
  cat >"$conf" <<EOF
# Written by tools/slurm-local.sh: one node, this machine.
ClusterName=waymark
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
KillWait=10
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

wait_for_node() {
  for _ in $(seq 60); do
    case "$(sinfo -h -n localhost -o %t 2>/dev/null || true)" in
      idle*|mix*|alloc*) return 0 ;;
      down*|drain*|unk*) scontrol update nodename=localhost state=resume 2>/dev/null || true ;;
    esac
    sleep 1
  done
  echo "slurm-local: the node did not come up; logs in $state/log" >&2
  tail -n 20 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 || true
  return 1
}

case "${1:-}" in
  start)
    start_munge
    write_conf
    pgrep -x slurmctld >/dev/null || slurmctld
    pgrep -x slurmd >/dev/null || slurmd -N localhost
    wait_for_node
    echo "slurm-local: up ($(sinfo -h -o '%P %D node(s) %c CPUs %t'))"
    ;;
  stop)
    scontrol shutdown 2>/dev/null || true
    for _ in $(seq 20); do
      pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null || break
      sleep 0.5
    done
    pkill -x slurmd 2>/dev/null || true
    pkill -x slurmctld 2>/dev/null || true
    ;;
  status)
    sinfo
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
