//! The easy-read writing aid: what the rules of the « facile à lire et à
//! comprendre » (FALC) would flag in a text while its author writes it —
//! sentences over 15 words, long words, administrative words, acronyms and
//! abbreviations, numbers written in words, percentages, middle dots,
//! parentheses, negative and passive turns — each with its sentence, its
//! place in the text and a French sentence saying what to do.
//!
//! An aid, not a gate: nothing here refuses a text, the author decides.
//! The rules are simple heuristics on the words, without a dictionary nor
//! a grammar, so they both miss and over-flag; their limits are said at
//! each rule. Pure functions, no I/O.

use std::ops::Range;

use crate::text::fold;

mod words;

pub use words::ADMINISTRATIVE;
use words::{
    AVOIR, BETWEEN, DOTTED, ETRE, NEGATORS, NOT_PASSIVE, NUMBERS, PARTICIPLES, SUBJECTS, UNDOTTED,
};

/// A sentence longer than this many words is flagged.
pub const MAX_WORDS: usize = 15;

/// A word (each part of a hyphenated word alone) of more letters than this
/// is flagged. Letters, not syllables: counting French syllables needs a
/// dictionary, and a long word is long to read either way.
pub const MAX_LETTERS: usize = 12;

/// What a rule flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    LongSentence,
    LongWord,
    /// A word of the administrative list ([`ADMINISTRATIVE`]).
    RareWord,
    /// An acronym (two capitals or more: « ARS », « CREAI ») or an
    /// abbreviation (« etc. », « cf. », « Mme »).
    Acronym,
    NumberInWords,
    Percentage,
    /// Inclusive writing: a middle dot inside a word (« intervenant », the
    /// dot, « es »); a dot between spaces is a separator and is not flagged.
    MiddleDot,
    Parenthesis,
    Negative,
    Passive,
}

impl Kind {
    /// The rule's name, for the author.
    pub fn label(self) -> &'static str {
        match self {
            Kind::LongSentence => "Phrase longue",
            Kind::LongWord => "Mot long",
            Kind::RareWord => "Mot administratif",
            Kind::Acronym => "Sigle ou abréviation",
            Kind::NumberInWords => "Nombre écrit en lettres",
            Kind::Percentage => "Pourcentage",
            Kind::MiddleDot => "Point médian",
            Kind::Parenthesis => "Parenthèse",
            Kind::Negative => "Tournure négative",
            Kind::Passive => "Tournure passive",
        }
    }
}

/// One thing a rule flags, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub kind: Kind,
    /// The sentence, from 1.
    pub sentence: usize,
    /// Where in the text, in bytes.
    pub range: Range<usize>,
    /// The words flagged, as written (the whole sentence for a long one).
    pub words: String,
    /// What the rule sees and what to do, with the sentence's number:
    /// « Phrase 2 : 21 mots. Coupez-la en deux phrases de 15 mots au plus. »
    pub message: String,
}

/// What the rules flag in `text`, in the order of the text.
pub fn flags(text: &str) -> Vec<Flag> {
    let mut out = Vec::new();
    for (i, range) in sentences(text).into_iter().enumerate() {
        let mut s = Sentence {
            text,
            range,
            number: i + 1,
            tokens: Vec::new(),
            out: Vec::new(),
        };
        s.tokens = tokens(text, s.range.clone());
        s.long_sentence();
        s.words();
        s.numbers();
        s.percentages();
        s.parentheses();
        s.negatives();
        s.passives();
        out.append(&mut s.out);
    }
    out.sort_by_key(|f| (f.range.start, f.kind));
    out
}

