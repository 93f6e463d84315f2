//! The form of a grapheme cluster that every terminal draws at one width.
//!
//! Terminals disagree on a few clusters: tmux 3.3 draws `⚠️` (a character that is text by
//! default, then the emoji presentation selector U+FE0F) in one column, kitty and WezTerm in
//! two, and ratatui lays it out in two; `😀︎` (emoji by default, then the text selector U+FE0E)
//! is one column for ratatui and two for tmux; a lone regional indicator is one column for
//! ratatui and tmux and two for kitty. So, cluster by cluster:
//!
//! - outside an emoji ZWJ sequence, the presentation selectors U+FE0E and U+FE0F are dropped
//!   and every character takes its default presentation: `⚠️` → `⚠`, `✔️` → `✔`, `❤️` → `❤`
//!   (one column), a keycap `1️⃣` → `1⃣` (one column), `😀︎` → `😀` (two columns);
//! - a regional indicator without its pair becomes the capital letter it stands for (`🇺` →
//!   `U`); pairs are flags (`🇺🇸`, two columns) and are kept;
//! - tag letters (U+E0020–U+E007F) are kept only in a flag tag sequence (🏴󠁧󠁢󠁳󠁣󠁴󠁿: U+1F3F4, tag
//!   letters, U+E007F) and dropped anywhere else, where they are invisible text;
//! - an emoji ZWJ sequence (`👨‍👩‍👧`, `👩‍🔬`, `🏳️‍🌈`) is kept as it is, selectors and all
//!   (only stray tag letters are dropped from it): ratatui, kitty and WezTerm draw it in two
//!   columns, and tmux 3.3 draws it in two when it starts with an emoji-style character (the
//!   family, the professions) but in one when it starts with a text-style one (`🏳️‍🌈`,
//!   `❤️‍🔥`), where ratatui's next cursor move keeps the columns after it in place;
//! - a halfwidth katakana sound mark (`ﾞ`, `ﾟ`) is joined to its letter as the fullwidth
//!   letter (`ｶﾞ` → `ガ`, two columns everywhere), or else becomes the fullwidth mark (`゛`):
//!   terminals draw `ｶﾞ` in two columns, where ratatui 0.30 lays it out in three;
//! - skin-tone modifiers and ZWNJ are kept everywhere.

use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

const ZWJ: char = '\u{200d}';
const BLACK_FLAG: char = '\u{1f3f4}';
const CANCEL_TAG: char = '\u{e007f}';

/// U+FE0E (text presentation) or U+FE0F (emoji presentation).
fn is_presentation_selector(c: char) -> bool {
    matches!(c, '\u{fe0e}' | '\u{fe0f}')
}

/// One of the 26 regional indicator letters that pair into flags.
fn is_regional_indicator(c: char) -> bool {
    ('\u{1f1e6}'..='\u{1f1ff}').contains(&c)
}

/// A tag letter or the cancel tag (U+E0020–U+E007F), which spell subdivision flags.
fn is_tag_letter(c: char) -> bool {
    ('\u{e0020}'..='\u{e007f}').contains(&c)
}

/// A halfwidth katakana sound mark (U+FF9E voiced, U+FF9F semi-voiced).
fn is_halfwidth_sound_mark(c: char) -> bool {
    matches!(c, '\u{ff9e}' | '\u{ff9f}')
}

/// A character whose form depends on its neighbours (see the module documentation).
pub(super) fn changes(c: char) -> bool {
    is_presentation_selector(c)
        || is_regional_indicator(c)
        || is_tag_letter(c)
        || is_halfwidth_sound_mark(c)
}

/// Whether `text` may hold a character [`changes`] is true for: a quick look at lead bytes
/// (each such character starts with 0xEF, 0xF0 or 0xF3), then at the characters.
fn may_change(text: &str) -> bool {
    memchr::memchr3(0xef, 0xf0, 0xf3, text.as_bytes())
        .is_some_and(|at| text[at..].chars().any(changes))
}

