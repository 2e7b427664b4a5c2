//! How q shows keywords it defines in q itself rather than as primitives. This engine runs
//! them natively, but the console shows them as kdb+ does: `deltas` is `-':`, `each` is
//! `k){x'y}`. Texts are the ones KX's reference pages show; a keyword not listed shows as its
//! name, as kdb+'s native keywords (`sum`, `avg`) do.

/// (keyword, the text q shows for its value).
const SHOWN: &[(&str, &str)] = &[
    ("deltas", "-':"),
    ("ratios", "%':"),
    ("differ", "$[\"b\"]~~':"),
    ("prev", ":':"),
    ("sums", "+\\"),
    ("prds", "*\\"),
    ("maxs", "|\\"),
    ("mins", "&\\"),
    ("fills", "^\\"),
    ("raze", ",/"),
    ("ltime", "%:"),
    ("each", "k){x'y}"),
    ("over", "k){x/y}"),
    ("scan", "k){x\\y}"),
    ("prior", "k){x':y}"),
    ("til", "k){$[0>@x;!x;'`type]}"),
    ("xbar", "k){x*y div x:$[16h=abs[@x];\"j\"$x;x]}"),
    ("fby", "k){@[(#y)#x[0]0#x 1;g;:;x[0]'x[1]g:.=y]}"),
    ("ceiling", "-_-:"),
    ("signum", "k){(x>0)-x<0}"),
    ("mod", "k){x-y*x div y}"),
    ("xlog", "k){log[y]%log x}"),
    ("mmu", "$"),
    ("lsq", "!"),
    ("inv", "!:"),
    ("md5", "-15!"),
    ("gtime", "k){t+x-%t:x+x-%x}"),
    ("svar", "k){(n*var x)%-1+n:(#x)-+/^x}"),
    ("sdev", "k){sqrt svar x}"),
    ("scov", "k){(n*cov[x;y])%-1+n:(#x)-+/^x+y}"),
    ("med", "k){avg x(<x)@_.5*-1 0+#x,:()}"),
    ("all", "min$[\"b\"]"),
    ("any", "max$[\"b\"]"),
    ("rand", "k){*1?x}"),
    ("avgs", "k){(+\\x)%+\\~^x}"),
    ("next", "k){$[0h>@x;'`rank;1_x,,x 0N]}"),
    ("rank", "k){$[0h>@x;'`rank;<<x]}"),
    ("iasc", "k){$[0h>@x;'`rank;<x]}"),
    ("idesc", "k){$[0h>@x;'`rank;>x]}"),
    ("asc", "k){$[99h=@x;(!x)[i]!`s#r i:<r:. x;`s=-2!x;x;0h>@x;'`rank;`s#x@<x]}"),
    ("desc", "k){$[99h=@x;(!x)[i]!r i:>r:. x;0h>@x;'`rank;x@>x]}"),
    ("msum", "k){$[99h=@y;(!y)!.z.s[x;. y];y-(-x)_(0i*x#y),y:+\\y]}"),
    ("mcount", "k){msum[x;~^y]}"),
    ("mavg", "k){msum[x;0.0^y]%mcount[x;y]}"),
    ("mdev", "k){sqrt mavg[x;y*y]-m*m:mavg[x;y:\"f\"$y]}"),
    ("xrank", "k){$[0h>@y;'`rank;_y*x%#y:<<y]}"),
    ("mmin", "k){(x-1)&':/y}"),
    ("mmax", "k){(x-1)|':/y}"),
    ("xprev", "k){$[0h>@y;'`rank;y(!#y)-x]}"),
    ("rotate", "k){$[0h>@y;'`rank;98h<@y;'`type;#y;,/|(0;mod[x;#y])_y;y]}"),
    ("ema", "k){(*y)(1f-x)\\x*y}"),
    ("attr", "-2!"),
    ("cut", "k){$[0h>@x;x*!-_-(#y)%x;x]_y}"),
    ("set", "k){$[@x;.[x;();:;y];-19!((,y),x)]}"),
    ("upsert", ".[;();,;]"),
    ("union", "?,"),
    ("inter", "k){x@&x in y}"),
    ("except", "k){x@&~x in y}"),
    ("cross", "k){n:#m:&(#x)##y;$[99h=@x;((!x)[m],'n#!y)!(. x)[m],'n#. y;((),x)[m],'n#y]}"),
    ("sv", "k){x/:y}"),
    ("vs", "k){x\\:y}"),
    ("hclose", ">:"),
    ("hdel", "~:"),
    ("hsym", "$[\"s\"]-1!'"),
    ("hcount", "-7!"),
    ("peach", "k){x':y}"),
    ("system", ".,[\"\\\\\"]"),
    ("ltrim", "k){$[~t&(77h>t)|99h<t:@x;.z.s'x;^*x;((^x)?0b)_x;x]}"),
    ("rtrim", "k){$[~t&(77h>t)|99h<t:@x;.z.s'x;^last x;(-(|^x)?0b)_x;x]}"),
    ("trim", "k){ltrim rtrim x}"),
    ("lower", "k){$[$[(~@x)&10h~@*x;&/10h=@:'x;0b];_x;~t&(77h>t)|99h<t:abs@@x;.z.s'x;19h<t;.z.s@. x;~t in 10 11h;'`type;_x]}"),
    ("upper", "k){$[$[(~@x)&10h~@*x;&/10h=@:'x;0b];.Q.Aa x;~t&(77h>t)|99h<t:abs@@x;.z.s'x;19h<t;.z.s@. x;~t in 10 11h;'`type;$[11h=t;`$.Q.Aa@$x;.Q.Aa x]]}"),
    ("ssr", "k){,/@[x;1+2*!_.5*#x:(0,/(0,{n:x?\"[\";$[n=#x;n;n+.z.s$[(#x)=p:x?\"]\";'\"unmatched ]\";p]_x:(n+2+\"^\"=x n+1)_x]}y,\"\")+/:x ss y)_x;$[100h>@z;:[;z];z]]}"),
    ("view", "k){$`. .`\\:x}"),
    ("tables", "k){.\"\\\\a \",$$[^x;`;x]}"),
    ("views", "k){.\"\\\\b \",$$[^x;`;x]}"),
    ("cols", "k){$[.Q.qp x:.Q.v x;.Q.pf,!+x;98h=@x;!+x;11h=@!x;!x;!+0!x]}"),
    ("xcols", "k){(x,f@&~(f:cols y)in x)#y}"),
    ("keys", "k){$[98h=@x:.Q.v x;0#`;!+!x]}"),
    ("xkey", "k){(#x)!.[0!y;();xcols x]}"),
    ("xcol", "k){.Q.ft[{+$[99h=@x;@[!y;(!y)?!x;:;. x];x,(#x)_!y]!. y:+y}x]y}"),
    ("xasc", "k){$[$[#x;~`s=-2!(0!.Q.v y)x;0];.Q.ft[@[;*x;`s#]].Q.ord[<:;x]y;y]}"),
    ("xdesc", "k){$[#x;.Q.ord[>:;x]y;y]}"),
    ("fkeys", "k){(&~^x)#x:.Q.fk'.Q.V x}"),
    ("meta", "k){([!c].Q.ty't;f:.Q.fk't;a:-2!'t:. c:.Q.V x)}"),
    ("lj", "k){$[$[99h=@y;(98h=@!y)&98h=@. y;()~y];.Q.ft[,\\:[;y];x];'\"type\"]}"),
    ("aj", "k){.Q.ft[.Q.ajf0[0;1;x;;z]]y}"),
    ("aj0", "k){.Q.ft[.Q.ajf0[0;0;x;;z]]y}"),
    ("ajf", "k){.Q.ft[.Q.ajf0[1;1;x;;z]]y}"),
    ("ajf0", "k){.Q.ft[.Q.ajf0[1;0;x;;z]]y}"),
    ("ij", "k){.Q.ft[{x[j],'(. y)i j:&(#y)>i:(!y)?(!+!y)#x}[;y]]x}"),
    ("ijf", "k){.Q.ft[{.Q.fl[x j]y i j:&(#y:. y)>i?:(!+i:!y)#x}[;y]]x}"),
    ("pj", "k){.Q.ft[{x+0i^y(!+!y)#x}[;y]]x}"),
    ("asof", "k){f:!$[99h=@y;y;+y];(f_x)(f#x)bin y}"),
    ("uj", "k){$[()~x;y;()~y;x;98h=@x;x,(!+x:.Q.ff[x;y])#.Q.ff[y;x];lj[(?(!x),!y)#x]y]}"),
    ("ujf", "k){$[()~x;y;98h=@x;x,(!+x:.Q.ff[x;y])#.Q.ff[y;x];ljf[(?(!x),!y)#x]y]}"),
    ("wj", "k){[w;f;y;z]ww[0 1;w;f;y;z]}"),
    ("wj1", "k){[w;f;y;z]ww[1;w-1 0;f;y;z]}"),
    ("xgroup", "k){x,:();a:x#y:0!y;$[#x_:y;+:'x@=a;a!+f!(#f:!+x)#()]}"),
    ("ungroup", "k){$[#x:0!x;,/+:'x;x]}"),
    ("ej", "k){x,:();y[&#:'i],'(x_z)(!0),/i:(=x#z:0!z)x#y:0!y}"),
    ("save", "k){$[1=#p:`\\:*|`\\:x:-1!x;set[x;. *p];   x 0:.h.tx[p 1]@.*p]}'"),
    ("load", "k){$[1=#p:`\\:*|`\\:x:-1!x;set[*p;. x];set[*p].h.xt[p 1]@0:x]}'"),
    ("rsave", "k){x:-1!x;.[`/:x,`;();:;.*|`\\:x]}'"),
    ("rload", "k){x:-1!x;.[*|`\\:x;();:;.     x]}'"),
    ("dsave", "k){.[*x;1_x,y,`;:;@[;*!+a;`p#].Q.en[*x]a:. y];y}/:"),
    ("show", "k){1 .Q.s x;}"),
    ("parse", "k){$[\"\\\\\"=*x;(system;1_x);-5!x]}"),
    ("eval", "-6!"),
    ("reval", "-24!"),
];

