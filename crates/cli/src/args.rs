//! The command line, read with `lexopt`: each command is a [`Command`], a table of [`Flag`]s
//! that holds every option's name, value, `--help` line and what it sets, side by side. The
//! messages are the tool's own, each saying what to fix.
//!
//! Options several commands share (`--profile`, `--policy`, `--now`) are defined once, in
//! `scenario.rs`; `--help` is [`help_flag`]. A flag that may be repeated simply sets again
//! (or pushes) each time it is given.

use std::ffi::OsString;
use std::fmt;

use lexopt::Arg;

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

/// One option of a command: how it is written, what value it takes, its line in `--help`,
/// and what it does to the command's options `T`.
pub struct Flag<T> {
    /// The long name without dashes, e.g. `profile`.
    pub long: &'static str,
    /// A one-letter alias, e.g. `h` for `--help`.
    pub short: Option<char>,
    /// What `--help` shows after the name, e.g. `<rfc|conceal|naive>`; empty for a switch.
    pub placeholder: &'static str,
    /// The `--help` text; a `\n` continues it on the next line, under the first.
    pub help: &'static str,
    /// What the flag sets.
    pub action: Action<T>,
}

/// What a flag does with the command's options `T`. An `Err` is the message of a usage error.
pub enum Action<T> {
    /// Takes a value (`--now 5` or `--now=5`).
    Value(fn(&mut T, &str) -> Result<(), String>),
    /// Takes no value (`--json`; `--json=yes` is a mistake).
    Switch(fn(&mut T) -> Result<(), String>),
    /// Prints the command's help and ends the command.
    Help,
}

impl<T> Flag<T> {
    /// A flag that takes a value.
    pub fn value(
        long: &'static str,
        placeholder: &'static str,
        help: &'static str,
        set: fn(&mut T, &str) -> Result<(), String>,
    ) -> Flag<T> {
        Flag {
            long,
            short: None,
            placeholder,
            help,
            action: Action::Value(set),
        }
    }

    /// A flag that takes no value.
    pub fn switch(
        long: &'static str,
        help: &'static str,
        set: fn(&mut T) -> Result<(), String>,
    ) -> Flag<T> {
        Flag {
            long,
            short: None,
            placeholder: "",
            help,
            action: Action::Switch(set),
        }
    }

    /// How the flag is written in `--help`: `--now <unix seconds>`, `-h, --help`.
    fn spelling(&self) -> String {
        let mut spelling = match self.short {
            Some(short) => format!("-{short}, --{}", self.long),
            None => format!("--{}", self.long),
        };
        if !self.placeholder.is_empty() {
            spelling.push(' ');
            spelling.push_str(self.placeholder);
        }
        spelling
    }

    fn is(&self, name: &Name) -> bool {
        match name {
            Name::Long(long) => long == self.long,
            Name::Short(short) => self.short == Some(*short),
        }
    }
}

/// `-h, --help`, which every command takes.
pub fn help_flag<T>() -> Flag<T> {
    Flag {
        long: "help",
        short: Some('h'),
        placeholder: "",
        help: "print this help",
        action: Action::Help,
    }
}

/// What a command does with an argument that is not an option.
pub enum Positionals<T> {
    /// None are taken: one is an error suggesting `--{suggestion} <it>` instead.
    Suggest(&'static str),
    /// Each is handed to this function (which may refuse a second one).
    Take(fn(&mut T, String) -> Result<(), String>),
}

/// One command: its flags, its help text around the OPTIONS list, and how it reads
/// positionals.
pub struct Command<T> {
    /// The command's name, e.g. `eval`.
    pub name: &'static str,
    /// The help text before `OPTIONS:`, ending with a blank line.
    pub about: &'static str,
    /// The options, in the order `--help` lists them.
    pub flags: Vec<Flag<T>>,
    /// The column where `--help` starts each option's text.
    pub column: usize,
    /// The help text after the options (after one blank line).
    pub after: &'static str,
    pub positionals: Positionals<T>,
}

impl<T> Command<T> {
    /// The `--help` text.
    pub fn help(&self) -> String {
        let mut text = format!("{}OPTIONS:\n", self.about);
        let width = self.column.saturating_sub(4);
        for flag in &self.flags {
            let mut lines = flag.help.lines();
            let first = lines.next().unwrap_or("");
            text.push_str(&format!("    {:<width$}{first}\n", flag.spelling()));
            for line in lines {
                text.push_str(&format!("{:column$}{line}\n", "", column = self.column));
            }
        }
        text.push('\n');
        text.push_str(self.after);
        text
    }

