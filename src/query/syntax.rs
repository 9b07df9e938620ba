//! The query language's text form: tokens with byte positions ([`lex`]) and the tree they
//! parse into ([`parse`]). Invariant: every error carries the byte range of the text it
//! is about, and a query that parses names each field with the range it was typed at.
//!
//! Grammar (lowest precedence first; keywords in any case):
//!
//! ```text
//! query   := or?                      (empty text matches every run)
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" or ")" | field (op value)?
//! field   := word | `backquoted name`
//! op      := = | == | != | < | <= | > | >= | ~ | !~
//! value   := word | "double-quoted text" (\" and \\ escape)
//! ```
//!
//! A field alone (`eval.mmlu`) asks whether the run has it. A word is any run of characters
//! other than spaces and `( ) = ! < > ~ " `` ` ``; a value word that reads as a number
//! (`2e-5`, `95%`, `1_000`) is one.
//!
//! Pure: no I/O, no browser imports.

use crate::archive::value::{parse_number, Value};

use super::error::QueryError;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=` (also `==`).
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `~`: the regex matches somewhere in the value's text.
    Match,
    /// `!~`: the regex matches nowhere in it.
    NotMatch,
}

impl Op {
    /// The operator as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Match => "~",
            Op::NotMatch => "!~",
        }
    }
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// A comparison operator.
    Op(Op),
    /// `and`.
    And,
    /// `or`.
    Or,
    /// `not`.
    Not,
    /// A bare word: a field name, or a value after an operator.
    Word(String),
    /// Double-quoted text, unescaped.
    Text(String),
    /// A backquoted field name, unquoted.
    Name(String),
}

/// A token and the byte range it was typed at.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// First byte.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | '=' | '!' | '<' | '>' | '~' | '"' | '`')
}

/// Splits a query into tokens, or says where it cannot.
pub fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        let next = it.peek().map(|&(_, c)| c);
        let mut two = |tok: Tok, out: &mut Vec<Token>| {
            it.next();
            out.push(Token {
                tok,
                start,
                end: start + 2,
            });
        };
        let one = |tok: Tok| Token {
            tok,
            start,
            end: start + c.len_utf8(),
        };
        match (c, next) {
            (c, _) if c.is_whitespace() => {}
            ('(', _) => out.push(one(Tok::Open)),
            (')', _) => out.push(one(Tok::Close)),
            ('=', Some('=')) => two(Tok::Op(Op::Eq), &mut out),
            ('=', _) => out.push(one(Tok::Op(Op::Eq))),
            ('!', Some('=')) => two(Tok::Op(Op::Ne), &mut out),
            ('!', Some('~')) => two(Tok::Op(Op::NotMatch), &mut out),
            ('!', _) => {
                return Err(QueryError::new(
                    start,
                    start + 1,
                    "`!` must be followed by `=` or `~` (use `not` to negate)",
                ))
            }
            ('<', Some('=')) => two(Tok::Op(Op::Le), &mut out),
            ('<', _) => out.push(one(Tok::Op(Op::Lt))),
            ('>', Some('=')) => two(Tok::Op(Op::Ge), &mut out),
            ('>', _) => out.push(one(Tok::Op(Op::Gt))),
            ('~', _) => out.push(one(Tok::Op(Op::Match))),
            ('"', _) | ('`', _) => {
                let mut s = String::new();
                let mut end = None;
                while let Some((i, ch)) = it.next() {
                    if ch == c {
                        end = Some(i + 1);
                        break;
                    }
                    if ch == '\\' && c == '"' {
                        match it.next() {
                            Some((_, e @ ('"' | '\\'))) => s.push(e),
                            Some((_, other)) => {
                                s.push('\\');
                                s.push(other);
                            }
                            None => break,
                        }
                    } else {
                        s.push(ch);
                    }
                }
                let Some(end) = end else {
                    let what = if c == '"' { "text" } else { "field name" };
                    return Err(QueryError::new(
                        start,
                        text.len(),
                        format!("unclosed {what}: no closing {c}"),
                    ));
                };
                let tok = if c == '"' { Tok::Text(s) } else { Tok::Name(s) };
                out.push(Token { tok, start, end });
            }
            _ => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, ch)) = it.peek() {
                    if !is_word_char(ch) {
                        break;
                    }
                    end = i + ch.len_utf8();
                    it.next();
                }
                let word = &text[start..end];
                let tok = match word.to_ascii_lowercase().as_str() {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    _ => Tok::Word(word.to_string()),
                };
                out.push(Token { tok, start, end });
            }
        }
    }
    Ok(out)
}

