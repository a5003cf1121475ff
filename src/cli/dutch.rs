//! The command line in Dutch: the command the program parses with ([`command`]), and clap's
//! parse errors as `wijkbalans: fout: …` sentences ([`parse_error`]).
//!
//! [`dutch`] takes clap's command (the English doc comments of [`crate::cli::args`], which stay
//! the English source of `describe --json`) and gives every command and flag its text from
//! [`help_nl`], with Dutch headings ("Gebruik:", "Opdrachten:", "Argumenten:", "Opties:" for a
//! command's own flags, and the shared groups' "Invoer:", "Spreiding:", "Uitvoer:" that
//! args.rs gives them), Dutch `-h/--help`, `-V/--version` and `help`, and "[standaard: x]" / "[keuzes: a, b]"
//! made from the argument's own default and choices where clap would have written
//! "[default: x]" / "[possible values: a, b]". `--help`, `wijkbalans man` and the shell
//! completions are all made from it.
//!
//! Done with clap's own means: `help_template` (the usage title), `help_heading`,
//! `subcommand_help_heading`, `mut_arg` / `mut_subcommands`, `hide_default_value`, `hide_possible_values`, `subcommand_value_name`
//! (`<OPDRACHT>`). clap writes the usage's `[OPTIONS]` itself and has no setting for it, so
//! every command's usage is clap's own rendered usage with that one placeholder in Dutch, set
//! as `override_usage` here and nowhere else (`usage`; a test checks every command).

use std::ffi::OsString;

use clap::builder::{Arg, Command, StyledStr};
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::cli::help_nl;
use crate::error::quoted;

/// clap's placeholder for the options in a usage line, and the Dutch one.
const OPTIONS_PLACEHOLDER: (&str, &str) = ("[OPTIONS]", "[OPTIES]");

/// The placeholder for a subcommand in a usage line (`<OPDRACHT>`).
const SUBCOMMAND_VALUE_NAME: &str = "OPDRACHT";

/// The help's headings of what args.rs gives none: the subcommands, a command's own flags
/// (with `-h` and `-V`) and its positional arguments. The shared groups name theirs in
/// args.rs ("Invoer", "Spreiding", "Uitvoer").
const COMMANDS_HEADING: &str = "Opdrachten";
const OWN_HEADING: &str = "Opties";
const POSITIONAL_HEADING: &str = "Argumenten";

/// What clap writes in English in a help text, none of which the Dutch help holds (the tests
/// check every command's help, and the man page and completions, against it).
pub const CLAP_ENGLISH: &[&str] = &[
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Print help",
    "Print version",
    "Print this message",
    "[default:",
    "[possible values:",
    "[OPTIONS]",
    "<COMMAND>",
];

/// The section titles of the man page (roff `.SH`) clap_mangen writes, and the Dutch ones.
const MAN_SECTIONS: &[(&str, &str)] = &[
    ("NAME", "NAAM"),
    ("SYNOPSIS", "OVERZICHT"),
    ("DESCRIPTION", "BESCHRIJVING"),
    ("OPTIONS", "OPTIES"),
    ("SUBCOMMANDS", "OPDRACHTEN"),
    ("EXTRA", "EXTRA"),
    ("VERSION", "VERSIE"),
    ("AUTHORS", "AUTEURS"),
];

/// The command the program parses with: [`crate::cli::args::Cli`]'s command made Dutch.
pub fn command() -> Command {
    dutch(<crate::cli::args::Cli as clap::CommandFactory>::command())
}

/// `cmd` (clap's command from the English doc comments) in Dutch, built.
///
/// Texts first (before clap builds the command, which decides from them whether `--help`
/// shows more than `-h`), then what clap adds while building: `-h/--help`, `-V/--version`,
/// the `help` command, the headings and the usage lines.
///
/// # Panics
/// When a command or flag has no Dutch text in [`help_nl`]: a bug that
/// `describe::tests::every_flag_and_command_has_dutch_help_and_no_entry_is_left_over` and
/// this module's tests catch; there is no English fallback.
pub fn dutch(cmd: Command) -> Command {
    let mut cmd = texts(cmd, true);
    cmd.build();
    frame(cmd)
}

