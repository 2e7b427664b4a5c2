/ Strings and symbols
lower "IBM" -> "ibm"
lower `IBM -> `ibm
upper `ibm`msft -> `IBM`MSFT
upper (`The;(`quick`brown;(`fox;`jumps`over))) -> (`THE;(`QUICK`BROWN;(`FOX;`JUMPS`OVER)))
trim "   IBM   " -> "IBM"
ltrim "   IBM   " -> "IBM   "
rtrim "   IBM   " -> "   IBM"
trim 0N 0N 1 2 3 0N 0N 4 5 0N 0N -> 1 2 3 0N 0N 4 5
trim 42 -> 42
trim ("fox ";" a") -> ("fox";enlist "a")
`quick like "qu?ck" -> 1b
`brown like "br[ao]wn" -> 1b
`quickly like "quick*" -> 1b
`quick like "quickish" -> 0b
`brawn`brown like "br[^o]wn" -> 10b
(`a`b`c!`quick`brown`fox) like "brown" -> `a`b`c!010b
("abc";"xbc") like "a*" -> 10b
"We the people of the United States" ss "the" -> 3 17
"toronto ontario" ss "ont" -> 3 8
"toronto ontario" ss "[ir]o" -> 2 13
"toronto ontario" ss "t?r" -> 0 10
ssr["toronto ontario";"ont";"x"] -> "torxo xario"
"," vs "one,two,three" -> ("one";"two";"three")
", " vs "spring, summer" -> ("spring";"summer")
"|" vs "red|green||blue" -> ("red";"green";"";"blue")
` vs "abc\ndef\nghi\n" -> ("abc";"def";"ghi")
` vs `mywork.dat -> `mywork`dat
10 vs 1995 -> 1 9 9 5
2 vs 9 -> 1 0 0 1
24 60 60 vs 3805 -> 1 3 25
0b vs 23173h -> 0101101010000101b
0x0 vs 2413i -> 0x0000096d
"," sv ("one";"two";"three") -> "one,two,three"
` sv `quick`brown`fox -> `quick.brown.fox
` sv ("one";"two") -> "one\ntwo\n"
10 sv 2 3 5 7 -> 2357
0 24 60 60 sv 2 3 5 7 -> 183907
256 sv til 8 -> 283686952306183
0b sv 16#1b -> -1h
0b sv 8#1b -> 0xff
0x0 sv 0x00ff -> 255h
0x02 vs 0x0102010201 -> (enlist 0x01;enlist 0x01;enlist 0x01)
0x0203 vs 0x000102030405 -> (0x0001;0x0405)
" " vs "x"$"a b" -> (enlist "a";enlist "b")
0x02 sv (enlist 0x01;enlist 0x01;enlist 0x01) -> 0x0102010201
