//! Console output: the text the q console prints for a value (`\c` 25 80, `\P` 7 by default),
//! which is also `.Q.s`.
