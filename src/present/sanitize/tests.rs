//! The sanitiser's cases: escape sequences consumed whole, controls and spoofers dropped,
//! joiners kept, forms normalised.

use super::*;
use proptest::prelude::*;

/// The text of `pieces`, styles dropped.
fn text_of(pieces: Vec<Piece>) -> String {
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Newline => "\n".to_owned(),
            Piece::Style(_) => String::new(),
        })
        .collect()
}

#[test]
fn hostile_sequences_are_inert() {
    let hostile = "a\u{1b}]0;pwned title\u{7}b\u{1b}[2J\u{1b}[Hc\u{1b}[200~paste\u{1b}[201~d\u{9b}31m\u{85}e\u{202e}f\u{1b}P1$q\u{1b}\\g\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\";
    assert_eq!(plain(hostile), "abcpastedefglink");
    assert!(plain(hostile).chars().all(|c| !is_unsafe(c)));
}

#[test]
fn colours_become_styles() {
    assert_eq!(
        pieces("line two \u{1b}[31mred\u{1b}[0m\r\nnext\tx"),
        vec![
            Piece::Text("line two ".into()),
            Piece::Style(vec![31]),
            Piece::Text("red".into()),
            Piece::Style(vec![0]),
            Piece::Newline,
            Piece::Text("next    x".into()),
        ]
    );
    assert_eq!(pieces("\u{1b}[m"), vec![Piece::Style(vec![0])]);
    assert_eq!(
        pieces("\u{1b}[38;5;196mx"),
        vec![Piece::Style(vec![38, 5, 196]), Piece::Text("x".into())]
    );
    // Colon sub-parameters, and the C1 form of the same sequence.
    assert_eq!(
        pieces("\u{1b}[38:2:1:2:3mx\u{9b}1my"),
        vec![
            Piece::Style(vec![38, 2, 1, 2, 3]),
            Piece::Text("x".into()),
            Piece::Style(vec![1]),
            Piece::Text("y".into()),
        ]
    );
    // A private SGR-like sequence (xterm's modifyOtherKeys) is not a colour.
    assert_eq!(pieces("\u{1b}[>4;2mx"), vec![Piece::Text("x".into())]);
}

#[test]
fn clean_text_is_left_as_it_is_and_anything_unsafe_is_noticed() {
    for clean in [
        "",
        "plain text\nover lines",
        "café ✅ 日本語 …",
        "tab-free",
        "👨‍👩‍👧 👩‍🔬 👍🏽 نیم‌فاصله क्षि",
    ] {
        assert!(!needs_plain(clean), "{clean:?}");
        assert_eq!(plain(clean), clean);
    }
    for dirty in [
        "a\tb",
        "a\rb",
        "\u{1b}[31mx",
        "\u{7f}",
        "\u{85}",
        "a\u{200b}b",
        "\u{feff}x",
        "\u{2066}",
        "⚠\u{fe0f}",
        "🇺",
        "a\u{e0041}",
        // Selectors and regional indicators are noticed even where they stay.
        "🏳️‍🌈",
        "🇺🇸",
    ] {
        assert!(needs_plain(dirty), "{dirty:?}");
        assert_eq!(plain(dirty), text_of(pieces(dirty)), "{dirty:?}");
    }
}

#[test]
fn every_sequence_is_consumed_whole() {
    let cases = [
        // Charset designations: the final byte is part of the sequence.
        ("a\u{1b}(Bb\u{1b})0c\u{1b}#8d", "abcd"),
        // Other escapes: keypad modes, full reset, index, save/restore.
        (
            "a\u{1b}=b\u{1b}>c\u{1b}cd\u{1b}De\u{1b}7f\u{1b}8g",
            "abcdefg",
        ),
        // OSC 8 hyperlinks, ended by ST, by BEL, and in C1 form.
        (
            "\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\ here",
            "click here",
        ),
        ("\u{1b}]8;id=1;http://x\u{7}link\u{1b}]8;;\u{7}", "link"),
        ("\u{9d}8;;http://x\u{9c}link\u{9d}8;;\u{9c}", "link"),
        // OSC 52 clipboard writes and queries.
        ("\u{1b}]52;c;cm0gLXJmIH4K\u{7}ok", "ok"),
        ("\u{1b}]52;c;?\u{1b}\\ok", "ok"),
        // DCS (XTGETTCAP, sixel), APC (kitty graphics), PM, SOS.
        ("\u{1b}P+q544e\u{1b}\\ok", "ok"),
        ("\u{1b}Pq#0;2;0;0;0#0~~@@vv\u{1b}\\ok", "ok"),
        ("\u{1b}_Gf=100;AAAA\u{1b}\\ok", "ok"),
        ("\u{1b}^pm\u{1b}\\\u{1b}Xsos\u{1b}\\ok", "ok"),
        (
            "\u{90}1$q\u{9c}\u{9f}apc\u{9c}\u{9e}pm\u{9c}\u{98}sos\u{9c}ok",
            "ok",
        ),
        // Private modes and device reports.
        (
            "\u{1b}[?1049h\u{1b}[?25l\u{1b}[6n\u{1b}[>c\u{1b}[?2004hok",
            "ok",
        ),
    ];
    for (input, shown) in cases {
        assert_eq!(plain(input), shown, "{input:?}");
    }
}

