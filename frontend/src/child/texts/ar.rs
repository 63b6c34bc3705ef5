//! The app's own texts in Arabic: plain, warm Modern Standard Arabic for a child, in the same
//! voice as the questionnaires' `ar` texts (a grown-up is «شخص كبير»).
//!
//! Arabic marks a girl and a boy differently in verbs that speak to "you" (اكتبْ / اكتبي).
//! So that every child is addressed alike, these texts use forms that read the same for
//! both: "you can …" with a verbal noun (يمكنك الكتابة), past tense and pronouns written
//! without vowel marks (انتهيت، لأنك), the first person (لا أريد أن أجيب), and requests to the
//! app rather than to the child (اقرأ لي, "read to me"). Names and numbers of places to get
//! help (112, BRIS 116 111, Jourhavande kompis) stay as they are: that is what the child will
//! dial or search for.

use super::frame::Texts;
use crate::common::lang::Lang;
use beratta_core::login::CODE_LEN;

pub static AR: Texts = Texts {
    app_name: "Berätta",
    page_title: "Berätta – كيف حالك؟",
    language: "اللغة",
    start_heading: "مرحبًا! نريد أن نعرف كيف حالك",
    start_intro: "هنا يمكنك الإجابة عن أسئلة عن حياتك. لا توجد إجابات صحيحة أو خاطئة.",
    start_skip: "القرار لك. يمكنك تخطّي أي سؤال، ويمكنك الرجوع وتغيير إجاباتك.",
    code_label: "رمزك",
    code_hint: "الرمز مكتوب على الورقة التي أُعطيت لك.",
    start_button: "هيّا نبدأ",
    checking: "نتحقّق من رمزك …",
    resuming: "نُحضر إجاباتك …",
    one_moment: "لحظة من فضلك …",
    logout: "تسجيل الخروج",
    listen: "اقرأ لي",
    auto_read: "اقرأ لي كل سؤال",
    back: "رجوع",
    next: "التالي",
    skip: "لا أريد أن أجيب",
    pick_any: "يمكنك اختيار أكثر من جواب.",
    write_here: "يمكنك الكتابة هنا إن أردت",
    about: "هذا السؤال عن:",
    progress_name: "إلى أين وصلت",
    saving: "جارٍ الحفظ …",
    saved: "تمّ الحفظ ✓",
    offline: "لم يُحفظ بعد – سنستمرّ في المحاولة",
    finish_heading: "انتهيت. شكرًا لأنك أخبرتنا.",
    finish_reader: "الشخص الكبير الذي دعاك سيقرأ إجاباتك. بعد ذلك ستتحدّثان معًا عنها.",
    finish_change: "إذا أردت تغيير شيء، يمكنك الرجوع إلى الأسئلة.",
    finish_back: "تغيير إجاباتي",
    finish_logout: "بعد الانتهاء، يمكنك تسجيل الخروج.",
    finish_anonymous: "لا أحد يعرف من أجاب. تُحسب إجاباتك مع إجابات كثيرين غيرك، حتى يجعل الكبار الأمور أفضل للأطفال والشباب.",
    finish_kiosk: "اضغط على تمّ عندما تنتهي. عندها تختفي إجاباتك من الشاشة.",
    kiosk_done: "تمّ",
    help_heading: "إذا احتجت إلى مساعدة الآن",
    help_danger: "هل أنت في خطر الآن؟ يمكنك الاتصال بالرقم 112.",
    help_bris: "يمكنك الاتصال بـ BRIS أو الدردشة معهم على الرقم 116 111. هذا مجاني ولا يظهر في فاتورة الهاتف.",
    help_kompis: "Jourhavande kompis دردشة للأطفال والشباب، على الموقع jourhavandekompis.se.",
    help_school: "يمكنك أيضًا التحدّث مع المرشد الاجتماعي في المدرسة، أو ممرّضة المدرسة، أو شخص كبير آخر يمكنك الوثوق به.",
    help_screen_heading: "شكرًا لأنك أخبرتنا بهذا",
    help_screen_not_alone: "لست وحدك. وهذا ليس ذنبك.",
    help_screen_where: "هنا يمكنك الحصول على مساعدة الآن:",
    help_screen_places: [
        ("112", "يمكنك الاتصال بالرقم 112 إذا كنت في خطر الآن."),
        ("BRIS، 116 111", "اتصال أو دردشة. هذا مجاني ولا يظهر في فاتورة الهاتف."),
        ("Jourhavande kompis", "دردشة للأطفال والشباب، على الموقع jourhavandekompis.se."),
        (
            "شخص كبير في المدرسة",
            "يمكنك التحدّث مع المرشد الاجتماعي في المدرسة، أو ممرّضة المدرسة، أو شخص كبير آخر في المدرسة يمكنك الوثوق به.",
        ),
    ],
    help_screen_reader: "الشخص الكبير الذي دعاك سيقرأ ما أخبرتنا به هنا.",
    help_screen_anonymous: "لا أحد يعرف من يجيب هنا، لذلك لا يستطيع أي شخص كبير أن يتواصل معك. أخبر شخصًا كبيرًا تثق به، وستحصلان على المساعدة معًا.",
    anonymous_heading: "قبل أن تبدأ",
    anonymous_nobody: "أنت تجيب بدون اسمك. لن يعرف أحد من أجاب، ولا حتى الكبار في مدرستك.",
    anonymous_why: "تُحسب إجاباتك مع إجابات أطفال كثيرين آخرين. هكذا يرى الكبار كيف حال الأطفال ويجعلون الأمور أفضل.",
    anonymous_help: "لأن لا أحد يعرف من أنت، لا يستطيع أحد أن يتواصل معك. هل تريد مساعدة؟ تحدّث مع شخص كبير تثق به، مثل المرشد في المدرسة. يمكنك أيضًا الاتصال أو الدردشة مع BRIS على 116 111. هل أنت في خطر الآن؟ اتصل بـ 112.",
    anonymous_start: "ابدأ الأسئلة",
    kiosk_intro: "أنت تجيب بدون اسمك وبدون رمز. عندما تنتهي، يختفي كل شيء من الشاشة، فلا يرى الشخص التالي شيئًا من إجاباتك.",
    kiosk_start: "ابدأ",
    kiosk_starting: "نجهّز الأسئلة …",
    kiosk_busy: "بدأ كثيرون هنا قبل قليل. انتظر قليلًا ثم اضغط على ابدأ مرة أخرى.",
    kiosk_closed: "الأسئلة ليست مفتوحة الآن. اسأل شخصًا كبيرًا هنا.",
    kiosk_gone: "هذا الحاسوب لا يستقبل إجابات الآن. اسأل شخصًا كبيرًا هنا.",
    help_screen_choice: "القرار لك: يمكنك متابعة الأسئلة أو التوقّف الآن. جوابك محفوظ في الحالتين.",
    help_go_on: "متابعة الأسئلة",
    help_status_heading: "ما طلبت المساعدة فيه",
    help_status_planned: "خطّط الكبار لكيفية مساعدتك.",
    help_status_handled: "تمّ هذا.",
    help_status_note: "رسالة لك:",
    help_stop: "التوقّف الآن",
    stopping: "نحفظ إجاباتك …",
    stopped_note: "توقّفت الآن. يمكنك الرجوع متى شئت بالرمز نفسه.",
    network: "لا نستطيع الوصول إلى الخادم. يُرجى التأكّد من اتصال الجهاز بالإنترنت، ثم المحاولة مرة أخرى.",
    server: "حدث خطأ عندنا. يُرجى المحاولة مرة أخرى بعد قليل.",
    questionnaire_broken: "لم نستطع فتح الأسئلة. يُرجى إخبار الشخص الكبير الذي أعطاك الرمز.",
    answers_unreadable: "لم نستطع فتح إجاباتك المحفوظة. يُرجى إخبار الشخص الكبير الذي أعطاك الرمز.",
    session_ended: "تمّ تسجيل خروجك. يُرجى كتابة رمزك مرة أخرى للمتابعة.",
    changed_elsewhere: "تغيّرت إجاباتك على جهاز آخر. يُرجى كتابة رمزك مرة أخرى لرؤيتها والمتابعة.",
    quick_exit: "خروج سريع",
    neutral_title: "طقس اليوم",
    neutral_summary: "غائم جزئيًا مع بعض الزخّات حتى الظهر. جافّ ومشمس بعد الظهر.",
    neutral_hours: [("الصباح", "9 درجات، رياح خفيفة"), ("بعد الظهر", "14 درجة، مشمس"), ("المساء", "10 درجات، صافٍ")],
    neutral_tip: "سيكون المساء باردًا بعض الشيء، لذلك قد تكون السترة فكرة جيدة.",
    idle_heading: "هل ما زلت هنا؟",
    idle_text: "لم يحدث شيء منذ مدة. للمتابعة يكفي الضغط على الزر. وإلا سنسجّل خروجك بعد قليل.",
    still_here: "نعم، أنا هنا",
    idle_note: "سجّلنا خروجك لأنه لم يحدث شيء منذ مدة. يمكنك المتابعة بالرمز نفسه متى أردت.",
    progress_done: |percent| format!("تمّ {percent}٪"),
    read_option: |option| format!("اقرأ لي: {option}"),
    no_voice: |spoken| match spoken {
        Some(l) => format!("لا توجد قراءة بصوت عالٍ {} على هذا الجهاز", name(l)),
        None => "لا توجد قراءة بصوت عالٍ بهذه اللغة على هذا الجهاز".to_string(),
    },
    code_missing: "يُرجى كتابة الرمز الموجود على ورقتك.",
    code_length: |n| format!("يتكوّن الرمز من {CODE_LEN} حرفًا ورقمًا. كتبت {n}. يُرجى النظر إلى ورقتك مرة أخرى."),
    // Arabic has no imperative that fits a girl and a boy alike, so it offers the suggestions
    // ("perhaps it is …") instead of telling the child to try them.
    code_never: |c| format!("الرمز لا يحتوي أبدًا على «{c}»."),
    code_try: ("ربما المقصود", "أو", "، "),
};

/// A language's name as an Arabic sentence uses it ("بالسويدية").
fn name(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "بالسويدية",
        Lang::En => "بالإنجليزية",
        Lang::Ar => "بالعربية",
        Lang::So => "بالصومالية",
        Lang::Ti => "بالتغرينية",
        Lang::Fa => "بالفارسية",
        Lang::Uk => "بالأوكرانية",
    }
}