    /// Reads the command's arguments into `options`; `Ok(None)` when `--help` was asked for
    /// (and printed).
    pub fn parse(
        &self,
        arguments: &mut Arguments,
        mut options: T,
    ) -> Result<Option<T>, UsageError> {
        while let Some(item) = arguments.next_item()? {
            let name = match item {
                Item::Flag(name) => name,
                Item::Positional(value) => {
                    self.positional(arguments, &mut options, value)?;
                    continue;
                }
            };
            let Some(flag) = self.flags.iter().find(|flag| flag.is(&name)) else {
                return Err(arguments.unknown_flag(&name));
            };
            let set = match flag.action {
                Action::Help => {
                    print!("{}", self.help());
                    return Ok(None);
                }
                Action::Switch(set) => {
                    arguments.switch(flag.long)?;
                    set(&mut options)
                }
                Action::Value(set) => {
                    let value = arguments.value(flag.long)?;
                    set(&mut options, &value)
                }
            };
            set.map_err(|message| arguments.error(message))?;
        }
        Ok(Some(options))
    }

    /// Hands a positional to the command, or refuses it with a suggestion.
    fn positional(
        &self,
        arguments: &Arguments,
        options: &mut T,
        value: String,
    ) -> Result<(), UsageError> {
        match self.positionals {
            Positionals::Suggest(suggestion) => Err(arguments.error(format!(
                "{} takes only options, not {value:?}; did you mean --{suggestion} {value}?",
                self.name
            ))),
            Positionals::Take(take) => {
                take(options, value).map_err(|message| arguments.error(message))
            }
        }
    }
}

/// How an option was written: `--name` (without the `=value`) or `-n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Long(String),
    Short(char),
}

impl fmt::Display for Name {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Long(long) => write!(formatter, "--{long}"),
            Name::Short(short) => write!(formatter, "-{short}"),
        }
    }
}

/// One item of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An option; its value, if it takes one, is read with [`Arguments::value`].
    Flag(Name),
    /// Anything else, including a lone `-` (stdin) and everything after `--`.
    Positional(String),
}

/// The remaining arguments of one command.
pub struct Arguments {
    command: &'static str,
    parser: lexopt::Parser,
}

impl Arguments {
    /// Arguments of `command`, without the program name and the command name.
    pub fn new(command: &'static str, items: impl IntoIterator<Item = String>) -> Arguments {
        Arguments::continuing(command, lexopt::Parser::from_args(items))
    }

    /// The rest of a command line whose command name `parser` has just read.
    pub fn continuing(command: &'static str, parser: lexopt::Parser) -> Arguments {
        Arguments { command, parser }
    }

    /// The next item, or `None` at the end.
    pub fn next_item(&mut self) -> Result<Option<Item>, UsageError> {
        match self.parser.next() {
            Ok(None) => Ok(None),
            Ok(Some(Arg::Long(long))) => Ok(Some(Item::Flag(Name::Long(long.to_string())))),
            Ok(Some(Arg::Short(short))) => Ok(Some(Item::Flag(Name::Short(short)))),
            Ok(Some(Arg::Value(value))) => Ok(Some(Item::Positional(text(value)))),
            // Only a switch's `=value` is left unread, and `switch` reads it first.
            Err(error) => Err(self.error(error.to_string())),
        }
    }

    /// The value of the option just read: the inline one (`--now=5`) or the next argument,
    /// unless that is another flag (`--now --json` forgot the value).
    pub fn value(&mut self, name: &str) -> Result<String, UsageError> {
        match self.parser.value().map(text) {
            Ok(value) if !value.starts_with("--") || value == "--" => Ok(value),
            Ok(flag) => Err(self.error(format!(
                "--{name} needs a value, but the next argument is the flag {flag}"
            ))),
            Err(_) => Err(self.error(format!("--{name} needs a value"))),
        }
    }