#[test]
fn an_over_long_csi_leaves_no_residue() {
    // 100 bytes of parameters: more than any parser keeps, still one sequence.
    let params = "1;".repeat(50);
    assert_eq!(params.len(), 100);
    assert_eq!(plain(&format!("a\u{1b}[{params}Hb")), "ab");
    // An over-long SGR is consumed and gives no style (its parameters are not all known).
    assert_eq!(
        pieces(&format!("a\u{1b}[{params}mb")),
        vec![Piece::Text("ab".into())]
    );
    let c1 = format!("a\u{9b}{}Jb", "9".repeat(120));
    assert_eq!(plain(&c1), "ab");
}

#[test]
fn line_breaks_and_tabs_inside_a_malformed_sequence_are_kept() {
    // A C1 CSI followed by line breaks: they are kept, and the sequence ends at its final
    // byte, as a terminal ends it.
    assert_eq!(plain("x\u{9b}\n\n1mrest"), "x\n\nrest");
    assert_eq!(plain("x\u{9b}2J\n\ny"), "x\n\ny");
    assert_eq!(plain("a\u{1b}[12\nb"), "a\n");
    assert_eq!(plain("a\u{1b}[1\t2mb"), "a    b");
    assert_eq!(plain("a\u{1b}(\nB"), "a\n");
    assert_eq!(
        pieces("a\u{1b}[3\r\n1mred"),
        vec![
            Piece::Text("a".into()),
            Piece::Newline,
            Piece::Style(vec![31]),
            Piece::Text("red".into()),
        ]
    );
}

#[test]
fn unterminated_sequences_at_the_end_are_dropped() {
    for tail in [
        "\u{1b}",
        "\u{1b}[",
        "\u{1b}[12",
        "\u{1b}[?25",
        "\u{1b}(",
        "\u{1b}]0;title",
        "\u{1b}]8;;http://x",
        "\u{1b}]52;c;AAAA",
        "\u{1b}P1$q",
        "\u{1b}_apc",
        "\u{1b}^pm",
        "\u{1b}Xsos",
        "\u{9b}",
        "\u{9b}12",
        "\u{9d}0;t",
        "\u{90}q",
    ] {
        assert_eq!(plain(&format!("ok{tail}")), "ok", "{tail:?}");
        assert_eq!(
            pieces(&format!("ok{tail}")),
            vec![Piece::Text("ok".into())],
            "{tail:?}"
        );
    }
    assert_eq!(one_line("x\ny\n"), "x ⏎ y");
}

#[test]
fn joiners_and_skin_tones_are_kept() {
    // Through the parser (a colour in front), not the clean-text shortcut.
    for kept in [
        "👨‍👩‍👧",
        "👩‍🔬",
        "🏳️‍🌈",
        "❤️‍🔥",
        "🧑‍🤝‍🧑",
        "🫱🏻‍🫲🏿",
        "👍🏽",
        "✌🏿",
        "نیم‌فاصله",
        "क्षि",
        "ශ්‍රී",
        "🇺🇸",
        "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
    ] {
        let coloured = format!("\u{1b}[1m{kept}\u{1b}[0m");
        assert_eq!(plain(&coloured), kept, "{kept:?}");
        assert_eq!(
            pieces(&coloured),
            vec![
                Piece::Style(vec![1]),
                Piece::Text(kept.into()),
                Piece::Style(vec![0])
            ]
        );
    }
}

#[test]
fn bidi_controls_and_invisible_spoofers_are_dropped() {
    for spoof in [
        '\u{202a}',
        '\u{202b}',
        '\u{202c}',
        '\u{202d}',
        '\u{202e}',
        '\u{2066}',
        '\u{2067}',
        '\u{2068}',
        '\u{2069}',
        '\u{200e}',
        '\u{200f}',
        '\u{61c}',
        '\u{200b}',
        '\u{2060}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{206a}',
        '\u{206f}',
        '\u{feff}',
        '\u{ad}',
        '\u{115f}',
        '\u{1160}',
        '\u{3164}',
        '\u{ffa0}',
        '\u{17b4}',
        '\u{180e}',
        '\u{fff9}',
        '\u{1bca0}',
        '\u{1d173}',
        '\u{e0001}',
    ] {
        assert!(is_unsafe(spoof), "{spoof:?}");
        assert_eq!(plain(&format!("a{spoof}b")), "ab", "{spoof:?}");
    }
    // The Trojan Source shape: an override hiding the order of what follows.
    assert_eq!(
        plain("if access_level != \"user\u{202e} \u{2066}// Check if admin\u{2069} \u{2066}\" {"),
        "if access_level != \"user // Check if admin \" {"
    );
    // Tag letters spell invisible text outside a flag ("ASCII smuggling").
    assert_eq!(
        plain("ok\u{e0069}\u{e0067}\u{e006e}\u{e006f}\u{e0072}\u{e0065}"),
        "ok"
    );
    assert_eq!(plain("👨‍👩\u{e0041}"), "👨‍👩");
    // Line and paragraph separators are line breaks.
    assert_eq!(plain("a\u{2028}b\u{2029}c"), "a\nb\nc");
    for kept in [
        '\u{200c}',
        '\u{200d}',
        '\u{fe00}',
        '\u{1f3fd}',
        '\u{34f}',
        '\u{a0}',
    ] {
        assert!(!is_unsafe(kept), "{kept:?}");
    }
}

