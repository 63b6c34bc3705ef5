//! The pictures the youngest answer by, drawn here as SVG and shipped inside the app, so that
//! they look the same on every device: a school computer without an emoji font shows them as
//! well as a phone. Each is a few thick-outlined shapes in strong colours on a 64×64 grid.
//!
//! Pictures are decoration beside the option's words, which stay visible: every picture is
//! `aria-hidden`, so a screen reader reads the label and nothing else. Which picture an option
//! has is the questionnaire's choice (`picture = "…"`, checked by the core); the `match` in
//! [`svg_markup`] covers every one, so a picture named in the core cannot be missing here.

use beratta_core::questionnaire::Picture;
use yew::prelude::*;

/// The outline colour, and the fills. The outline is near black on every fill, so each shape
/// stands out against the button in high-contrast colours.
const INK: &str = "#1d1d1b";
const FACE: &str = "#ffd23f";
const SKIN: &str = "#f5c28e";
const HAIR: &str = "#6b3e26";
const BLUE: &str = "#2f6fde";
const RED: &str = "#d7263d";
const GREEN: &str = "#2e9e5b";
const WHITE: &str = "#ffffff";
const GREY: &str = "#c9c9c9";
const SKY: &str = "#4fa3f7";

/// A picture as an inline `<svg>`, hidden from screen readers.
pub fn picture(p: Picture) -> Html {
    let markup = format!(
        r#"<svg class="picture-svg" viewBox="0 0 64 64" width="64" height="64" aria-hidden="true" focusable="false" data-picture="{name}" fill="none" stroke="{INK}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">{body}</svg>"#,
        name = p.name(),
        body = svg_markup(p),
    );
    Html::from_html_unchecked(AttrValue::from(markup))
}

