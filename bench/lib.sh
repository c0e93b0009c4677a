# Shared by the benchmark scripts: process bookkeeping and ports. Source it after `set -euo pipefail`; it sets an
# EXIT trap that stops every process recorded in `pids` and removes `$work`.
work=$(mktemp -d)
pids=()

cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Starts a command in the background, recording its PID in `pids` and `$last_pid`; output goes to $work/NAME.log.
start() {
    local name=$1
    shift
    "$@" > "$work/$name.log" 2>&1 &
    last_pid=$!
    pids+=("$last_pid")
}

# Stops one process this script started and forgets it.
stop() {
    local pid=$1 kept=() other
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for other in "${pids[@]}"; do [ "$other" = "$pid" ] || kept+=("$other"); done
    pids=("${kept[@]}")
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until something listens on port $1, or fails if process $2 exits first.
wait_for_port() {
    for _ in $(seq 1 600); do
        if (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "process $2 exited before listening on port $1" >&2; return 1; }
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    return 1
}

# Prints `NAME value` with the ratio of two figures, or explains on stderr why there is none.
ratio() {
    local name=$1 ours=$2 theirs=$3
    if [ -n "$ours" ] && [ -n "$theirs" ] && [ "$theirs" != 0 ]; then
        python3 -c "print(f'$name {$ours / $theirs:.2f}')"
    else
        echo "no $name (ours '$ours', theirs '$theirs')" >&2
    fi
}
