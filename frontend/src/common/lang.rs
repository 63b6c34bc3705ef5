//! The languages a child can choose, and what is true of each whatever the words: its code,
//! its own name, the direction it is written in, and which language the app's own texts are
//! shown in for it. The staff side uses [`Lang::STAFF`]. The words themselves are each
//! audience's own (`child::texts`, `staff::texts`).

use beratta_core::Questionnaire;

/// A language a child can choose. The staff side uses only [`Lang::STAFF`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Sv,
    En,
    Ar,
    So,
    Ti,
    Fa,
    Uk,
}

impl Lang {
    /// Every language a child can choose, in the order of the switch: the reviewed ones first.
    pub const ALL: [Lang; 7] = [Lang::Sv, Lang::En, Lang::Ar, Lang::So, Lang::Ti, Lang::Fa, Lang::Uk];

    /// The staff side's languages: summaries and staff pages exist in Swedish and English only.
    pub const STAFF: [Lang; 2] = [Lang::Sv, Lang::En];

    /// The language code, as used in questionnaire texts and in a stored answer set.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::So => "so",
            Lang::Ti => "ti",
            Lang::Fa => "fa",
            Lang::Uk => "uk",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's name in itself, as shown on the switch. Draft languages are not marked
    /// as drafts there: a child looks for their language, not for our review status.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::So => "Soomaali",
            Lang::Ti => "ትግርኛ",
            Lang::Fa => "فارسی",
            Lang::Uk => "Українська",
        }
    }

    /// The language the app's own texts are shown in: the language itself where they are
    /// written in it, English for the draft languages. `<html lang>` is this language, so
    /// that screen readers read the frame right; questionnaire texts carry their own `lang`.
    pub fn ui(self) -> Lang {
        match self {
            Lang::Sv | Lang::En | Lang::Ar => self,
            Lang::So | Lang::Ti | Lang::Fa | Lang::Uk => Lang::En,
        }
    }

    /// Whether the language is written right to left. The whole page is then mirrored, even
    /// when its frame is in English (Persian), because the questions are what the child reads.
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar | Lang::Fa)
    }

    /// The value of `<html dir>`.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The arrow on "back" buttons: back points the way the child reads from, so it turns
    /// round in a right-to-left language. (Arrows are not mirrored by the browser.)
    pub fn back_arrow(self) -> &'static str {
        if self.is_rtl() {
            "→ "
        } else {
            "← "
        }
    }

    /// The languages a child may switch to while answering `q`: those it has texts in,
    /// reviewed or draft. Swedish is always there (every text is written in it first), and so
    /// is `current`, so the pressed button never disappears.
    pub fn offered(q: &Questionnaire, current: Lang) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|l| *l == Lang::Sv || *l == current || q.languages.iter().chain(&q.drafts).any(|c| c == l.code()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn draft_languages_have_an_english_frame_and_persian_runs_right_to_left() {
        for lang in Lang::ALL {
            let reviewed = matches!(lang, Lang::Sv | Lang::En | Lang::Ar);
            assert_eq!(lang.ui() == lang, reviewed, "{lang:?}");
        }
        let rtl: Vec<Lang> = Lang::ALL.into_iter().filter(|l| l.is_rtl()).collect();
        assert_eq!(rtl, [Lang::Ar, Lang::Fa]);
        assert_eq!(Lang::Ar.back_arrow(), "→ ");
        assert_eq!(Lang::Sv.back_arrow(), "← ");
    }
}
