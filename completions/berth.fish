# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_berth_global_optspecs
    string join \n data-root= state-root= config= debug insecure-registry= hosts-dir= runtime= cni-path= cni-netconfpath= v/version h/help
end

function __fish_berth_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_berth_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_berth_using_subcommand
    set -l cmd (__fish_berth_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c berth -n "__fish_berth_needs_command" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_needs_command" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_needs_command" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_needs_command" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_needs_command" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_needs_command" -l runtime -d 'OCI runtime binary for containers, given before the command (name on PATH or a path) [default: runc]' -r
complete -c berth -n "__fish_berth_needs_command" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_needs_command" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_needs_command" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_needs_command" -s v -l version -d 'Print version information and quit'
complete -c berth -n "__fish_berth_needs_command" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_needs_command" -f -a "run" -d 'Create and run a new container from an image'
complete -c berth -n "__fish_berth_needs_command" -f -a "create" -d 'Create a new container'
complete -c berth -n "__fish_berth_needs_command" -f -a "start" -d 'Start one or more stopped containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "stop" -d 'Stop one or more running containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "restart" -d 'Restart one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "kill" -d 'Kill one or more running containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "rm" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "logs" -d 'Fetch the logs of a container'
complete -c berth -n "__fish_berth_needs_command" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_needs_command" -f -a "attach" -d 'Attach local standard input, output, and error streams to a running container'
complete -c berth -n "__fish_berth_needs_command" -f -a "wait" -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n "__fish_berth_needs_command" -f -a "top" -d 'Display the running processes of a container'
complete -c berth -n "__fish_berth_needs_command" -f -a "pause" -d 'Pause all processes within one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "unpause" -d 'Unpause all processes within one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_needs_command" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n "__fish_berth_needs_command" -f -a "diff" -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n "__fish_berth_needs_command" -f -a "stats" -d 'Display a live stream of container(s) resource usage statistics'
complete -c berth -n "__fish_berth_needs_command" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c berth -n "__fish_berth_needs_command" -f -a "update" -d 'Update configuration of one or more containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n "__fish_berth_needs_command" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c berth -n "__fish_berth_needs_command" -f -a "container" -d 'Manage containers'
complete -c berth -n "__fish_berth_needs_command" -f -a "pull" -d 'Download an image from a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "push" -d 'Upload an image to a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "tag" -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n "__fish_berth_needs_command" -f -a "images" -d 'List images'
complete -c berth -n "__fish_berth_needs_command" -f -a "rmi" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_needs_command" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_needs_command" -f -a "import" -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n "__fish_berth_needs_command" -f -a "inspect" -d 'Return low-level information on objects'
complete -c berth -n "__fish_berth_needs_command" -f -a "save" -d 'Save one or more images to a tar archive (streamed to STDOUT by default)'
complete -c berth -n "__fish_berth_needs_command" -f -a "load" -d 'Load an image from a tar archive or STDIN'
complete -c berth -n "__fish_berth_needs_command" -f -a "login" -d 'Log in to a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "logout" -d 'Log out from a registry'
complete -c berth -n "__fish_berth_needs_command" -f -a "build" -d 'Build an image from a Dockerfile'
complete -c berth -n "__fish_berth_needs_command" -f -a "builder" -d 'Manage builds'
complete -c berth -n "__fish_berth_needs_command" -f -a "image" -d 'Manage images'
complete -c berth -n "__fish_berth_needs_command" -f -a "network" -d 'Manage networks'
complete -c berth -n "__fish_berth_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c berth -n "__fish_berth_needs_command" -f -a "system" -d 'Manage berth on this host'
complete -c berth -n "__fish_berth_needs_command" -f -a "compose" -d 'Define and run multi-container applications (compose-spec)'
complete -c berth -n "__fish_berth_needs_command" -f -a "events" -d 'Get real time events from the server'
complete -c berth -n "__fish_berth_needs_command" -f -a "version" -d 'Show the berth version information'
complete -c berth -n "__fish_berth_needs_command" -f -a "info" -d 'Display system-wide information'
complete -c berth -n "__fish_berth_needs_command" -f -a "doctor" -d 'Check the host for what containers need, and say how to fix it'
complete -c berth -n "__fish_berth_needs_command" -f -a "internal" -d 'Commands berth runs for itself'
complete -c berth -n "__fish_berth_using_subcommand run" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r -f -a "stdin\t''
stdout\t''
stderr\t''"
complete -c berth -n "__fish_berth_using_subcommand run" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image (an empty string clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s l -l label -d 'Set metadata on a container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l label-file -d 'Read in a line delimited file of labels' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s v -l volume -d 'Bind mount a volume ([SRC:]DST[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=..,target=..,readonly)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l tmpfs -d 'Mount a tmpfs directory (DST[:OPTS])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l security-opt -d 'Security options (seccomp=unconfined|PROFILE.json, no-new-privileges)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pull -d 'Pull image before running ("always", "missing", "never")' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c berth -n "__fish_berth_using_subcommand run" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:max-retries])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l health-on-failure -d 'Action once the container turns unhealthy (none, kill, restart, stop)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pid -d 'PID namespace to use (host, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ipc -d 'IPC mode to use (private, shareable, host, none, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l volumes-from -d 'Mount volumes from the specified container(s) (<name|id>[:ro|:rw])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l link -d 'Add link to another container (<name|id>[:alias])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ulimit -d 'Ulimit options (name=soft[:hard])' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l sysctl -d 'Sysctl options' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device -d 'Add a host device to the container' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l add-host -d 'Add a custom host-to-IP mapping (host:ip, or host:host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ip -d 'IPv4 address on the first network (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l ip6 -d 'IPv6 address on the first network (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l mac-address -d 'Container MAC address on its first network (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l memory-swap -d 'Swap limit equal to memory plus swap: \'-1\' to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100) [default: -1]' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l kernel-memory -d 'Kernel memory limit (ignored, as by Docker 23+)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l blkio-weight-device -d 'Block IO weight (relative device weight), DEVICE:WEIGHT' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-read-bps -d 'Limit read rate (bytes per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l log-driver -d 'Logging driver for the container (json-file, none)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l log-opt -d 'Log driver options (max-size, max-file)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l network -d 'Connect a container to a network (bridge, none, host, container:<name|id>, or a network\'s name); repeatable [default: bridge]' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l network-alias -d 'Add network-scoped alias for the container (on its first network)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -s p -l publish -d 'Publish a container\'s port(s) to the host ([ip:][hostPort:]containerPort[/proto], ranges allowed)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l expose -d 'Expose a port or a range of ports' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l runtime -d 'OCI runtime binary to use for this container (e.g. crun)' -r
complete -c berth -n "__fish_berth_using_subcommand run" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand run" -l help -d 'Print help (-h is --hostname, as in docker)'
complete -c berth -n "__fish_berth_using_subcommand run" -s d -l detach -d 'Run container in background and print container ID'
complete -c berth -n "__fish_berth_using_subcommand run" -l rm -d 'Automatically remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand run" -l read-only -d 'Mount the container\'s root filesystem as read only'
complete -c berth -n "__fish_berth_using_subcommand run" -l privileged -d 'Give extended privileges to this container'
complete -c berth -n "__fish_berth_using_subcommand run" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c berth -n "__fish_berth_using_subcommand run" -l oom-kill-disable -d 'Disable OOM Killer'
complete -c berth -n "__fish_berth_using_subcommand run" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand create" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r -f -a "stdin\t''
stdout\t''
stderr\t''"
complete -c berth -n "__fish_berth_using_subcommand create" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image (an empty string clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s l -l label -d 'Set metadata on a container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l label-file -d 'Read in a line delimited file of labels' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s v -l volume -d 'Bind mount a volume ([SRC:]DST[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=..,target=..,readonly)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l tmpfs -d 'Mount a tmpfs directory (DST[:OPTS])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l security-opt -d 'Security options (seccomp=unconfined|PROFILE.json, no-new-privileges)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pull -d 'Pull image before running ("always", "missing", "never")' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c berth -n "__fish_berth_using_subcommand create" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:max-retries])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l health-on-failure -d 'Action once the container turns unhealthy (none, kill, restart, stop)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pid -d 'PID namespace to use (host, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ipc -d 'IPC mode to use (private, shareable, host, none, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l volumes-from -d 'Mount volumes from the specified container(s) (<name|id>[:ro|:rw])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l link -d 'Add link to another container (<name|id>[:alias])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ulimit -d 'Ulimit options (name=soft[:hard])' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l sysctl -d 'Sysctl options' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device -d 'Add a host device to the container' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l add-host -d 'Add a custom host-to-IP mapping (host:ip, or host:host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ip -d 'IPv4 address on the first network (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l ip6 -d 'IPv6 address on the first network (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l mac-address -d 'Container MAC address on its first network (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l memory-swap -d 'Swap limit equal to memory plus swap: \'-1\' to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100) [default: -1]' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l kernel-memory -d 'Kernel memory limit (ignored, as by Docker 23+)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l blkio-weight-device -d 'Block IO weight (relative device weight), DEVICE:WEIGHT' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-read-bps -d 'Limit read rate (bytes per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l log-driver -d 'Logging driver for the container (json-file, none)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l log-opt -d 'Log driver options (max-size, max-file)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l network -d 'Connect a container to a network (bridge, none, host, container:<name|id>, or a network\'s name); repeatable [default: bridge]' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l network-alias -d 'Add network-scoped alias for the container (on its first network)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -s p -l publish -d 'Publish a container\'s port(s) to the host ([ip:][hostPort:]containerPort[/proto], ranges allowed)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l expose -d 'Expose a port or a range of ports' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l runtime -d 'OCI runtime binary to use for this container (e.g. crun)' -r
complete -c berth -n "__fish_berth_using_subcommand create" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand create" -l help -d 'Print help (-h is --hostname, as in docker)'
complete -c berth -n "__fish_berth_using_subcommand create" -l rm -d 'Automatically remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand create" -l read-only -d 'Mount the container\'s root filesystem as read only'
complete -c berth -n "__fish_berth_using_subcommand create" -l privileged -d 'Give extended privileges to this container'
complete -c berth -n "__fish_berth_using_subcommand create" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c berth -n "__fish_berth_using_subcommand create" -l oom-kill-disable -d 'Disable OOM Killer'
complete -c berth -n "__fish_berth_using_subcommand create" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand start" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand start" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand start" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand start" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand start" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand start" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand start" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand start" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand start" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand start" -s a -l attach -d 'Attach STDOUT/STDERR and forward signals'
complete -c berth -n "__fish_berth_using_subcommand start" -s i -l interactive -d 'Attach container\'s STDIN'
complete -c berth -n "__fish_berth_using_subcommand start" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand stop" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand stop" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand stop" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand stop" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand stop" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand stop" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand stop" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand stop" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand restart" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand restart" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand restart" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand restart" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand restart" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand restart" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand restart" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand restart" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand kill" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand kill" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand kill" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand kill" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand kill" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand kill" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand kill" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand rm" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand rm" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand rm" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand rm" -s f -l force -d 'Force the removal of a running container (uses SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand rm" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c berth -n "__fish_berth_using_subcommand rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand ps" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand ps" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand ps" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand ps" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand ps" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand ps" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l format -d 'Format output using a Go template, \'table\', \'table TEMPLATE\' or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand ps" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand ps" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand ps" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand ps" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand ps" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand ps" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand ps" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand logs" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logs" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand logs" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand logs" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logs" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand logs" -l since -d 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l until -d 'Show logs before a timestamp or relative time' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -s n -l tail -d 'Number of lines to show from the end of the logs ("all" or a number)' -r
complete -c berth -n "__fish_berth_using_subcommand logs" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand logs" -s f -l follow -d 'Follow log output'
complete -c berth -n "__fish_berth_using_subcommand logs" -s t -l timestamps -d 'Show timestamps'
complete -c berth -n "__fish_berth_using_subcommand logs" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand exec" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c berth -n "__fish_berth_using_subcommand exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l detach-keys -d 'Override the key sequence for detaching' -r
complete -c berth -n "__fish_berth_using_subcommand exec" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand exec" -s d -l detach -d 'Detached mode: run command in the background'
complete -c berth -n "__fish_berth_using_subcommand exec" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand exec" -l privileged -d 'Give extended privileges to the command'
complete -c berth -n "__fish_berth_using_subcommand exec" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand attach" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand attach" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand attach" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand attach" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand attach" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand attach" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand attach" -l sig-proxy -d 'Proxy all received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand attach" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand attach" -l no-stdin -d 'Do not attach STDIN'
complete -c berth -n "__fish_berth_using_subcommand attach" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand wait" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand wait" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand wait" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand wait" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand wait" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand wait" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand wait" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand wait" -l condition -d 'Condition to wait for: not-running (default), next-exit, removed, running, healthy, exited' -r
complete -c berth -n "__fish_berth_using_subcommand wait" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand wait" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand top" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand top" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand top" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand top" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand top" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand top" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand top" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand top" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand top" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand pause" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pause" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand pause" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand pause" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand pause" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pause" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand pause" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand pause" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand pause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand unpause" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand unpause" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand unpause" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand unpause" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand unpause" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand unpause" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand unpause" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand unpause" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand unpause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand rename" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rename" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand rename" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand rename" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand rename" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rename" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand rename" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand rename" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand rename" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand cp" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand cp" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand cp" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand cp" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand cp" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand cp" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand cp" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand cp" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand cp" -s L -l follow-link -d 'Always follow symbol link in SRC_PATH'
complete -c berth -n "__fish_berth_using_subcommand cp" -s q -l quiet -d 'Suppress progress output'
complete -c berth -n "__fish_berth_using_subcommand cp" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand diff" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand diff" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand diff" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand diff" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand diff" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand diff" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand diff" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand diff" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand diff" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand stats" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand stats" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand stats" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand stats" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand stats" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand stats" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand stats" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand stats" -l format -d 'Format output using a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand stats" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand stats" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand stats" -l no-stream -d 'Disable streaming stats and only pull the first result'
complete -c berth -n "__fish_berth_using_subcommand stats" -l no-trunc -d 'Do not truncate output'
complete -c berth -n "__fish_berth_using_subcommand stats" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand port" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand port" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand port" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand port" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand port" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand port" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand port" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand port" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand port" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand update" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand update" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand update" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand update" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand update" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand update" -l restart -d 'Restart policy to apply when a container exits' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-rt-period -d 'Limit the CPU real-time period in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpu-rt-runtime -d 'Limit the CPU real-time runtime in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l kernel-memory -d 'Kernel memory limit (ignored, as by Docker 23+)' -r
complete -c berth -n "__fish_berth_using_subcommand update" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand update" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand export" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand export" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand export" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand export" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand export" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand export" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand export" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand export" -s o -l output -d 'Write to a file, instead of STDOUT' -r -F
complete -c berth -n "__fish_berth_using_subcommand export" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand export" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand commit" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand commit" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand commit" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand commit" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand commit" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand commit" -s a -l author -d 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -s c -l change -d 'Apply Dockerfile instruction to the created image' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -s m -l message -d 'Commit message' -r
complete -c berth -n "__fish_berth_using_subcommand commit" -s p -l pause -d 'Pause container during commit' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand commit" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand commit" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "run" -d 'Create and run a new container from an image'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "create" -d 'Create a new container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "start" -d 'Start one or more stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "stop" -d 'Stop one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "restart" -d 'Restart one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "kill" -d 'Kill one or more running containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "rm" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "remove" -d 'Remove one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "ls" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "list" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "logs" -d 'Fetch the logs of a container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "attach" -d 'Attach local standard input, output, and error streams to a running container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "wait" -d 'Block until one or more containers stop, then print their exit codes'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "inspect" -d 'Display detailed information on one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "top" -d 'Display the running processes of a container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "pause" -d 'Pause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "unpause" -d 'Unpause all processes within one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "rename" -d 'Rename a container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "diff" -d 'Inspect changes to files or directories on a container\'s filesystem'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "stats" -d 'Display a live stream of container(s) resource usage statistics'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "prune" -d 'Remove all stopped containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "update" -d 'Update configuration of one or more containers'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c berth -n "__fish_berth_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm remove ls list ps logs exec attach wait inspect top pause unpause rename cp diff stats prune port update export commit" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r -f -a "stdin\t''
stdout\t''
stderr\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image (an empty string clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Set metadata on a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l label-file -d 'Read in a line delimited file of labels' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Bind mount a volume ([SRC:]DST[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=..,target=..,readonly)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a tmpfs directory (DST[:OPTS])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l security-opt -d 'Security options (seccomp=unconfined|PROFILE.json, no-new-privileges)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'Pull image before running ("always", "missing", "never")' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:max-retries])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l health-on-failure -d 'Action once the container turns unhealthy (none, kill, restart, stop)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pid -d 'PID namespace to use (host, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ipc -d 'IPC mode to use (private, shareable, host, none, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l volumes-from -d 'Mount volumes from the specified container(s) (<name|id>[:ro|:rw])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l link -d 'Add link to another container (<name|id>[:alias])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ulimit -d 'Ulimit options (name=soft[:hard])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l sysctl -d 'Sysctl options' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device -d 'Add a host device to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l add-host -d 'Add a custom host-to-IP mapping (host:ip, or host:host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ip -d 'IPv4 address on the first network (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l ip6 -d 'IPv6 address on the first network (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l mac-address -d 'Container MAC address on its first network (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-swap -d 'Swap limit equal to memory plus swap: \'-1\' to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100) [default: -1]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l kernel-memory -d 'Kernel memory limit (ignored, as by Docker 23+)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l blkio-weight-device -d 'Block IO weight (relative device weight), DEVICE:WEIGHT' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-read-bps -d 'Limit read rate (bytes per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-driver -d 'Logging driver for the container (json-file, none)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Log driver options (max-size, max-file)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l network -d 'Connect a container to a network (bridge, none, host, container:<name|id>, or a network\'s name); repeatable [default: bridge]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l network-alias -d 'Add network-scoped alias for the container (on its first network)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish a container\'s port(s) to the host ([ip:][hostPort:]containerPort[/proto], ranges allowed)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l expose -d 'Expose a port or a range of ports' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l runtime -d 'OCI runtime binary to use for this container (e.g. crun)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print help (-h is --hostname, as in docker)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run container in background and print container ID'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Automatically remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Mount the container\'s root filesystem as read only'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l privileged -d 'Give extended privileges to this container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -l oom-kill-disable -d 'Disable OOM Killer'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from run" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR' -r -f -a "stdin\t''
stdout\t''
stderr\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image (an empty string clears it)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata on a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l label-file -d 'Read in a line delimited file of labels' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Container host name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Bind mount a volume ([SRC:]DST[:ro|rw])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=..,target=..,readonly)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs directory (DST[:OPTS])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-add -d 'Add Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-drop -d 'Drop Linux capabilities' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l security-opt -d 'Security options (seccomp=unconfined|PROFILE.json, no-new-privileges)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'Pull image before running ("always", "missing", "never")' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l platform -d 'Set platform if server is multi-platform capable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal to stop the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Timeout (in seconds) to stop a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l restart -d 'Restart policy to apply when a container exits (no, always, unless-stopped, on-failure[:max-retries])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-cmd -d 'Command to run to check health' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-interval -d 'Time between running the check (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-retries -d 'Consecutive failures needed to report unhealthy' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-start-period -d 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-start-interval -d 'Time between running the check during the start period (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-timeout -d 'Maximum time to allow one check to run (ms|s|m|h) (default 0s)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l health-on-failure -d 'Action once the container turns unhealthy (none, kill, restart, stop)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l shm-size -d 'Size of /dev/shm' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pid -d 'PID namespace to use (host, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ipc -d 'IPC mode to use (private, shareable, host, none, or container:<name|id>)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l volumes-from -d 'Mount volumes from the specified container(s) (<name|id>[:ro|:rw])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l link -d 'Add link to another container (<name|id>[:alias])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ulimit -d 'Ulimit options (name=soft[:hard])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l sysctl -d 'Sysctl options' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device -d 'Add a host device to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l add-host -d 'Add a custom host-to-IP mapping (host:ip, or host:host-gateway)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l domainname -d 'Container NIS domain name' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ip -d 'IPv4 address on the first network (e.g., 172.30.100.104)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l ip6 -d 'IPv6 address on the first network (e.g., 2001:db8::33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l mac-address -d 'Container MAC address on its first network (e.g., 92:d0:c6:0a:29:33)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l dns -d 'Set custom DNS servers' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-search -d 'Set custom DNS search domains' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-option -d 'Set DNS options' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-swap -d 'Swap limit equal to memory plus swap: \'-1\' to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-swappiness -d 'Tune container memory swappiness (0 to 100) [default: -1]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l kernel-memory -d 'Kernel memory limit (ignored, as by Docker 23+)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-rt-period -d 'Limit CPU real-time period in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpu-rt-runtime -d 'Limit CPU real-time runtime in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l blkio-weight-device -d 'Block IO weight (relative device weight), DEVICE:WEIGHT' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-read-bps -d 'Limit read rate (bytes per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-write-bps -d 'Limit write rate (bytes per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-read-iops -d 'Limit read rate (IO per second) from a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l device-write-iops -d 'Limit write rate (IO per second) to a device' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l oom-score-adj -d 'Tune host\'s OOM preferences (-1000 to 1000)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-driver -d 'Logging driver for the container (json-file, none)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Log driver options (max-size, max-file)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l network -d 'Connect a container to a network (bridge, none, host, container:<name|id>, or a network\'s name); repeatable [default: bridge]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l network-alias -d 'Add network-scoped alias for the container (on its first network)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a container\'s port(s) to the host ([ip:][hostPort:]containerPort[/proto], ranges allowed)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l expose -d 'Expose a port or a range of ports' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l runtime -d 'OCI runtime binary to use for this container (e.g. crun)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print help (-h is --hostname, as in docker)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Automatically remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Mount the container\'s root filesystem as read only'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l privileged -d 'Give extended privileges to this container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l no-healthcheck -d 'Disable any container-specified HEALTHCHECK'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -l oom-kill-disable -d 'Disable OOM Killer'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach STDOUT/STDERR and forward signals'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Attach container\'s STDIN'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l time -d 'Seconds to wait before killing the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force the removal of a running container (uses SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -s f -l force -d 'Force the removal of a running container (uses SIGKILL)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a Go template, \'table\', \'table TEMPLATE\' or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l format -d 'Format output using a Go template, \'table\', \'table TEMPLATE\' or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l format -d 'Format output using a Go template, \'table\', \'table TEMPLATE\' or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s n -l last -d 'Show n last created containers (includes all states)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s l -l latest -d 'Show the latest created container (includes all states)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Only display container IDs'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Show logs before a timestamp or relative time' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Number of lines to show from the end of the logs ("all" or a number)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Follow log output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Show timestamps'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l detach-keys -d 'Override the key sequence for detaching' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Detached mode: run command in the background'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give extended privileges to the command'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l detach-keys -d 'Override the key sequence for detaching a container' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l sig-proxy -d 'Proxy all received signals to the process' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -l no-stdin -d 'Do not attach STDIN'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l condition -d 'Condition to wait for: not-running (default), next-exit, removed, running, healthy, exited' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a Go template or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s s -l size -d 'Display total file sizes'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from unpause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -s L -l follow-link -d 'Always follow symbol link in SRC_PATH'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -s q -l quiet -d 'Suppress progress output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from cp" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l format -d 'Format output using a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -s a -l all -d 'Show all containers (default shows just running)'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-stream -d 'Disable streaming stats and only pull the first result'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-trunc -d 'Do not truncate output'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. \'until=<timestamp>\', \'label=<key>=<value>\')' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l restart -d 'Restart policy to apply when a container exits' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l blkio-weight -d 'Block IO (relative weight), between 10 and 1000, or 0 to disable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-period -d 'Limit CPU CFS (Completely Fair Scheduler) period' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-quota -d 'Limit CPU CFS (Completely Fair Scheduler) quota' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-rt-period -d 'Limit the CPU real-time period in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpu-rt-runtime -d 'Limit the CPU real-time runtime in microseconds (not supported: refused)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpus -d 'Number of CPUs' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l cpuset-mems -d 'MEMs in which to allow execution (0-3, 0,1)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -s m -l memory -d 'Memory limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l memory-reservation -d 'Memory soft limit' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l memory-swap -d 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l kernel-memory -d 'Kernel memory limit (ignored, as by Docker 23+)' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to a file, instead of STDOUT' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s a -l author -d 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s c -l change -d 'Apply Dockerfile instruction to the created image' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s m -l message -d 'Commit message' -r
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s p -l pause -d 'Pause container during commit' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand container; and __fish_seen_subcommand_from commit" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand pull" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand pull" -l platform -d 'Set platform if the image is multi-platform (os/arch[/variant])' -r
complete -c berth -n "__fish_berth_using_subcommand pull" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand pull" -s q -l quiet -d 'Suppress verbose output'
complete -c berth -n "__fish_berth_using_subcommand pull" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand push" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand push" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand push" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand push" -s q -l quiet -d 'Suppress verbose output'
complete -c berth -n "__fish_berth_using_subcommand push" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand tag" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand tag" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand tag" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand tag" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand tag" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand tag" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand tag" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand tag" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand tag" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand images" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand images" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand images" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand images" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand images" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand images" -s f -l filter -d 'Filter output based on conditions provided (dangling, reference, label, before, since)' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l format -d 'Format output using a Go template, \'table\', \'table TEMPLATE\' or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand images" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand images" -s a -l all -d 'Show all images (default hides intermediate images)'
complete -c berth -n "__fish_berth_using_subcommand images" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand images" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand images" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand images" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand rmi" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rmi" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand rmi" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand rmi" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand rmi" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand rmi" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand rmi" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand rmi" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand rmi" -s f -l force -d 'Force removal of the image'
complete -c berth -n "__fish_berth_using_subcommand rmi" -l no-prune -d 'Do not delete untagged parents'
complete -c berth -n "__fish_berth_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand history" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand history" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand history" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand history" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand history" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand history" -l format -d 'Format output using a Go template or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand history" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand history" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand history" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand history" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand import" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand import" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand import" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand import" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand import" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand import" -s c -l change -d 'Apply Dockerfile instruction to the created image' -r
complete -c berth -n "__fish_berth_using_subcommand import" -s m -l message -d 'Set commit message for imported image' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l platform -d 'Set platform if server is multi-platform capable (os/arch[/variant])' -r
complete -c berth -n "__fish_berth_using_subcommand import" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand import" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand inspect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand inspect" -s f -l format -d 'Format output using a Go template or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l type -d 'Only inspect objects of the given type (container, image)' -r
complete -c berth -n "__fish_berth_using_subcommand inspect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand save" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand save" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand save" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -s o -l output -d 'Write to a file, instead of STDOUT' -r -F
complete -c berth -n "__fish_berth_using_subcommand save" -l platform -d 'Save only the given platform (os/arch[/variant]); an image of another platform is an error' -r
complete -c berth -n "__fish_berth_using_subcommand save" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand save" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand load" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand load" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand load" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -s i -l input -d 'Read from tar archive file, instead of STDIN' -r -F
complete -c berth -n "__fish_berth_using_subcommand load" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand load" -s q -l quiet -d 'Suppress the load output'
complete -c berth -n "__fish_berth_using_subcommand load" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand login" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand login" -s u -l username -d 'Username' -r
complete -c berth -n "__fish_berth_using_subcommand login" -s p -l password -d 'Password' -r
complete -c berth -n "__fish_berth_using_subcommand login" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand login" -l password-stdin -d 'Take the password from stdin'
complete -c berth -n "__fish_berth_using_subcommand login" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand logout" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand logout" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand logout" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand logout" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand logout" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand build" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand build" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand build" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand build" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand build" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand build" -s f -l file -d 'Name of the Dockerfile (default: PATH/Dockerfile; `-` reads it from STDIN)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -s t -l tag -d 'Name and optionally a tag in the "name:tag" format' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l build-arg -d 'Set build-time variables (KEY=VALUE, or KEY to take it from the environment)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l target -d 'Set the target build stage to build' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l label -d 'Set metadata for an image' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l iidfile -d 'Write the image ID to the file' -r -F
complete -c berth -n "__fish_berth_using_subcommand build" -l platform -d 'Set platform if server is multi-platform capable (the host\'s only)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l network -d 'Set the networking mode for the RUN instructions during build (default, none or host)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l progress -d 'Set type of progress output (auto, tty: the classic builder\'s step lines on stdout; plain: BuildKit\'s plain lines on stderr)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l add-host -d 'Add a custom host-to-IP mapping (host:ip)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l shm-size -d 'Size of /dev/shm of the RUN containers' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l ulimit -d 'Ulimit options of the RUN containers' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l rm -d 'Remove intermediate containers after a successful build (berth always removes them; --rm=false is refused)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand build" -l secret -d 'Secret to expose to the build (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l ssh -d 'SSH agent socket or keys to expose to the build (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -s o -l output -d 'Output destination (not supported by berth: the image goes to the store)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cache-from -d 'External cache sources (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l cache-to -d 'Cache export destinations (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand build" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand build" -l no-cache -d 'Do not use cache when building the image'
complete -c berth -n "__fish_berth_using_subcommand build" -l pull -d 'Always attempt to pull a newer version of the base images'
complete -c berth -n "__fish_berth_using_subcommand build" -s q -l quiet -d 'Suppress the build output and print image ID on success'
complete -c berth -n "__fish_berth_using_subcommand build" -l force-rm -d 'Always remove intermediate containers (berth always does)'
complete -c berth -n "__fish_berth_using_subcommand build" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -f -a "build" -d 'Build an image from a Dockerfile'
complete -c berth -n "__fish_berth_using_subcommand builder; and not __fish_seen_subcommand_from build prune" -f -a "prune" -d 'Remove build cache'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s f -l file -d 'Name of the Dockerfile (default: PATH/Dockerfile; `-` reads it from STDIN)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s t -l tag -d 'Name and optionally a tag in the "name:tag" format' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l build-arg -d 'Set build-time variables (KEY=VALUE, or KEY to take it from the environment)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l target -d 'Set the target build stage to build' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l label -d 'Set metadata for an image' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l iidfile -d 'Write the image ID to the file' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l platform -d 'Set platform if server is multi-platform capable (the host\'s only)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l network -d 'Set the networking mode for the RUN instructions during build (default, none or host)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l progress -d 'Set type of progress output (auto, tty: the classic builder\'s step lines on stdout; plain: BuildKit\'s plain lines on stderr)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l add-host -d 'Add a custom host-to-IP mapping (host:ip)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l shm-size -d 'Size of /dev/shm of the RUN containers' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l ulimit -d 'Ulimit options of the RUN containers' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l rm -d 'Remove intermediate containers after a successful build (berth always removes them; --rm=false is refused)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l secret -d 'Secret to expose to the build (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l ssh -d 'SSH agent socket or keys to expose to the build (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s o -l output -d 'Output destination (not supported by berth: the image goes to the store)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cache-from -d 'External cache sources (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l cache-to -d 'Cache export destinations (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use cache when building the image'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l pull -d 'Always attempt to pull a newer version of the base images'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Suppress the build output and print image ID on success'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -l force-rm -d 'Always remove intermediate containers (berth always does)'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. "until=24h")' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l keep-storage -d 'Amount of disk space to keep for cache' -r
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused build cache, not just dangling ones (berth\'s cache entries are all unused between builds, so both remove all)'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand builder; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "build" -d 'Build an image from a Dockerfile'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "ls" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "list" -d 'List images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "pull" -d 'Download an image from a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "push" -d 'Upload an image to a registry'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "tag" -d 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "rm" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "remove" -d 'Remove one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "inspect" -d 'Display detailed information on one or more images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "history" -d 'Show the history of an image'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "prune" -d 'Remove unused images'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "save" -d 'Save one or more images to a tar archive (streamed to STDOUT by default)'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "load" -d 'Load an image from a tar archive or STDIN'
complete -c berth -n "__fish_berth_using_subcommand image; and not __fish_seen_subcommand_from build ls list pull push tag rm remove inspect history prune save load import" -f -a "import" -d 'Import the contents from a tarball to create a filesystem image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s f -l file -d 'Name of the Dockerfile (default: PATH/Dockerfile; `-` reads it from STDIN)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s t -l tag -d 'Name and optionally a tag in the "name:tag" format' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l build-arg -d 'Set build-time variables (KEY=VALUE, or KEY to take it from the environment)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l target -d 'Set the target build stage to build' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l label -d 'Set metadata for an image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l iidfile -d 'Write the image ID to the file' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l platform -d 'Set platform if server is multi-platform capable (the host\'s only)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l network -d 'Set the networking mode for the RUN instructions during build (default, none or host)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l progress -d 'Set type of progress output (auto, tty: the classic builder\'s step lines on stdout; plain: BuildKit\'s plain lines on stderr)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l add-host -d 'Add a custom host-to-IP mapping (host:ip)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l shm-size -d 'Size of /dev/shm of the RUN containers' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l ulimit -d 'Ulimit options of the RUN containers' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l rm -d 'Remove intermediate containers after a successful build (berth always removes them; --rm=false is refused)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l secret -d 'Secret to expose to the build (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l ssh -d 'SSH agent socket or keys to expose to the build (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s o -l output -d 'Output destination (not supported by berth: the image goes to the store)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cache-from -d 'External cache sources (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l cache-to -d 'Cache export destinations (not supported by berth)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use cache when building the image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l pull -d 'Always attempt to pull a newer version of the base images'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Suppress the build output and print image ID on success'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -l force-rm -d 'Always remove intermediate containers (berth always does)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output based on conditions provided (dangling, reference, label, before, since)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a Go template, \'table\', \'table TEMPLATE\' or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (default hides intermediate images)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output based on conditions provided (dangling, reference, label, before, since)' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Format output using a Go template, \'table\', \'table TEMPLATE\' or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (default hides intermediate images)'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Set platform if the image is multi-platform (os/arch[/variant])' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Suppress verbose output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Suppress verbose output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force removal of the image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -l no-prune -d 'Do not delete untagged parents'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -s f -l force -d 'Force removal of the image'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -l no-prune -d 'Do not delete untagged parents'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a Go template or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l format -d 'Format output using a Go template or \'json\'' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Only show image IDs'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. \'label=<key>=<value>\')' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images, not just dangling ones'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to a file, instead of STDOUT' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l platform -d 'Save only the given platform (os/arch[/variant]); an image of another platform is an error' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from tar archive file, instead of STDIN' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Suppress the load output'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Apply Dockerfile instruction to the created image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Set commit message for imported image' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l platform -d 'Set platform if server is multi-platform capable (os/arch[/variant])' -r
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "create" -d 'Create a network'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "ls" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "list" -d 'List networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "inspect" -d 'Display detailed information on one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "rm" -d 'Remove one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "remove" -d 'Remove one or more networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "prune" -d 'Remove all unused networks'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "connect" -d 'Connect a container to a network'
complete -c berth -n "__fish_berth_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect" -f -a "disconnect" -d 'Disconnect a container from a network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s d -l driver -d 'Driver to manage the network (bridge, macvlan, ipvlan)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l subnet -d 'Subnet in CIDR format that represents a network segment' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l gateway -d 'IPv4 or IPv6 gateway for the master subnet' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ip-range -d 'Allocate container IPs from a sub-range' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l label -d 'Set metadata on a network' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s o -l opt -d 'Set driver specific options' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l internal -d 'Restrict external access to the network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -l ipv6 -d 'Enable IPv6 networking'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Provide filter values (e.g. \'driver=bridge\', \'name=x\', \'label=k=v\', \'dangling=true\')' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display network IDs'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate the output'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s f -l filter -d 'Provide filter values (e.g. \'driver=bridge\', \'name=x\', \'label=k=v\', \'dangling=true\')' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display network IDs'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate the output'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a custom template: \'json\' or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -s f -l force -d 'Do not error if the network does not exist'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -s f -l force -d 'Do not error if the network does not exist'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. \'label=<key>=<value>\', \'label!=<key>\')' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l ip -d 'IPv4 address (e.g., "172.30.100.104")' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l ip6 -d 'IPv6 address (e.g., "2001:db8::33")' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l alias -d 'Add network-scoped alias for the container' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l link -d 'Add link to another container' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l link-local-ip -d 'Add a link-local address for the container (not supported)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l driver-opt -d 'driver options for the network (not supported)' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l gw-priority -d 'Highest gw-priority provides the default gateway. Accepts positive and negative values' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s f -l force -d 'Force the container to disconnect from a network'
complete -c berth -n "__fish_berth_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "create" -d 'Create a volume'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "ls" -d 'List volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "list" -d 'List volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "rm" -d 'Remove one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "remove" -d 'Remove one or more volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune" -f -a "prune" -d 'Remove unused local volumes'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l name -d 'Volume name (same as the positional argument)' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -s d -l driver -d 'Volume driver (only "local")' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l label -d 'Set metadata for a volume (key=value)' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -s o -l opt -d 'Set driver specific options (key=value)' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Provide filter values (e.g. \'dangling=true\', \'name=x\', \'label=k=v\', \'driver=local\')' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display volume names'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\', or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -s f -l filter -d 'Provide filter values (e.g. \'dangling=true\', \'name=x\', \'label=k=v\', \'driver=local\')' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display volume names'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output using a custom template: \'json\' or a Go template' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Do not fail for volumes that do not exist'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -s f -l force -d 'Do not fail for volumes that do not exist'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. \'label=<key>=<value>\', \'label!=<key>\', \'all=true\')' -r
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused volumes, not just anonymous ones'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -f -a "restore" -d 'Start the containers whose restart policy asks for it after a host restart (always; unless-stopped ones not stopped by the user; on-failure ones that failed, not by the user, with retries left); run once at boot, a second run in the same boot does nothing'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -f -a "install-restore" -d 'Install the boot service that runs `berth system restore`: a systemd unit on a host booted with systemd, else a SysV init script'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -f -a "info" -d 'Display system-wide information'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -f -a "df" -d 'Show docker disk usage'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -f -a "prune" -d 'Remove unused data'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -f -a "check" -d 'Check the host for what containers need, and say how to fix it (same as `berth doctor`)'
complete -c berth -n "__fish_berth_using_subcommand system; and not __fish_seen_subcommand_from restore install-restore info df prune check events" -f -a "events" -d 'Get real time events from the server'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l init -d 'Init system to install for: systemd or sysv [default: detected]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l root -d 'Install under this root directory instead of / (for images and tests; the init system is not told)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from install-restore" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -s f -l format -d 'Format output using a custom template: \'json\' prints in JSON format, \'TEMPLATE\' prints output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l format -d 'Format output using a custom template: \'table\', \'table TEMPLATE\', \'json\' or \'TEMPLATE\'' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -s v -l verbose -d 'Show detailed information on space usage'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from df" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. \'label=<key>=<value>\')' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images not just dangling ones'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -l volumes -d 'Prune anonymous volumes'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l format -d 'Output format: \'json\' for a JSON array of checks' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -l fix -d 'Remove the state removed containers left behind (mounts, network namespaces, CNI attachments, IPAM leases and iptables rules, shim and runtime state, cgroups, bundles, snapshots)'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l format -d 'Format output using a custom template: \'json\':             Print in JSON format \'TEMPLATE\':         Print output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l since -d 'Show all events created since timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l until -d 'Stream events until this timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand system; and __fish_seen_subcommand_from events" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -s f -l file -d 'Compose configuration files ("-" for standard input); repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -s p -l project-name -d 'Project name' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l project-directory -d 'Alternate working directory (default: the directory of the first compose file)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l env-file -d 'Alternate environment file; repeatable' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l profile -d 'Profile to enable; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -l dry-run -d 'Execute command in dry run mode'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "config" -d 'Parse, resolve and render compose file in canonical format'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "ps" -d 'List containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "ls" -d 'List running compose projects'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "logs" -d 'View output from containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "kill" -d 'Force stop service containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "rm" -d 'Removes stopped service containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "pause" -d 'Pause services'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "unpause" -d 'Unpause services'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "top" -d 'Display the running processes'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "port" -d 'Print the public port for a port binding'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "images" -d 'List images used by the created containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "wait" -d 'Block until containers of all (or specified) services stop'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "events" -d 'Receive real time events from containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "exec" -d 'Execute a command in a running container'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "cp" -d 'Copy files/folders between a service container and the local filesystem'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "version" -d 'Show the Docker Compose version information'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "pull" -d 'Pull service images'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "build" -d 'Build or rebuild services'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "up" -d 'Create and start containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "down" -d 'Stop and remove containers, networks'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "create" -d 'Creates containers for a service'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "start" -d 'Start services'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "stop" -d 'Stop services'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "restart" -d 'Restart service containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and not __fish_seen_subcommand_from config ps ls logs kill rm pause unpause top port images wait events exec cp version pull build up down create start stop restart run" -f -a "run" -d 'Run a one-off command on a service'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l format -d 'Format the output. Values: [yaml | json]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l hash -d 'Print the service config hash, one per line ("*" for every service, or SERVICE,...)' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -s o -l output -d 'Save to file (default to stdout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -s q -l quiet -d 'Only validate the configuration, don\'t print anything'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l services -d 'Print the service names, one per line'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l volumes -d 'Print the volume names, one per line'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l networks -d 'Print the network names, one per line'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l images -d 'Print the image names, one per line'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l profiles -d 'Print the profile names, one per line'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l variables -d 'Print the model variables and default values'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l environment -d 'Print the environment used for interpolation'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l no-interpolate -d 'Don\'t interpolate environment variables'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l no-normalize -d 'Don\'t normalize compose model'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l no-path-resolution -d 'Don\'t resolve file paths'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -l check -d 'Check what berth supports of each service key: supported, partial, ignored or rejected (exits 1 unless everything is supported)'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from config" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l status -d 'Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l filter -d 'Filter services by a property (supported filters: status)' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l format -d 'Format the output. Values: [table | json | TEMPLATE]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l orphans -d 'Include orphaned services (not declared by project)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -s a -l all -d 'Show all stopped containers (including those created by the run command)'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Only display IDs'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l services -d 'Display services'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Don\'t truncate output'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l format -d 'Format the output. Values: [table | json]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all stopped Compose projects'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display project names'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l index -d 'index of the container if service has multiple replicas' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l since -d 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l until -d 'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Number of lines to show from the end of the logs for each container' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Follow log output'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l no-color -d 'Produce monochrome output'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -l no-log-prefix -d 'Don\'t print prefix in logs'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Show timestamps'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -s s -l signal -d 'SIGNAL to send to the container' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -l remove-orphans -d 'Remove containers for services not defined in the Compose file'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -s f -l force -d 'Don\'t ask to confirm removal'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -s s -l stop -d 'Stop the containers, if required, before removing'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove any anonymous volumes attached to containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from unpause" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l protocol -d 'tcp or udp' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l index -d 'Index of the container if service has multiple replicas' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l format -d 'Format the output. Values: [table | json]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -s q -l quiet -d 'Only display IDs'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from images" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -l down-project -d 'Drops project when the first container stops'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l since -d 'Show all events created since timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l until -d 'Stream events until this timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -l json -d 'Output events as a stream of json objects'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from events" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l index -d 'Index of the container if service has multiple replicas' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -s u -l user -d 'Run the command as this user' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Path to workdir directory for this command' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Detached mode: Run command in the background'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -l privileged -d 'Give extended privileges to the process'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -s T -l no-tty -d 'Disable pseudo-TTY allocation. By default \'compose exec\' allocates a TTY'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l index -d 'Index of the container if service has multiple replicas' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -l all -d 'Include containers created by the run command'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -s L -l follow-link -d 'Always follow symbol link in SRC_PATH'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -s a -l archive -d 'Archive mode (copy all uid/gid information)'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from cp" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -s f -l format -d 'Format the output. Values: [pretty | json]. (Default: pretty)' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -l short -d 'Shows only Compose\'s version number'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from version" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l policy -d 'Apply pull policy ("missing"|"always")' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Pull without printing progress information'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l include-deps -d 'Also pull services declared as dependencies'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l ignore-pull-failures -d 'Pull what it can and ignores images with pull failures'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -l ignore-buildable -d 'Ignore images that can be built'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l build-arg -d 'Set build-time variables for services' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use cache when building the image'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l pull -d 'Always attempt to pull a newer version of the image'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Don\'t print anything to STDOUT'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -l with-dependencies -d 'Also build dependencies (transitively)'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l scale -d 'Scale SERVICE to NUM instances (SERVICE=NUM); overrides `scale` in the file' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l pull -d 'Pull image before running ("always"|"missing"|"never")' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l wait-timeout -d 'Maximum duration in seconds to wait for the project to be running|healthy' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -s t -l timeout -d 'Use this timeout in seconds for container shutdown when attached or when containers are already running' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l exit-code-from -d 'Return the exit code of the selected service container. Implies --abort-on-container-exit' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l attach -d 'Restrict attaching to the specified services. Incompatible with --attach-dependencies' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l no-attach -d 'Do not attach (stream logs) to the specified services' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l menu -d 'Enable interactive shortcuts when running attached (not supported by berth: only --menu=false is accepted)' -r -f -a "true\t''
false\t''"
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l force-recreate -d 'Recreate containers even if their configuration and image haven\'t changed'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l no-recreate -d 'If containers already exist, don\'t recreate them. Incompatible with --force-recreate'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l remove-orphans -d 'Remove containers for services not defined in the Compose file'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l quiet-pull -d 'Pull without printing progress information'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l build -d 'Build images before starting containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l no-build -d 'Don\'t build an image, even if it\'s policy'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l strict -d 'Refuse a file that uses anything berth does not fully support'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -s d -l detach -d 'Detached mode: Run containers in the background'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l wait -d 'Wait for services to be running|healthy. Implies detached mode'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l no-deps -d 'Don\'t start linked services'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l no-start -d 'Don\'t start the services after creating them'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l abort-on-container-exit -d 'Stops all containers if any container was stopped. Incompatible with -d'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l abort-on-container-failure -d 'Stops all containers if any container exited with failure. Incompatible with -d'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l no-color -d 'Produce monochrome output'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l no-log-prefix -d 'Don\'t print prefix in logs'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -s V -l renew-anon-volumes -d 'Recreate anonymous volumes instead of retrieving data from the previous containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l always-recreate-deps -d 'Recreate dependent containers. Incompatible with --no-recreate'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l attach-dependencies -d 'Automatically attach to log output of dependent services'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -l timestamps -d 'Show timestamps'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -s w -l watch -d 'Watch source code and rebuild/refresh containers when files are updated (not supported by berth)'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l rmi -d 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -s t -l timeout -d 'Specify a shutdown timeout in seconds' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -s v -l volumes -d 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -l remove-orphans -d 'Remove containers for services not defined in the Compose file'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from down" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l scale -d 'Scale SERVICE to NUM instances (SERVICE=NUM); overrides `scale` in the file' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l pull -d 'Pull image before running ("always"|"missing"|"never")' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l force-recreate -d 'Recreate containers even if their configuration and image haven\'t changed'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l no-recreate -d 'If containers already exist, don\'t recreate them. Incompatible with --force-recreate'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l remove-orphans -d 'Remove containers for services not defined in the Compose file'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l quiet-pull -d 'Pull without printing progress information'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l build -d 'Build images before starting containers'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l no-build -d 'Don\'t build an image, even if it\'s policy'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -l strict -d 'Refuse a file that uses anything berth does not fully support'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -s t -l timeout -d 'Specify a shutdown timeout in seconds' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -s t -l timeout -d 'Specify a shutdown timeout in seconds' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -l no-deps -d 'Don\'t restart dependent services'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l entrypoint -d 'Override the entrypoint of the image' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish a container\'s port(s) to the host' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -s u -l user -d 'Run as specified username or uid' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run container in background and print container ID'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l rm -d 'Automatically remove the container when it exits'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l no-deps -d 'Don\'t start linked services'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l remove-orphans -d 'Remove containers for services not defined in the Compose file'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -l service-ports -d 'Run command with all service\'s ports enabled and mapped to the host'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -s T -l no-TTY -d 'Disable pseudo-TTY allocation (default: auto-detected)'
complete -c berth -n "__fish_berth_using_subcommand compose; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand events" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand events" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand events" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand events" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand events" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand events" -s f -l filter -d 'Filter output based on conditions provided' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l format -d 'Format output using a custom template: \'json\':             Print in JSON format \'TEMPLATE\':         Print output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l since -d 'Show all events created since timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l until -d 'Stream events until this timestamp' -r
complete -c berth -n "__fish_berth_using_subcommand events" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand events" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand version" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand version" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand version" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand version" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand version" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand version" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand version" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand version" -s f -l format -d 'Format output using a custom template: \'json\' prints in JSON format, \'TEMPLATE\' prints output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand version" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c berth -n "__fish_berth_using_subcommand info" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand info" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand info" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand info" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand info" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand info" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand info" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand info" -s f -l format -d 'Format output using a custom template: \'json\' prints in JSON format, \'TEMPLATE\' prints output using the given Go template' -r
complete -c berth -n "__fish_berth_using_subcommand info" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand info" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand doctor" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand doctor" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand doctor" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand doctor" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand doctor" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand doctor" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand doctor" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand doctor" -l format -d 'Output format: \'json\' for a JSON array of checks' -r
complete -c berth -n "__fish_berth_using_subcommand doctor" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand doctor" -l fix -d 'Remove the state removed containers left behind (mounts, network namespaces, CNI attachments, IPAM leases and iptables rules, shim and runtime state, cgroups, bundles, snapshots)'
complete -c berth -n "__fish_berth_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -f -a "gen-docs" -d 'Write shell completions and man pages generated from the command tree'
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -f -a "shim" -d 'Monitor one container as its shim.json says: detach, run the OCI runtime, keep its stdio, log, serve attach and control clients, restart it per its policy, publish its state (started by berth itself)'
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -f -a "cleanup" -d 'Remove a `--rm` container after it exited (run by its shim)'
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -f -a "shim-control" -d 'Ask a running shim for its state, or change its restart policy; prints the state it replies with as JSON'
complete -c berth -n "__fish_berth_using_subcommand internal; and not __fish_seen_subcommand_from gen-docs shim cleanup shim-control dns" -f -a "dns" -d 'Serve names on one user network as its name server (started by berth itself when the first container joins the network)'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l completions -d 'Directory for completions (bash, zsh, fish)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l man -d 'Directory for man pages' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from gen-docs" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from cleanup" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l restart -d 'Set the restart policy: no, always, unless-stopped, on-failure[:N]' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from shim-control" -s h -l help -d 'Print help'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l data-root -d 'Root directory of persistent data (images, containers, volumes)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l state-root -d 'Root directory of runtime state (shim sockets, locks); should be on tmpfs' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l config -d 'Config file (TOML) [default: /etc/berth/berth.toml]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l insecure-registry -d 'Registry host (host[:port]) to reach over plain HTTP; repeatable' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l hosts-dir -d 'Directory of per-registry hosts.toml files (containerd certs.d layout)' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l cni-path -d 'Directories of CNI plugin binaries, \':\'-separated [default: /usr/lib/cni:/opt/cni/bin]' -r
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l cni-netconfpath -d 'Directory berth writes its CNI network configs to [default: /etc/berth/cni/net.d]' -r -F
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -l debug -d 'Print debug messages'
complete -c berth -n "__fish_berth_using_subcommand internal; and __fish_seen_subcommand_from dns" -s h -l help -d 'Print help'
