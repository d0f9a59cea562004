//! Accounts: the list (a coordinator sees their territory), inviting a new
//! person, and editing a person's profile, roles and territories. Every role,
//! territory and organisation change is written to the audit log. A person
//! is put in an organisation only by someone who may add its members
//! (`Principal::may_add_members`: a coordinator, the organisations of their
//! territory; an admin, all): the list offers only those, and another one
//! sent anyway is refused on the field.

mod checks;

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use epop_domain::account::{self, AccountStatus};
use epop_domain::{Email, Principal, Role};
use epop_store::accounts::{self, Account, NewAccount};
use epop_store::sessions;
use epop_store::territories::{self, Department, Region};
use epop_store::{StoreError, audit, organisations};

use crate::context::{CurrentUser, Layout};
use crate::forms::{Errors, Pairs};
use crate::french::paris_time;
use crate::render::{render, render_form};
use crate::security::public_id;
use crate::{AppError, AppState, Ctx};

use checks::{account_department, chosen_organisation, chosen_status, granted_roles, parse_scopes};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/comptes", get(list))
        .route("/admin/comptes/inviter", get(invite_form).post(invite))
        .route("/admin/comptes/{id}", get(detail).post(update_profile))
        .route("/admin/comptes/{id}/roles", post(update_roles))
}

/// A line of the accounts table.
pub struct Row {
    pub public_id: String,
    pub name: String,
    pub email: String,
    pub roles: String,
    pub department: String,
    pub status: &'static str,
    pub last_sign_in: String,
    /// Whether this person may open the account (a coordinator cannot open
    /// an administrator's or another coordinator's account).
    pub manageable: bool,
}

