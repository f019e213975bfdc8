//! Users in the store: the users made on the way (an owner or acting user not known yet),
//! and the lookups `kith user` needs. Which records the acting user may see is
//! [`super::visibility`].
//!
//! `owner` columns, the change log's `user` and the stage history's `user` hold a user's
//! login. A login never changes, so that text is the reference (see docs/data-model.md).

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use super::query::Reader;
use crate::core::error::Result;
use crate::model::Entity;

impl Reader<'_> {
    /// The id of the user with this login (exactly), if any.
    pub fn user_by_login(&self, login: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM users WHERE login = ?1")?
            .query_row([login], |r| r.get(0))
            .optional()?)
    }

    /// Whether the user of this login may act and own records; None when there is none.
    pub fn user_active(&self, login: &str) -> Result<Option<bool>> {
        Ok(self
            .conn
            .prepare_cached("SELECT active FROM users WHERE login = ?1")?
            .query_row([login], |r| r.get(0))
            .optional()?)
    }

    /// How many changes the change log records as made by this login.
    pub fn changes_by(&self, login: &str) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM changes WHERE user = ?1",
            [login],
            |r| r.get(0),
        )?)
    }

    /// How many live records of each kind this login owns (kinds with none left out).
    pub fn owned_by(&self, login: &str) -> Result<Vec<(Entity, i64)>> {
        let mut out = Vec::new();
        for e in Entity::ALL {
            let Some(owner) = e.owner_field() else {
                continue;
            };
            let n: i64 = self.conn.query_row(
                &format!(
                    "SELECT count(*) FROM {} WHERE {owner} = ?1 AND deleted_at IS NULL",
                    e.table()
                ),
                [login],
                |r| r.get(0),
            )?;
            if n > 0 {
                out.push((e, n));
            }
        }
        Ok(out)
    }
}

/// Every owner and every user the logs name becomes a user (login and display name that
/// text) unless one has that login: the end of the migration to version 11, and of any
/// write that goes around [`super::Writer`] (a bulk load, a dump of an older version).
pub(super) const USERS_FROM_NAMES: &str = include_str!("migrations/users_from_names.sql");

/// The users a writer has resolved in its transaction: text as given → login.
#[derive(Debug, Default)]
pub(super) struct KnownUsers(HashMap<String, String>);

impl KnownUsers {
    /// The login `text` names: a user with exactly that login, else the one user whose
    /// login, display name or email it is (ignoring case), else a new active user with
    /// that login (display name the same). Making one is bookkeeping, like the index of
    /// duplicate keys, and is not in the change log (docs/data-model.md says why).
    pub(super) fn resolve(&mut self, conn: &Connection, text: &str, at: &str) -> Result<String> {
        if let Some(login) = self.0.get(text) {
            return Ok(login.clone());
        }
        let login = Self::find(conn, text)?.unwrap_or_else(|| text.to_string());
        Self::ensure(conn, &login, at)?;
        self.0.insert(text.to_string(), login.clone());
        Ok(login)
    }

    /// Make sure a user with exactly this login exists (the acting user).
    pub(super) fn ensure_exact(&mut self, conn: &Connection, login: &str, at: &str) -> Result<()> {
        if login.is_empty() || self.0.get(login).is_some_and(|l| l == login) {
            return Ok(());
        }
        Self::ensure(conn, login, at)?;
        self.0.insert(login.to_string(), login.to_string());
        Ok(())
    }

    fn find(conn: &Connection, text: &str) -> Result<Option<String>> {
        if let Some(login) = conn
            .prepare_cached("SELECT login FROM users WHERE login = ?1")?
            .query_row([text], |r| r.get::<_, String>(0))
            .optional()?
        {
            return Ok(Some(login));
        }
        let mut stmt = conn.prepare_cached(
            "SELECT login FROM users
              WHERE login = ?1 COLLATE NOCASE OR name = ?1 COLLATE NOCASE
                 OR email = ?1 COLLATE NOCASE
              ORDER BY id LIMIT 2",
        )?;
        let found = stmt
            .query_map([text], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(match found.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        })
    }

    fn ensure(conn: &Connection, login: &str, at: &str) -> Result<()> {
        if login.is_empty() {
            return Ok(());
        }
        conn.prepare_cached(
            "INSERT INTO users (login, name, created_at, updated_at) VALUES (?1, ?1, ?2, ?2)
             ON CONFLICT (login) DO NOTHING",
        )?
        .execute(params![login, at])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The login of the user at the keyboard: the active or not user whose operating-system
    /// login is `os`, else the one whose login is.
    pub fn user_at_keyboard(&self, os: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT login FROM users WHERE os_login = ?1 OR (os_login IS NULL AND login = ?1)
                 ORDER BY os_login IS NULL LIMIT 1",
            )?
            .query_row([os], |r| r.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_resolves_to_the_user_it_names_or_a_new_one() {
        let mut store = crate::store::Store::open_in_memory().unwrap();
        store
            .write("t", "2026-11-22T10:00:00Z", |w| {
                w.insert(
                    Entity::User,
                    &vec![
                        ("login".into(), "mei".into()),
                        ("name".into(), "Mei Lin".into()),
                        ("email".into(), "mei@example.com".into()),
                    ],
                )?;
                for (i, owner) in ["mei", "MEI LIN", "Mei@Example.com", "bob", "Bob"]
                    .iter()
                    .enumerate()
                {
                    w.insert(
                        Entity::Account,
                        &vec![
                            ("name".into(), format!("a{i}").into()),
                            ("owner".into(), (*owner).into()),
                        ],
                    )?;
                }
                Ok(())
            })
            .unwrap();
        let conn = &store.conn;
        let owners: Vec<String> = conn
            .prepare("SELECT owner FROM accounts ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        // "Bob" is the one user bob (ignoring case), made just before.
        assert_eq!(owners, vec!["mei", "mei", "mei", "bob", "bob"]);
        let users: Vec<String> = conn
            .prepare("SELECT login FROM users ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(users, vec!["mei", "t", "bob"]);
        // None of the users made on the way is in the change log; the one added is.
        let logged: i64 = conn
            .query_row(
                "SELECT count(*) FROM changes WHERE entity = 'user'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(logged, 1);
    }
}
