//! « Mon parcours »: a person's path in the network, in order — their
//! application to join, information meetings, training applications, half-days attended, certificate,
//! accompaniment milestones, practice-analysis groups, interventions done —
//! and what comes next, with the milestones that are late. The person sees
//! it at `/espace/mon-parcours`; the coordination of their territory sees
//! the same path on the accompaniment page (`trainings/accompaniment.rs`
//! uses [`view`]) and, at `/admin/parcours`, who has a late milestone.
//! Follow-up notes stay on the coordination's page only.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use epop_domain::candidate::Step;
use epop_domain::directory::InterventionKind;
use epop_domain::path::{Due, to_come};
use epop_domain::schedule::day_in_words;
use epop_domain::training::ApplicationStatus;
use epop_store::path::{self, Path};

use crate::context::Layout;
use crate::french::{french_day, paris, paris_today};
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/mon-parcours", get(mine))
        .route("/admin/parcours", get(late))
}

/// One step done (or booked), in the order of its date.
pub struct StepView {
    at: i64,
    /// Orders steps of the same instant: the application, events, the
    /// training's steps, milestones, interventions.
    rank: u8,
    pub when: String,
    pub title: String,
    pub detail: String,
    /// (address, words) of a document or page about the step.
    pub link: Option<(String, String)>,
}

/// A milestone to come.
pub struct DueView {
    pub label: &'static str,
    pub due: String,
    pub late: bool,
}

impl From<Due> for DueView {
    fn from(d: Due) -> DueView {
        DueView {
            label: d.milestone.label(),
            due: day_in_words(d.due_on),
            late: d.late,
        }
    }
}

pub struct PathView {
    pub steps: Vec<StepView>,
    pub to_come: Vec<DueView>,
    pub trained: bool,
}

impl PathView {
    pub fn late_count(&self) -> usize {
        self.to_come.iter().filter(|d| d.late).count()
    }
}

fn step(at: i64, rank: u8, title: String, detail: String) -> StepView {
    StepView {
        at,
        rank,
        when: french_day(at),
        title,
        detail,
        link: None,
    }
}

fn event_steps(p: &Path, now: i64) -> impl Iterator<Item = StepView> + '_ {
    p.events.iter().map(move |e| {
        let title = if e.practice_group {
            "Groupe d’analyse des pratiques"
        } else if e.information_meeting {
            "Réunion d’information"
        } else {
            "Événement"
        };
        let state = match (e.attended, e.status.as_str()) {
            (Some(true), _) => "présence notée",
            (Some(false), _) => "absence notée",
            (None, "waiting") => "sur la liste d’attente",
            (None, _) if e.starts_at > now => "à venir",
            (None, _) => "inscription",
        };
        let mut s = step(
            e.starts_at,
            1,
            title.into(),
            format!("{} ({state})", e.title),
        );
        s.link = Some((format!("/evenements/{}", e.slug), "Voir l’événement".into()));
        s
    })
}

fn training_steps(p: &Path) -> Vec<StepView> {
    let mut steps = Vec::new();
    for t in &p.trainings {
        steps.push(step(
            t.applied_at,
            2,
            "Candidature à une formation".into(),
            format!("{} : {}", t.title, t.status.label()),
        ));
        if let (Some(at), ApplicationStatus::Accepted | ApplicationStatus::Completed) =
            (t.decided_at, t.status)
        {
            steps.push(step(at, 3, "Place en formation".into(), t.title.clone()));
        }
        if t.half_days_present > 0 {
            steps.push(step(
                t.session_ends_at.unwrap_or(t.applied_at),
                4,
                "Demi-journées de formation suivies".into(),
                format!("{} sur {}", t.half_days_present, t.half_days),
            ));
        }
        if let Some(at) = t.completed_at {
            let mut s = step(
                at,
                5,
                "Formation terminée".into(),
                format!("{} : certificat de réalisation", t.title),
            );
            s.link = Some((
                format!(
                    "/espace/formations/{}/certificat.pdf",
                    t.application_public_id
                ),
                "Télécharger le certificat (PDF)".into(),
            ));
            steps.push(s);
        }
    }
    steps
}