/// A round yellow face around `features`.
fn face(features: &str) -> String {
    format!(r#"<circle cx="32" cy="32" r="26" fill="{FACE}"/>{features}"#)
}

const EYES: &str = r##"<circle cx="23" cy="27" r="3.5" fill="#1d1d1b" stroke="none"/><circle cx="41" cy="27" r="3.5" fill="#1d1d1b" stroke="none"/>"##;
const WIDE_EYES: &str = r##"<circle cx="23" cy="27" r="6" fill="#ffffff"/><circle cx="41" cy="27" r="6" fill="#ffffff"/><circle cx="23" cy="28" r="2.5" fill="#1d1d1b" stroke="none"/><circle cx="41" cy="28" r="2.5" fill="#1d1d1b" stroke="none"/>"##;
const WORRIED_BROWS: &str = r#"<path d="M16 19l9-4M48 19l-9-4"/>"#;
const SAD_MOUTH: &str = r#"<path d="M22 46q10-9 20 0"/>"#;
const TEAR: &str = r##"<path d="M44 33q-4 7 0 10q4-3 0-10z" fill="#4fa3f7"/>"##;

/// A head with hair and shoulders: a person, drawn by `hair` (a path over the head).
fn person(hair: &str, shirt: &str) -> String {
    format!(
        r#"<path d="M12 60q0-16 20-16t20 16z" fill="{shirt}"/><circle cx="32" cy="26" r="13" fill="{SKIN}"/>{hair}<circle cx="27" cy="27" r="1.8" fill="{INK}" stroke="none"/><circle cx="37" cy="27" r="1.8" fill="{INK}" stroke="none"/><path d="M28 32q4 3 8 0"/>"#
    )
}

/// A raised hand with `fingers` (each an x position and a height) and, if `thumb`, a thumb.
fn hand(fingers: &[(u32, u32)], thumb: bool, fill: &str) -> String {
    let mut out = String::new();
    for (x, h) in fingers {
        out += &format!(r#"<rect x="{x}" y="{}" width="7" height="{}" rx="3.5" fill="{fill}"/>"#, 34 - h, h + 8);
    }
    if thumb {
        out += &format!(
            r#"<rect x="10" y="30" width="7" height="18" rx="3.5" transform="rotate(-35 13 44)" fill="{fill}"/>"#
        );
    }
    out += &format!(r#"<rect x="18" y="30" width="30" height="28" rx="9" fill="{fill}"/>"#);
    out
}

/// A small stick figure with a round head, from `limbs` (a path of arms, body and legs).
fn figure(limbs: &str, head: (u32, u32)) -> String {
    format!(r#"<path d="{limbs}" stroke-width="5"/><circle cx="{}" cy="{}" r="7" fill="{SKIN}"/>"#, head.0, head.1)
}

/// The drawing of each picture, inside the `<svg>`.
fn svg_markup(p: Picture) -> String {
    match p {
        // ── hands ──
        Picture::ThumbsUp => format!(
            r#"<rect x="16" y="30" width="30" height="26" rx="8" fill="{SKIN}"/><rect x="24" y="6" width="10" height="30" rx="5" fill="{SKIN}"/><path d="M22 38h24M22 46h24" stroke-width="2.5"/>"#
        ),
        Picture::ThumbsDown => format!(
            r#"<g transform="rotate(180 32 32)"><rect x="16" y="30" width="30" height="26" rx="8" fill="{SKIN}"/><rect x="24" y="6" width="10" height="30" rx="5" fill="{SKIN}"/><path d="M22 38h24M22 46h24" stroke-width="2.5"/></g>"#
        ),
        Picture::OneFinger => hand(&[(28, 26)], false, SKIN),
        Picture::TwoFingers => hand(&[(21, 22), (33, 26)], false, SKIN),
        Picture::FiveFingers => hand(&[(19, 18), (26, 24), (33, 26), (40, 20)], true, SKIN),
        Picture::TwoHands => format!(
            r#"<g transform="translate(-14 4) scale(0.8)">{}</g><g transform="translate(26 4) scale(0.8)">{}</g>"#,
            hand(&[(19, 18), (26, 24), (33, 26), (40, 20)], true, SKIN),
            hand(&[(19, 18), (26, 24), (33, 26), (40, 20)], true, SKIN)
        ),
        Picture::StopHand => format!(
            r#"<circle cx="32" cy="32" r="29" fill="{RED}"/><g transform="translate(5 4) scale(0.85)">{}</g>"#,
            hand(&[(19, 18), (26, 24), (33, 26), (40, 20)], true, SKIN)
        ),
        Picture::Fist => format!(
            r#"<rect x="12" y="18" width="40" height="32" rx="10" fill="{SKIN}"/><path d="M22 18v12M32 18v12M42 18v12M12 36h16"/>"#
        ),
        Picture::HandUp => format!(
            r#"<path d="M42 40V10" stroke-width="6"/><circle cx="42" cy="9" r="5" fill="{SKIN}"/>{}"#,
            person(&format!(r#"<path d="M19 24q0-13 13-13t13 13q-6-6-13-5t-13 5z" fill="{HAIR}"/>"#), BLUE)
        ),
        Picture::ArmsCrossed => format!(
            r#"{}<path d="M16 40l32 18M48 40l-32 18" stroke="{RED}" stroke-width="6"/>"#,
            person(&format!(r#"<path d="M19 24q0-13 13-13t13 13q-6-6-13-5t-13 5z" fill="{HAIR}"/>"#), GREEN)
        ),
        Picture::Shrug => format!(
            r#"{}<path d="M14 50l-8-12M50 50l8-12" stroke-width="5"/><circle cx="6" cy="36" r="4" fill="{SKIN}"/><circle cx="58" cy="36" r="4" fill="{SKIN}"/>"#,
            person(&format!(r#"<path d="M19 24q0-13 13-13t13 13q-6-6-13-5t-13 5z" fill="{HAIR}"/>"#), BLUE)
        ),
        // ── faces ──
        Picture::FaceLaugh => face(&format!(r#"{EYES}<path d="M18 37h28q-2 15-14 15t-14-15z" fill="{RED}"/>"#)),
        Picture::FaceSmile => face(&format!(r#"{EYES}<path d="M21 39q11 11 22 0"/>"#)),
        Picture::FaceNeutral => face(&format!(r#"{EYES}<path d="M22 43h20"/>"#)),
        Picture::FaceSad => face(&format!("{EYES}{SAD_MOUTH}")),
        Picture::FaceCrying => face(&format!("{EYES}{SAD_MOUTH}{TEAR}")),
        Picture::FaceWorried => face(&format!(r#"{EYES}{WORRIED_BROWS}<path d="M23 45q4-4 9 0t9 0"/>"#)),
        Picture::FaceScared => {
            face(&format!(r#"{WIDE_EYES}{WORRIED_BROWS}<ellipse cx="32" cy="45" rx="5" ry="4" fill="{INK}"/>"#))
        }
        Picture::FaceShocked => face(&format!(
            r#"{WIDE_EYES}<ellipse cx="32" cy="46" rx="6" ry="8" fill="{INK}"/><path d="M8 40l6 10M56 40l-6 10" stroke-width="5" stroke="{SKIN}"/>"#
        )),
        Picture::FaceSweat => {
            face(&format!(r#"{EYES}{WORRIED_BROWS}{SAD_MOUTH}<path d="M50 12q-5 8 0 11q5-3 0-11z" fill="{SKY}"/>"#))
        }
        Picture::FaceAfraid => face(&format!(r#"{EYES}{WORRIED_BROWS}<path d="M24 48q8-12 16 0z" fill="{INK}"/>"#)),
        Picture::FaceTired => {
            face(&format!(r#"<path d="M18 23l7 4-7 4M46 23l-7 4 7 4"/><path d="M24 48q8-10 16 0z" fill="{INK}"/>"#))
        }
        Picture::FaceSleeping => face(&format!(
            r#"<path d="M18 28q5 4 10 0M36 28q5 4 10 0"/><circle cx="32" cy="43" r="3"/><path d="M46 6h9l-9 9h9" stroke="{BLUE}"/>"#
        )),
        Picture::FaceZipped => face(&format!(r#"{EYES}<path d="M19 42h26M23 38v8M29 38v8M35 38v8M41 38v8"/>"#)),
        Picture::FaceBandage => face(&format!(
            r#"{EYES}<path d="M22 42h20"/><rect x="10" y="12" width="26" height="9" rx="3" transform="rotate(-20 23 16)" fill="{WHITE}"/>"#
        )),
        Picture::FaceAngry => face(&format!(r#"{EYES}<path d="M16 17l10 5M48 17l-10 5"/>{SAD_MOUTH}"#)),
        Picture::FaceHug => face(&format!(
            r#"<path d="M18 28q5-4 10 0M36 28q5-4 10 0"/><path d="M23 38q9 8 18 0"/><circle cx="12" cy="48" r="7" fill="{SKIN}"/><circle cx="52" cy="48" r="7" fill="{SKIN}"/>"#
        )),
        Picture::HideEyes => face(&format!(
            r#"<path d="M24 44q8 6 16 0"/><rect x="10" y="18" width="20" height="16" rx="7" fill="{SKIN}"/><rect x="34" y="18" width="20" height="16" rx="7" fill="{SKIN}"/>"#
        )),
        // ── people ──
        Picture::Girl => person(
            &format!(
                r#"<path d="M19 26q-1-15 13-15t13 15q-5-8-13-8t-13 8z" fill="{HAIR}"/><circle cx="16" cy="24" r="5" fill="{HAIR}"/><circle cx="48" cy="24" r="5" fill="{HAIR}"/>"#
            ),
            RED,
        ),
        Picture::Boy => person(&format!(r#"<path d="M19 24q0-13 13-13t13 13q-6-6-13-5t-13 5z" fill="{HAIR}"/>"#), BLUE),
        Picture::Child => {
            person(&format!(r#"<path d="M20 22q3-10 12-10t12 10q-4-3-12-3t-12 3z" fill="{FACE}"/>"#), GREEN)
        }
        Picture::Adult => person(&format!(r#"<path d="M19 22q2-11 13-11t13 11z" fill="{INK}"/>"#), GREEN),
        Picture::Woman => person(
            &format!(r#"<path d="M18 40q-4-29 14-29t14 29q-4-12-4-20q-6 4-10 4t-10-4q0 8-4 20z" fill="{HAIR}"/>"#),
            RED,
        ),
        Picture::Man => person(
            &format!(
                r#"<path d="M19 23q0-12 13-12t13 12q-6-5-13-5t-13 5z" fill="{INK}"/><path d="M22 33q10 10 20 0" stroke-width="4"/>"#
            ),
            BLUE,
        ),
        Picture::Grandparent => person(
            &format!(
                r#"<path d="M19 24q0-13 13-13t13 13q-6-6-13-6t-13 6z" fill="{GREY}"/><circle cx="32" cy="10" r="5" fill="{GREY}"/><circle cx="27" cy="27" r="4"/><circle cx="37" cy="27" r="4"/>"#
            ),
            GREEN,
        ),
        Picture::Children => format!(
            r#"<g transform="translate(-12 8) scale(0.8)">{}</g><g transform="translate(24 8) scale(0.8)">{}</g>"#,
            person(&format!(r#"<path d="M19 26q-1-15 13-15t13 15q-5-8-13-8t-13 8z" fill="{HAIR}"/>"#), RED),
            person(&format!(r#"<path d="M19 24q0-13 13-13t13 13q-6-6-13-5t-13 5z" fill="{HAIR}"/>"#), BLUE)
        ),
        Picture::Teacher => format!(
            r#"<rect x="4" y="4" width="56" height="30" rx="3" fill="{GREEN}"/><path d="M12 14h20M12 22h14" stroke="{WHITE}"/>{}"#,
            person(&format!(r#"<path d="M19 22q2-11 13-11t13 11z" fill="{INK}"/>"#), BLUE)
                .replace("cy=\"26\"", "cy=\"30\"")
        ),
        Picture::Running => figure("M30 22l-4 18l-10 14M26 40l12 6l2 12M28 26l-12 4M28 26l14 2l6-8", (34, 12)),
        Picture::Cartwheel => figure("M32 30l-18-16M32 30l18-16M32 30l0 8M32 38l-14 18M32 38l14 18", (32, 21)),
        // ── symbols ──
        Picture::NoneOfThese => format!(r#"<circle cx="32" cy="32" r="22" stroke="{RED}" stroke-width="7"/>"#),
        Picture::Never => format!(
            r#"<circle cx="32" cy="32" r="24" fill="{WHITE}" stroke="{RED}" stroke-width="7"/><path d="M15 15l34 34" stroke="{RED}" stroke-width="7"/>"#
        ),
        Picture::NoEntry => format!(
            r#"<circle cx="32" cy="32" r="27" fill="{RED}"/><rect x="14" y="27" width="36" height="10" rx="2" fill="{WHITE}"/>"#
        ),
        Picture::Question => format!(
            r#"<path d="M22 22q0-12 10-12t10 10q0 7-10 11v8" stroke="{BLUE}" stroke-width="7"/><circle cx="32" cy="52" r="4.5" fill="{BLUE}" stroke="none"/>"#
        ),
        Picture::House => format!(
            r#"<path d="M8 32L32 10l24 22" fill="{RED}"/><rect x="14" y="30" width="36" height="26" fill="{FACE}"/><rect x="27" y="40" width="10" height="16" fill="{HAIR}"/>"#
        ),
        Picture::HouseTree => format!(
            r#"<path d="M4 34L24 16l20 18" fill="{RED}"/><rect x="9" y="32" width="30" height="24" fill="{FACE}"/><rect x="20" y="42" width="8" height="14" fill="{HAIR}"/><path d="M52 56V40"/><circle cx="52" cy="32" r="9" fill="{GREEN}"/>"#
        ),
        Picture::Star => format!(
            r#"<path d="M32 6l7.6 16.4 17.9 2.1-13.2 12.3 3.5 17.7L32 45.6l-15.8 8.9 3.5-17.7L6.5 24.5l17.9-2.1z" fill="{FACE}"/>"#
        ),
        Picture::Heart => {
            format!(r#"<path d="M32 54S8 40 8 23a12 12 0 0 1 24-4 12 12 0 0 1 24 4c0 17-24 31-24 31z" fill="{RED}"/>"#)
        }
        Picture::LightBulb => format!(
            r#"<path d="M22 38q-8-8-6-18a16 16 0 0 1 32 0q2 10-6 18v6H22z" fill="{FACE}"/><rect x="23" y="46" width="18" height="10" rx="3" fill="{GREY}"/>"#
        ),
        Picture::Speech => {
            format!(r#"<path d="M8 12h48v30H28l-12 12v-12H8z" fill="{WHITE}"/><path d="M18 24h28M18 32h18"/>"#)
        }
        Picture::Shout => format!(
            r#"<path d="M6 14l12 4 6-10 8 8 10-8 4 10 12-2-6 12 8 8-12 4 2 12-12-6-8 10-6-10-12 4 4-12-10-8 10-4z" fill="{WHITE}"/>"#
        ),
        Picture::Money => format!(
            r#"<path d="M24 16l-4-8h24l-4 8q16 10 14 28q-2 12-22 12T10 44q-2-18 14-28z" fill="{FACE}"/><path d="M24 16h16"/><circle cx="32" cy="38" r="7"/>"#
        ),
        Picture::Books => format!(
            r#"<rect x="8" y="44" width="48" height="10" rx="2" fill="{RED}"/><rect x="12" y="32" width="42" height="10" rx="2" fill="{BLUE}"/><rect x="10" y="20" width="40" height="10" rx="2" fill="{GREEN}"/>"#
        ),
        Picture::Puzzle => format!(
            r#"<path d="M10 18h14a8 8 0 1 1 16 0h14v14a8 8 0 1 0 0 16v8H10V42a8 8 0 1 0 0-16z" fill="{GREEN}"/>"#
        ),
        Picture::Lightning => format!(r#"<path d="M36 4L14 36h16l-4 24 24-34H34z" fill="{FACE}"/>"#),
        Picture::Balloon => format!(
            r#"<ellipse cx="32" cy="24" rx="16" ry="19" fill="{RED}"/><path d="M29 43h6l-3 4zM32 47q-6 6 0 10t0 6"/>"#
        ),
        Picture::RainCloud => format!(
            r##"<path d="M16 36a10 10 0 0 1 2-20 14 14 0 0 1 26-2 11 11 0 0 1 4 22z" fill="#c9d3e0"/><path d="M22 44l-3 8M32 44l-3 8M42 44l-3 8" stroke="{BLUE}"/>"##
        ),
        Picture::Bottle => format!(
            r#"<path d="M27 6h10v12q7 5 7 14v24q0 4-4 4H24q-4 0-4-4V32q0-9 7-14z" fill="{GREEN}"/><rect x="20" y="34" width="24" height="12" fill="{WHITE}"/>"#
        ),
        Picture::Bang => format!(
            r#"<path d="M32 4l6 16 16-8-6 16 14 6-14 6 6 16-16-8-6 16-6-16-16 8 6-16L2 34l14-6-6-16 16 8z" fill="{FACE}" stroke="{RED}"/>"#
        ),
        Picture::Eyes => format!(
            r#"<ellipse cx="20" cy="32" rx="11" ry="15" fill="{WHITE}"/><ellipse cx="44" cy="32" rx="11" ry="15" fill="{WHITE}"/><circle cx="23" cy="34" r="5" fill="{INK}"/><circle cx="47" cy="34" r="5" fill="{INK}"/>"#
        ),
        Picture::Handshake => format!(
            r#"<path d="M2 26l18-4 12 10-10 8z" fill="{BLUE}"/><path d="M62 26l-18-4-12 10 10 8z" fill="{GREEN}"/><rect x="20" y="28" width="24" height="16" rx="7" fill="{SKIN}"/>"#
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_picture_is_a_closed_svg_with_no_text_in_it() {
        for &p in Picture::ALL {
            let body = svg_markup(p);
            assert!(!body.is_empty(), "{} draws nothing", p.name());
            assert!(!body.contains("<text"), "{} writes words: its label does that", p.name());
            assert_eq!(body.matches('<').count(), body.matches('>').count(), "{} is not well formed", p.name());
        }
    }
}
