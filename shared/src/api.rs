//! The wire types of the HTTP API, shared by server and browser so they cannot drift.
//! Binary values travel as unpadded URL-safe base64 ([`Bytes`]).

use crate::catalogue::RawCatalogue;
use crate::login::KdfParams;
use crate::questionnaire::raw::RawQuestionnaire;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes, written as unpadded URL-safe base64 in JSON.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&URL_SAFE_NO_PAD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        URL_SAFE_NO_PAD.decode(s.as_bytes()).map(Bytes).map_err(serde::de::Error::custom)
    }
}

impl From<&[u8]> for Bytes {
    fn from(b: &[u8]) -> Self {
        Bytes(b.to_vec())
    }
}

/// `GET /api/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// `GET /api/questionnaires/{id}/{version}`: what a browser needs to run an instrument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionnaireBundle {
    pub catalogue: RawCatalogue,
    pub questionnaire: RawQuestionnaire,
}

/// `GET /api/child/params/{lookup}`: how to derive the login proof. An unknown lookup
/// gets a made-up salt, so it cannot be told from a wrong code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginParams {
    pub salt: Bytes,
    pub kdf: KdfParams,
}

/// `POST /api/child/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildLogin {
    pub lookup: String,
    pub proof: Bytes,
}

/// Which instrument an assessment is given with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionnaireRef {
    pub id: String,
    pub version: u32,
}

impl QuestionnaireRef {
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

/// The sealed state of an assessment, exactly as stored; the server cannot open any of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedAnswers {
    /// Goes up by one with every save.
    pub counter: u64,
    /// The answer set under the data key.
    pub blob: Bytes,
    /// The data key sealed to the organisation.
    pub org_sealed_key: Bytes,
    /// The data key wrapped under the child's code-derived key.
    pub child_wrapped_key: Bytes,
}

/// What a logged-in child's browser gets: `POST /api/child/login` and
/// `GET /api/child/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildAssessment {
    pub assessment: String,
    pub organisation: String,
    pub org_public_key: Bytes,
    pub questionnaire: QuestionnaireRef,
    /// The server's share of the child's wrap key (see `login`).
    pub server_share: Bytes,
    /// Lives as long as this login session: the browser keeps the data key wrapped under
    /// it, so a reload resumes without the code and a logout leaves nothing usable behind.
    pub resume_key: Bytes,
    pub sealed: Option<SealedAnswers>,
}

/// `PUT /api/child/answers`: the answer is acknowledged only once it is on disk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveReceipt {
    pub counter: u64,
}

/// The body of every error response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// A stable machine-readable code, e.g. `bad_code`, `stale_save`.
    pub error: String,
    /// A plain sentence for people.
    pub message: String,
}
