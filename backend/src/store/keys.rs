//! Keys made of length-prefixed parts (each part: its length as a big-endian `u32`, then
//! its bytes), so that no id can run into the next and one prefix scan reads everything
//! under its first parts: an organisation's rounds, one round's statistics records, an
//! organisation's kiosks. One builder and one reader for every tree that keys this way.

/// The key of parts `parts`, each length-prefixed.
pub(super) fn key(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| 4 + p.len()).sum());
    for part in parts {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

/// The parts of a key made by [`key`]; `None` if it is not one.
pub(super) fn parts(mut key: &[u8]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    while !key.is_empty() {
        let len = u32::from_be_bytes(key.get(..4)?.try_into().ok()?) as usize;
        let part = key.get(4..4 + len)?;
        out.push(String::from_utf8(part.to_vec()).ok()?);
        key = &key[4 + len..];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{key, parts};

    #[test]
    fn a_key_comes_apart_into_the_parts_it_was_made_of() {
        let made = key(&["org-1", "", "round:ä"]);
        assert_eq!(parts(&made), Some(vec!["org-1".to_string(), String::new(), "round:ä".to_string()]));
        assert_eq!(parts(&made[..made.len() - 1]), None, "a cut key is not one");
        assert_eq!(parts(b""), Some(vec![]));
    }
}