/// The Dutch about of `cmd` (the program's own for the root) and the Dutch help of its flags,
/// then the same for its subcommands.
fn texts(cmd: Command, root: bool) -> Command {
    let name = cmd.get_name().to_string();
    let about = if root {
        help_nl::PROGRAM
    } else {
        help_nl::command(&name)
            .unwrap_or_else(|| panic!("{name}: no Dutch description in cli::help_nl::COMMANDS"))
    };
    // A second paragraph goes below the options, so that -h and --help stay the same.
    let more = if root {
        None
    } else {
        help_nl::command_more(&name)
    };
    let cmd = cmd.about(about).long_about(None).after_help(more);
    let cmd = cmd.mut_args(|arg| flag_text(&name, arg));
    cmd.mut_subcommands(|sub| texts(sub, false))
}

/// Flag `arg` of `command` with its Dutch help, followed by "[standaard: x]" and
/// "[keuzes: a, b]" where clap would have written its English ones (an argument that takes a
/// value and has a default, or a fixed list of values), which are hidden.
///
/// Example: `report --lang` (default `nl`, values `nl`, `en`) gets "Taal van de vaste teksten:
/// nl of en. [standaard: nl] [keuzes: nl, en]".
fn flag_text(command: &str, arg: Arg) -> Arg {
    // Every argument under a Dutch heading (see OWN_HEADING).
    let arg = match arg.get_help_heading() {
        Some(_) => arg,
        None if arg.is_positional() => arg.help_heading(POSITIONAL_HEADING),
        None => arg.help_heading(OWN_HEADING),
    };
    let id = arg.get_id().as_str();
    let text = help_nl::flag(command, id)
        .unwrap_or_else(|| panic!("{command} {id}: no Dutch help in cli::help_nl::FLAGS"));
    let mut help = text.to_string();
    if !arg.get_action().takes_values() {
        return arg.help(help).long_help(None);
    }
    // The placeholder in Dutch; clap names an argument without one after its id (`SHELL`).
    let english: Vec<String> = match arg.get_value_names() {
        Some(names) => names.iter().map(|n| n.to_string()).collect(),
        None => vec![id.to_ascii_uppercase()],
    };
    let dutch: Vec<&'static str> = english
        .iter()
        .map(|n| {
            help_nl::value_name(n).unwrap_or_else(|| {
                panic!("{command} {id}: no Dutch value name for {n} in cli::help_nl::VALUE_NAMES")
            })
        })
        .collect();
    let arg = arg.value_names(dutch);
    {
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            help.push_str(&format!(" [standaard: {}]", defaults.join(" ")));
        }
        let choices = choices(&arg);
        if !choices.is_empty() {
            help.push_str(&format!(" [keuzes: {}]", choices.join(", ")));
        }
    }
    arg.help(help)
        .long_help(None)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The values `arg` takes by name (a `ValueEnum`), without the hidden ones; empty for a flag
/// that takes any value. The help's "[keuzes: …]" and `describe --json`'s `choices`.
///
/// Example: `report --lang` → `["nl", "en"]`.
pub fn choices(arg: &Arg) -> Vec<String> {
    arg.get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect()
}

/// What clap adds while building, in Dutch, for `cmd` and its subcommands: the texts of
/// `-h/--help`, `-V/--version` and the `help` command, the headings and the usage line.
fn frame(cmd: Command) -> Command {
    let mut cmd = cmd
        .subcommand_value_name(SUBCOMMAND_VALUE_NAME)
        .subcommand_help_heading(COMMANDS_HEADING);
    // The program declares no `help` command of its own: one named so is clap's.
    if cmd.get_name() == "help" {
        cmd = cmd.about(help_nl::HELP_COMMAND);
    }
    let has = |cmd: &Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if has(&cmd, "help") {
        cmd = cmd.mut_arg("help", |a| match a.get_long_help() {
            Some(_) => a
                .help(help_nl::HELP_FLAG_SHORT_LONG.0)
                .long_help(help_nl::HELP_FLAG_SHORT_LONG.1)
                .help_heading(OWN_HEADING),
            None => a.help(help_nl::HELP_FLAG).help_heading(OWN_HEADING),
        });
    }
    if has(&cmd, "version") {
        cmd = cmd.mut_arg("version", |a| {
            a.help(help_nl::VERSION_FLAG).help_heading(OWN_HEADING)
        });
    }
    let template = template(&cmd);
    let usage = usage(&mut cmd);
    cmd.help_template(template)
        .override_usage(usage)
        .mut_subcommands(frame)
}

/// The help layout of `cmd`: clap's default template with the Dutch usage title. The
/// sections are clap's own (`{all-args}`) under the Dutch headings: "Opdrachten" for the
/// commands, and the heading every argument has ([`flag_text`], [`frame`]).
fn template(cmd: &Command) -> String {
    let usage = cmd.get_styles().get_usage();
    format!(
        "{{before-help}}{{about-with-newline}}\n{}Gebruik:{} {{usage}}\n\n{{all-args}}{{after-help}}",
        usage.render(),
        usage.render_reset()
    )
}

