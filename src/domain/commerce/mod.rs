//! Quote to cash (订单管理): the products kith sells, and later their price lists, quotes,
//! orders, contracts and the payments received against them.

pub mod lines;
pub mod pricelists;
pub mod products;
pub mod quotes;
pub mod rates;
pub mod totals;
