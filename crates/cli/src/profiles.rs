//! `authpath profiles`: the servers `--profile` can answer as, one line each.

use authpath_engine::profile::Family;
use authpath_engine::Profile;

use crate::args::{help_flag, Arguments, Command, Flag, Positionals};
use crate::Failure;

/// The help text before the options.
const ABOUT: &str = "\
authpath profiles: the servers that --profile answers as

USAGE:
    authpath profiles [OPTIONS]

";

/// The help text after the options.
const AFTER: &str = "\
One line each: the id, what it models and, for a framework, the version it was read from.
Framework profiles are held to the real frameworks, installed and run on 127.0.0.1, by
`cargo xtask test` wherever the framework installs from PyPI or npm; Spring Security,
ASP.NET Core and AWS API Gateway, which do not install here, by table tests against the
source or documentation they were read from.

EXAMPLES:
    authpath profiles --sources
    authpath eval --profile fastapi-0.121 request.txt
";

/// The parsed options of `authpath profiles`.
#[derive(Debug, Clone, Default)]
pub struct ProfilesOptions {
    /// `--sources`: every source under its profile.
    pub sources: bool,
}

/// `authpath profiles`' options and help.
pub fn command() -> Command<ProfilesOptions> {
    Command {
        name: "profiles",
        about: ABOUT,
        flags: vec![
            Flag::switch(
                "sources",
                "also list, under each profile, where its behaviour was read",
                |options| {
                    options.sources = true;
                    Ok(())
                },
            ),
            help_flag(),
        ],
        column: 22,
        after: AFTER,
        positionals: Positionals::Take(|_, value| {
            Err(format!("profiles takes no arguments, not {value:?}"))
        }),
    }
}

/// `authpath profiles --help`.
pub fn help() -> String {
    command().help()
}

/// The listing: the reference servers, then the frameworks.
pub fn listing(options: &ProfilesOptions) -> String {
    let width = Profile::all()
        .iter()
        .map(|profile| profile.id().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (family, heading) in [
        (Family::Reference, "reference servers"),
        (Family::Framework, "frameworks"),
    ] {
        text.push_str(&format!("{heading}:\n"));
        for profile in Profile::all() {
            let spec = profile.spec();
            if spec.family != family {
                continue;
            }
            let version = if spec.version.is_empty() {
                String::new()
            } else {
                format!(" [{}]", spec.version)
            };
            text.push_str(&format!(
                "  {:<width$}  {}{version}\n",
                profile.id(),
                spec.models
            ));
            if options.sources {
                for source in spec.sources {
                    text.push_str(&format!("  {:<width$}    source: {source}\n", ""));
                }
            }
        }
    }
    text
}

/// Parses the options and prints the listing; `Ok(())` also after `--help`.
pub fn main(mut arguments: Arguments) -> Result<(), Failure> {
    let Some(options) = command().parse(&mut arguments, ProfilesOptions::default())? else {
        return Ok(());
    };
    print!("{}", listing(&options));
    Ok(())
}
