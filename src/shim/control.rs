//! The control channel from the CLI to a running shim: one request, one
//! reply, over the shim's attach socket. A connection whose first frame is
//! `CONTROL` (instead of an attach `HELLO`) carries one JSON [`Request`];
//! the shim answers with one `REPLY` frame holding a JSON [`Reply`] and
//! closes the connection.
//!
//! Why the attach socket and not a socket of its own: the shim's single
//! `poll` loop already serves that socket for the container's whole life
//! (across restarts and back-offs), with its framing, size limit and
//! back-pressure; a second listener would add an fd, a path and a second
//! accept path for no gain. Control connections never receive output.
//!
//! Adding a command is a variant of [`Request`] and one match arm in the
//! shim (`server::Shim::control`); the reply is always the state after the
//! request was applied, or an error.

use super::attach::{encode, AttachError, FrameBuf, CONTROL, REPLY, SOCKET_NAME};
use super::config::RestartPolicy;
use super::state::ShimState;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// How long a client waits for the shim's reply.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(10);

/// What the CLI can ask a shim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Request {
    /// Report the current state (what `state.json` says, from the shim).
    State,
    /// Use this restart policy from the next exit on (`update --restart`).
    SetRestartPolicy { policy: RestartPolicy },
    /// The user stops the container (`stop`, `kill` with a fatal signal,
    /// `rm -f`), sent before the signal: no policy restarts it after this
    /// run, and a pending restart is cancelled (the shim finishes).
    MarkStopped,
    /// The container was renamed (`rename`): the events the shim records
    /// from now on (die, a restart's start, health_status) carry `name`.
    Rename { name: String },
    /// Hold exactly these host ports from now on (`network connect` or
    /// `disconnect` changed what the container publishes or where its
    /// ports lead); refused, with nothing changed, if one cannot be bound.
    Ports { ports: Vec<super::proxy::HeldPort> },
}

/// The shim's answer: the state after the request, or why it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Reply {
    Ok { state: ShimState },
    Error { message: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error(transparent)]
    Attach(#[from] AttachError),
    #[error("the shim refused the request: {0}")]
    Refused(String),
    #[error("the shim closed the control connection without a reply")]
    NoReply,
    #[error("malformed control message: {0}")]
    Decode(#[from] serde_json::Error),
}

/// Send `req` to the shim serving `state_dir` and return the state it
/// replies with.
pub fn request(state_dir: &Path, req: &Request) -> Result<ShimState, ControlError> {
    let path = state_dir.join(SOCKET_NAME);
    let mut sock =
        crate::sys::unix_socket::connect(&path).map_err(|source| AttachError::Connect {
            path: path.clone(),
            source,
        })?;
    sock.set_read_timeout(Some(REPLY_TIMEOUT))
        .map_err(AttachError::Io)?;
    let mut frame = Vec::new();
    encode(&mut frame, CONTROL, &serde_json::to_vec(req)?);
    sock.write_all(&frame).map_err(AttachError::Io)?;
    let mut frames = FrameBuf::default();
    let mut buf = [0u8; 4096];
    loop {
        if let Some((kind, payload)) = frames.next_frame()? {
            if kind != REPLY {
                return Err(AttachError::Protocol(format!(
                    "expected a reply frame, got kind {kind}"
                ))
                .into());
            }
            return match serde_json::from_slice(&payload)? {
                Reply::Ok { state } => Ok(state),
                Reply::Error { message } => Err(ControlError::Refused(message)),
            };
        }
        let n = match sock.read(&mut buf) {
            // A signal to the caller (a SIGCHLD handler without SA_RESTART).
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => r.map_err(AttachError::Io)?,
        };
        if n == 0 {
            return Err(ControlError::NoReply);
        }
        frames.push(&buf[..n]);
    }
}

/// Decode a request frame's payload (the shim side).
pub fn decode_request(payload: &[u8]) -> Result<Request, serde_json::Error> {
    serde_json::from_slice(payload)
}

/// Encode a reply as a `REPLY` frame payload (the shim side).
pub fn encode_reply(reply: &Reply) -> Vec<u8> {
    serde_json::to_vec(reply).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shim::state::RunStatus;

    #[test]
    fn wire_format() {
        assert_eq!(
            serde_json::to_string(&Request::State).unwrap(),
            r#"{"op":"state"}"#
        );
        let r = Request::SetRestartPolicy {
            policy: RestartPolicy::OnFailure { max_retries: 2 },
        };
        let s = serde_json::to_string(&r).unwrap();
        assert_eq!(
            s,
            r#"{"op":"set-restart-policy","policy":{"name":"on-failure","max_retries":2}}"#
        );
        assert_eq!(decode_request(s.as_bytes()).unwrap(), r);
        assert_eq!(
            serde_json::to_string(&Request::MarkStopped).unwrap(),
            r#"{"op":"mark-stopped"}"#
        );
        let e = Reply::Error {
            message: "no".into(),
        };
        assert_eq!(
            String::from_utf8(encode_reply(&e)).unwrap(),
            r#"{"result":"error","message":"no"}"#
        );
    }

    /// A scripted shim end on a real socket: the client sends one CONTROL
    /// frame and decodes the reply.
    #[test]
    fn client_round_trip() {
        let d = tempfile::tempdir().unwrap();
        let l = crate::sys::unix_socket::bind(&d.path().join(SOCKET_NAME)).unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            let mut fb = FrameBuf::default();
            let mut b = [0u8; 512];
            let (kind, payload) = loop {
                if let Some(f) = fb.next_frame().unwrap() {
                    break f;
                }
                let n = s.read(&mut b).unwrap();
                fb.push(&b[..n]);
            };
            assert_eq!(kind, CONTROL);
            assert_eq!(decode_request(&payload).unwrap(), Request::State);
            let state = ShimState {
                generation: 3,
                status: RunStatus::Running,
                pid: 7,
                restart_count: 2,
                started_at: "t".into(),
                exit: None,
                restart_policy: RestartPolicy::Always,
                stopped_by_user: false,
                error: String::new(),
            };
            let mut out = Vec::new();
            encode(&mut out, REPLY, &encode_reply(&Reply::Ok { state }));
            s.write_all(&out).unwrap();
        });
        let st = request(d.path(), &Request::State).unwrap();
        assert_eq!((st.generation, st.pid), (3, 7));
        server.join().unwrap();
    }
}
