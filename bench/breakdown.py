#!/usr/bin/env python3
"""Split one traced `berth run --rm ... true` into phases.

Input: the output of `strace -f --seccomp-bpf -ttt -e trace=execve,exit_group`
around one command. Marks, all in seconds since the epoch:
  t0  the CLI's execve                      t1  the shim's execve (2nd berth execve)
  t2  the runtime's first execve            t3  the container command's exit
  t4  the CLI's exit
Phases printed as JSON (milliseconds): before_runtime = t2-t0 (the CLI's
preparation and the shim's start-up, which overlap: `run` spawns its shim
first and hands it the container when ready), of which cli_before_shim =
t1-t0 (to the shim's exec); runtime_and_container = t3-t2, after_exit =
t4-t3, berth_own = before_runtime + after_exit, total = t4-t0.
"""
import json
import re
import sys

line_re = re.compile(r"^(\d+)\s+([\d.]+)\s+(.*)$")


def phases(text, berth, runtime):
    cli_pid = None
    marks = {}
    berth_execs = 0
    exec_pid_cmd = {}
    for line in text.splitlines():
        m = line_re.match(line)
        if not m:
            continue
        pid, t, rest = m.group(1), float(m.group(2)), m.group(3)
        if rest.startswith("execve(") and "= -1" not in rest:
            path = rest[len('execve("'):].split('"', 1)[0]
            exec_pid_cmd[pid] = path
            if path == berth:
                berth_execs += 1
                if berth_execs == 1:
                    cli_pid, marks["t0"] = pid, t
                elif berth_execs == 2:
                    marks["t1"] = t
            elif path == runtime and "t2" not in marks:
                marks["t2"] = t
            elif path not in (berth, runtime, "/proc/self/exe") and "t2" in marks:
                marks["cmd_pid"] = pid
        elif rest.startswith("exit_group("):
            if pid == marks.get("cmd_pid") and "t3" not in marks:
                marks["t3"] = t
            if pid == cli_pid:
                marks["t4"] = t
    need = ["t0", "t1", "t2", "t3", "t4"]
    if any(k not in marks for k in need):
        raise SystemExit(f"incomplete trace: have {sorted(marks)}")
    ms = lambda a, b: round((marks[b] - marks[a]) * 1000, 2)
    out = {
        "before_runtime": ms("t0", "t2"),
        "cli_before_shim": ms("t0", "t1"),
        "runtime_and_container": ms("t2", "t3"),
        "after_exit": ms("t3", "t4"),
    }
    out["berth_own"] = round(out["before_runtime"] + out["after_exit"], 2)
    out["total"] = ms("t0", "t4")
    return out


if __name__ == "__main__":
    berth, runtime = sys.argv[1], sys.argv[2]
    print(json.dumps(phases(sys.stdin.read(), berth, runtime)))
