//! SQL built piece by piece with numbered parameters, the same text on
//! both engines: the searches (directory, toolbox) add their conditions and
//! arguments as they go.

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, AssertSqlSafe};

use crate::Result;

#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

/// SQL with numbered parameters (`$1`, `$2`…), valid on both engines.
#[derive(Default)]
pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) args: Vec<Arg>,
}

impl Sql {
    pub(crate) fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    pub(crate) fn text(&mut self, v: impl Into<String>) -> String {
        self.args.push(Arg::Text(v.into()));
        format!("${}", self.args.len())
    }

    pub(crate) fn int(&mut self, v: i64) -> String {
        self.args.push(Arg::Int(v));
        format!("${}", self.args.len())
    }

    /// The arguments, in their order.
    pub(crate) fn arguments(&self) -> Result<AnyArguments> {
        let mut out = AnyArguments::default();
        for a in &self.args {
            match a {
                Arg::Text(s) => out.add(s.clone()),
                Arg::Int(i) => out.add(*i),
            }
            .map_err(sqlx::Error::Encode)?;
        }
        Ok(out)
    }

    /// The statement with its arguments, reading rows.
    pub(crate) fn query(&self) -> Result<sqlx::query::Query<'_, Any, AnyArguments>> {
        Ok(sqlx::query_with(
            AssertSqlSafe(self.text.clone()),
            self.arguments()?,
        ))
    }

    /// The statement with its arguments, reading rows as `T`.
    pub(crate) fn query_as<T>(&self) -> Result<sqlx::query::QueryAs<'_, Any, T, AnyArguments>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        Ok(sqlx::query_as_with(
            AssertSqlSafe(self.text.clone()),
            self.arguments()?,
        ))
    }

    /// The statement with its arguments, reading one integer per row.
    pub(crate) fn scalar(&self) -> Result<sqlx::query::QueryScalar<'_, Any, i64, AnyArguments>> {
        Ok(sqlx::query_scalar_with(
            AssertSqlSafe(self.text.clone()),
            self.arguments()?,
        ))
    }
}
