//! Compose's resource and restart keys as compose v2's `getDeployResources`
//! and `getRestartPolicy` give them to the engine: the service-level
//! `mem_reservation`, `cpu_period`/`cpu_quota`, `oom_score_adj`;
//! `deploy.resources.reservations.memory` as the memory reservation (over
//! `mem_reservation`), `deploy.restart_policy` over `restart:`; swarm-only
//! keys warned about, device requests (GPUs) refused.
//!
//! No network: the services run with `network_mode: none`.

use crate::compose_up::{compose, compose_ok, project};
use crate::containers::{field, Lab};
use crate::require;

const RESOURCES: &str = "services:
  app:
    image: IMAGE
    command: [sleep, '300']
    network_mode: none
    mem_reservation: 16m
    cpu_period: 100000
    cpu_quota: 50000
    oom_score_adj: 200
    restart: always
    deploy:
      restart_policy: {condition: on-failure, max_attempts: 2, delay: 5s}
      resources:
        limits: {memory: 128m, pids: 50}
        reservations: {memory: 64m, cpus: '0.25'}
";

#[test]
fn compose_deploy_reservations_and_resource_keys_reach_the_container() {
    require!(@containers);
    let lab = Lab::new();
    let p = project(&lab, "cres", RESOURCES);
    let up = compose_ok(&lab, &p, &["up", "-d"]);
    assert!(
        up.stderr.contains(
            "ignored (swarm-only, as compose does): resources.reservations.cpus, restart_policy.delay"
        ),
        "{up}"
    );
    let app = format!("{}-app-1", p.name);
    let got = field(
        &lab,
        &app,
        "{{.HostConfig.MemoryReservation}} {{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpuPeriod}} {{.HostConfig.CpuQuota}} {{.HostConfig.OomScoreAdj}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}",
    );
    assert_eq!(
        got,
        format!(
            "{} {} 50 100000 50000 200 on-failure:2",
            64 << 20,
            128 << 20
        )
    );
    compose_ok(&lab, &p, &["down", "-t", "0"]);

    // A GPU request cannot be met: refused before anything is made.
    let p = project(
        &lab,
        "cgpu",
        "services:\n  gpu:\n    image: IMAGE\n    network_mode: none\n    deploy:\n      resources:\n        reservations:\n          devices: [{capabilities: [gpu], count: 1}]\n",
    );
    let up = compose(&lab, &p, &["up", "-d"]);
    assert_ne!(up.code, 0, "{up}");
    assert!(
        up.stderr.contains(
            "services.gpu.deploy: rejected by berth: berth has no device requests (GPUs): resources.reservations.devices"
        ),
        "{up}"
    );
    assert!(lab.all_ids().is_empty(), "nothing is created");
    lab.remove_all_and_check();
}
