//! Exchange rates at the front door: set, list and take off rates, and convert an amount
//! with the rate in effect on a day — for both faces and for every report (the report
//! engine converts with [`Crm::rate_book`], see `crate::app::reports`).

use chrono::NaiveDate;

use crate::app::crm::Crm;
use crate::core::error::Result;
use crate::core::exchange::{Book, Found};
use crate::core::money::Money;
use crate::domain::commerce::rates;
use crate::model::record::Record;

/// An amount converted, and the rate it was converted with (none for the same currency).
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub amount: Money,
    pub from: String,
    pub to: String,
    /// The day whose rate was used.
    pub day: NaiveDate,
    pub converted: Money,
    pub rate: Option<Found>,
}

impl Crm {
    /// Set the rate of `from` → `to` (1 `from` = `rate` `to`) on the day `on` (a date word;
    /// today without it). Setting a pair's rate for a day again changes it.
    pub fn set_rate(
        &mut self,
        from: &str,
        to: &str,
        rate: &str,
        on: Option<&str>,
    ) -> Result<rates::Set> {
        self.write(|w, env| rates::set(w, env, from, to, rate, on))
    }

    /// Take off the rate of `from` → `to` set for the day `on`; the day it was for.
    pub fn remove_rate(&mut self, from: &str, to: &str, on: &str) -> Result<String> {
        self.write(|w, env| rates::remove(w, env, from, to, on))
    }

    /// The rates set, of one currency or one pair when named, by pair and day.
    pub fn rates(&self, from: Option<&str>, to: Option<&str>) -> Result<Vec<Record>> {
        rates::list(&self.reader(), from, to)
    }

    /// Every rate set, as conversions read them: [`Book::find`] gives the rate in effect
    /// on a day, [`Book::convert`] converts with it. Read it once for many conversions.
    pub fn rate_book(&self) -> Result<Book> {
        rates::book(&self.reader())
    }

    /// `amount` in `from` converted into `to` with the rate in effect on `day` (the latest
    /// of the pair or its inverse set on or before it), rounded once to `to`'s minor unit,
    /// half away from zero. A missing rate is an error naming the pair and the day.
    pub fn convert(&self, amount: Money, from: &str, to: &str, day: NaiveDate) -> Result<Money> {
        self.rate_book()?.convert(amount, from, to, day)
    }

    /// `kith rate convert`: an amount as typed (`100`, `12万`) in `from`, converted into
    /// `to` with the rate in effect on `on` (a date word; today without it).
    pub fn convert_typed(
        &self,
        amount: &str,
        from: &str,
        to: &str,
        on: Option<&str>,
    ) -> Result<Converted> {
        use crate::core::values::check_currency;
        let amount = Money::parse(amount).map_err(|e| e.context("AMOUNT"))?;
        let from = check_currency(from).map_err(|e| e.context("FROM"))?;
        let to = check_currency(to).map_err(|e| e.context("TO"))?;
        let day = match on {
            Some(d) => crate::core::dates::parse_date(d, self.env.clock.now())
                .map_err(|e| crate::core::error::Error::from(e).context("--on"))?,
            None => self.env.clock.today(),
        };
        let book = self.rate_book()?;
        let converted = book.convert(amount, &from, &to, day)?;
        let rate = (from != to).then(|| book.find(&from, &to, day)).flatten();
        Ok(Converted {
            amount,
            from,
            to,
            day,
            converted,
            rate,
        })
    }

    /// The base currency: `currency` in the configuration (USD without it), the currency
    /// of new deals that name none, and of amounts that have none when converted.
    pub fn base_currency(&self) -> &str {
        &self.env.currency
    }
}
