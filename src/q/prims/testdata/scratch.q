/ scratch cases while working; kept as regression tests
8h$789 -> 789e
8h$1b -> 1e
