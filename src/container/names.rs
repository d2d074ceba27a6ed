//! Container IDs (64 random hex characters) and generated names in Docker's
//! `adjective_noun` shape. The word lists are berth's own: harbour and sea
//! words, fitting the name.

use rand::seq::SliceRandom;

const ADJECTIVES: &[&str] = &[
    "agile",
    "amber",
    "ancient",
    "azure",
    "bold",
    "brave",
    "breezy",
    "bright",
    "brisk",
    "calm",
    "careful",
    "cheerful",
    "clever",
    "coastal",
    "cosy",
    "crisp",
    "curious",
    "daring",
    "deep",
    "distant",
    "dreamy",
    "eager",
    "early",
    "easy",
    "elegant",
    "fearless",
    "festive",
    "foggy",
    "gentle",
    "gleaming",
    "golden",
    "graceful",
    "happy",
    "hardy",
    "hidden",
    "humble",
    "icy",
    "jolly",
    "keen",
    "kind",
    "lively",
    "loyal",
    "lucky",
    "merry",
    "misty",
    "modest",
    "nimble",
    "noble",
    "patient",
    "peaceful",
    "polished",
    "proud",
    "quiet",
    "quick",
    "rapid",
    "restless",
    "rugged",
    "salty",
    "serene",
    "sharp",
    "shiny",
    "silent",
    "silver",
    "sleepy",
    "smooth",
    "snug",
    "solid",
    "speedy",
    "stable",
    "steady",
    "stormy",
    "sturdy",
    "sunny",
    "swift",
    "tidal",
    "tranquil",
    "trusty",
    "vivid",
    "wandering",
    "warm",
    "wavy",
    "wild",
    "windy",
    "wise",
    "witty",
    "young",
    "zealous",
];

const NOUNS: &[&str] = &[
    "albatross",
    "anchor",
    "atoll",
    "barge",
    "bay",
    "beacon",
    "bollard",
    "bow",
    "breakwater",
    "buoy",
    "cabin",
    "canal",
    "cape",
    "capstan",
    "cargo",
    "channel",
    "clipper",
    "compass",
    "coral",
    "cove",
    "crane",
    "current",
    "cutter",
    "davit",
    "delta",
    "dinghy",
    "dock",
    "dolphin",
    "estuary",
    "ferry",
    "fjord",
    "flotilla",
    "galley",
    "gangway",
    "gull",
    "harbor",
    "hawser",
    "headland",
    "helm",
    "hull",
    "inlet",
    "island",
    "jetty",
    "keel",
    "kelp",
    "ketch",
    "lagoon",
    "lantern",
    "lighthouse",
    "lock",
    "mast",
    "marina",
    "mooring",
    "narwhal",
    "oar",
    "otter",
    "pelican",
    "pier",
    "pilot",
    "porpoise",
    "port",
    "quay",
    "raft",
    "reef",
    "rigging",
    "rudder",
    "sail",
    "schooner",
    "seal",
    "shoal",
    "skiff",
    "sloop",
    "sound",
    "starboard",
    "strait",
    "tern",
    "tide",
    "trawler",
    "tugboat",
    "voyage",
    "walrus",
    "wave",
    "wharf",
    "whale",
    "yacht",
    "yawl",
];

/// A new container ID: 32 random bytes as 64 lowercase hex characters.
pub fn new_id() -> String {
    let id = crate::events::random_id();
    // Docker avoids IDs that are all digits after truncation (they parse as numbers).
    if id[..12].bytes().all(|c| c.is_ascii_digit()) {
        return new_id();
    }
    id
}

/// A generated name; `retry > 0` appends a digit as Docker does on collisions.
pub fn generate(retry: u32) -> String {
    let mut rng = rand::thread_rng();
    let a = ADJECTIVES.choose(&mut rng).copied().unwrap_or("steady");
    let n = NOUNS.choose(&mut rng).copied().unwrap_or("harbor");
    if retry > 0 {
        format!("{a}_{n}{}", rand::random::<u8>() % 10)
    } else {
        format!("{a}_{n}")
    }
}

/// Docker's rule for user-chosen names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
pub fn validate(name: &str) -> Result<(), String> {
    let name = name.strip_prefix('/').unwrap_or(name);
    let mut chars = name.chars();
    let ok = match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() => {
            let rest: Vec<char> = chars.collect();
            !rest.is_empty()
                && rest
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names() {
        let id = new_id();
        assert_eq!(id.len(), 64);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        let n = generate(0);
        assert!(n.contains('_'));
        assert!(validate(&n).is_ok());
        assert!(validate("/web-1").is_ok());
        assert!(validate("a").is_err());
        assert!(validate("-x").is_err());
        assert!(validate("a b").is_err());
    }
}