    /// Checks that the switch just read was not given a value (`--json=yes` is a mistake).
    pub fn switch(&mut self, name: &str) -> Result<(), UsageError> {
        match self.parser.optional_value() {
            None => Ok(()),
            Some(value) => Err(self.error(format!(
                "--{name} takes no value (got --{name}={}); write just --{name}",
                text(value)
            ))),
        }
    }

    /// A usage error of this command.
    pub fn error(&self, message: impl Into<String>) -> UsageError {
        UsageError::new(self.command, message)
    }

    /// The error for a flag this command does not know.
    pub fn unknown_flag(&self, name: &Name) -> UsageError {
        self.error(format!(
            "unknown option {name} for `authpath {}`",
            self.command
        ))
    }
}

/// An argument as text. `main` already read the command line lossily, so this loses nothing
/// there; elsewhere bytes that are not UTF-8 become U+FFFD.
pub fn text(value: OsString) -> String {
    value
        .into_string()
        .unwrap_or_else(|value| value.to_string_lossy().into_owned())
}

/// Parses a number of Unix seconds for `--{flag}`; the error is the usage message.
pub fn unix_seconds(flag: &str, value: &str) -> Result<u64, String> {
    value.trim().parse::<u64>().map_err(|_| {
        format!("--{flag} needs a number of Unix seconds such as 1767225600, not {value:?}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(line: &[&str]) -> Vec<Item> {
        let mut arguments = Arguments::new("eval", line.iter().map(|item| item.to_string()));
        std::iter::from_fn(|| arguments.next_item().expect("no pending value")).collect()
    }

    fn long(name: &str) -> Item {
        Item::Flag(Name::Long(name.to_string()))
    }

    fn positional(value: &str) -> Item {
        Item::Positional(value.to_string())
    }

    #[test]
    fn items_are_read_as_flags_and_positionals() {
        let cases: &[(&[&str], Vec<Item>)] = &[
            (&["--json"], vec![long("json")]),
            (&["-h"], vec![Item::Flag(Name::Short('h'))]),
            (&["-"], vec![positional("-")]),
            (&["--", "--json"], vec![positional("--json")]),
            (
                &["request.txt", "--explain"],
                vec![positional("request.txt"), long("explain")],
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(&items(line), expected, "{line:?}");
        }
    }

    /// The value read after the first argument of `line` (a flag).
    fn value(line: &[&str]) -> Result<String, UsageError> {
        let mut arguments = Arguments::new("eval", line.iter().map(|item| item.to_string()));
        arguments.next_item()?;
        arguments.value("now")
    }

    #[test]
    fn a_value_is_inline_or_the_next_argument_unless_that_is_a_flag() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["--now", "5"], Some("5")),
            (&["--now=5"], Some("5")),
            (&["--exp", "-60"], Some("-60")),
            (&["--now", "--"], Some("--")),
            (&["--now", "--json"], None),
            (&["--now"], None),
        ];
        for (line, expected) in cases {
            assert_eq!(value(line).ok().as_deref(), *expected, "{line:?}");
        }
    }

    #[test]
    fn help_lists_each_flag_with_its_text_at_the_column() {
        let command: Command<u32> = Command {
            name: "count",
            about: "count: adds\n\n",
            flags: vec![
                Flag::value("by", "<n>", "how much\nper call", |total, value| {
                    *total += value.parse::<u32>().map_err(|error| error.to_string())?;
                    Ok(())
                }),
                help_flag(),
            ],
            column: 16,
            after: "The end.\n",
            positionals: Positionals::Suggest("by"),
        };
        assert_eq!(
            command.help(),
            "count: adds\n\nOPTIONS:\n    --by <n>    how much\n                per call\n    \
             -h, --help  print this help\n\nThe end.\n"
        );
        let mut arguments = Arguments::new("count", ["--by", "2", "--by=3"].map(String::from));
        assert_eq!(command.parse(&mut arguments, 0), Ok(Some(5)), "repeated");
        let mut arguments = Arguments::new("count", ["7"].map(String::from));
        let error = command.parse(&mut arguments, 0).expect_err("a positional");
        assert!(error.message.contains("did you mean --by 7"), "{error}");
    }
}
