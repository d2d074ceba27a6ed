//! format (being written)