/// The sentences of a text, as byte ranges without their surrounding
/// spaces: split after `.`, `!`, `?` and `…` followed by a space or the
/// end, and at every line break. A dot after an abbreviation (« cf. »,
/// « p. 12 »), an initial (« M. Dupont ») or a list number (« 1. ») does
/// not end one; after « etc. », only a capital letter starts the next.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c == '\n' || c == '\r' {
            push_sentence(text, start..at, &mut out);
            start = at + c.len_utf8();
            i += 1;
            continue;
        }
        if !is_terminator(c) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && is_terminator(chars[j].1) {
            j += 1;
        }
        let lone_dot = j == i + 1 && c == '.';
        while j < chars.len() && matches!(chars[j].1, '»' | '"' | '”' | ')' | ']') {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |x| x.0);
        let at_break = chars.get(j).is_none_or(|x| x.1.is_whitespace());
        if at_break && (!lone_dot || dot_ends(text, start, at, end)) {
            push_sentence(text, start..end, &mut out);
            start = end;
        }
        i = j;
    }
    push_sentence(text, start..text.len(), &mut out);
    out
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Whether the dot at `dot` ends the sentence begun at `start`; `after` is
/// where the text goes on.
fn dot_ends(text: &str, start: usize, dot: usize, after: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(dot, |(i, _)| i);
    let word = &text[word_start..dot];
    let folded = fold(word);
    if folded == "etc" {
        let next = text[after..]
            .chars()
            .find(|c| !c.is_whitespace() || *c == '\n');
        return next.is_none_or(|c| c.is_uppercase() || c == '\n');
    }
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    let list_number = !word.is_empty()
        && word.chars().all(|c| c.is_ascii_digit())
        && text[start..word_start].trim().is_empty();
    !(DOTTED.contains(&folded.as_str()) || initial || list_number)
}

/// Keeps a sentence that has a letter or a digit, without its spaces.
fn push_sentence(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    if !s.chars().any(char::is_alphanumeric) {
        return;
    }
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    out.push(start..end);
}

/// A word of a sentence.
#[derive(Debug, Clone)]
struct Token<'a> {
    /// Where in the whole text; an elided word's apostrophe included.
    range: Range<usize>,
    /// As written, without the apostrophe.
    text: &'a str,
    /// Lower case, without accents.
    folded: String,
    /// « l’ », « n’ », « qu’ »: not a word of its own in the count.
    elided: bool,
    /// A web or e-mail address: one word, and no rule reads inside.
    link: bool,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}') || is_middle_dot(c)
}

fn is_middle_dot(c: char) -> bool {
    matches!(c, '\u{b7}' | '\u{2027}' | '\u{22c5}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// The words of `range`: letters and digits, joined by hyphens and middle
/// dots; an apostrophe ends an elided word.
fn tokens(text: &str, range: Range<usize>) -> Vec<Token<'_>> {
    let s = &text[range.clone()];
    let at = |b: usize| range.start + b;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let byte = |j: usize| chars.get(j).map_or(s.len(), |x| x.0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let chunk_start = i == 0 || chars[i - 1].1.is_whitespace();
        if chunk_start && !c.is_whitespace() {
            let end = (i..chars.len())
                .find(|&j| chars[j].1.is_whitespace())
                .unwrap_or(chars.len());
            let chunk = &s[byte(i)..byte(end)];
            if chunk.contains("://") || chunk.contains('@') || chunk.starts_with("www.") {
                let kept = chunk.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '/');
                out.push(Token {
                    range: at(byte(i))..at(byte(i) + kept.len()),
                    text: kept,
                    folded: fold(kept),
                    elided: false,
                    link: true,
                });
                i = end;
                continue;
            }
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            match chars.get(j) {
                Some((_, c)) if c.is_alphanumeric() => j += 1,
                Some((_, c))
                    if is_joiner(*c) && chars.get(j + 1).is_some_and(|x| x.1.is_alphanumeric()) =>
                {
                    j += 2
                }
                _ => break,
            }
        }
        let elided = chars.get(j).is_some_and(|x| is_apostrophe(x.1))
            && chars.get(j + 1).is_some_and(|x| x.1.is_alphanumeric());
        let word = &s[byte(i)..byte(j)];
        let end = if elided { byte(j + 1) } else { byte(j) };
        out.push(Token {
            range: at(byte(i))..at(end),
            text: word,
            folded: fold(word),
            elided,
            link: false,
        });
        i = j;
    }
    out
}

/// Whether `folded` is `base` or `base` with `s`, `e` or `es`.
fn inflected(folded: &str, base: &str) -> bool {
    folded
        .strip_prefix(base)
        .is_some_and(|rest| matches!(rest, "" | "s" | "e" | "es"))
}

fn in_list(folded: &str, list: &[&str]) -> bool {
    list.iter().any(|base| inflected(folded, base))
}

/// One sentence being read, and what was flagged in it.
struct Sentence<'a> {
    text: &'a str,
    range: Range<usize>,
    number: usize,
    tokens: Vec<Token<'a>>,
    out: Vec<Flag>,
}

