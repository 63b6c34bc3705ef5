//! The small language of `show_if` rules: when an item is shown, written over earlier
//! answers (`home_calm = no and not (lately has none)`).
//!
//! Parsing gives a [`RuleExpr`] over item and option ids; the validator then resolves the
//! ids and turns it into a [`Rule`] over item positions, which is what the engine evaluates.

use crate::answer::Answer;
use std::fmt;

/// A parsed rule, still naming items and options by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleExpr {
    /// `item = a` or `item in (a, b)`.
    Is {
        item: String,
        options: Vec<String>,
    },
    /// `item != a`: answered, and with something else.
    IsNot {
        item: String,
        option: String,
    },
    /// `item has a`, for multiple-choice items.
    Has {
        item: String,
        option: String,
    },
    Not(Box<RuleExpr>),
    And(Vec<RuleExpr>),
    Or(Vec<RuleExpr>),
}

impl RuleExpr {
    /// Every (item, option) pair the rule names, in order of appearance.
    pub fn references(&self) -> Vec<(&str, Vec<&str>)> {
        let mut out = Vec::new();
        self.walk(&mut |e| match e {
            RuleExpr::Is { item, options } => out.push((item.as_str(), options.iter().map(String::as_str).collect())),
            RuleExpr::IsNot { item, option } | RuleExpr::Has { item, option } => {
                out.push((item.as_str(), vec![option.as_str()]))
            }
            _ => {}
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a RuleExpr)) {
        f(self);
        match self {
            RuleExpr::Not(inner) => inner.walk(f),
            RuleExpr::And(parts) | RuleExpr::Or(parts) => parts.iter().for_each(|p| p.walk(f)),
            _ => {}
        }
    }
}

/// A rule over item positions in the expanded questionnaire, ready to evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    Is { item: usize, options: Vec<String> },
    IsNot { item: usize, option: String },
    Has { item: usize, option: String },
    Not(Box<Rule>),
    And(Vec<Rule>),
    Or(Vec<Rule>),
}

impl Rule {
    /// Evaluates the rule. `answer(i)` gives the answer of item `i` if that item is shown and
    /// answered; a comparison with an item that is not is false.
    pub fn eval<'a>(&self, answer: &impl Fn(usize) -> Option<&'a Answer>) -> bool {
        match self {
            Rule::Is { item, options } => {
                matches!(answer(*item), Some(Answer::Choice(c)) if options.contains(c))
            }
            Rule::IsNot { item, option } => {
                matches!(answer(*item), Some(Answer::Choice(c)) if c != option)
            }
            Rule::Has { item, option } => {
                matches!(answer(*item), Some(Answer::Choices(cs)) if cs.contains(option))
            }
            Rule::Not(inner) => !inner.eval(answer),
            Rule::And(parts) => parts.iter().all(|p| p.eval(answer)),
            Rule::Or(parts) => parts.iter().any(|p| p.eval(answer)),
        }
    }

    /// The item positions the rule reads.
    pub fn items(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.collect_items(&mut out);
        out
    }

    fn collect_items(&self, out: &mut Vec<usize>) {
        match self {
            Rule::Is { item, .. } | Rule::IsNot { item, .. } | Rule::Has { item, .. } => out.push(*item),
            Rule::Not(inner) => inner.collect_items(out),
            Rule::And(parts) | Rule::Or(parts) => parts.iter().for_each(|p| p.collect_items(out)),
        }
    }
}

/// Why a rule could not be read; `at` is a character position in the rule text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub at: usize,
    pub expected: &'static str,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at character {}", self.expected, self.at + 1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Eq,
    NotEq,
    Open,
    Close,
    Comma,
    End,
}

fn tokenize(source: &str) -> Result<Vec<(usize, Token)>, SyntaxError> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let token = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '=' => Token::Eq,
            '(' => Token::Open,
            ')' => Token::Close,
            ',' => Token::Comma,
            '!' if chars.get(i + 1) == Some(&'=') => {
                i += 1;
                Token::NotEq
            }
            c if is_word_char(c) => {
                while i + 1 < chars.len() && is_word_char(chars[i + 1]) {
                    i += 1;
                }
                Token::Word(chars[start..=i].iter().collect())
            }
            _ => return Err(SyntaxError { at: i, expected: "an id, `=`, `!=`, `(` or `)`" }),
        };
        tokens.push((start, token));
        i += 1;
    }
    tokens.push((chars.len(), Token::End));
    Ok(tokens)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Reads a rule such as `lately has money and not (home_calm = yes)`.