/// `value f` of a keyword q defines as a composition: its parts, as kdb+ gives them
/// (`value differ` is `$["b"]` and `~~':`); None for the others.
pub fn composed_parts(f: &crate::obj::K) -> Option<crate::obj::K> {
    use crate::obj::*;
    match super::verbs::decode(f)? {
        super::verbs::PrimRef::Keyword("differ", _) => {
            let cast_b = K::list_of_type(
                PROJECTION,
                vec![super::verbs::glyph_value("$")?, K::char(b'b')],
            );
            let match_prior = K::list_of_type(EACH_PRIOR, vec![super::verbs::glyph_value("~")?]);
            let not_match_prior = K::list_of_type(
                COMPOSITION,
                vec![super::verbs::unary_glyph_value("~")?, match_prior],
            );
            Some(K::list(vec![cast_b, not_match_prior]))
        }
        _ => None,
    }
}

/// The text of a function value of type `t` (101..=103) with `code`, when it is a keyword's.
pub fn shown(t: i8, code: u8) -> Option<&'static str> {
    let f = crate::obj::K::atom_word(t, code as u64);
    match super::verbs::decode(&f)? {
        super::verbs::PrimRef::Keyword(name, _) => Some(
            SHOWN
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(name, |(_, text)| *text),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_show_as_q_shows_them() {
        let text = |name: &str| {
            let (t, code) = super::super::verbs::keyword_code(name).unwrap();
            shown(t, code).map(str::to_string)
        };
        assert_eq!(text("deltas").as_deref(), Some("-':"));
        assert_eq!(text("each").as_deref(), Some("k){x'y}"));
        assert_eq!(
            text("mavg").as_deref(),
            Some("k){msum[x;0.0^y]%mcount[x;y]}")
        );
        assert_eq!(text("sum").as_deref(), Some("sum"));
        // Glyph forms keep their own text.
        assert_eq!(text("count"), None);
    }
}
