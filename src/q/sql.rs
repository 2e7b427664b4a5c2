//! qSQL: `select exec update delete`, and their functional forms `?[t;c;b;a]`, `![t;c;b;a]`.

use super::ast::Sql;
use super::eval::Ctx;
use crate::obj::*;

pub fn eval(cx: &mut Ctx, q: &Sql) -> Result<K> {
    let _ = (cx, q);
    Err(Error::nyi())
}

pub fn functional_select(cx: &mut Ctx, args: Vec<K>) -> Result<K> {
    let _ = (cx, args);
    Err(Error::nyi())
}

pub fn functional_update(cx: &mut Ctx, args: Vec<K>) -> Result<K> {
    let _ = (cx, args);
    Err(Error::nyi())
}
