//! A small hand-written argument reader: `--flag value`, `--flag=value`, switches and
//! positionals. Kept by hand so the command line adds no dependency.

use std::collections::VecDeque;
use std::fmt;

/// A mistake in how the tool was called. The message says what to fix; `main` prints it with
/// a pointer to `--help` and exits with status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// What is wrong and how to fix it, e.g. "--now needs a number of Unix seconds, not \"x\"".
    pub message: String,
    /// The command the mistake was made in (`eval`, `token`, `serve`), for the `--help` hint.
    pub command: Option<&'static str>,
}

impl UsageError {
    /// A usage error inside `command`.
    pub fn new(command: &'static str, message: impl Into<String>) -> UsageError {
        UsageError {
            message: message.into(),
            command: Some(command),
        }
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// One item of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `--name` or `--name=value` (the value inline, when given with `=`); `-h` reads as `--help`.
    Flag {
        name: String,
        inline: Option<String>,
    },
    /// Anything else, including a lone `-` (stdin).
    Positional(String),
}

/// The remaining arguments of one command.
#[derive(Debug, Clone)]
pub struct Arguments {
    command: &'static str,
    items: VecDeque<String>,
    /// After `--`, everything is positional.
    positional_only: bool,
}

impl Arguments {
    /// Arguments of `command`, without the program name and the command name.
    pub fn new(command: &'static str, items: impl IntoIterator<Item = String>) -> Arguments {
        Arguments {
            command,
            items: items.into_iter().collect(),
            positional_only: false,
        }
    }

    /// The next item, or `None` at the end.
    pub fn next_item(&mut self) -> Option<Item> {
        let item = self.items.pop_front()?;
        if self.positional_only {
            return Some(Item::Positional(item));
        }
        if item == "--" {
            self.positional_only = true;
            return self.next_item();
        }
        if item == "-h" {
            return Some(Item::Flag {
                name: "help".to_string(),
                inline: None,
            });
        }
        let Some(flag) = item.strip_prefix("--") else {
            return Some(Item::Positional(item));
        };
        Some(match flag.split_once('=') {
            Some((name, value)) => Item::Flag {
                name: name.to_string(),
                inline: Some(value.to_string()),
            },
            None => Item::Flag {
                name: flag.to_string(),
                inline: None,
            },
        })
    }

    /// The next flag as `(name, inline value)`, or `None` at the end, for a command that takes
    /// only options: a positional is an error suggesting `--{suggestion} <it>` instead.
    pub fn next_flag(
        &mut self,
        suggestion: &str,
    ) -> Result<Option<(String, Option<String>)>, UsageError> {
        match self.next_item() {
            None => Ok(None),
            Some(Item::Flag { name, inline }) => Ok(Some((name, inline))),
            Some(Item::Positional(value)) => Err(self.error(format!(
                "{} takes only options, not {value:?}; did you mean --{suggestion} {value}?",
                self.command
            ))),
        }
    }

    /// The value of `--name`: the inline one, or the next argument.
    pub fn value(&mut self, name: &str, inline: Option<String>) -> Result<String, UsageError> {
        if let Some(value) = inline {
            return Ok(value);
        }
        match self.items.pop_front() {
            Some(value) if !value.starts_with("--") || value == "--" => Ok(value),
            Some(flag) => {
                self.items.push_front(flag.clone());
                Err(self.error(format!(
                    "--{name} needs a value, but the next argument is the flag {flag}"
                )))
            }
            None => Err(self.error(format!("--{name} needs a value"))),
        }
    }

    /// Checks that a switch was not given a value (`--json=yes` is a mistake).
    pub fn switch(&self, name: &str, inline: Option<String>) -> Result<(), UsageError> {
        match inline {
            None => Ok(()),
            Some(value) => Err(self.error(format!(
                "--{name} takes no value (got --{name}={value}); write just --{name}"
            ))),
        }
    }

    /// A usage error of this command.
    pub fn error(&self, message: impl Into<String>) -> UsageError {
        UsageError::new(self.command, message)
    }

    /// The error for a flag this command does not know.
    pub fn unknown_flag(&self, name: &str) -> UsageError {
        self.error(format!(
            "unknown option --{name} for `authpath {}`",
            self.command
        ))
    }
}

/// Parses a number of Unix seconds for `flag`.
pub fn unix_seconds(arguments: &Arguments, flag: &str, value: &str) -> Result<u64, UsageError> {
    value.trim().parse::<u64>().map_err(|_| {
        arguments.error(format!(
            "--{flag} needs a number of Unix seconds such as 1767225600, not {value:?}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(line: &[&str]) -> Vec<Item> {
        let mut arguments = Arguments::new("eval", line.iter().map(|item| item.to_string()));
        std::iter::from_fn(|| arguments.next_item()).collect()
    }

    fn flag(name: &str, inline: Option<&str>) -> Item {
        Item::Flag {
            name: name.to_string(),
            inline: inline.map(str::to_string),
        }
    }

    #[test]
    fn items_are_read_as_flags_and_positionals() {
        let cases: &[(&[&str], Vec<Item>)] = &[
            (&["--json"], vec![flag("json", None)]),
            (&["--now=5"], vec![flag("now", Some("5"))]),
            (&["-h"], vec![flag("help", None)]),
            (&["-"], vec![Item::Positional("-".to_string())]),
            (
                &["--", "--json"],
                vec![Item::Positional("--json".to_string())],
            ),
            (
                &["request.txt", "--explain"],
                vec![
                    Item::Positional("request.txt".to_string()),
                    flag("explain", None),
                ],
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(&items(line), expected, "{line:?}");
        }
    }

    #[test]
    fn a_value_is_the_next_argument_unless_it_is_a_flag() {
        let mut arguments = Arguments::new("eval", ["5".to_string()]);
        assert_eq!(arguments.value("now", None), Ok("5".to_string()));
        let mut arguments = Arguments::new("eval", ["--json".to_string()]);
        assert!(arguments.value("now", None).is_err());
        let mut arguments = Arguments::new("eval", Vec::new());
        assert!(arguments.value("now", None).is_err());
    }
}