pub fn parse(source: &str) -> Result<RuleExpr, SyntaxError> {
    let tokens = tokenize(source)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.or()?;
    match parser.peek() {
        Token::End => Ok(expr),
        _ => Err(parser.error("`and`, `or` or the end of the rule")),
    }
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos].1
    }

    fn error(&self, expected: &'static str) -> SyntaxError {
        SyntaxError { at: self.tokens[self.pos].0, expected }
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.pos].1.clone();
        if t != Token::End {
            self.pos += 1;
        }
        t
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Token::Word(w) if w == word)
    }

    fn or(&mut self) -> Result<RuleExpr, SyntaxError> {
        let mut parts = vec![self.and()?];
        while self.keyword("or") {
            self.next();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { RuleExpr::Or(parts) })
    }

    fn and(&mut self) -> Result<RuleExpr, SyntaxError> {
        let mut parts = vec![self.unary()?];
        while self.keyword("and") {
            self.next();
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { RuleExpr::And(parts) })
    }

    fn unary(&mut self) -> Result<RuleExpr, SyntaxError> {
        if self.keyword("not") {
            self.next();
            return Ok(RuleExpr::Not(Box::new(self.unary()?)));
        }
        if *self.peek() == Token::Open {
            self.next();
            let inner = self.or()?;
            return match self.next() {
                Token::Close => Ok(inner),
                _ => {
                    self.pos -= 1;
                    Err(self.error("`)`"))
                }
            };
        }
        self.comparison()
    }

    fn word(&mut self, expected: &'static str) -> Result<String, SyntaxError> {
        match self.peek().clone() {
            Token::Word(w) if !matches!(w.as_str(), "and" | "or" | "not" | "in" | "has") => {
                self.next();
                Ok(w)
            }
            _ => Err(self.error(expected)),
        }
    }

    fn comparison(&mut self) -> Result<RuleExpr, SyntaxError> {
        let item = self.word("an item id")?;
        match self.peek().clone() {
            Token::Eq => {
                self.next();
                let option = self.word("an option id")?;
                Ok(RuleExpr::Is { item, options: vec![option] })
            }
            Token::NotEq => {
                self.next();
                let option = self.word("an option id")?;
                Ok(RuleExpr::IsNot { item, option })
            }
            Token::Word(w) if w == "has" => {
                self.next();
                let option = self.word("an option id")?;
                Ok(RuleExpr::Has { item, option })
            }
            Token::Word(w) if w == "in" => {
                self.next();
                if self.next() != Token::Open {
                    self.pos -= 1;
                    return Err(self.error("`(`"));
                }
                let mut options = vec![self.word("an option id")?];
                while *self.peek() == Token::Comma {
                    self.next();
                    options.push(self.word("an option id")?);
                }
                if self.next() != Token::Close {
                    self.pos -= 1;
                    return Err(self.error("`,` or `)`"));
                }
                Ok(RuleExpr::Is { item, options })
            }
            _ => Err(self.error("`=`, `!=`, `in` or `has`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(source: &str, expect: Expect) {
        let got = match parse(source) {
            Ok(expr) => format!("{expr:?}"),
            Err(e) => format!("error: {e}"),
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn reads_comparisons() {
        check("a = yes", expect![[r#"Is { item: "a", options: ["yes"] }"#]]);
        check("a != yes", expect![[r#"IsNot { item: "a", option: "yes" }"#]]);
        check("a in (x, y)", expect![[r#"Is { item: "a", options: ["x", "y"] }"#]]);
        check("lately.money.worry has a_lot", expect![[r#"Has { item: "lately.money.worry", option: "a_lot" }"#]]);
    }

    #[test]
    fn and_binds_tighter_than_or() {
        check(
            "a = x or b = y and not c = z",
            expect![[
                r#"Or([Is { item: "a", options: ["x"] }, And([Is { item: "b", options: ["y"] }, Not(Is { item: "c", options: ["z"] })])])"#
            ]],
        );
        check(
            "(a = x or b = y) and c = z",
            expect![[
                r#"And([Or([Is { item: "a", options: ["x"] }, Is { item: "b", options: ["y"] }]), Is { item: "c", options: ["z"] }])"#
            ]],
        );
    }

    #[test]
    fn reports_where_a_rule_breaks() {
        check("a =", expect!["error: expected an option id at character 4"]);
        check("a yes", expect!["error: expected `=`, `!=`, `in` or `has` at character 3"]);
        check("(a = x", expect!["error: expected `)` at character 6"]);
        check("a in (x y)", expect!["error: expected `,` or `)` at character 9"]);
        check("a = x b = y", expect!["error: expected `and`, `or` or the end of the rule at character 7"]);
        check("a == x", expect!["error: expected an option id at character 4"]);
        check("a = x;", expect!["error: expected an id, `=`, `!=`, `(` or `)` at character 6"]);
    }
}