/// A field name as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldName {
    /// The name (unquoted).
    pub name: String,
    /// First byte where it was typed.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// A value as typed after an operator.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// The text (unquoted).
    pub text: String,
    /// Its value when it reads as a number (`2e-5`, `95%`), quoted or not.
    pub num: Option<f64>,
    /// First byte.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every run (the empty query).
    All,
    /// Any of these holds.
    Or(Vec<Expr>),
    /// All of these hold.
    And(Vec<Expr>),
    /// This does not hold.
    Not(Box<Expr>),
    /// The run has this field.
    Has(FieldName),
    /// The field compares so with the value.
    Cmp(FieldName, Op, Literal),
}

impl Expr {
    /// Every field the query names, in the order typed.
    pub fn fields(&self) -> Vec<&FieldName> {
        let mut out = Vec::new();
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a FieldName>) {
            match e {
                Expr::All => {}
                Expr::Or(v) | Expr::And(v) => v.iter().for_each(|x| walk(x, out)),
                Expr::Not(x) => walk(x, out),
                Expr::Has(f) | Expr::Cmp(f, _, _) => out.push(f),
            }
        }
        walk(self, &mut out);
        out
    }
}

/// The number a value word or text reads as, if any.
pub fn number_of(text: &str) -> Option<f64> {
    match parse_number(text.trim()) {
        Some(Value::Int(i)) => Some(i as f64),
        Some(Value::Float(f)) => Some(f),
        _ => None,
    }
}

struct Parser<'t> {
    toks: Vec<Token>,
    at: usize,
    len: usize,
    text: &'t str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.at)
    }

    fn describe(t: &Token, text: &str) -> String {
        format!("`{}`", text.get(t.start..t.end).unwrap_or(""))
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and()?];
        while matches!(self.peek().map(|t| &t.tok), Some(Tok::Or)) {
            self.at += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.unary()?];
        while matches!(self.peek().map(|t| &t.tok), Some(Tok::And)) {
            self.at += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let Some(t) = self.peek().cloned() else {
            return Err(QueryError::new(
                self.len,
                self.len,
                "the query ends where a field name was expected",
            ));
        };
        self.at += 1;
        match t.tok {
            Tok::Not => Ok(Expr::Not(Box::new(self.unary()?))),
            Tok::Open => {
                let inner = self.or()?;
                match self.peek() {
                    Some(Token {
                        tok: Tok::Close, ..
                    }) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    Some(other) => Err(QueryError::new(
                        other.start,
                        other.end,
                        format!(
                            "expected `)` (closing the `(` at byte {}), found {}",
                            t.start,
                            Self::describe(other, self.text)
                        ),
                    )),
                    None => Err(QueryError::new(
                        t.start,
                        t.end,
                        "this `(` is never closed",
                    )),
                }
            }
            Tok::Word(name) | Tok::Name(name) => {
                let field = FieldName {
                    name,
                    start: t.start,
                    end: t.end,
                };
                let op = match self.peek().map(|t| &t.tok) {
                    Some(Tok::Op(op)) => *op,
                    _ => return Ok(Expr::Has(field)),
                };
                let op_tok = self.toks.get(self.at).cloned();
                self.at += 1;
                match self.peek().cloned() {
                    Some(Token {
                        tok: Tok::Word(text) | Tok::Text(text),
                        start,
                        end,
                    }) => {
                        self.at += 1;
                        let num = number_of(&text);
                        Ok(Expr::Cmp(
                            field,
                            op,
                            Literal {
                                text,
                                num,
                                start,
                                end,
                            },
                        ))
                    }
                    Some(other) => Err(QueryError::new(
                        other.start,
                        other.end,
                        format!(
                            "expected a value after `{}`, found {}",
                            op.as_str(),
                            Self::describe(&other, self.text)
                        ),
                    )),
                    None => {
                        let (s, e) = op_tok.map_or((self.len, self.len), |o| (o.start, o.end));
                        Err(QueryError::new(
                            s,
                            e,
                            format!("expected a value after `{}`", op.as_str()),
                        ))
                    }
                }
            }
            Tok::Text(_) => Err(QueryError::new(
                t.start,
                t.end,
                "a field name was expected here, not text in double quotes (quote field names with backquotes: `name`)",
            )),
            _ => Err(QueryError::new(
                t.start,
                t.end,
                format!(
                    "a field name was expected here, found {}",
                    Self::describe(&t, self.text)
                ),
            )),
        }
    }
}

