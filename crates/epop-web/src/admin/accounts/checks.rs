//! What the account forms are checked against: the roles this person may
//! give, the département and territories typed, the state of the account
//! and the organisation chosen, each problem under its field.

use std::collections::BTreeSet;

use epop_domain::account::AccountStatus;
use epop_domain::{DepartmentCode, Principal, RegionCode, Role};
use epop_store::organisations;

use crate::AppError;
use crate::forms::{Errors, Pairs};

/// Parses « 31, 09 » into checked département codes.
pub(super) fn parse_departments(input: &str, errors: &mut Errors, field: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in input
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match DepartmentCode::parse(part) {
            Ok(code) => out.push(code.as_str().to_owned()),
            Err(e) => {
                errors.add(field, e.0);
                break;
            }
        }
    }
    out
}

/// Territories of territorial roles from the form: regions ticked, départements typed.
pub(super) fn parse_scopes(
    form: &Pairs,
    errors: &mut Errors,
) -> (Vec<(String, String)>, BTreeSet<String>) {
    let mut scopes = Vec::new();
    let mut regions = BTreeSet::new();
    for r in form.all("regions") {
        if let Ok(code) = RegionCode::parse(&r) {
            regions.insert(code.as_str().to_owned());
            scopes.push(("region".to_owned(), code.as_str().to_owned()));
        }
    }
    for d in parse_departments(&form.get("territories"), errors, "territories") {
        scopes.push(("department".to_owned(), d));
    }
    (scopes, regions)
}

/// The roles ticked that this person may give: one at least.
pub(super) fn granted_roles(p: &Principal, form: &Pairs, errors: &mut Errors) -> BTreeSet<Role> {
    let selected: BTreeSet<Role> = form
        .all("roles")
        .iter()
        .filter_map(|r| Role::from_code(r))
        .filter(|r| p.may_grant(*r))
        .collect();
    if selected.is_empty() {
        errors.add("role-0", "Cochez au moins un rôle.");
    }
    selected
}

/// The département of an account from the form: one of this person's
/// territory (`outside` says why another is refused); none only for an
/// admin (a national account).
pub(super) fn account_department(
    p: &Principal,
    input: &str,
    outside: &str,
    errors: &mut Errors,
) -> Option<String> {
    if input.is_empty() {
        if !p.is_admin() {
            errors.add("department", "Choisissez le département de la personne.");
        }
        return None;
    }
    match DepartmentCode::parse(input) {
        Ok(d) if p.may_manage_account_in(Some(d.as_str())) => Some(d.as_str().to_owned()),
        Ok(_) => {
            errors.add("department", outside);
            None
        }
        Err(e) => {
            errors.add("department", e.0);
            None
        }
    }
}

/// The state of the account chosen in the form; a person never disables
/// their own account.
pub(super) fn chosen_status(form: &Pairs, own: bool, errors: &mut Errors) -> Option<AccountStatus> {
    let status = AccountStatus::from_code(&form.get("status"));
    if status.is_none() {
        errors.add("status", "Choisissez l’état du compte.");
    }
    if status == Some(AccountStatus::Disabled) && own {
        errors.add(
            "status",
            "Vous ne pouvez pas désactiver votre propre compte.",
        );
    }
    status
}

/// The organisation chosen in the form (a slug; empty: none): one this
/// person may put someone in, or `current`, the one the account is already
/// in. Anything else is a problem on the field.
pub(super) async fn chosen_organisation(
    conn: &mut epop_store::Conn,
    p: &Principal,
    slug: &str,
    current: Option<i64>,
    errors: &mut Errors,
) -> Result<Option<organisations::Organisation>, AppError> {
    if slug.is_empty() {
        return Ok(None);
    }
    let Some(org) = organisations::by_slug(conn, slug).await? else {
        errors.add("organisation", "Choisissez une organisation dans la liste.");
        return Ok(None);
    };
    if Some(org.id) != current && !p.may_add_members(org.department_code.as_deref()) {
        errors.add(
            "organisation",
            "Vous pouvez rattacher une personne seulement à une organisation de votre territoire.",
        );
        return Ok(None);
    }
    Ok(Some(org))
}
