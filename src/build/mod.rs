//! `berth build`: Dockerfile builds with no daemon (issue 13).
//!
//! `context` opens the build context (a directory or a tar on stdin) and
//! its `.dockerignore` (`ignore`); `dockerfile` parses the file into
//! stages; `exec` runs the stages the target needs (each `RUN` in a
//! container made from the stage's snapshot, as `run` makes one, its
//! changes committed as `commit` does; `COPY`/`ADD` through `copy_step`
//! and `copy`); `cache` keeps what each step produced under a key of its
//! parent, its text, the args and env it sees and what it copies.

pub mod cache;
pub mod context;
pub mod copy;
mod copy_step;
pub mod dockerfile;
pub mod exec;
pub mod fetch;
pub mod ignore;
pub mod prune;
pub mod run;