fn roles_text(a: &Account) -> String {
    a.roles
        .keys()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The départements this person may manage accounts in (`None`: all).
fn scope(p: &Principal) -> Option<Vec<String>> {
    if p.is_admin() {
        None
    } else {
        Some(p.coordinated_departments.iter().cloned().collect())
    }
}

pub struct RoleOption {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
    pub allowed: bool,
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct List {
    l: Layout,
    rows: Vec<Row>,
    roles: Vec<RoleOption>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let role = ctx.query_param("role").and_then(|r| Role::from_code(&r));
    let mut conn = state.db.conn().await?;
    let allowed = scope(&user.principal);
    let accounts = accounts::list(&mut conn, allowed.as_deref(), role).await?;
    let rows = accounts
        .iter()
        .map(|a| Row {
            public_id: a.public_id.clone(),
            name: a.display_name.clone(),
            email: a.email.clone(),
            roles: roles_text(a),
            department: a
                .department_name
                .clone()
                .unwrap_or_else(|| "National".into()),
            status: a.status.label(),
            last_sign_in: a
                .last_sign_in_at
                .map(paris_time)
                .unwrap_or_else(|| "jamais".into()),
            manageable: user
                .principal
                .may_manage_account(a.department_code.as_deref(), a.roles.keys().copied()),
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .map(|r| RoleOption {
            code: r.code(),
            label: r.label(),
            selected: Some(r) == role,
            allowed: true,
        })
        .collect();
    let title = if user.principal.is_admin() {
        "Comptes"
    } else {
        "Comptes de mon territoire"
    };
    render(&List {
        l: ctx.layout(title),
        rows,
        roles,
    })
}

/// The fields of the invitation form, kept to show them again on error.
#[derive(Default)]
pub struct InviteFields {
    pub email: String,
    pub name: String,
    pub department: String,
    pub organisation: String,
    pub territories: String,
    /// Write to the person in easy-read French from the invitation on.
    pub easy_emails: bool,
}

pub struct OrgOption {
    pub slug: String,
    pub name: String,
}

#[derive(Clone)]
pub struct RegionOption {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin/invite.html")]
struct InvitePage {
    l: Layout,
    errors: Errors,
    f: InviteFields,
    roles: Vec<RoleOption>,
    departments: Vec<Department>,
    organisations: Vec<OrgOption>,
    regions: Vec<RegionOption>,
    may_set_territories: bool,
}

/// The form's lists: départements, the organisations this person may put
/// someone in (and `current`, the one the account is already in), regions.
async fn options(
    state: &AppState,
    p: &Principal,
    current: Option<i64>,
) -> Result<(Vec<Department>, Vec<OrgOption>, Vec<Region>), AppError> {
    let mut conn = state.db.conn().await?;
    let departments = territories::departments(&mut conn).await?;
    let organisations = organisations::list(&mut conn)
        .await?
        .into_iter()
        .filter(|o| Some(o.id) == current || p.may_add_members(o.department_code.as_deref()))
        .map(|o| OrgOption {
            slug: o.slug,
            name: o.name,
        })
        .collect();
    let regions = territories::regions(&mut conn).await?;
    Ok((departments, organisations, regions))
}

fn role_options(p: &Principal, selected: &BTreeSet<Role>) -> Vec<RoleOption> {
    Role::ALL
        .into_iter()
        .filter(|r| p.may_grant(*r))
        .map(|r| RoleOption {
            code: r.code(),
            label: r.label(),
            selected: selected.contains(&r),
            allowed: true,
        })
        .collect()
}

fn region_options(regions: Vec<Region>, checked: &BTreeSet<String>) -> Vec<RegionOption> {
    regions
        .into_iter()
        .map(|r| RegionOption {
            checked: checked.contains(&r.code),
            code: r.code,
            name: r.name,
        })
        .collect()
}

async fn invite_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    f: InviteFields,
    selected: BTreeSet<Role>,
    regions: BTreeSet<String>,
    errors: Errors,
) -> Result<Response, AppError> {
    let (mut departments, organisations, all_regions) =
        options(state, &user.principal, None).await?;
    if let Some(allowed) = scope(&user.principal) {
        departments.retain(|d| allowed.contains(&d.code));
    }
    let invalid = !errors.is_empty();
    let page = InvitePage {
        l: ctx.layout_with_errors("Inviter une personne", invalid),
        errors,
        f,
        roles: role_options(&user.principal, &selected),
        departments,
        organisations,
        regions: region_options(all_regions, &regions),
        may_set_territories: user.principal.is_admin(),
    };
    render_form(&page, invalid)
}

async fn invite_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?.clone();
    invite_page(
        &state,
        &ctx,
        &user,
        InviteFields::default(),
        BTreeSet::new(),
        BTreeSet::new(),
        Errors::default(),
    )
    .await
}

/// Gives a new account its roles, and their territories to the territorial
/// ones, each with its audit line.
async fn grant_roles(
    tx: &mut epop_store::Conn,
    ctx: &Ctx,
    id: i64,
    subject: &Option<String>,
    selected: &BTreeSet<Role>,
    scopes: &[(String, String)],
) -> Result<(), AppError> {
    for role in selected {
        accounts::grant(tx, id, *role).await?;
        audit::record(
            tx,
            ctx.audit(
                "role_granted",
                subject.clone(),
                format!("Rôle donné : {}", role.label()),
            ),
        )
        .await?;
        if role.is_territorial() {
            accounts::set_scopes(tx, id, *role, scopes).await?;
            audit::record(
                tx,
                ctx.audit(
                    "territory_changed",
                    subject.clone(),
                    format!(
                        "Territoires de « {} » : {}",
                        role.label(),
                        scopes_text(scopes)
                    ),
                ),
            )
            .await?;
        }
    }
    Ok(())
}

async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?.clone();
    let p = &user.principal;
    let mut errors = Errors::default();
    let f = InviteFields {
        email: form.get("email"),
        name: form.get("name"),
        department: form.get("department"),
        organisation: form.get("organisation"),
        territories: form.get("territories"),
        easy_emails: form.get("courriels") == "facile",
    };
    let email = errors.check("email", Email::parse(&f.email));
    let name = errors.check("name", account::display_name(&f.name));
    let selected = granted_roles(p, &form, &mut errors);
    let department = account_department(
        p,
        &f.department,
        "Vous pouvez inviter seulement des personnes de votre territoire.",
        &mut errors,
    );
    let (scopes, regions) = if p.is_admin() {
        parse_scopes(&form, &mut errors)
    } else {
        (Vec::new(), BTreeSet::new())
    };
    let territorial = selected.iter().any(|r| r.is_territorial());
    if territorial && scopes.is_empty() && errors.get("territories").is_empty() {
        errors.add("territories", "Un coordinateur ou un financeur a besoin d’un territoire : cochez une région ou tapez des numéros de départements.");
    }
    let mut conn = state.db.conn().await?;
    let organisation =
        chosen_organisation(&mut conn, p, &f.organisation, None, &mut errors).await?;
    drop(conn);
    let (Some(email), Some(name), true) = (email, name, errors.is_empty()) else {
        return invite_page(&state, &ctx, &user, f, selected, regions, errors).await;
    };
    let new = NewAccount {
        public_id: public_id(),
        email: email.clone(),
        display_name: name.clone(),
        status: AccountStatus::Invited,
        department,
        organisation_id: organisation.as_ref().map(|o| o.id),
    };
    let mut tx = state.db.write().await?;
    let id = match accounts::create(&mut tx, &new).await {
        Ok(id) => id,
        Err(StoreError::Duplicate(_)) => {
            drop(tx);
            let mut errors = Errors::default();
            errors.add("email", "Un compte existe déjà avec cette adresse e-mail. Cherchez la personne dans la liste des comptes.");
            return invite_page(&state, &ctx, &user, f, selected, regions, errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    let subject = Some(format!("account:{}", new.public_id));
    audit::record(
        &mut tx,
        ctx.audit(
            "account_invited",
            subject.clone(),
            format!(
                "Invitation de {email}{}",
                if f.easy_emails {
                    " (e-mails en facile à lire)"
                } else {
                    ""
                }
            ),
        ),
    )
    .await?;
    if f.easy_emails {
        accounts::set_easy_read_emails(&mut tx, id, true).await?;
    }
    grant_roles(&mut tx, &ctx, id, &subject, &selected, &scopes).await?;
    let roles = selected
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ");
    crate::auth::send_invitation(
        &mut tx,
        &state.config.base_url,
        &crate::auth::Invitation {
            account_id: id,
            email: email.as_str(),
            name: &name,
            inviter: &user.account.display_name,
            roles: &roles,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/admin/comptes/{}?message=invitation",
        new.public_id
    ))
    .into_response())
}

fn scopes_text(scopes: &[(String, String)]) -> String {
    if scopes.is_empty() {
        return "aucun".into();
    }
    scopes
        .iter()
        .map(|(kind, code)| {
            if kind == "region" {
                format!("région {code}")
            } else {
                format!("département {code}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct Detail {
    l: Layout,
    errors: Errors,
    a: Account,
    status_options: Vec<(&'static str, &'static str, bool)>,
    departments: Vec<Department>,
    organisations: Vec<OrgOption>,
    organisation_slug: String,
    roles: Vec<RoleOption>,
    coordinator_regions: Vec<RegionOption>,
    coordinator_departments: String,
    observer_regions: Vec<RegionOption>,
    observer_departments: String,
    may_set_territories: bool,
    created: String,
    phone: Option<String>,
}

/// Loads an account the current person may manage, or refuses.
async fn managed(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
) -> Result<(CurrentUser, Account), AppError> {
    let user = ctx.require(|p| p.may_administer())?.clone();
    let mut conn = state.db.conn().await?;
    let account = accounts::by_public_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.principal.may_manage_account(
        account.department_code.as_deref(),
        account.roles.keys().copied(),
    ) {
        return Err(AppError::Forbidden);
    }
    Ok((user, account))
}

fn split_scopes(a: &Account, role: Role, regions: &[Region]) -> (Vec<RegionOption>, String) {
    let scopes = a.roles.get(&role).cloned().unwrap_or_default();
    let checked: BTreeSet<String> = scopes
        .iter()
        .filter(|s| s.kind == "region")
        .map(|s| s.code.clone())
        .collect();
    let depts: Vec<String> = scopes
        .iter()
        .filter(|s| s.kind == "department")
        .map(|s| s.code.clone())
        .collect();
    (region_options(regions.to_vec(), &checked), depts.join(", "))
}

async fn detail_page(
    state: &AppState,
    ctx: &Ctx,
    user: &CurrentUser,
    a: Account,
    errors: Errors,
) -> Result<Response, AppError> {
    let (mut departments, organisations, regions) =
        options(state, &user.principal, a.organisation_id).await?;
    if let Some(allowed) = scope(&user.principal) {
        departments.retain(|d| allowed.contains(&d.code));
    }
    let mut conn = state.db.conn().await?;
    let phone = accounts::phone(&mut conn, a.id).await?;
    let organisation_slug = match a.organisation_id {
        Some(_) => organisations::list(&mut conn)
            .await?
            .into_iter()
            .find(|o| Some(o.id) == a.organisation_id)
            .map(|o| o.slug)
            .unwrap_or_default(),
        None => String::new(),
    };
    let roles = Role::ALL
        .into_iter()
        .map(|r| RoleOption {
            code: r.code(),
            label: r.label(),
            selected: a.roles.contains_key(&r),
            allowed: user.principal.may_grant(r),
        })
        .collect();
    let (coordinator_regions, coordinator_departments) =
        split_scopes(&a, Role::Coordinator, &regions);
    let (observer_regions, observer_departments) = split_scopes(&a, Role::Observer, &regions);
    let status_options = [
        AccountStatus::Invited,
        AccountStatus::Active,
        AccountStatus::Disabled,
    ]
    .into_iter()
    .map(|s| (s.code(), s.label(), s == a.status))
    .collect();
    let invalid = !errors.is_empty();
    let page = Detail {
        l: ctx.layout_with_errors(
            format!("Compte {}", crate::french::elided("de", &a.display_name)),
            invalid,
        ),
        errors,
        status_options,
        departments,
        organisations,
        organisation_slug,
        roles,
        coordinator_regions,
        coordinator_departments,
        observer_regions,
        observer_departments,
        may_set_territories: user.principal.is_admin(),
        created: paris_time(a.created_at),
        phone,
        a,
    };
    render_form(&page, invalid)
}

async fn detail(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (user, account) = managed(&state, &ctx, &id).await?;
    detail_page(&state, &ctx, &user, account, Errors::default()).await
}

/// An account's profile as the form changes it.
struct Changed<'a> {
    status: AccountStatus,
    organisation: Option<&'a organisations::Organisation>,
    department: Option<&'a str>,
    name: &'a str,
}

/// The audit lines of a profile's change: state (a disabled account loses
/// its sessions), organisation and département when they change, then the
/// change itself.
async fn audit_changes(
    tx: &mut epop_store::Conn,
    ctx: &Ctx,
    account: &Account,
    changed: &Changed<'_>,
) -> Result<(), AppError> {
    let subject = Some(format!("account:{}", account.public_id));
    let status = changed.status;
    if status != account.status {
        audit::record(
            tx,
            ctx.audit(
                "account_status_changed",
                subject.clone(),
                format!("État : {} → {}", account.status.label(), status.label()),
            ),
        )
        .await?;
        if status == AccountStatus::Disabled {
            sessions::delete_all_of(tx, account.id).await?;
        }
    }
    if changed.organisation.map(|o| o.id) != account.organisation_id {
        audit::record(
            tx,
            ctx.audit(
                "organisation_changed",
                subject.clone(),
                format!(
                    "Organisation : {} → {}",
                    account.organisation_name.as_deref().unwrap_or("aucune"),
                    changed.organisation.map_or("aucune", |o| o.name.as_str())
                ),
            ),
        )
        .await?;
    }
    if changed.department != account.department_code.as_deref() {
        audit::record(
            tx,
            ctx.audit(
                "territory_changed",
                subject.clone(),
                format!(
                    "Département : {} → {}",
                    account.department_code.as_deref().unwrap_or("aucun"),
                    changed.department.unwrap_or("aucun")
                ),
            ),
        )
        .await?;
    }
    audit::record(
        tx,
        ctx.audit(
            "account_updated",
            subject,
            format!("Compte modifié : {}", changed.name),
        ),
    )
    .await?;
    Ok(())
}

async fn update_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let (user, account) = managed(&state, &ctx, &id).await?;
    let p = &user.principal;
    let mut errors = Errors::default();
    let name = errors.check("name", account::display_name(&form.get("name")));
    let status = chosen_status(&form, account.id == user.account.id, &mut errors);
    let department = account_department(
        p,
        &form.get("department"),
        "Ce département n’est pas dans votre territoire.",
        &mut errors,
    );
    let mut tx = state.db.write().await?;
    let organisation = chosen_organisation(
        &mut tx,
        p,
        &form.get("organisation"),
        account.organisation_id,
        &mut errors,
    )
    .await?;
    let organisation_id = organisation.as_ref().map(|o| o.id);
    let (Some(name), Some(status), true) = (name, status, errors.is_empty()) else {
        drop(tx);
        return detail_page(&state, &ctx, &user, account, errors).await;
    };
    accounts::update_profile(
        &mut tx,
        account.id,
        &name,
        department.as_deref(),
        organisation_id,
        status,
    )
    .await?;
    let changed = Changed {
        status,
        organisation: organisation.as_ref(),
        department: department.as_deref(),
        name: &name,
    };
    audit_changes(&mut tx, &ctx, &account, &changed).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/admin/comptes/{}?message=compte",
        account.public_id
    ))
    .into_response())
}

async fn update_roles(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let (user, account) = managed(&state, &ctx, &id).await?;
    let p = &user.principal;
    let wanted: BTreeSet<Role> = form
        .all("roles")
        .iter()
        .filter_map(|r| Role::from_code(r))
        .collect();
    let mut errors = Errors::default();
    if account.id == user.account.id
        && account.roles.contains_key(&Role::Admin)
        && !wanted.contains(&Role::Admin)
    {
        errors.add("role-0", "Vous ne pouvez pas retirer votre propre rôle d’administrateur : demandez-le à un autre administrateur.");
    }
    // Territories, for admins: one pair of fields per territorial role.
    let mut scopes_by_role = Vec::new();
    if p.is_admin() {
        for (role, prefix) in [
            (Role::Coordinator, "coordinator"),
            (Role::Observer, "observer"),
        ] {
            let pairs = Pairs(
                form.0
                    .iter()
                    .filter_map(|(k, v)| {
                        k.strip_prefix(prefix)
                            .map(|rest| (rest.trim_start_matches('-').to_owned(), v.clone()))
                    })
                    .collect(),
            );
            let mut field_errors = Errors::default();
            let (scopes, _) = parse_scopes(&pairs, &mut field_errors);
            for e in field_errors.items() {
                errors.add(&format!("{prefix}-territories"), e.message.clone());
            }
            if wanted.contains(&role) && scopes.is_empty() && field_errors.is_empty() {
                errors.add(&format!("{prefix}-territories"), "Ce rôle a besoin d’un territoire : cochez une région ou tapez des numéros de départements.");
            }
            scopes_by_role.push((role, scopes));
        }
    }
    if !errors.is_empty() {
        return detail_page(&state, &ctx, &user, account, errors).await;
    }
    let subject = Some(format!("account:{}", account.public_id));
    let mut tx = state.db.write().await?;
    for role in Role::ALL.into_iter().filter(|r| p.may_grant(*r)) {
        let had = account.roles.contains_key(&role);
        let wants = wanted.contains(&role);
        if wants && !had {
            accounts::grant(&mut tx, account.id, role).await?;
            audit::record(
                &mut tx,
                ctx.audit(
                    "role_granted",
                    subject.clone(),
                    format!("Rôle donné : {}", role.label()),
                ),
            )
            .await?;
        } else if had && !wants {
            accounts::revoke(&mut tx, account.id, role).await?;
            audit::record(
                &mut tx,
                ctx.audit(
                    "role_revoked",
                    subject.clone(),
                    format!("Rôle retiré : {}", role.label()),
                ),
            )
            .await?;
        }
    }
    for (role, scopes) in scopes_by_role
        .into_iter()
        .filter(|(r, _)| wanted.contains(r))
    {
        let before: Vec<(String, String)> = account
            .roles
            .get(&role)
            .into_iter()
            .flatten()
            .map(|s| (s.kind.clone(), s.code.clone()))
            .collect();
        let mut sorted_before = before.clone();
        sorted_before.sort();
        let mut sorted_after = scopes.clone();
        sorted_after.sort();
        if sorted_before != sorted_after || !account.roles.contains_key(&role) {
            accounts::set_scopes(&mut tx, account.id, role, &scopes).await?;
            audit::record(
                &mut tx,
                ctx.audit(
                    "territory_changed",
                    subject.clone(),
                    format!(
                        "Territoires de « {} » : {} → {}",
                        role.label(),
                        scopes_text(&before),
                        scopes_text(&scopes)
                    ),
                ),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/admin/comptes/{}?message=compte",
        account.public_id
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::checks::parse_departments;
    use super::*;

    #[test]
    fn department_lists_are_parsed_or_refused() {
        let mut e = Errors::default();
        assert_eq!(
            parse_departments("31, 09 ;2a", &mut e, "t"),
            vec!["31", "09", "2A"]
        );
        assert!(e.is_empty());
        parse_departments("31, 99", &mut e, "t");
        assert!(e.get("t").contains("99"));
    }
}