/// Noon in Paris that day, so that a milestone sorts within its day.
fn noon(d: NaiveDate) -> i64 {
    d.and_hms_opt(11, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// The path in order and what comes next (`today` in Paris).
pub fn view(p: &Path, now: i64, today: NaiveDate) -> PathView {
    let mut steps: Vec<StepView> = event_steps(p, now).chain(training_steps(p)).collect();
    // The application's own steps; its training steps are the trainings'.
    steps.extend(
        p.applications
            .iter()
            .filter(|a| {
                !matches!(
                    a.step,
                    Step::TrainingApplied | Step::TrainingAccepted | Step::Trained
                )
            })
            .map(|a| step(a.at, 0, a.step.label().into(), a.detail.clone())),
    );
    steps.extend(p.milestones.iter().map(|(m, d)| {
        step(
            noon(*d),
            6,
            "Étape de l’accompagnement".into(),
            m.label().into(),
        )
    }));
    steps.extend(p.interventions.iter().map(|i| {
        let kind = i
            .kind
            .as_deref()
            .and_then(InterventionKind::parse)
            .map_or("Intervention", |k| k.label());
        let place = i
            .department
            .as_deref()
            .map(|d| format!(", {d}"))
            .unwrap_or_default();
        step(
            i.done_at,
            7,
            "Intervention réalisée".into(),
            format!("{kind}{place}"),
        )
    }));
    steps.sort_by_key(|s| (s.at, s.rank));
    let trained_at = p.trained_at();
    let reached: Vec<_> = p.milestones.iter().map(|(m, _)| *m).collect();
    let to_come = trained_at
        .map(|at| to_come(paris(at).date_naive(), &reached, today))
        .unwrap_or_default()
        .into_iter()
        .map(DueView::from)
        .collect();
    PathView {
        steps,
        to_come,
        trained: trained_at.is_some(),
    }
}

#[derive(Template)]
#[template(path = "path/mine.html")]
struct Mine {
    l: Layout,
    path: PathView,
    /// Has an open training application (then the next step is the training).
    in_training: bool,
}

async fn mine(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let p = path::of(&mut conn, user.account.id, &user.account.email).await?;
    let in_training = p.trainings.iter().any(|t| t.status.is_open());
    render(&Mine {
        l: ctx.layout("Mon parcours"),
        path: view(&p, epop_store::now(), paris_today()),
        in_training,
    })
}

/// A person of the territory with milestones late or to come.
pub struct Row {
    pub public_id: String,
    pub name: String,
    pub department: String,
    pub late: Vec<DueView>,
    pub next: Option<DueView>,
}

#[derive(Template)]
#[template(path = "path/late.html")]
struct Late {
    l: Layout,
    late: Vec<Row>,
    on_time: Vec<Row>,
}

/// The people of the viewer's territory in accompaniment, those with a late
/// milestone first.
async fn late(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let admin = user.principal.is_admin();
    let today = paris_today();
    let (mut late, mut on_time) = (Vec::new(), Vec::new());
    for a in path::accompanied(&mut conn, admin).await? {
        if !user.principal.may_act_in(a.department_code.as_deref()) {
            continue;
        }
        let due = to_come(paris(a.trained_at).date_naive(), &a.reached, today);
        let (late_ones, mut rest): (Vec<_>, Vec<_>) =
            due.into_iter().map(DueView::from).partition(|d| d.late);
        let row = Row {
            public_id: a.account_public_id,
            name: a.name,
            department: a.department_code.unwrap_or_default(),
            next: (!rest.is_empty()).then(|| rest.remove(0)),
            late: late_ones,
        };
        if row.late.is_empty() {
            on_time.push(row);
        } else {
            late.push(row);
        }
    }
    render(&Late {
        l: ctx.layout("Accompagnements : les étapes en retard"),
        late,
        on_time,
    })
}
