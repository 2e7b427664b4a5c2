/ scratch cases while working; kept as regression tests
8h$789 -> 789e
8h$1b -> 1e
" bg xhijefcspmdznuvt"?"j" -> 7
ratios ([k:`abc`def`ghi]a:10 21 3;b:4 5 6) -> ([k:`abc`def`ghi]a:10 2.1 0.1428571;b:4 1.25 1.2)
1h$() -> 0#0b
11h$() -> 0#`
key 0#5 -> `long
key "abc" -> `char
