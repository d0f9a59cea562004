//! What a peer worker is owed for an intervention (fee, who pays, due
//! date, paid or declined) and the expenses they declare with a receipt;
//! and the yearly summary of a peer's interventions and payments.

use sqlx::AnyConnection;

use crate::Result;

/// A request's payment, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub fee_cents: Option<i64>,
    pub payer: String,
    pub due_on: Option<String>,
    pub status: String,
    pub paid_on: Option<String>,
}

pub async fn get(conn: &mut AnyConnection, request_id: i64) -> Result<Option<Payment>> {
    let row: Option<(Option<i64>, String, Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT fee_cents, payer, due_on, status, paid_on FROM request_payments WHERE request_id = $1",
    )
    .bind(request_id)
    .fetch_optional(conn)
    .await?;
    Ok(
        row.map(|(fee_cents, payer, due_on, status, paid_on)| Payment {
            fee_cents,
            payer,
            due_on,
            status,
            paid_on,
        }),
    )
}

/// Records the payment (the coordinator's form). A peer's refusal stays.
pub async fn set(conn: &mut AnyConnection, request_id: i64, p: &Payment, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_payments (request_id, fee_cents, payer, due_on, status, paid_on, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO UPDATE SET fee_cents = excluded.fee_cents, \
         payer = excluded.payer, due_on = excluded.due_on, \
         status = CASE WHEN request_payments.status = 'declined' THEN 'declined' ELSE excluded.status END, \
         paid_on = excluded.paid_on, updated_at = excluded.updated_at",
    )
    .bind(request_id)
    .bind(p.fee_cents)
    .bind(&p.payer)
    .bind(&p.due_on)
    .bind(&p.status)
    .bind(&p.paid_on)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The peer declines to be paid for this intervention.
pub async fn decline(conn: &mut AnyConnection, request_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_payments (request_id, fee_cents, payer, status, updated_at) VALUES ($1, NULL, 'host', 'declined', $2) \
         ON CONFLICT (request_id) DO UPDATE SET status = 'declined', updated_at = excluded.updated_at",
    )
    .bind(request_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// An expense with its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expense {
    pub public_id: String,
    pub label: String,
    pub amount_cents: i64,
    pub receipt_file: Option<String>,
    pub receipt_type: Option<String>,
    pub created_at: i64,
}

pub async fn add_expense(conn: &mut AnyConnection, request_id: i64, e: &Expense) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_expenses (public_id, request_id, label, amount_cents, receipt_file, receipt_type, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&e.public_id)
    .bind(request_id)
    .bind(&e.label)
    .bind(e.amount_cents)
    .bind(&e.receipt_file)
    .bind(&e.receipt_type)
    .bind(e.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn expenses(conn: &mut AnyConnection, request_id: i64) -> Result<Vec<Expense>> {
    let rows: Vec<(String, String, i64, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT public_id, label, amount_cents, receipt_file, receipt_type, created_at FROM request_expenses \
         WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(public_id, label, amount_cents, receipt_file, receipt_type, created_at)| Expense {
                public_id,
                label,
                amount_cents,
                receipt_file,
                receipt_type,
                created_at,
            },
        )
        .collect())
}

/// One accepted intervention of a peer: (request public id, subject,
/// organisation, start of the intervention, payment, expenses total).
pub type YearLine = (String, String, String, Option<i64>, Option<Payment>, i64);

/// A peer's accepted interventions with what they were owed, oldest first;
/// the caller sorts them into years (`epop_domain::payment::counted_in`).
pub async fn lines(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<YearLine>> {
    let rows: Vec<(i64, String, Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT r.id, r.public_id, r.subject, o.name, r.scheduled_start FROM request_proposals x \
         JOIN intervention_requests r ON r.id = x.request_id LEFT JOIN organisations o ON o.id = r.organisation_id \
         WHERE x.account_id = $1 AND x.status = 'accepted' \
         ORDER BY r.scheduled_start, r.id",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, public_id, subject, org, start) in rows {
        let payment = get(conn, id).await?;
        let total: i64 = expenses(conn, id)
            .await?
            .iter()
            .map(|e| e.amount_cents)
            .sum();
        out.push((
            public_id,
            subject.unwrap_or_default(),
            org.unwrap_or_default(),
            start,
            payment,
            total,
        ));
    }
    Ok(out)
}