impl Sentence<'_> {
    fn flag(&mut self, kind: Kind, range: Range<usize>, what: String) {
        let words = self.text[range.clone()].to_owned();
        let message = format!("Phrase {} : {what}", self.number);
        self.out.push(Flag {
            kind,
            sentence: self.number,
            range,
            words,
            message,
        });
    }

    fn words_of(&self, range: &Range<usize>) -> String {
        self.text[range.clone()].to_owned()
    }

    /// More than [`MAX_WORDS`] words; an elided word is not counted
    /// (« l’association » is one word), a number or an address is.
    fn long_sentence(&mut self) {
        let count = self.tokens.iter().filter(|t| !t.elided).count();
        if count > MAX_WORDS {
            self.flag(
                Kind::LongSentence,
                self.range.clone(),
                format!("{count} mots. Coupez-la en deux phrases de {MAX_WORDS} mots au plus."),
            );
        }
    }

    /// The rules of one word: abbreviations and acronyms, middle dots,
    /// administrative words, long words (one flag a word, in this order).
    fn words(&mut self) {
        for t in self.tokens.clone() {
            if t.link {
                continue;
            }
            let w = self.words_of(&t.range);
            let dotted =
                self.text[t.range.end..].starts_with('.') && DOTTED.contains(&t.folded.as_str());
            let degree = self.text[t.range.end..].starts_with('°') && t.folded == "n";
            if dotted || degree || UNDOTTED.contains(&t.folded.as_str()) {
                let end = t.range.end + usize::from(dotted) + if degree { 2 } else { 0 };
                let r = t.range.start..end;
                let advice = if t.folded == "etc" {
                    "Donnez toute la liste, ou dites « par exemple » avant la liste."
                } else {
                    "Écrivez le mot en entier."
                };
                let what = format!("« {} » est une abréviation. {advice}", self.words_of(&r));
                self.flag(Kind::Acronym, r, what);
                continue;
            }
            let upper = t.text.chars().filter(|c| c.is_uppercase()).count();
            let lower = t.text.chars().filter(|c| c.is_lowercase()).count();
            if upper >= 2 && upper >= lower {
                let what = format!(
                    "« {w} » est un sigle. Écrivez les mots en entier, ou dites ce que veut dire le sigle la première fois."
                );
                self.flag(Kind::Acronym, t.range.clone(), what);
                continue;
            }
            if t.text.chars().any(is_middle_dot) {
                let what = format!(
                    "« {w} » a un point médian. Écrivez les deux mots en entier (« les intervenantes et les intervenants ») ou un mot pour tout le monde (« les personnes »)."
                );
                self.flag(Kind::MiddleDot, t.range.clone(), what);
                continue;
            }
            if let Some((_, instead)) = ADMINISTRATIVE
                .iter()
                .find(|(base, _)| inflected(&t.folded, base))
            {
                let what =
                    format!("« {w} » est un mot administratif. Écrivez plutôt « {instead} ».");
                self.flag(Kind::RareWord, t.range.clone(), what);
                continue;
            }
            let longest = t
                .text
                .split(is_joiner)
                .map(|part| part.chars().filter(|c| c.is_alphabetic()).count())
                .max()
                .unwrap_or(0);
            if longest > MAX_LETTERS {
                let what = format!(
                    "« {w} » est un mot long ({longest} lettres). Cherchez un mot plus court, ou expliquez-le."
                );
                self.flag(Kind::LongWord, t.range.clone(), what);
            }
        }
    }

    /// Numbers in words (« vingt-trois », « deux mille », « vingt et un »),
    /// several words together as one. « un » and « une » are articles and
    /// count only inside a number; « cent » after « pour » is a percentage.
    /// Limit: « neuf » (new) reads as nine when a word follows it.
    fn numbers(&mut self) {
        let is_number = |t: &Token| {
            !t.link
                && t.folded.split('-').any(|p| NUMBERS.contains(&p))
                && t.folded
                    .split('-')
                    .all(|p| NUMBERS.contains(&p) || matches!(p, "et" | "un" | "une"))
        };
        let mut i = 0;
        while i < self.tokens.len() {
            let t = &self.tokens[i];
            let after_pour = i > 0 && self.tokens[i - 1].folded == "pour" && t.folded == "cent";
            let new = t.folded == "neuf" && i + 1 == self.tokens.len();
            if !is_number(t) || after_pour || new {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            loop {
                match self.tokens.get(j) {
                    Some(n) if is_number(n) => j += 1,
                    Some(n)
                        if n.folded == "et"
                            && self.tokens.get(j + 1).is_some_and(|m| {
                                is_number(m) || matches!(m.folded.as_str(), "un" | "une")
                            }) =>
                    {
                        j += 2
                    }
                    _ => break,
                }
            }
            let r = self.tokens[i].range.start..self.tokens[j - 1].range.end;
            let what = format!(
                "« {} » est un nombre écrit en lettres. Écrivez-le en chiffres.",
                self.words_of(&r)
            );
            self.flag(Kind::NumberInWords, r, what);
            i = j;
        }
    }

    /// « 15 % », « 15% », « quinze pour cent », « 15 pourcent ».
    fn percentages(&mut self) {
        let mut found = Vec::new();
        let s = &self.text[self.range.clone()];
        for (b, _) in s.match_indices('%') {
            let at = self.range.start + b;
            let start = self
                .tokens
                .iter()
                .rev()
                .find(|t| t.range.end <= at)
                .filter(|t| {
                    t.text.chars().all(|c| c.is_ascii_digit())
                        && self.text[t.range.end..at]
                            .chars()
                            .all(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
                })
                .map_or(at, |t| t.range.start);
            found.push(start..at + 1);
        }
        for (i, t) in self.tokens.iter().enumerate() {
            let pour_cent =
                t.folded == "pour" && self.tokens.get(i + 1).is_some_and(|n| n.folded == "cent");
            if pour_cent || t.folded == "pourcent" {
                let end = self.tokens[i + usize::from(pour_cent)].range.end;
                let start = match i.checked_sub(1).map(|p| &self.tokens[p]) {
                    Some(p) if p.text.chars().all(|c| c.is_ascii_digit()) => p.range.start,
                    _ => t.range.start,
                };
                found.push(start..end);
            }
        }
        for r in found {
            let what = format!(
                "« {} » est un pourcentage. Dites-le avec des mots simples : « la moitié », « 1 personne sur 4 ».",
                self.words_of(&r)
            );
            self.flag(Kind::Percentage, r, what);
        }
    }

    /// Each opening parenthesis, to its closing one (or to the end of the
    /// sentence when it is not closed there).
    fn parentheses(&mut self) {
        let s = &self.text[self.range.clone()];
        let mut found = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for (b, c) in s.char_indices() {
            match c {
                '(' => open.push(b),
                ')' => {
                    if let Some(start) = open.pop()
                        && open.is_empty()
                    {
                        found.push(start..b + 1);
                    }
                }
                _ => {}
            }
        }
        if let Some(&start) = open.first() {
            found.push(start..s.len());
        }
        found.sort_by_key(|r| r.start);
        for r in found {
            let r = self.range.start + r.start..self.range.start + r.end;
            let what = format!(
                "« {} » est entre parenthèses. Écrivez-le dans une phrase à part.",
                self.words_of(&r)
            );
            self.flag(Kind::Parenthesis, r, what);
        }
    }

    /// « ne … pas », « n’… jamais » (and plus, rien, personne, aucun…),
    /// « Personne ne », « Rien n’ », and « pas » without « ne » (« C’est
    /// pas grave », « Pas de réunion »). Limits: « ne … que » is not a
    /// negation and is not flagged; « pas » is a noun after an article.
    fn negatives(&mut self) {
        let mut found = Vec::new();
        let mut used = Vec::new();
        for (i, t) in self.tokens.iter().enumerate() {
            let ne = (t.folded == "ne" && !t.elided) || (t.folded == "n" && t.elided);
            if !ne {
                continue;
            }
            let by = (i + 1..self.tokens.len())
                .find(|&j| NEGATORS.contains(&self.tokens[j].folded.as_str()));
            let before = i
                .checked_sub(1)
                .filter(|&p| SUBJECTS.contains(&self.tokens[p].folded.as_str()));
            match (by, before) {
                (Some(j), _) => {
                    used.push(j);
                    found.push(t.range.start..self.tokens[j].range.end);
                }
                (None, Some(p)) => found.push(self.tokens[p].range.start..t.range.end),
                (None, None) => {}
            }
        }
        for (i, t) in self.tokens.iter().enumerate() {
            let article = i.checked_sub(1).is_some_and(|p| {
                matches!(
                    self.tokens[p].folded.as_str(),
                    "un" | "le"
                        | "les"
                        | "ce"
                        | "ces"
                        | "mon"
                        | "ton"
                        | "son"
                        | "a"
                        | "petit"
                        | "petits"
                        | "premier"
                        | "premiers"
                )
            });
            let step = self.tokens.get(i + 1).is_some_and(|n| n.folded == "a");
            if t.folded == "pas" && !used.contains(&i) && !article && !step {
                found.push(t.range.clone());
            }
        }
        found.sort_by_key(|r| r.start);
        for r in found {
            let what = format!(
                "« {} » est une tournure négative. Dites-le de façon positive si vous pouvez : « Restez » plutôt que « Ne partez pas ».",
                self.words_of(&r).trim_end_matches(is_apostrophe)
            );
            self.flag(Kind::Negative, r, what);
        }
    }

    /// A form of « être » followed by a past participle (« est organisé »,
    /// « sont tous invités », « a été validée »). A participle is a word in
    /// « é », « ée », « és », « ées », or one of `words::PARTICIPLES`. Limits: a
    /// participle used as an adjective is flagged too (« le bureau est
    /// fermé ») but for those of `words::NOT_PASSIVE`, with the verbs that take
    /// « être » (« est arrivé »); the pronominal forms (« se sont
    /// inscrits ») and the questions (« Êtes-vous inscrit ? ») are left.
    fn passives(&mut self) {
        let mut found = Vec::new();
        let tokens = &self.tokens;
        for (i, t) in tokens.iter().enumerate() {
            if !ETRE.contains(&t.folded.as_str()) {
                continue;
            }
            let prev = i.checked_sub(1).map(|p| tokens[p].folded.as_str());
            let prev2 = i.checked_sub(2).map(|p| tokens[p].folded.as_str());
            let pronominal = matches!(prev, Some("se" | "s" | "me" | "m" | "te" | "t"))
                || (matches!(prev, Some("nous" | "vous")) && prev == prev2);
            if pronominal {
                continue;
            }
            let mut k = i + 1;
            while k < tokens.len() && k <= i + 3 && BETWEEN.contains(&tokens[k].folded.as_str()) {
                k += 1;
            }
            let Some(p) = tokens.get(k) else { continue };
            if !is_participle(p) {
                continue;
            }
            let start = match prev {
                Some(a) if t.folded == "ete" && AVOIR.contains(&a) => tokens[i - 1].range.start,
                _ => t.range.start,
            };
            found.push(start..p.range.end);
        }
        for r in found {
            let what = format!(
                "« {} » est une tournure passive. Dites qui fait l’action : « La Croix-Rouge forme les intervenants-pairs » plutôt que « Les intervenants-pairs sont formés par la Croix-Rouge ».",
                self.words_of(&r)
            );
            self.flag(Kind::Passive, r, what);
        }
    }
}

/// Whether a word after « être » reads as a past participle.
fn is_participle(t: &Token) -> bool {
    if t.link || t.elided || in_list(&t.folded, NOT_PASSIVE) {
        return false;
    }
    let lower = t.text.to_lowercase();
    let in_e = ["é", "ée", "és", "ées"]
        .iter()
        .any(|end| lower.ends_with(end));
    (in_e && lower.chars().count() > 2) || in_list(&t.folded, PARTICIPLES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        flags(text).into_iter().map(|f| f.kind).collect()
    }

    /// The words flagged of one kind.
    fn words(text: &str, kind: Kind) -> Vec<String> {
        flags(text)
            .into_iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.words)
            .collect()
    }

    #[test]
    fn plain_easy_sentences_have_nothing_to_flag() {
        assert_eq!(kinds("Je vais à la réunion."), vec![]);
        assert_eq!(
            kinds("Vous pouvez venir à une réunion.\nLa réunion explique le réseau."),
            vec![]
        );
        assert_eq!(kinds("Avant de venir, vous savez où aller."), vec![]);
        assert_eq!(kinds("Une personne vous accueille à 10 heures."), vec![]);
        assert_eq!(kinds(""), vec![]);
    }

    #[test]
    fn sentences_split_on_ends_and_lines_but_not_after_abbreviations() {
        let text = "Apportez vos papiers, un stylo, etc. et venez.\nM. Dupont vous accueille ! Voir p. 12. C’est fini ?";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            vec![
                "Apportez vos papiers, un stylo, etc. et venez.",
                "M. Dupont vous accueille !",
                "Voir p. 12.",
                "C’est fini ?"
            ]
        );
        let text = "Prenez un stylo, du papier, etc. Venez à 10 heures.";
        assert_eq!(sentences(text).len(), 2);
        let text = "1. Lisez le texte.\n2. Posez vos questions... Merci !";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            vec!["1. Lisez le texte.", "2. Posez vos questions...", "Merci !"]
        );
        // An address keeps its dots.
        assert_eq!(sentences("Allez sur www.epop.fr pour lire.").len(), 1);
    }

    #[test]
    fn a_sentence_over_fifteen_words_is_flagged_with_its_number() {
        let text = "Bonjour.\nLe comité de pilotage régional se réunit chaque trimestre pour faire le point sur les actions menées dans les départements.";
        let f = flags(text);
        assert_eq!(f[0].kind, Kind::LongSentence);
        assert_eq!(f[0].sentence, 2);
        assert_eq!(
            f[0].message,
            "Phrase 2 : 20 mots. Coupez-la en deux phrases de 15 mots au plus."
        );
        assert_eq!(&text[f[0].range.clone()], f[0].words);
        // Fifteen words exactly, « l’ » not counted apart: not flagged.
        let fifteen =
            "Nous allons à la réunion de l’association avec Paul et Marie le lundi 3 mars.";
        assert!(!kinds(fifteen).contains(&Kind::LongSentence));
    }

    #[test]
    fn long_and_administrative_words() {
        let text = "Les modalités du dispositif sont expliquées préalablement.";
        assert_eq!(
            words(text, Kind::RareWord),
            vec!["modalités", "dispositif", "préalablement"]
        );
        // « préalablement » is long too, but flagged once.
        assert!(words(text, Kind::LongWord).is_empty());
        assert!(
            flags(text)[0]
                .message
                .contains("Écrivez plutôt « comment faire »")
        );
        assert_eq!(
            words("Parlez de votre accompagnement.", Kind::LongWord),
            vec!["accompagnement"]
        );
        // Each part of a hyphenated word counts alone.
        assert!(words("Les intervenants-pairs arrivent.", Kind::LongWord).is_empty());
        assert_eq!(
            words(
                "Ladite convention, nonobstant l’avis, est signée.",
                Kind::RareWord
            ),
            vec!["Ladite", "nonobstant"]
        );
    }

    #[test]
    fn acronyms_and_abbreviations() {
        assert_eq!(
            words(
                "L’ARS et le CREAI vérifient le RGAA avec l’ESAT.",
                Kind::Acronym
            ),
            vec!["ARS", "CREAI", "RGAA", "ESAT"]
        );
        assert_eq!(
            words(
                "Apportez un stylo, etc. Lisez la page (cf. p. 3) avec Mme Martin.",
                Kind::Acronym
            ),
            vec!["etc.", "cf.", "p.", "Mme"]
        );
        assert_eq!(words("Voir le dossier n° 4.", Kind::Acronym), vec!["n°"]);
        // A capital at the start, a region's name: not acronyms.
        assert!(words("Île-de-France : Paul arrive.", Kind::Acronym).is_empty());
    }

    #[test]
    fn numbers_in_words_but_not_the_article() {
        assert_eq!(
            words(
                "Il y a vingt-trois places et deux mille euros.",
                Kind::NumberInWords
            ),
            vec!["vingt-trois", "deux mille"]
        );
        assert_eq!(
            words("Il a vingt et un ans.", Kind::NumberInWords),
            vec!["vingt et un"]
        );
        assert!(words("Une personne vous aide avec un stylo.", Kind::NumberInWords).is_empty());
        assert!(words("Il y a 23 places.", Kind::NumberInWords).is_empty());
    }

    #[test]
    fn percentages() {
        assert_eq!(
            words(
                "15 % des personnes viennent, 20% restent, quinze pour cent partent.",
                Kind::Percentage
            ),
            vec!["15 %", "20%", "pour cent"]
        );
        // The number in words is its own flag, « cent » is not.
        assert_eq!(
            words("quinze pour cent partent.", Kind::NumberInWords),
            vec!["quinze"]
        );
    }

    #[test]
    fn middle_dots_inside_words_only() {
        let text = "Les intervenant\u{b7}es sont là \u{b7} les référent\u{b7}e\u{b7}s aussi.";
        assert_eq!(
            words(text, Kind::MiddleDot),
            vec!["intervenant\u{b7}es", "référent\u{b7}e\u{b7}s"]
        );
    }

    #[test]
    fn parentheses() {
        assert_eq!(
            words(
                "La réunion (au premier étage) commence à 10 heures.",
                Kind::Parenthesis
            ),
            vec!["(au premier étage)"]
        );
        assert_eq!(
            words("Venez (si vous pouvez", Kind::Parenthesis),
            vec!["(si vous pouvez"]
        );
    }

    #[test]
    fn negative_turns() {
        assert_eq!(
            words("Vous n'êtes pas seul.", Kind::Negative),
            vec!["n'êtes pas"]
        );
        assert_eq!(
            words("Vous ne payez rien. Personne ne vous juge.", Kind::Negative),
            vec!["ne payez rien", "Personne ne"]
        );
        assert_eq!(
            words("Ce n’est jamais trop tard.", Kind::Negative),
            vec!["n’est jamais"]
        );
        assert_eq!(words("C’est pas grave.", Kind::Negative), vec!["pas"]);
        assert!(words("Avancez pas à pas.", Kind::Negative).is_empty());
        assert!(words("Il ne reste que 2 places.", Kind::Negative).is_empty());
        assert_eq!(
            kinds("Vous n'êtes pas seul."),
            vec![Kind::Negative],
            "« êtes pas seul » is not a passive"
        );
    }

    #[test]
    fn passive_turns() {
        assert_eq!(
            words(
                "Les intervenants-pairs sont formés par la Croix-Rouge.",
                Kind::Passive
            ),
            vec!["sont formés"]
        );
        assert_eq!(
            words("Vous êtes tous invités à la fête.", Kind::Passive),
            vec!["êtes tous invités"]
        );
        assert_eq!(
            words("La demande a été validée hier.", Kind::Passive),
            vec!["a été validée"]
        );
        assert_eq!(
            words("Le repas est offert.", Kind::Passive),
            vec!["est offert"]
        );
        // Verbs with « être », adjectives, pronominal forms: not passive.
        assert!(words("Paul est arrivé hier.", Kind::Passive).is_empty());
        assert!(words("Je suis handicapée et fière.", Kind::Passive).is_empty());
        assert!(words("Ils se sont inscrits.", Kind::Passive).is_empty());
        assert!(words("La salle est au premier étage.", Kind::Passive).is_empty());
    }

    #[test]
    fn links_are_one_word_that_no_rule_reads() {
        assert_eq!(
            kinds(
                "Écrivez à contact@epop-reseau.fr ou allez sur https://www.exemple.fr/DOSSIER-ARS."
            ),
            vec![]
        );
    }

    #[test]
    fn odd_texts_are_read_without_panic() {
        for text in [
            "(((",
            ")",
            "...",
            "’",
            "n’",
            "a\u{b7}",
            "\u{b7}b",
            "%",
            "etc.",
            "n°",
            "M.",
            "1.",
            "ne",
            "est",
            "a été",
            "pour",
            "vingt et",
            "é\u{301}t\u{e9} 🙂 ?!",
            "\r\n\r\n",
            "www.",
            "@",
            "https://",
            "« Bonjour. »",
            "Il dit : « Non ! » Puis il part.",
        ] {
            for f in flags(text) {
                assert_eq!(&text[f.range.clone()], f.words, "{text}");
                assert!(f.sentence >= 1);
            }
        }
        let quoted = "Il dit : « Non ! » Puis il part.";
        assert_eq!(sentences(quoted).len(), 2);
    }

    #[test]
    fn flags_come_in_the_order_of_the_text_with_their_sentence() {
        let text = "Je viens.\nLa réunion est organisée par l’ARS (le 3 mars).";
        let f = flags(text);
        let got: Vec<(Kind, usize, &str)> = f
            .iter()
            .map(|f| (f.kind, f.sentence, f.words.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Kind::Passive, 2, "est organisée"),
                (Kind::Acronym, 2, "ARS"),
                (Kind::Parenthesis, 2, "(le 3 mars)"),
            ]
        );
        for f in &f {
            assert_eq!(&text[f.range.clone()], f.words);
            assert!(f.message.starts_with("Phrase 2 : « "), "{}", f.message);
        }
    }
}
