//! The resources register and the needs view's own settings in the store. Both are public
//! information of the organisation, stored in the clear, one JSON record per organisation
//! so that every change (one resource, or a whole file) is one atomic swap:
//!
//! - `resources`: organisation → `Vec<api::Resource>`;
//! - `needs`: organisation → `api::NeedsState` (the threshold for "high" and every
//!   release's priorities).

use super::{decode, encode, SledStore, StoreError};
use beratta_core::api::{NeedsState, Resource};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The register and the needs view's settings.
pub trait NeedsStore {
    /// The organisation's resources, in the order they were added.
    fn resources(&self, organisation: &str) -> Result<Vec<Resource>, StoreError>;
    /// Applies `change` to the organisation's register atomically (again, should another
    /// change race it); `change` answers whether to keep what it did. Returns the register
    /// as it now stands, or `None` when `change` left it unchanged.
    fn change_resources(
        &self,
        organisation: &str,
        change: &dyn Fn(&mut Vec<Resource>) -> bool,
    ) -> Result<Option<Vec<Resource>>, StoreError>;
    fn needs(&self, organisation: &str) -> Result<NeedsState, StoreError>;
    /// Applies `change` to the organisation's needs settings atomically.
    fn change_needs(&self, organisation: &str, change: &dyn Fn(&mut NeedsState)) -> Result<NeedsState, StoreError>;
}

/// Applies `change` to the JSON record at `key`, a default one if there is none, with a
/// compare-and-swap that is tried again when another write came first.
fn change_record<T: Serialize + DeserializeOwned + Default>(
    tree: &sled::Tree,
    what: &'static str,
    key: &[u8],
    change: &dyn Fn(&mut T) -> bool,
) -> Result<Option<T>, StoreError> {
    loop {
        let old = tree.get(key)?;
        let mut record: T = match &old {
            Some(bytes) => decode(what, bytes)?,
            None => T::default(),
        };
        if !change(&mut record) {
            return Ok(None);
        }
        if tree.compare_and_swap(key, old, Some(encode(&record)?))?.is_ok() {
            return Ok(Some(record));
        }
    }
}

impl NeedsStore for SledStore {
    fn resources(&self, organisation: &str) -> Result<Vec<Resource>, StoreError> {
        match self.resources.get(organisation.as_bytes())? {
            Some(bytes) => decode("resources", &bytes),
            None => Ok(Vec::new()),
        }
    }

    fn change_resources(
        &self,
        organisation: &str,
        change: &dyn Fn(&mut Vec<Resource>) -> bool,
    ) -> Result<Option<Vec<Resource>>, StoreError> {
        change_record(&self.resources, "resources", organisation.as_bytes(), change)
    }

    fn needs(&self, organisation: &str) -> Result<NeedsState, StoreError> {
        match self.needs.get(organisation.as_bytes())? {
            Some(bytes) => decode("needs", &bytes),
            None => Ok(NeedsState::default()),
        }
    }

    fn change_needs(&self, organisation: &str, change: &dyn Fn(&mut NeedsState)) -> Result<NeedsState, StoreError> {
        let changed = change_record(&self.needs, "needs", organisation.as_bytes(), &|state: &mut NeedsState| {
            change(state);
            true
        })?;
        Ok(changed.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use beratta_core::api::{NeedsThreshold, ResourceKind};

    fn resource(id: &str) -> Resource {
        Resource {
            resource_id: id.into(),
            name: id.into(),
            kind: ResourceKind::Library,
            owner: String::new(),
            areas: vec!["u".into()],
            bands: vec!["6-9".into()],
            hours: String::new(),
            contact: String::new(),
            factors: vec!["f".into()],
            changed_unix: 1,
        }
    }

    #[test]
    fn each_organisation_has_its_own_register_and_a_refused_change_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SledStore::open(dir.path()).expect("store");
        assert!(store.resources("org").expect("read").is_empty());
        let added = store.change_resources("org", &|r| {
            r.push(resource("a"));
            true
        });
        assert_eq!(added.expect("stored").map(|r| r.len()), Some(1));
        let refused = store.change_resources("org", &|r| {
            r.clear();
            false
        });
        assert_eq!(refused.expect("read"), None);
        assert_eq!(store.resources("org").expect("read"), [resource("a")]);
        assert!(store.resources("other").expect("read").is_empty());

        let state = store.change_needs("org", &|n| n.threshold = NeedsThreshold { percent: Some(20) }).expect("set");
        assert_eq!(state.threshold.percent, Some(20));
        assert_eq!(store.needs("org").expect("read").threshold.percent, Some(20));
        assert_eq!(store.needs("other").expect("read"), NeedsState::default());
    }
}