/// `text` with every cluster in the form described in the module documentation. Only the
/// lines that need it are segmented (a cluster never spans a line break).
pub(super) fn normalise(text: &str) -> Cow<'_, str> {
    if !may_change(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if may_change(line) {
            normalise_clusters(line, &mut out);
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// Appends `text`, cluster by cluster in its normal form, to `out`.
fn normalise_clusters(text: &str, out: &mut String) {
    for g in text.graphemes(true) {
        if !g.chars().any(changes) || is_flag_tag_sequence(g) {
            out.push_str(g);
            continue;
        }
        if is_zwj_sequence(g) {
            out.extend(g.chars().filter(|&c| !is_tag_letter(c)));
            continue;
        }
        let lone_indicator = g.chars().filter(|&c| is_regional_indicator(c)).count() == 1;
        let mut previous = None;
        for c in g.chars() {
            if is_presentation_selector(c) || is_tag_letter(c) {
                continue;
            }
            if is_halfwidth_sound_mark(c) {
                match previous.and_then(|p| voiced(p, c)) {
                    Some(kana) => {
                        out.pop();
                        out.push(kana);
                    }
                    None => out.push(spacing_mark(c)),
                }
                previous = None;
                continue;
            }
            let c = match (lone_indicator, letter(c)) {
                (true, Some(l)) => l,
                _ => c,
            };
            out.push(c);
            previous = Some(c);
        }
    }
}

/// Halfwidth katakana that take a sound mark, and their fullwidth letters.
const HALFWIDTH_KANA: [(char, char); 21] = [
    ('ｳ', 'ウ'),
    ('ｶ', 'カ'),
    ('ｷ', 'キ'),
    ('ｸ', 'ク'),
    ('ｹ', 'ケ'),
    ('ｺ', 'コ'),
    ('ｻ', 'サ'),
    ('ｼ', 'シ'),
    ('ｽ', 'ス'),
    ('ｾ', 'セ'),
    ('ｿ', 'ソ'),
    ('ﾀ', 'タ'),
    ('ﾁ', 'チ'),
    ('ﾂ', 'ツ'),
    ('ﾃ', 'テ'),
    ('ﾄ', 'ト'),
    ('ﾊ', 'ハ'),
    ('ﾋ', 'ヒ'),
    ('ﾌ', 'フ'),
    ('ﾍ', 'ヘ'),
    ('ﾎ', 'ホ'),
];

/// Halfwidth `kana` and a sound `mark` as one fullwidth letter (`ｶﾞ` → `ガ`, `ﾊﾟ` → `パ`),
/// when there is one.
fn voiced(kana: char, mark: char) -> Option<char> {
    let &(_, full) = HALFWIDTH_KANA.iter().find(|(half, _)| *half == kana)?;
    let semi = mark == '\u{ff9f}';
    let offset = match (full, semi) {
        ('ウ', false) => u32::from('ヴ') - u32::from('ウ'),
        ('ウ', true) => return None,
        ('ハ' | 'ヒ' | 'フ' | 'ヘ' | 'ホ', true) => 2,
        (_, true) => return None,
        _ => 1,
    };
    char::from_u32(u32::from(full) + offset)
}

/// The fullwidth spacing form of a halfwidth sound mark (`ﾞ` → `゛`), a cluster of its own.
fn spacing_mark(mark: char) -> char {
    if mark == '\u{ff9e}' { '゛' } else { '゜' }
}

/// The capital letter a regional indicator stands for.
fn letter(c: char) -> Option<char> {
    is_regional_indicator(c)
        .then(|| char::from_u32(u32::from('A') + (u32::from(c) - 0x1f1e6)))
        .flatten()
}

/// A cluster in which a ZWJ joins two characters (not selectors, joiners or tag letters).
fn is_zwj_sequence(g: &str) -> bool {
    let mut base_before = false;
    let mut open_zwj = false;
    for c in g.chars() {
        if c == ZWJ {
            open_zwj |= base_before;
        } else if !is_presentation_selector(c) && !is_tag_letter(c) {
            if open_zwj {
                return true;
            }
            base_before = true;
        }
    }
    false
}

/// 🏴 followed by tag letters and the cancel tag, nothing else (a subdivision flag).
fn is_flag_tag_sequence(g: &str) -> bool {
    let mut chars = g.chars();
    if chars.next() != Some(BLACK_FLAG) || !g.ends_with(CANCEL_TAG) {
        return false;
    }
    let tags: Vec<char> = chars.collect();
    tags.len() >= 2 && tags.iter().all(|&c| is_tag_letter(c))
}
