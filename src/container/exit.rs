//! The one exit-code type: how a berth command ends, decided once where the
//! outcome is known (a start, an exec, a container's exit) and turned into
//! the process status only in `main`. It follows docker's contract: 125 when
//! berth itself fails in `run`/`start`/`exec` (or on a usage error), 126 when
//! the container's command cannot be invoked, 127 when it is not found, the
//! container's own status otherwise; other failures exit 1.

/// See the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// A command failed: 1.
    Failure,
    /// berth failed (`run`, `start -a`, `exec`) or the command line was
    /// wrong: 125.
    Berth,
    /// The container's command exists but cannot be run: 126.
    CannotInvoke,
    /// The container's command was not found: 127.
    NotFound,
    /// A container's (or exec'd process's) own exit status.
    Container(i64),
}

impl ExitCode {
    /// The process status (a container status keeps its low 8 bits, as a
    /// shell does).
    pub fn status(self) -> u8 {
        match self {
            ExitCode::Failure => 1,
            ExitCode::Berth => 125,
            ExitCode::CannotInvoke => 126,
            ExitCode::NotFound => 127,
            ExitCode::Container(code) => (code & 0xff) as u8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_statuses() {
        assert_eq!(ExitCode::Failure.status(), 1);
        assert_eq!(ExitCode::Berth.status(), 125);
        assert_eq!(ExitCode::CannotInvoke.status(), 126);
        assert_eq!(ExitCode::NotFound.status(), 127);
        assert_eq!(ExitCode::Container(3).status(), 3);
        assert_eq!(ExitCode::Container(256 + 7).status(), 7);
        assert_eq!(ExitCode::Container(-1).status(), 255);
    }
}
