//! Quote to cash (订单管理): the products kith sells, their price lists, quotes, orders,
//! contracts with their payment plans, the payments received against them, invoices, and
//! the exchange rates amounts are converted with.

pub mod contracts;
pub mod invoices;
pub mod lines;
pub mod orders;
pub mod payments;
pub mod pricelists;
pub mod products;
pub mod quotes;
pub mod rates;
pub mod remind;
pub mod shared;
pub mod totals;