/// clap's usage of `cmd` without its title ("Usage: ") and with the Dutch placeholder for the
/// options; styles kept.
///
/// # Panics
/// When clap's rendered usage does not start with its title (a newer clap that words it
/// otherwise; the tests run every command through this).
fn usage(cmd: &mut Command) -> StyledStr {
    let style = cmd.get_styles().get_usage();
    let title = format!("{}Usage:{} ", style.render(), style.render_reset());
    let rendered = cmd.render_usage().ansi().to_string();
    let body = rendered
        .strip_prefix(&title)
        .unwrap_or_else(|| panic!("clap's usage has no title 'Usage: ': {rendered:?}"));
    StyledStr::from(body.replace(OPTIONS_PLACEHOLDER.0, OPTIONS_PLACEHOLDER.1))
}

/// The man page of `cmd` (from [`command`]): clap_mangen's roff with Dutch section titles.
/// clap_mangen writes its section titles in English and has no setting for them; only the
/// `.SH` lines with exactly one of the titles of `MAN_SECTIONS` are replaced (a test checks that
/// none is left).
pub fn man(cmd: Command) -> std::io::Result<String> {
    let mut out = Vec::new();
    // clap_mangen takes the heading of the commands as a section title as it stands; without
    // it, it writes SUBCOMMANDS, which MAN_SECTIONS says in Dutch like every other title.
    clap_mangen::Man::new(cmd.subcommand_help_heading(None))
        .manual("Algemene opdrachten")
        .render(&mut out)?;
    let roff = String::from_utf8_lossy(&out);
    let mut page = String::with_capacity(roff.len());
    for line in roff.lines() {
        let dutch = line.strip_prefix(".SH ").and_then(|title| {
            MAN_SECTIONS
                .iter()
                .find(|(en, _)| *en == title)
                .map(|(_, nl)| format!(".SH {nl}"))
        });
        page.push_str(dutch.as_deref().unwrap_or(line));
        page.push('\n');
    }
    Ok(page)
}

/// The message for a parse error of `cmd` (from [`command`]) on the command line `args`: a
/// Dutch sentence from clap's error context, then the usage line and where to read more.
///
/// ```text
/// wijkbalans: fout: onbekende optie '--foo'; bedoeld: '--format'?
/// Gebruik: wijkbalans analyse [OPTIES]
/// Meer uitleg: wijkbalans analyse --help
/// ```
///
/// Not for the kinds that show help or the version (`DisplayHelp`, `DisplayVersion`,
/// `DisplayHelpOnMissingArgumentOrSubcommand`): those print clap's (Dutch) help.
pub fn parse_error(err: &clap::Error, cmd: &Command, args: &[OsString]) -> String {
    let sub = subcommand(cmd, args);
    let mut lines = vec![format!("wijkbalans: fout: {}", sentence(err, cmd, sub))];
    // clap's usage for this error (the one `usage` set), else the command's own: clap gives
    // none with a value it refuses.
    let usage = match err.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => u.clone(),
        _ => sub
            .and_then(|s| cmd.find_subcommand(s))
            .unwrap_or(cmd)
            .clone()
            .render_usage(),
    }
    .to_string();
    lines.push(format!(
        "Gebruik: {}",
        usage.strip_prefix("Usage: ").unwrap_or(&usage)
    ));
    let program = match sub {
        Some(s) if s != "help" => format!("wijkbalans {s}"),
        _ => "wijkbalans".to_string(),
    };
    lines.push(format!("Meer uitleg: {program} --help"));
    lines.join("\n")
}

/// The command the user named: the first word after the program that is not a flag, if it
/// is one of `cmd`'s subcommands (the program itself takes no flags but `-h` and `-V`).
fn subcommand<'c>(cmd: &'c Command, args: &[OsString]) -> Option<&'c str> {
    let word = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy())
        .find(|a| !a.starts_with('-'))?;
    cmd.find_subcommand(word.as_ref()).map(|s| s.get_name())
}