/// Parses a query's text into its tree, or says what is wrong and where.
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    let toks = lex(text)?;
    if toks.is_empty() {
        return Ok(Expr::All);
    }
    let mut p = Parser {
        toks,
        at: 0,
        len: text.len(),
        text,
    };
    let e = p.or()?;
    if let Some(t) = p.peek() {
        let msg = match t.tok {
            Tok::Close => "this `)` closes nothing".to_string(),
            _ => format!(
                "expected `and`, `or` or the end of the query, found {}",
                Parser::describe(t, text)
            ),
        };
        return Err(QueryError::new(t.start, t.end, msg));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(name: &str, op: Op, text: &str) -> (String, Op, String, Option<f64>) {
        (name.into(), op, text.into(), number_of(text))
    }

    fn flat(e: &Expr) -> Vec<(String, Op, String, Option<f64>)> {
        let mut out = Vec::new();
        fn walk(e: &Expr, out: &mut Vec<(String, Op, String, Option<f64>)>) {
            match e {
                Expr::Or(v) | Expr::And(v) => v.iter().for_each(|x| walk(x, out)),
                Expr::Not(x) => walk(x, out),
                Expr::Cmp(f, op, l) => out.push((f.name.clone(), *op, l.text.clone(), l.num)),
                _ => {}
            }
        }
        walk(e, &mut out);
        out
    }

    #[test]
    fn operators_need_no_spaces_and_numbers_take_exponents_and_percent() {
        let e = parse("train.cpt.lr>=2e-5 and gpu_util_avg_pct<95% or host=\"a100-n13\"").unwrap();
        assert_eq!(
            flat(&e),
            vec![
                cmp("train.cpt.lr", Op::Ge, "2e-5"),
                cmp("gpu_util_avg_pct", Op::Lt, "95%"),
                cmp("host", Op::Eq, "a100-n13"),
            ]
        );
        assert_eq!(number_of("95%"), Some(95.0));
        assert_eq!(number_of("1e-05"), number_of("0.00001"));
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tighter_than_and() {
        let e = parse("a = 1 or not b = 2 and c").unwrap();
        match e {
            Expr::Or(v) => {
                assert!(matches!(v[0], Expr::Cmp(..)));
                match &v[1] {
                    Expr::And(w) => {
                        assert!(matches!(w[0], Expr::Not(_)));
                        assert!(matches!(&w[1], Expr::Has(f) if f.name == "c"));
                    }
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn backquoted_names_hold_any_character() {
        let e = parse("`train.cpt.lr-warmup ratio` > 0.1").unwrap();
        assert_eq!(flat(&e)[0].0, "train.cpt.lr-warmup ratio");
        match e {
            Expr::Cmp(f, _, _) => assert_eq!((f.start, f.end), (0, 27)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_point_at_the_byte_they_are_about() {
        let at = |q: &str| parse(q).err().map(|e| (e.start, e.message));
        assert_eq!(at("status = ").map(|e| e.0), Some(7));
        assert_eq!(at("(status = ok").map(|e| e.0), Some(0));
        assert_eq!(at("status = ok)").map(|e| e.0), Some(11));
        assert_eq!(at("status ! ok").map(|e| e.0), Some(7));
        assert_eq!(at("host = \"abc").map(|e| e.0), Some(7));
        assert_eq!(at("status = ok host = x").map(|e| e.0), Some(12));
        assert_eq!(at("= 3").map(|e| e.0), Some(0));
        assert_eq!(at("a and").map(|e| e.0), Some(5));
        assert_eq!(at("\"host\" = 3").map(|e| e.0), Some(0));
        assert!(parse("").is_ok_and(|e| e == Expr::All));
    }

    #[test]
    fn keywords_in_any_case_and_multibyte_text() {
        let e = parse("NOT user = \"李伟\" AND host ~ \"gpu-0[0-9]\"").unwrap();
        assert_eq!(flat(&e)[0].2, "李伟");
        assert!(matches!(e, Expr::And(_)));
    }
}
