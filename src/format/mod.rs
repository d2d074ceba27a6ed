//! Output formatting shared by every list and inspect command (being written).

mod gofmt;
pub mod json;
pub mod tabwriter;
pub mod units;
