//! Output formatting shared by every list and inspect command (being written).

mod funcs;
mod gofmt;
pub mod json;
pub mod tabwriter;
pub mod template;
pub mod units;
