/ Attributes on enumerations: `attr` sees the enumerated vector's own attribute.
sym:`a`b
e:`sym$`a`a`b
attr e
/ `
attr `p#e
/ `p
attr `g#e
/ `g
attr `s#e
/ `s
attr `u#`sym$`a`b
/ `u
x:([]sym:e;v:1 2 3)
attr(@[x;`sym;`p#])`sym
/ `p
