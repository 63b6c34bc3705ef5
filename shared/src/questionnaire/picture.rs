//! The pictures an answer option can be drawn with, by name. The app ships a drawing of each
//! (the child app's `pictures`), so an answer looks the same on every device and never
//! depends on the device's emoji font. A questionnaire names them (`picture = "thumbs_up"`);
//! a name not listed here is refused when the file is read.

use serde::{Deserialize, Serialize};

macro_rules! pictures {
    ($($variant:ident = $name:literal,)*) => {
        /// A picture shipped with the app.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Picture {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl Picture {
            /// Every picture there is.
            pub const ALL: &'static [Picture] = &[$(Picture::$variant,)*];

            /// Its name, as questionnaire files write it.
            pub fn name(self) -> &'static str {
                match self {
                    $(Picture::$variant => $name,)*
                }
            }
        }
    };
}

pictures! {
    ThumbsUp = "thumbs_up",
    ThumbsDown = "thumbs_down",
    OneFinger = "one_finger",
    TwoFingers = "two_fingers",
    FiveFingers = "five_fingers",
    TwoHands = "two_hands",
    StopHand = "stop_hand",
    Fist = "fist",
    HandUp = "hand_up",
    ArmsCrossed = "arms_crossed",
    Shrug = "shrug",
    FaceLaugh = "face_laugh",
    FaceSmile = "face_smile",
    FaceNeutral = "face_neutral",
    FaceSad = "face_sad",
    FaceCrying = "face_crying",
    FaceWorried = "face_worried",
    FaceScared = "face_scared",
    FaceShocked = "face_shocked",
    FaceSweat = "face_sweat",
    FaceAfraid = "face_afraid",
    FaceTired = "face_tired",
    FaceSleeping = "face_sleeping",
    FaceZipped = "face_zipped",
    FaceBandage = "face_bandage",
    FaceAngry = "face_angry",
    FaceHug = "face_hug",
    HideEyes = "hide_eyes",
    Girl = "girl",
    Boy = "boy",
    Child = "child",
    Adult = "adult",
    Woman = "woman",
    Man = "man",
    Grandparent = "grandparent",
    Children = "children",
    Teacher = "teacher",
    Running = "running",
    Cartwheel = "cartwheel",
    NoneOfThese = "none_of_these",
    Never = "never",
    NoEntry = "no_entry",
    Question = "question",
    House = "house",
    HouseTree = "house_tree",
    Star = "star",
    Heart = "heart",
    LightBulb = "light_bulb",
    Speech = "speech",
    Shout = "shout",
    Money = "money",
    Books = "books",
    Puzzle = "puzzle",
    Lightning = "lightning",
    Balloon = "balloon",
    RainCloud = "rain_cloud",
    Bottle = "bottle",
    Bang = "bang",
    Eyes = "eyes",
    Handshake = "handshake",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_picture_reads_back_from_its_own_name() {
        for p in Picture::ALL {
            let read: Picture = serde_json::from_str(&format!("\"{}\"", p.name())).expect("a known name");
            assert_eq!(read, *p);
        }
        assert!(serde_json::from_str::<Picture>("\"🙂\"").is_err(), "an emoji is not a picture");
    }
}