#[test]
fn presentation_selectors_take_the_default_form() {
    let cases = [
        ("⚠️ ✔️ ❤️ ☺️ ©️ ↔️", "⚠ ✔ ❤ ☺ © ↔"),
        ("1️⃣ #️⃣ *️⃣", "1⃣ #⃣ *⃣"),
        ("😀\u{fe0e} ❤\u{fe0e}", "😀 ❤"),
        ("a\u{fe0f}", "a"),
        ("\u{fe0f}", ""),
        // Inside an emoji ZWJ sequence the selectors are kept.
        ("🏳️‍🌈 ❤️‍🔥 👁️‍🗨️", "🏳️‍🌈 ❤️‍🔥 👁️‍🗨️"),
        // A ZWJ that joins nothing does not protect the selector.
        ("⚠\u{fe0f}\u{200d}x", "⚠\u{200d}x"),
        // A lone regional indicator is its letter; pairs are flags.
        ("🇺", "U"),
        ("🇺🇸🇫", "🇺🇸F"),
        ("🇫🇷🇩🇪", "🇫🇷🇩🇪"),
        // Halfwidth katakana with a sound mark: the fullwidth letter, or the spacing mark.
        ("ｶﾞｷﾞﾊﾟｳﾞ ｱｲ", "ガギパヴ ｱｲ"),
        ("aﾞ ｱﾟ", "a゛ ｱ゜"),
    ];
    for (input, shown) in cases {
        assert_eq!(plain(input), shown, "{input:?}");
    }
}

#[test]
fn first_unsafe_multibyte_finds_what_plain_changes() {
    assert_eq!(first_unsafe_multibyte("日本\u{200b}".as_bytes()), Some(6));
    assert_eq!(first_unsafe_multibyte("é⚠\u{fe0f}".as_bytes()), Some(5));
    assert_eq!(first_unsafe_multibyte("x🇺".as_bytes()), Some(1));
    assert_eq!(first_unsafe_multibyte("👨‍👩‍👧 نیم‌فاصله".as_bytes()), None);
    assert_eq!(first_unsafe_multibyte(b"\xff\xc2"), None);
    assert_eq!(first_unsafe_multibyte(b"\xc2\x9b"), Some(0));
}

/// Pieces of text the properties are built from: every kind of character the sanitiser treats
/// differently.
const PARTS: &[&str] = &[
    "a",
    "word ",
    "日本",
    "é",
    "e\u{301}",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\u{1b}",
    "[",
    "31m",
    "]0;",
    "\u{7}",
    "\u{1b}\\",
    "(B",
    "\u{9b}",
    "\u{9d}",
    "\u{9c}",
    "\u{85}",
    "\u{0}",
    "\u{7f}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{202e}",
    "\u{2066}",
    "\u{feff}",
    "\u{fe0e}",
    "\u{fe0f}",
    "⚠",
    "❤",
    "1",
    "\u{20e3}",
    "😀",
    "👨",
    "👩",
    "\u{1f3fd}",
    "🇺",
    "🇸",
    "🏴",
    "\u{e0067}",
    "\u{e007f}",
    "نیم",
    "ش",
    "\u{2028}",
    ";",
    "ｶ",
    "ﾞ",
    "ﾟ",
];

fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PARTS), 0..40).prop_map(|v| v.concat())
}

/// Pieces as read with every byte going through the parser.
fn pieces_all_through_the_parser(text: &str) -> Vec<Piece> {
    let mut sink = Pieces::default();
    escapes::walk_all_through_the_parser(text, &mut sink);
    sink.out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Taking ground-state text in runs reads exactly what the parser reads byte by byte.
    #[test]
    fn runs_between_sequences_read_as_the_parser_reads_them(s in hostile_text()) {
        let mut sink = Pieces::default();
        escapes::walk(&s, &mut sink);
        prop_assert_eq!(sink.out, pieces_all_through_the_parser(&s), "{:?}", s);
    }

    #[test]
    fn plain_is_safe_stable_and_noticed(s in hostile_text()) {
        let p = plain(&s);
        prop_assert!(p.chars().all(|c| c == '\n' || !is_unsafe(c)), "{:?} -> {:?}", s, p);
        prop_assert!(!p.contains('\x1b'), "escape left in {:?}", p);
        prop_assert_eq!(plain(&p), p.clone(), "not stable: {:?}", s);
        if !needs_plain(&s) {
            prop_assert_eq!(p, s);
        }
    }
}