/// The Dutch sentence for `err`, from clap's error context.
///
/// clap 4.6's error kinds (`ErrorKind` is non-exhaustive): InvalidValue, UnknownArgument,
/// InvalidSubcommand, NoEquals, ValueValidation, TooManyValues, TooFewValues,
/// WrongNumberOfValues, ArgumentConflict, MissingRequiredArgument, MissingSubcommand,
/// InvalidUtf8 are worded here; DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand and
/// DisplayVersion print help or the version instead; Io, Format (clap failing to write) and
/// any kind a later clap adds, or a worded kind without the context it needs, get a Dutch
/// frame with clap's own sentence quoted. Advice clap adds as free text
/// (`ContextKind::Suggested`, e.g. to put `--` before a value that starts with `-`) is
/// quoted the same way.
fn sentence(err: &clap::Error, cmd: &Command, sub: Option<&str>) -> String {
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let texts = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    };
    let number = |kind| match err.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).map(flag_name);
    let value = text(ContextKind::InvalidValue);
    let worded = match (err.kind(), arg.as_deref(), value) {
        (ErrorKind::UnknownArgument, Some(arg), _) => {
            let what = if arg.starts_with('-') {
                "onbekende optie"
            } else {
                "onverwacht argument"
            };
            let mut s = format!("{what} '{arg}'");
            if let Some(suggested) = text(ContextKind::SuggestedArg) {
                s.push_str(&format!("; bedoeld: '{suggested}'?"));
            } else if let (Some(long), Some(sub)) = (arg.strip_prefix("--"), sub) {
                // A flag of other commands (`allocate --audience`): say whose it is. Before
                // any command, the advice below puts the flag after its command.
                let long = long.split('=').next().unwrap_or(long);
                let owners: Vec<&str> = cmd
                    .get_subcommands()
                    .filter(|c| c.get_name() != sub && !c.is_hide_set())
                    .filter(|c| c.get_arguments().any(|a| a.get_long() == Some(long)))
                    .map(|c| c.get_name())
                    .collect();
                if !owners.is_empty() {
                    s.push_str(&format!(
                        "; dat is een optie van {}, niet van {sub}",
                        list(&owners, "en"),
                    ));
                }
            }
            Some(s)
        }
        (ErrorKind::InvalidSubcommand, _, _) => text(ContextKind::InvalidSubcommand).map(|name| {
            let suggested = texts(ContextKind::SuggestedSubcommand);
            let known: Vec<&str> = cmd
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| s.get_name())
                .collect();
            if suggested.is_empty() {
                format!(
                    "onbekende opdracht '{name}'; kies een van: {}",
                    known.join(", ")
                )
            } else {
                format!(
                    "onbekende opdracht '{name}'; bedoeld: {}?",
                    quoted_or(&suggested)
                )
            }
        }),
        (ErrorKind::InvalidValue, Some(arg), Some("")) => {
            Some(format!("{arg} heeft een waarde nodig, maar er staat geen"))
        }
        (ErrorKind::InvalidValue, Some(arg), Some(value)) => {
            let mut s = format!("ongeldige waarde '{value}' bij {arg}");
            let valid = texts(ContextKind::ValidValue);
            if !valid.is_empty() {
                s.push_str(&format!("; kies een van: {}", valid.join(", ")));
            }
            if let Some(suggested) = text(ContextKind::SuggestedValue) {
                s.push_str(&format!(" (bedoeld: '{suggested}'?)"));
            }
            Some(s)
        }
        (ErrorKind::ValueValidation, Some(arg), Some(value)) => Some(format!(
            "ongeldige waarde '{value}' bij {arg}: {}",
            why_invalid(err)
        )),
        (ErrorKind::TooManyValues, Some(arg), Some(value)) => Some(format!(
            "onverwachte waarde '{value}' bij {arg}: daar hoort geen (verdere) waarde bij"
        )),
        (ErrorKind::TooFewValues, Some(arg), _) => {
            match (
                number(ContextKind::MinValues),
                number(ContextKind::ActualNumValues),
            ) {
                (Some(min), Some(actual)) => Some(format!(
                    "{arg} vraagt minstens {min} waarden, niet {actual}"
                )),
                _ => None,
            }
        }
        (ErrorKind::WrongNumberOfValues, Some(arg), _) => {
            match (
                number(ContextKind::ExpectedNumValues),
                number(ContextKind::ActualNumValues),
            ) {
                (Some(expected), Some(actual)) => Some(format!(
                    "{arg} vraagt {expected} {}, niet {actual}",
                    if expected == 1 { "waarde" } else { "waarden" }
                )),
                _ => None,
            }
        }
        (ErrorKind::ArgumentConflict, Some(arg), _) => {
            let prior: Vec<String> = texts(ContextKind::PriorArg)
                .iter()
                .map(|p| flag_name(p))
                .collect();
            if prior == [arg] {
                Some(format!("{arg} staat er twee keer; geef het één keer"))
            } else if prior.is_empty() {
                Some(format!("{arg} gaat niet samen met de andere opties"))
            } else {
                let others: Vec<&str> = prior.iter().map(String::as_str).collect();
                Some(format!(
                    "{arg} en {} gaan niet samen; kies er een",
                    list(&others, "en")
                ))
            }
        }
        (ErrorKind::MissingRequiredArgument, _, _) => {
            let missing: Vec<String> = texts(ContextKind::InvalidArg)
                .iter()
                .map(|m| required_name(m))
                .collect();
            let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
            // An optional flag that is missing is one another given flag needs (clap's
            // `requires`, e.g. --previous-year needs --previous): not "verplicht".
            let optional = |name: &str| {
                sub.and_then(|s| cmd.find_subcommand(s))
                    .and_then(|c| {
                        c.get_arguments()
                            .find(|a| a.get_long() == name.strip_prefix("--"))
                    })
                    .is_some_and(|a| !a.is_required_set())
            };
            let at = sub.map(|s| format!(" bij {s}")).unwrap_or_default();
            match missing[..] {
                [] => None,
                [one] if optional(one) => Some(format!(
                    "{one} ontbreekt: een optie die u gaf, geldt alleen samen met {one}; geef ook {one}, of laat die optie weg"
                )),
                [one] => Some(format!("{one} ontbreekt (verplicht{at})")),
                _ => Some(format!(
                    "{} ontbreken (verplicht{at})",
                    list(&missing, "en")
                )),
            }
        }
        (ErrorKind::MissingSubcommand, _, _) => {
            let valid = texts(ContextKind::ValidSubcommand);
            Some(format!(
                "geef een opdracht; kies een van: {}",
                valid.join(", ")
            ))
        }
        (ErrorKind::NoEquals, Some(arg), _) => Some(format!(
            "{arg} vraagt zijn waarde met een '=' ertussen: {arg}=WAARDE"
        )),
        (ErrorKind::InvalidUtf8, _, _) => Some(
            "een argument is geen geldige UTF-8-tekst; controleer de tekens (bijv. in een \
             bestandsnaam)"
                .to_string(),
        ),
        _ => None,
    };
    let mut s = worded.unwrap_or_else(|| {
        format!(
            "de opdrachtregel is niet te lezen; {}",
            quoted("clap", clap_sentence(err))
        )
    });
    if let Some(ContextValue::StyledStrs(tips)) = err.get(ContextKind::Suggested) {
        for tip in tips {
            s.push_str("; ");
            s.push_str(&tip_nl(&tip.to_string()));
        }
    }
    s
}

