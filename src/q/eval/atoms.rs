//! Atom type codes (the negated vector types) as constants, for use in `match` patterns.

use crate::obj::*;

pub const A_KB: i8 = -KB;
pub const A_UU: i8 = -UU;
pub const A_KG: i8 = -KG;
pub const A_KH: i8 = -KH;
pub const A_KI: i8 = -KI;
pub const A_KJ: i8 = -KJ;
pub const A_KE: i8 = -KE;
pub const A_KF: i8 = -KF;
pub const A_KC: i8 = -KC;
pub const A_KS: i8 = -KS;
pub const A_KP: i8 = -KP;
pub const A_KM: i8 = -KM;
pub const A_KD: i8 = -KD;
pub const A_KZ: i8 = -KZ;
pub const A_KN: i8 = -KN;
pub const A_KU: i8 = -KU;
pub const A_KV: i8 = -KV;
pub const A_KT: i8 = -KT;
