//! The small-number rule of the indicators: any figure about people
//! (peers, trainees, participants, answers) computed over fewer than 5
//! people reads « moins de 5 », except for those who see exact figures (the
//! coordination of that territory). 0 stays 0: nobody is behind it.

use std::fmt;

use super::SCALE;

/// Below this many people a figure is hidden.
pub const THRESHOLD: u64 = 5;
/// What a hidden figure reads.
pub const FEWER: &str = "moins de 5";

/// Who looks at the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// The coordination of the territory: every figure exactly.
    Exact,
    /// Everyone else (funders, observers, the public): small figures hidden.
    Masked,
}

/// A count of people as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Exact(u64),
    /// 1 to 4 people, not said exactly.
    FewerThanFive,
}

impl Figure {
    /// The count as `sight` may see it.
    pub fn of(count: u64, sight: Sight) -> Figure {
        if sight == Sight::Exact || count == 0 || count >= THRESHOLD {
            Figure::Exact(count)
        } else {
            Figure::FewerThanFive
        }
    }

    /// The exact count, when shown.
    pub fn exact(self) -> Option<u64> {
        match self {
            Figure::Exact(n) => Some(n),
            Figure::FewerThanFive => None,
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Exact(n) => write!(f, "{n}"),
            Figure::FewerThanFive => f.write_str(FEWER),
        }
    }
}

/// The share of the people asked who answered (a step or « je préfère ne
/// pas répondre »).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// Nobody was asked.
    NobodyAsked,
    /// A whole percentage, at most 100.
    Percent(u64),
    /// Fewer than 5 people answered: the rate would tell how many.
    Hidden,
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rate::NobodyAsked => f.write_str("personne n’a été interrogé"),
            Rate::Percent(p) => write!(f, "{p}\u{a0}%"),
            Rate::Hidden => write!(f, "non communiqué ({FEWER} réponses)"),
        }
    }
}

/// One step of the scale and how many chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub value: i64,
    pub label: &'static str,
    pub count: Figure,
}

/// The answers to one question of the five-step scale, as `sight` may see
/// them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// The five steps, best first as in [`SCALE`].
    pub steps: Vec<Step>,
    /// People who chose a step.
    pub answered: Figure,
    /// People who said « je préfère ne pas répondre ».
    pub declined: Figure,
    /// People the questionnaire was sent to.
    pub asked: Figure,
    pub rate: Rate,
}

/// The distribution of a scale question: `per_step` gives (step value, how
/// many chose it) as a grouped count returns them (steps outside 1 to 5 and
/// absent steps count 0), `declined` those who declined, `asked` those who
/// were sent the questionnaire.
///
/// Each figure is hidden on its own: with the total of answers shown, one
/// hidden step (or a few, from their sum) can still be worked out by
/// subtraction; a page that must prevent it withholds the total as well.
pub fn distribution(
    per_step: &[(i64, u64)],
    declined: u64,
    asked: u64,
    sight: Sight,
) -> Distribution {
    let count = |value: i64| -> u64 {
        per_step
            .iter()
            .filter(|(v, _)| *v == value)
            .map(|(_, n)| n)
            .sum()
    };
    let steps: Vec<Step> = SCALE
        .iter()
        .map(|&(value, label)| Step {
            value,
            label,
            count: Figure::of(count(value), sight),
        })
        .collect();
    let answered: u64 = SCALE.iter().map(|&(v, _)| count(v)).sum();
    let respondents = answered + declined;
    let rate = if asked == 0 {
        Rate::NobodyAsked
    } else if Figure::of(respondents, sight) == Figure::FewerThanFive {
        Rate::Hidden
    } else {
        Rate::Percent(((respondents * 100 + asked / 2) / asked).min(100))
    };
    Distribution {
        steps,
        answered: Figure::of(answered, sight),
        declined: Figure::of(declined, sight),
        asked: Figure::of(asked, sight),
        rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_read_fewer_than_five_unless_seen_exactly() {
        let shown = |n| Figure::of(n, Sight::Masked).to_string();
        assert_eq!(shown(0), "0");
        assert_eq!(shown(1), "moins de 5");
        assert_eq!(shown(4), "moins de 5");
        assert_eq!(shown(5), "5");
        assert_eq!(shown(1234), "1234");
        assert_eq!(Figure::of(3, Sight::Exact), Figure::Exact(3));
        assert_eq!(Figure::of(3, Sight::Exact).to_string(), "3");
        assert_eq!(Figure::of(3, Sight::Masked).exact(), None);
        assert_eq!(Figure::of(7, Sight::Masked).exact(), Some(7));
    }

    #[test]
    fn a_distribution_hides_small_steps() {
        let d = distribution(&[(5, 12), (4, 3), (1, 6), (9, 40)], 2, 40, Sight::Masked);
        let shown: Vec<_> = d
            .steps
            .iter()
            .map(|s| (s.label, s.count.to_string()))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("Très bien", "12".to_owned()),
                ("Bien", "moins de 5".to_owned()),
                ("Moyen", "0".to_owned()),
                ("Pas bien", "0".to_owned()),
                ("Pas bien du tout", "6".to_owned()),
            ]
        );
        assert_eq!(d.answered, Figure::Exact(21));
        assert_eq!(d.declined.to_string(), "moins de 5");
        assert_eq!(d.asked, Figure::Exact(40));
        assert_eq!(d.rate, Rate::Percent(58));
        assert_eq!(d.rate.to_string(), "58\u{a0}%");
    }

    #[test]
    fn the_coordination_sees_every_figure() {
        let d = distribution(&[(4, 3)], 1, 3, Sight::Exact);
        assert_eq!(d.steps[1].count, Figure::Exact(3));
        assert_eq!(
            (d.answered, d.declined),
            (Figure::Exact(3), Figure::Exact(1))
        );
        assert_eq!(d.rate, Rate::Percent(100));
    }

    #[test]
    fn the_rate_hides_few_respondents_and_says_when_nobody_was_asked() {
        let d = distribution(&[(4, 3)], 0, 30, Sight::Masked);
        assert_eq!(d.rate, Rate::Hidden);
        assert_eq!(d.rate.to_string(), "non communiqué (moins de 5 réponses)");
        assert_eq!(d.answered.to_string(), "moins de 5");
        let none = distribution(&[], 0, 0, Sight::Masked);
        assert_eq!(none.rate.to_string(), "personne n’a été interrogé");
        assert!(none.steps.iter().all(|s| s.count == Figure::Exact(0)));
        let nobody_answered = distribution(&[], 0, 12, Sight::Masked);
        assert_eq!(nobody_answered.rate, Rate::Percent(0));
    }
}