/// clap's advice (`ContextKind::Suggested`, free English text clap writes in two fixed forms)
/// in Dutch; any other advice quoted.
///
/// - "to pass '--foo' as a value, use '-- --foo'" → "is '--foo' een waarde, schrijf dan
///   '-- --foo'"
/// - "'analyse --out' exists" (a flag of a command given before the command) → "bedoeld:
///   'analyse --out'? (een optie staat na haar opdracht)"
fn tip_nl(tip: &str) -> String {
    let as_value = tip
        .strip_prefix("to pass '")
        .and_then(|t| t.split_once("' as a value, use '"))
        .and_then(|(arg, rest)| Some((arg, rest.strip_suffix('\'')?)));
    if let Some((arg, written)) = as_value {
        return format!("is '{arg}' een waarde, schrijf dan '{written}'");
    }
    let exists = tip
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix("' exists"));
    if let Some(flag) = exists {
        return format!("bedoeld: '{flag}'? (een optie staat na haar opdracht)");
    }
    format!("clap merkt op: \"{tip}\"")
}

/// Why `value` is no value of the argument: the message of the value parser. Every number
/// flag is read by [`crate::cli::numbers`], whose [`Refused`](crate::cli::numbers::Refused)
/// says it in Dutch; any other parser's text is quoted as clap's.
fn why_invalid(err: &clap::Error) -> String {
    use std::error::Error as _;
    match err.source() {
        Some(source) => match source.downcast_ref::<crate::cli::numbers::Refused>() {
            Some(refused) => refused.to_string(),
            None => quoted("clap", source),
        },
        None => quoted("clap", clap_sentence(err)),
    }
}

