//! The easy-read writing aid of the editors (toolbox resources, news,
//! programmes): what `epop_domain::easy_read` flags in an easy-read field,
//! as the one partial `partials/easy_read_aid.html` lists it beside the
//! field, and the forms' second button « Vérifier le texte facile »
//! (`action=verifier`), which shows the form again with the flags of what
//! was typed and saves nothing — not even a file sent with it. An aid, not
//! a gate: a text is saved whatever it flags.

use epop_domain::easy_read;

use crate::forms::Pairs;

/// The value of the `action` button that checks without saving.
pub const CHECK: &str = "verifier";

/// Whether the form was sent by « Vérifier le texte facile ».
pub fn checking(p: &Pairs) -> bool {
    p.get("action") == CHECK
}

/// One easy-read field with what the rules flag in its text, as the
/// partial shows it.
#[derive(Debug)]
pub struct Aid {
    /// The field's name and `id`.
    pub field: &'static str,
    /// Whether the list is shown: a text to read, or « Vérifier » asked.
    pub shown: bool,
    /// Whether the field is empty.
    pub empty: bool,
    /// Each flag's message: its sentence, its words and what to do.
    pub items: Vec<String>,
    /// Sent by « Vérifier »: nothing was saved.
    pub checking: bool,
}

impl Aid {
    /// The `id` of the list.
    pub fn list_id(&self) -> String {
        format!("{}-facile", self.field)
    }

    /// The field's `aria-describedby`: its hint, its error, then the list.
    pub fn described_by(&self, hint: &str, error: &str) -> String {
        let mut ids = Vec::new();
        if !hint.is_empty() {
            ids.push(format!("{}-aide", self.field));
        }
        if !error.is_empty() {
            ids.push(format!("{}-erreur", self.field));
        }
        if self.shown {
            ids.push(self.list_id());
        }
        ids.join(" ")
    }
}

/// The easy-read fields of a form, each with its flags.
#[derive(Debug)]
pub struct Aids {
    pub checking: bool,
    fields: Vec<Aid>,
}

/// An unknown field: no list.
static NONE: Aid = Aid {
    field: "",
    shown: false,
    empty: true,
    items: Vec::new(),
    checking: false,
};

impl Aids {
    /// The flags of these fields of the form as sent or as stored.
    pub fn of(p: &Pairs, fields: &[&'static str]) -> Aids {
        Aids::read(p, fields, str::to_owned)
    }

    /// The flags of these fields as `words` reads them (a text written in
    /// Markdown is checked on its words only).
    pub fn read(p: &Pairs, fields: &[&'static str], words: fn(&str) -> String) -> Aids {
        let checking = checking(p);
        let fields = fields
            .iter()
            .map(|&field| {
                let text = words(&p.get(field));
                let empty = text.trim().is_empty();
                Aid {
                    field,
                    shown: checking || !empty,
                    empty,
                    items: easy_read::flags(&text)
                        .into_iter()
                        .map(|f| f.message)
                        .collect(),
                    checking,
                }
            })
            .collect();
        Aids { checking, fields }
    }

    /// The aid of one field (templates: `aids.get("summary_easy")`).
    pub fn get(&self, field: &str) -> &Aid {
        self.fields
            .iter()
            .find(|a| a.field == field)
            .unwrap_or(&NONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[(&str, &str)]) -> Pairs {
        Pairs(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_text_shows_its_flags_and_an_empty_field_only_when_asked() {
        let p = pairs(&[("summary_easy", "Vous n’êtes pas seul.")]);
        let aids = Aids::of(&p, &["summary_easy"]);
        let aid = aids.get("summary_easy");
        assert!(aid.shown && !aid.checking);
        assert_eq!(aid.items.len(), 1);
        assert!(aid.items[0].starts_with("Phrase 1 : « n’êtes pas »"));
        assert_eq!(
            aid.described_by("aide", ""),
            "summary_easy-aide summary_easy-facile"
        );
        let empty = Aids::of(&pairs(&[("aims_easy", " ")]), &["aims_easy"]);
        assert!(!empty.get("aims_easy").shown);
        assert_eq!(empty.get("aims_easy").described_by("", ""), "");
        let asked = Aids::of(&pairs(&[("action", "verifier")]), &["aims_easy"]);
        assert!(asked.checking && asked.get("aims_easy").shown);
        assert!(asked.get("aims_easy").empty);
        assert!(!Aids::of(&p, &[]).get("summary_easy").shown);
    }
}
