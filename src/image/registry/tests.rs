//! Integration tests against a real registry and a scripted fake.