/// clap's own one-line sentence for `err`, without its "error: " and advice.
fn clap_sentence(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

/// The flag of an argument as clap shows it in errors: `--units <N>` → `--units`; a
/// positional (`<BESTAND>`) as it stands.
fn flag_name(shown: &str) -> String {
    if shown.starts_with('-') {
        shown.split_whitespace().next().unwrap_or(shown).to_string()
    } else {
        shown.to_string()
    }
}

/// A missing required argument as clap names it: a flag (`--units <N>`) or a group of which
/// one is needed (`<--at <X,Y>|--address <ADDRESS>|--postcode <PC>>` → "een van --at,
/// --address of --postcode").
fn required_name(shown: &str) -> String {
    let group = shown
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .filter(|s| s.contains('|'));
    match group {
        Some(inner) => {
            let flags: Vec<String> = inner.split('|').map(flag_name).collect();
            let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
            format!("een van {}", list(&flags, "of"))
        }
        None if shown.starts_with('<') => format!("het argument {shown}"),
        None => flag_name(shown),
    }
}

/// `items` as a Dutch list: "a", "a en b", "a, b en c" (or with "of").
fn list(items: &[&str], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., end] => format!("{} {last} {end}", init.join(", ")),
    }
}

/// Names quoted and joined with "of": `'a'`, `'a' of 'b'`.
fn quoted_or(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    let quoted: Vec<&str> = quoted.iter().map(String::as_str).collect();
    list(&quoted, "of")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error of `args` (after the program) on the Dutch command, and its message.
    fn error(args: &[&str]) -> (ErrorKind, String) {
        let mut argv: Vec<OsString> = vec!["wijkbalans".into()];
        argv.extend(args.iter().map(OsString::from));
        let cmd = command();
        let err = cmd
            .clone()
            .try_get_matches_from(&argv)
            .expect_err("a parse error");
        (err.kind(), parse_error(&err, &cmd, &argv))
    }

    /// Every command and subcommand of the Dutch command line, with its path.
    fn all(cmd: &Command) -> Vec<(String, &Command)> {
        let mut out = vec![(cmd.get_name().to_string(), cmd)];
        for sub in cmd.get_subcommands() {
            for (path, c) in all(sub) {
                out.push((format!("{} {path}", cmd.get_name()), c));
            }
        }
        out
    }

    #[test]
    fn the_dutch_command_line_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn a_command_with_a_second_paragraph_has_it_in_dutch() {
        let english = <crate::cli::args::Cli as clap::CommandFactory>::command();
        let dutch = command();
        for sub in english.get_subcommands() {
            let name = sub.get_name();
            let more = help_nl::command_more(name);
            assert_eq!(sub.get_long_about().is_some(), more.is_some(), "{name}");
            if let Some(more) = more {
                let help = dutch
                    .find_subcommand(name)
                    .unwrap()
                    .clone()
                    .render_long_help()
                    .to_string();
                assert!(help.contains(more), "{name}\n{help}");
            }
        }
        for (name, _) in help_nl::COMMANDS_MORE {
            assert!(english.find_subcommand(name).is_some(), "{name}");
        }
    }

    #[test]
    fn every_help_is_dutch() {
        let cmd = command();
        for (path, c) in all(&cmd) {
            let help = c.clone().render_help().to_string();
            for english in CLAP_ENGLISH {
                assert!(!help.contains(english), "{path}: {english}\n{help}");
            }
            assert!(help.contains("Gebruik: "), "{path}\n{help}");
        }
    }

    #[test]
    fn a_command_s_own_flags_come_first_then_the_shared_groups_under_their_headings() {
        let cmd = command();
        let help = cmd
            .find_subcommand("suggest")
            .unwrap()
            .clone()
            .render_help()
            .to_string();
        let at = |text: &str| {
            help.find(text)
                .unwrap_or_else(|| panic!("{text} not in\n{help}"))
        };
        let order = [
            at("\nOpties:\n"),
            at("  --units <N>"),
            at("\nInvoer:\n"),
            at("  --areas <BESTAND>"),
            at("\nSpreiding:\n"),
            at("  --permutations <N>"),
            at("\nUitvoer:\n"),
            at("  --out <MAP>"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        // Every argument of every command has a heading: none falls back to clap's English.
        // A flag under a shared group's heading is one of that group's: a command's own flags,
        // flattened or not (monitor's --beta), never drift under "Invoer" or "Uitvoer".
        use crate::cli::args::{AudienceArgs, InputArgs, OutputArgs, RunArgs};
        use clap::Args as _;
        let group = |add: fn(Command) -> Command| add(Command::new("groep"));
        let input = group(InputArgs::augment_args);
        let output = [
            group(OutputArgs::augment_args),
            group(RunArgs::augment_args),
            group(AudienceArgs::augment_args),
        ];
        let of = |groups: &[&Command], arg: &Arg| {
            groups
                .iter()
                .any(|g| g.get_arguments().any(|a| a.get_id() == arg.get_id()))
        };
        for (path, c) in all(&cmd) {
            for arg in c.get_arguments() {
                let heading = arg.get_help_heading();
                assert!(heading.is_some(), "{path} {}", arg.get_id());
                let shared = match heading {
                    Some("Invoer" | "Spreiding") => of(&[&input], arg),
                    Some("Uitvoer") => of(&[&output[0], &output[1], &output[2]], arg),
                    _ => true,
                };
                assert!(shared, "{path}: --{} under {heading:?}", arg.get_id());
            }
        }
    }

    #[test]
    fn the_usage_keeps_clap_s_and_says_options_in_dutch() {
        let cmd = command();
        let test_site = cmd.find_subcommand("test-site").unwrap().clone();
        let usage = test_site.clone().render_usage().to_string();
        assert!(
            usage.starts_with(
                "Usage: wijkbalans test-site [OPTIES] --units <N> --group <DOELGROEP>"
            ),
            "{usage}"
        );
        let root = cmd.clone().render_help().to_string();
        assert!(root.contains("Gebruik: wijkbalans <OPDRACHT>"), "{root}");
    }

    #[test]
    fn defaults_and_choices_are_written_from_the_argument_itself() {
        let cmd = command();
        let report = cmd.find_subcommand("report").unwrap();
        let lang = report
            .get_arguments()
            .find(|a| a.get_id() == "lang")
            .unwrap();
        assert_eq!(
            lang.get_help().unwrap().to_string(),
            format!(
                "{} [standaard: nl] [keuzes: nl, en]",
                help_nl::flag("report", "lang").unwrap()
            )
        );
        let help = |id: &str| {
            report
                .get_arguments()
                .find(|a| a.get_id() == id)
                .unwrap()
                .get_help()
                .unwrap()
                .to_string()
        };
        assert!(
            help("out").ends_with(" [standaard: out]"),
            "{}",
            help("out")
        );
        assert!(help("min_count").ends_with(" [standaard: 5]"));
        // A flag without a value shows no default ("false") and no choices.
        assert_eq!(help("quiet"), help_nl::flag("report", "quiet").unwrap());
        assert_eq!(help("wijk"), help_nl::flag("report", "wijk").unwrap());
    }

    #[test]
    fn clap_s_own_flags_and_help_command_are_dutch() {
        let cmd = command();
        let root = cmd.clone().render_help().to_string();
        assert!(root.contains("Toon de hulp"), "{root}");
        assert!(root.contains("Toon de versie"), "{root}");
        assert!(root.contains(help_nl::HELP_COMMAND), "{root}");
        assert!(
            root.contains(help_nl::PROGRAM.split(':').next().unwrap()),
            "{root}"
        );
    }

    #[test]
    fn the_man_page_has_dutch_sections() {
        let page = man(command()).unwrap();
        for (en, nl) in MAN_SECTIONS.iter().filter(|(en, _)| *en != "EXTRA") {
            assert!(!page.contains(&format!(".SH {en}\n")), "{en}\n{page}");
            if ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SUBCOMMANDS"].contains(en) {
                assert!(page.contains(&format!(".SH {nl}\n")), "{nl}\n{page}");
            }
        }
        assert!(!page.contains("[default:"), "{page}");
    }

    #[test]
    fn parse_errors_are_dutch_sentences() {
        for (args, kind, sentence) in [
            (
                &["analyse", "--formt", "csv"][..],
                ErrorKind::UnknownArgument,
                "wijkbalans: fout: onbekende optie '--formt'; bedoeld: '--format'?",
            ),
            (
                &["analyse", "--zzz"][..],
                ErrorKind::UnknownArgument,
                "wijkbalans: fout: onbekende optie '--zzz'\n",
            ),
            (
                &["report", "--audience", "publiek", "--min-count", "1"][..],
                ErrorKind::ValueValidation,
                "ongeldige waarde '1' bij --min-count: bij 0 of 1 wordt niets weggelaten; geef \
                 minstens 2 (het CBS gebruikt 5)",
            ),
            (
                &["allocate", "--audience=publiek"][..],
                ErrorKind::UnknownArgument,
                "onbekende optie '--audience'; dat is een optie van analyse, monitor en report, \
                 niet van allocate\n",
            ),
            (
                &["analyze"][..],
                ErrorKind::InvalidSubcommand,
                "wijkbalans: fout: onbekende opdracht 'analyze'; bedoeld: 'analyse'?",
            ),
            (
                &["report", "--lang", "de"][..],
                ErrorKind::InvalidValue,
                "wijkbalans: fout: ongeldige waarde 'de' bij --lang; kies een van: nl, en",
            ),
            (
                &["analyse", "--threads", "abc"][..],
                ErrorKind::ValueValidation,
                "wijkbalans: fout: ongeldige waarde 'abc' bij --threads: dit is geen getal",
            ),
            (
                &["analyse", "--threads=-2"][..],
                ErrorKind::ValueValidation,
                "bij --threads: het getal mag niet negatief zijn",
            ),
            (
                &["analyse", "--alpha", "1.000"][..],
                ErrorKind::ValueValidation,
                "ongeldige waarde '1.000' bij --alpha: dubbelzinnig: 1 als",
            ),
            (
                &["test-site", "--at", "1,2", "--group", "g"][..],
                ErrorKind::MissingRequiredArgument,
                "wijkbalans: fout: --units ontbreekt (verplicht bij test-site)",
            ),
            (
                &["test-site", "--units", "3", "--group", "g"][..],
                ErrorKind::MissingRequiredArgument,
                "wijkbalans: fout: een van --at, --address of --postcode ontbreekt (verplicht bij test-site)",
            ),
            (
                &["report", "--previous-year", "2022"][..],
                ErrorKind::MissingRequiredArgument,
                "wijkbalans: fout: --previous ontbreekt: een optie die u gaf, geldt alleen samen met --previous; geef ook --previous, of laat die optie weg",
            ),
            (
                &["test-site", "--at", "1,2", "--address", "x", "--units", "1", "--group", "g"][..],
                ErrorKind::ArgumentConflict,
                "wijkbalans: fout: --at en --address gaan niet samen; kies er een",
            ),
            (
                &["analyse", "--out", "a", "--out", "b"][..],
                ErrorKind::ArgumentConflict,
                "wijkbalans: fout: --out staat er twee keer; geef het één keer",
            ),
            (
                &["analyse", "--quiet=ja"][..],
                ErrorKind::TooManyValues,
                "wijkbalans: fout: onverwachte waarde 'ja' bij --quiet",
            ),
            (
                &["scenario", "--zzz"][..],
                ErrorKind::UnknownArgument,
                "onbekende optie '--zzz'; is '--zzz' een waarde, schrijf dan '-- --zzz'",
            ),
            (
                &["--out", "x", "analyse"][..],
                ErrorKind::UnknownArgument,
                "onbekende optie '--out'; bedoeld: 'analyse --out'? (een optie staat na haar opdracht)",
            ),
            (
                &["scenario"][..],
                ErrorKind::MissingRequiredArgument,
                "wijkbalans: fout: het argument <BESTAND> ontbreekt (verplicht bij scenario)",
            ),
            (
                &["completions", "zssh"][..],
                ErrorKind::InvalidValue,
                "ongeldige waarde 'zssh' bij <SHELL>; kies een van: bash, elvish, fish, powershell, zsh (bedoeld: 'zsh'?)",
            ),
            (
                &["analyse", "--out"][..],
                ErrorKind::InvalidValue,
                "wijkbalans: fout: --out heeft een waarde nodig",
            ),
        ] {
            let (k, message) = error(args);
            assert_eq!(k, kind, "{args:?}: {message}");
            assert!(message.contains(sentence), "{args:?}: {message}");
            assert!(message.contains("\nGebruik: wijkbalans"), "{args:?}: {message}");
            assert!(message.ends_with(" --help"), "{args:?}: {message}");
            assert!(!message.contains("Usage") && !message.contains("error:"), "{message}");
            assert!(!message.contains("clap merkt op"), "{message}");
        }
    }

    #[test]
    fn more_help_names_the_command() {
        let (_, message) = error(&["report", "--lang", "de"]);
        assert!(
            message.ends_with("\nMeer uitleg: wijkbalans report --help"),
            "{message}"
        );
        let (_, message) = error(&["analyze"]);
        assert!(
            message.ends_with("\nMeer uitleg: wijkbalans --help"),
            "{message}"
        );
    }

    #[test]
    fn lists_are_dutch() {
        assert_eq!(list(&["a"], "en"), "a");
        assert_eq!(list(&["a", "b"], "of"), "a of b");
        assert_eq!(list(&["a", "b", "c"], "en"), "a, b en c");
        assert_eq!(required_name("--units <N>"), "--units");
        assert_eq!(required_name("<BESTAND>"), "het argument <BESTAND>");
        assert_eq!(
            required_name("<--at <X,Y>|--address <ADDRESS>>"),
            "een van --at of --address"
        );
    }
}
