#!/bin/sh
### BEGIN INIT INFO
# Provides:          berth-restore
# Required-Start:    $local_fs $network $remote_fs
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:
# Short-Description: Start berth containers with a restart policy
# Description:       Runs `berth system restore` once at boot: starts the
#                    containers whose restart policy is always, and the
#                    unless-stopped ones the user had not stopped.
### END INIT INFO
#
# Installed as /etc/init.d/berth-restore by `berth system install-restore`,
# which puts the path of the berth binary (and its global flags) in BERTH.
# `stop` does nothing: berth has no daemon, and stopping this service must
# never stop containers.

BERTH="/usr/local/bin/berth"

case "$1" in
start)
	echo "Starting berth containers with a restart policy"
	$BERTH system restore
	;;
stop)
	# Containers keep running; their shims are not this service's.
	;;
restart|force-reload)
	$BERTH system restore
	;;
status)
	$BERTH ps --filter status=running
	;;
*)
	echo "Usage: $0 {start|stop|restart|force-reload|status}" >&2
	exit 3
	;;
esac
exit $?
