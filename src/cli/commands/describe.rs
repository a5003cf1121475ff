//! `wijkbalans describe`: every command with its parameters and the files it writes, read from
//! the clap definition of the command line ([`crate::cli::args::Cli`]), so the description
//! cannot drift from the flags. `--json` is for programs (the QGIS plugin builds its dialogs
//! from it); the format is in docs/OUTPUTS.md, "describe".
//!
//! A parameter's type comes from clap where clap knows it (a switch is `bool`, a `ValueEnum`
//! an `enum` with its choices, an integer or float parser `integer` or `number`); for paths and
//! text clap cannot tell a layer from a file or a point from a name, so those flags are
//! declared: the file, layer and CRS flags of an input layer by its `layer_flags!` template
//! ([`LAYERS`]), the rest in [`DECLARED`], one table; a test checks that every flag of every
//! command is typed by one of them.

use clap::{Arg, ArgAction, CommandFactory};
use serde_json::{json, Map, Value};

use crate::cli::args::{
    AreasArgs, CandidatesArgs, Cli, DescribeArgs, DwellingsArgs, FacilitiesArgs, LayerFlags,
    NetworkArgs, SitesArgs,
};
use crate::cli::help_nl;
use crate::cli::output::{names, FORMATS, GPKG_NAME, RUN_JSON};
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};

/// Run the command.
pub fn run(args: DescribeArgs) -> Result<Exit, Failure> {
    let doc = describe().map_err(Failure)?;
    if args.json {
        print(&serde_json::to_string_pretty(&doc).expect("serialises"));
    } else {
        print(&text(&doc));
    }
    Ok(Exit::Success)
}

/// The type of a flag clap cannot tell from its value parser.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Declared {
    /// An input layer; the geometry it holds: `polygon`, `point`, `line` or `any`.
    Layer(&'static str),
    /// The name of a layer inside the file of the layer flag `of`.
    LayerName(&'static str),
    /// A CRS: of the layer or point flag named, or (`None`) the compute CRS.
    Crs(Option<&'static str>),
    /// A field of the layer flag named.
    Field(&'static str),
    /// An input file with one of these extensions.
    File(&'static [&'static str]),
    /// A file the command writes, with one of these extensions.
    OutputFile(&'static [&'static str]),
    /// The folder the command writes into.
    OutputFolder,
    /// A point `X,Y`, its CRS given by the flag named.
    Point(&'static str),
    /// Free text.
    Text,
    /// A comma list of these choices.
    ChoiceList(&'static [&'static str]),
}

/// The input layers declared by `layer_flags!` (cli/args.rs): the clap ids of their file,
/// layer and CRS flags and the geometry the layer holds. Each trio is typed from its template:
/// `Layer(geometry)`, `LayerName(file id)` and `Crs(Some(file id))`.
pub const LAYERS: &[([&str; 3], &str)] = &[
    (AreasArgs::IDS, AreasArgs::GEOMETRY),
    (DwellingsArgs::IDS, DwellingsArgs::GEOMETRY),
    (SitesArgs::IDS, SitesArgs::GEOMETRY),
    (FacilitiesArgs::IDS, FacilitiesArgs::GEOMETRY),
    (NetworkArgs::IDS, NetworkArgs::GEOMETRY),
    (CandidatesArgs::IDS, CandidatesArgs::GEOMETRY),
];

/// The other flags whose type clap cannot tell, by clap id (the field name). The one place
/// where a new path or text flag gets its type (a new input layer: [`LAYERS`]);
/// `every_flag_of_every_command_is_typed` fails until it has one.
pub const DECLARED: &[(&str, Declared)] = &[
    ("before", Declared::Layer("polygon")),
    ("before_layer", Declared::LayerName("before")),
    ("after", Declared::Layer("polygon")),
    ("after_layer", Declared::LayerName("after")),
    ("previous", Declared::Layer("polygon")),
    ("previous_layer", Declared::LayerName("previous")),
    ("crs", Declared::Crs(None)),
    ("at", Declared::Point("at_crs")),
    ("at_crs", Declared::Crs(Some("at"))),
    ("config", Declared::File(&["toml"])),
    ("bag", Declared::File(&["gpkg"])),
    ("address", Declared::Text),
    ("postcode", Declared::Text),
    ("huisnummer", Declared::Text),
    ("huisletter", Declared::Text),
    ("toevoeging", Declared::Text),
    ("levels", Declared::File(&["csv"])),
    ("file", Declared::File(&["toml"])),
    ("scenario", Declared::File(&["toml"])),
    ("opgave", Declared::File(&["toml"])),
    ("out", Declared::OutputFolder),
    ("timings", Declared::OutputFile(&["json"])),
    ("unmatched", Declared::OutputFile(&["csv"])),
    ("dwellings_out", Declared::OutputFile(&["geojson"])),
    (
        "sites_out",
        Declared::OutputFile(&["geojson", "csv", "fgb", "gpkg"]),
    ),
    (
        "facilities_out",
        Declared::OutputFile(&["geojson", "csv", "fgb", "gpkg"]),
    ),
    ("format", Declared::ChoiceList(&FORMATS)),
    ("metrics", Declared::Text),
    ("group", Declared::Text),
    ("name", Declared::Text),
    ("title", Declared::Text),
    ("wijk", Declared::Text),
    ("host", Declared::Text),
];

/// The declared type of flag `id`: from its layer's template ([`LAYERS`]) or [`DECLARED`].
fn declared(id: &str) -> Option<Declared> {
    let layer = LAYERS.iter().find_map(|&([file, layer, crs], geometry)| {
        if id == file {
            Some(Declared::Layer(geometry))
        } else if id == layer {
            Some(Declared::LayerName(file))
        } else if id == crs {
            Some(Declared::Crs(Some(file)))
        } else {
            None
        }
    });
    layer.or_else(|| DECLARED.iter().find(|(d, _)| *d == id).map(|e| e.1))
}

/// Whether clap knows the type of `arg`: a switch, a choice, an integer (a year with its
/// `minimum` and `maximum`) or a float.
pub(crate) fn clap_type(arg: &Arg) -> Option<Value> {
    use std::any::TypeId;
    if matches!(arg.get_action(), ArgAction::SetTrue) {
        return Some(json!({"type": "bool"}));
    }
    let choices = crate::cli::dutch::choices(arg);
    if !choices.is_empty() {
        return Some(json!({"type": "enum", "choices": choices}));
    }
    let t = arg.get_value_parser().type_id();
    let integers = [
        TypeId::of::<u64>(),
        TypeId::of::<u16>(),
        TypeId::of::<u32>(),
        TypeId::of::<usize>(),
        TypeId::of::<i32>(),
        TypeId::of::<i64>(),
    ];
    if integers.iter().any(|i| t == *i) {
        // A year is read by `numbers::year`, which keeps the years a planner may give; the
        // parser's type is i32 like any whole number's, so the placeholder says it is a year.
        let names = arg.get_value_names().unwrap_or_default();
        if names.iter().any(|n| n.as_str() == "YEAR") {
            return Some(json!({
                "type": "integer",
                "minimum": crate::model::MIN_YEAR,
                "maximum": crate::model::MAX_YEAR,
            }));
        }
        return Some(json!({"type": "integer"}));
    }
    if t == TypeId::of::<f64>() {
        return Some(json!({"type": "number"}));
    }
    None
}

/// The type keys of a declared flag.
fn declared_type(d: Declared) -> Value {
    match d {
        Declared::Layer(geometry) => json!({"type": "layer", "geometry": geometry}),
        Declared::LayerName(of) => json!({"type": "text", "layer_of": of}),
        Declared::Crs(of) => json!({"type": "crs", "crs_of": of}),
        Declared::Field(of) => json!({"type": "field", "field_of": of}),
        Declared::File(ext) => json!({"type": "file", "extensions": ext}),
        Declared::OutputFile(ext) => {
            json!({"type": "file", "extensions": ext, "output": true})
        }
        Declared::OutputFolder => json!({"type": "folder", "output": true}),
        Declared::Point(crs) => json!({"type": "point", "crs_flag": crs}),
        Declared::Text => json!({"type": "text"}),
        Declared::ChoiceList(choices) => {
            json!({"type": "enum", "choices": choices, "delimiter": ","})
        }
    }
}

/// The type of `arg`: clap's where clap knows it, else [`DECLARED`]'s; an error names a flag
/// that has neither, or both.
pub fn param_type(arg: &Arg) -> Result<Value, String> {
    let id = arg.get_id().as_str();
    match (clap_type(arg), declared(id)) {
        (Some(t), None) => Ok(t),
        (None, Some(d)) => Ok(declared_type(d)),
        (None, None) => Err(format!(
            "optie {id}: clap kent het type niet; geef het op in describe::DECLARED"
        )),
        (Some(_), Some(_)) => Err(format!(
            "optie {id}: clap kent het type al; haal de optie uit describe::DECLARED"
        )),
    }
}

/// The default of `arg` as a JSON value of its type (`null` without one).
fn default_value(arg: &Arg, kind: &str) -> Value {
    if matches!(arg.get_action(), ArgAction::SetTrue) {
        return Value::Bool(false);
    }
    let Some(text) = arg.get_default_values().first() else {
        return Value::Null;
    };
    let text = text.to_string_lossy();
    let number = match kind {
        "integer" => text.parse::<i64>().ok().map(Value::from),
        "number" => text.parse::<f64>().ok().map(Value::from),
        _ => None,
    };
    number.unwrap_or_else(|| Value::String(text.into_owned()))
}

/// The flags and arguments of a command, without clap's `--help` and `--version`.
fn params(cmd: &clap::Command) -> impl Iterator<Item = &Arg> {
    cmd.get_arguments().filter(|a| {
        !matches!(
            a.get_action(),
            ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
        )
    })
}

/// The commands, without the `help` command clap adds.
fn subcommands(cli: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cli.get_subcommands().filter(|c| c.get_name() != "help")
}

/// One parameter of `command`.
fn param(command: &str, arg: &Arg) -> Result<Value, String> {
    let id = arg.get_id().as_str();
    let Value::Object(typ) = param_type(arg)? else {
        unreachable!("a type is an object")
    };
    let kind = typ["type"].as_str().unwrap_or_default().to_string();
    let mut p = Map::new();
    p.insert("name".into(), id.into());
    p.insert(
        "flag".into(),
        arg.get_long().map(|l| format!("--{l}")).into(),
    );
    if arg.is_positional() {
        p.insert("position".into(), arg.get_index().into());
    }
    p.extend(typ);
    p.insert("default".into(), default_value(arg, &kind));
    p.insert("optional".into(), (!arg.is_required_set()).into());
    let multiple = matches!(arg.get_action(), ArgAction::Append)
        || p.contains_key("delimiter")
        || arg.get_value_delimiter().is_some();
    p.insert("multiple".into(), multiple.into());
    if let Some(d) = arg.get_value_delimiter() {
        p.insert("delimiter".into(), d.to_string().into());
    }
    p.insert(
        "value_name".into(),
        arg.get_value_names()
            .and_then(|v| v.first())
            .map(|v| match arg.get_action().takes_values() {
                // The placeholder --help shows (a switch has none; clap names it after its id).
                true => help_nl::value_name(v)
                    .unwrap_or_else(|| panic!("no Dutch value name for {v} in help_nl"))
                    .to_string(),
                false => v.to_string(),
            })
            .into(),
    );
    let en = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let nl = help_nl::flag(command, id)
        .ok_or_else(|| format!("{command} {id}: no Dutch help in cli::help_nl::FLAGS"))?;
    p.insert("help".into(), json!({"en": en, "nl": nl}));
    Ok(Value::Object(p))
}

/// What a command writes or prints.
#[derive(Debug, Clone, Copy)]
pub enum Output {
    /// A layer (`<name>.geojson`/`.csv`/`.qml`, a GeoPackage layer): its name, whether it
    /// has a QGIS style, and when it is written (`None`: always).
    Layer(&'static str, bool, Option<&'static str>),
    /// One layer per user level (`--level`), named after the level.
    LevelLayers,
    /// A file in the output folder, and when it is written (`None`: always).
    File(&'static str, Option<&'static str>),
    /// A file at the path of the flag named.
    FileAt(&'static str),
    /// Standard output in this format, and when (`None`: always).
    Stdout(&'static str, Option<&'static str>),
}

/// What every command writes, from the output names the commands write under
/// ([`crate::cli::output::names`]); `run.json` comes with every command that writes a folder.
pub fn outputs(command: &str) -> &'static [Output] {
    use Output::*;
    match command {
        "analyse" => &[
            Layer(names::AREAS, true, None),
            Layer(names::SITES, true, Some("with a sites layer")),
            Layer(names::FACILITIES, true, Some("with a facilities layer")),
            Layer(
                names::LISA,
                true,
                Some("when the lisa metric family is computed"),
            ),
            LevelLayers,
            File(names::SUMMARY_JSON, None),
        ],
        "test-site" => &[
            Stdout("text", Some("without --json")),
            Stdout("json", Some("with --json")),
        ],
        "scenario" => &[
            Layer(names::SCENARIO_AREAS, true, None),
            File(names::SCENARIO_JSON, None),
            File(names::SCENARIO_MD, None),
        ],
        "suggest" => &[
            Layer(names::SUGGESTIONS, true, None),
            Layer(names::SUITABILITY, true, None),
        ],
        "allocate" => &[
            Layer(names::ALLOCATION, true, None),
            File(names::ALLOCATION_JSON, None),
        ],
        "monitor" => &[
            Layer(names::MONITOR_AREAS, true, None),
            File(names::MONITOR_JSON, None),
            File(names::MONITOR_CSV, None),
        ],
        "compare" => &[
            Layer(names::COMPARE_AREAS, true, None),
            File(names::COMPARE_JSON, None),
        ],
        "report" => &[
            File(names::REPORT_HTML, None),
            File(names::REPORT_MD, None),
            File(names::REPORT_WIJKEN_CSV, None),
            File(names::REPORT_OPGAVE_CSV, Some("with --opgave")),
            File(names::REPORT_OPGAVE_WIJKEN_CSV, Some("with --opgave")),
        ],
        "synth" => &[
            FileAt("dwellings_out"),
            FileAt("sites_out"),
            FileAt("facilities_out"),
        ],
        "config" => &[Stdout("toml", None)],
        "completions" => &[Stdout("text", None)],
        "man" => &[Stdout("roff", None)],
        "serve" => &[Stdout("text", None)],
        "describe" => &[
            Stdout("text", Some("without --json")),
            Stdout("json", Some("with --json")),
        ],
        _ => &[],
    }
}

/// An output as JSON.
fn output_json(o: &Output) -> Value {
    match *o {
        Output::Layer(name, styled, when) => {
            json!({"kind": "layer", "name": name, "styled": styled, "when": when})
        }
        Output::LevelLayers => json!({
            "kind": "layer", "name": null, "styled": true,
            "when": "one per --level, named after the level",
        }),
        Output::File(name, when) => json!({"kind": "file", "name": name, "when": when}),
        Output::FileAt(flag) => json!({"kind": "file", "name": null, "flag": flag, "when": null}),
        Output::Stdout(format, when) => {
            json!({"kind": "stdout", "format": format, "when": when})
        }
    }
}

/// The description of every command, as `describe --json` prints it.
pub fn describe() -> Result<Value, String> {
    let mut cli = Cli::command();
    cli.build();
    let mut commands = Vec::new();
    for sub in subcommands(&cli) {
        let name = sub.get_name();
        let params = params(sub)
            .map(|a| param(name, a))
            .collect::<Result<Vec<_>, _>>()?;
        let writes_folder = params.iter().any(|p| p["name"] == "out");
        let writes_layers = outputs(name)
            .iter()
            .any(|o| matches!(o, Output::Layer(..) | Output::LevelLayers));
        let about_en = sub.get_about().map(|h| h.to_string()).unwrap_or_default();
        let about_nl = help_nl::command(name)
            .ok_or_else(|| format!("{name}: no Dutch description in cli::help_nl::COMMANDS"))?;
        let mut outputs: Vec<Value> = outputs(name).iter().map(output_json).collect();
        if writes_folder {
            outputs.push(json!({"kind": "file", "name": RUN_JSON, "when": null}));
        }
        commands.push(json!({
            "name": name,
            "about": {"en": about_en, "nl": about_nl},
            "writes_folder": writes_folder,
            "writes_layers": writes_layers,
            "parameters": params,
            "outputs": outputs,
        }));
    }
    Ok(json!({
        "program": "wijkbalans",
        "wijkbalans_version": crate::report::VERSION,
        "describe_format": 1,
        "geopackage": GPKG_NAME,
        "run_record": RUN_JSON,
        "commands": commands,
    }))
}

/// The description for a reader, in Dutch: per command its parameters with their type and
/// default.
fn text(doc: &Value) -> String {
    let mut out = format!(
        "wijkbalans {}: opdrachten en parameters (als JSON: wijkbalans describe --json)\n",
        doc["wijkbalans_version"].as_str().unwrap_or_default()
    );
    for c in doc["commands"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "\n{}: {}\n",
            c["name"].as_str().unwrap_or_default(),
            c["about"]["nl"].as_str().unwrap_or_default()
        ));
        for p in c["parameters"].as_array().into_iter().flatten() {
            let shown = p["flag"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("<{}>", p["value_name"].as_str().unwrap_or("")));
            let default = match &p["default"] {
                Value::Null => String::new(),
                Value::String(s) => format!(" (standaard {s})"),
                Value::Number(n) => format!(" (standaard {})", n.to_string().replace('.', ",")),
                Value::Bool(_) => String::new(),
                other => format!(" (standaard {other})"),
            };
            // A bounded number shows its bounds: `[integer 1900–2100]`.
            let bounds = match (p["minimum"].as_i64(), p["maximum"].as_i64()) {
                (Some(min), Some(max)) => format!(" {min}–{max}"),
                _ => String::new(),
            };
            out.push_str(&format!(
                "  {shown} [{}{bounds}]{default}: {}\n",
                p["type"].as_str().unwrap_or_default(),
                p["help"]["nl"].as_str().unwrap_or_default()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built() -> clap::Command {
        let mut cli = Cli::command();
        cli.build();
        cli
    }

    #[test]
    fn every_flag_of_every_command_is_typed() {
        let cli = built();
        let mut used = std::collections::BTreeSet::new();
        for sub in subcommands(&cli) {
            for arg in params(sub) {
                if let Err(e) = param_type(arg) {
                    panic!("{}: {e}", sub.get_name());
                }
                used.insert(arg.get_id().as_str().to_string());
            }
        }
        let layer_ids = LAYERS.iter().flat_map(|(ids, _)| ids.iter());
        for id in DECLARED.iter().map(|(id, _)| id).chain(layer_ids) {
            assert!(
                used.contains(*id),
                "DECLARED or LAYERS has {id}, which no command takes"
            );
        }
    }

    #[test]
    fn every_flag_and_command_has_dutch_help_and_no_entry_is_left_over() {
        let cli = built();
        let mut used = std::collections::BTreeSet::new();
        for sub in subcommands(&cli) {
            let name = sub.get_name();
            assert!(
                help_nl::command(name).is_some(),
                "{name}: no Dutch description"
            );
            for arg in params(sub) {
                let id = arg.get_id().as_str();
                assert!(
                    help_nl::flag(name, id).is_some(),
                    "{name} {id}: no Dutch help"
                );
                let own = help_nl::FLAGS
                    .iter()
                    .any(|(c, f, _)| *c == name && *f == id);
                used.insert((if own { name } else { "*" }.to_string(), id.to_string()));
            }
        }
        for (c, id, text) in help_nl::FLAGS {
            assert!(
                used.contains(&(c.to_string(), id.to_string())),
                "help_nl::FLAGS ({c}, {id}) is used by no command"
            );
            assert!(!text.is_empty());
        }
        for (c, _) in help_nl::COMMANDS {
            assert!(
                cli.find_subcommand(c).is_some(),
                "help_nl::COMMANDS has {c}"
            );
        }
    }

    /// A parameter of a command in the description.
    fn find<'a>(doc: &'a Value, command: &str, name: &str) -> &'a Value {
        doc["commands"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == command)
            .and_then(|c| {
                c["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["name"] == name)
            })
            .unwrap_or_else(|| panic!("{command} {name}"))
    }

    #[test]
    fn parameters_have_their_types_defaults_and_help() {
        let doc = describe().unwrap();
        assert_eq!(doc["wijkbalans_version"], crate::report::VERSION);
        let at = find(&doc, "test-site", "at");
        assert_eq!(at["type"], "point");
        assert_eq!(at["crs_flag"], "at_crs");
        // Optional: an address (`--address`, `--postcode`) can give the location instead.
        assert_eq!(at["optional"], true);
        assert_eq!(at["flag"], "--at");
        let units = find(&doc, "test-site", "units");
        assert_eq!(
            (&units["type"], &units["default"]),
            (&json!("integer"), &Value::Null)
        );
        assert_eq!(
            units["help"]["en"],
            "Care units (places or homes) for the target group"
        );
        assert_eq!(
            units["help"]["nl"],
            "Aantal zorgplaatsen of -woningen voor de doelgroep."
        );
        // A year says the years the command takes; a count has no bounds to state.
        let year = find(&doc, "analyse", "year");
        assert_eq!(
            (&year["minimum"], &year["maximum"]),
            (&json!(1900), &json!(2100))
        );
        assert!(text(&doc).contains("  --year [integer 1900–2100]: "));
        assert!(units.get("minimum").is_none());
        let beta = find(&doc, "monitor", "beta");
        assert_eq!(
            (&beta["type"], &beta["default"]),
            (&json!("number"), &json!(0.5))
        );
        let top = find(&doc, "suggest", "top");
        assert_eq!(top["default"], 10);
        let areas = find(&doc, "analyse", "areas");
        assert_eq!(
            (&areas["type"], &areas["geometry"]),
            (&json!("layer"), &json!("polygon"))
        );
        assert_eq!(find(&doc, "analyse", "areas_layer")["layer_of"], "areas");
        let weights = find(&doc, "analyse", "weights");
        assert_eq!(weights["choices"], json!(["queen", "rook"]));
        let format = find(&doc, "analyse", "format");
        assert_eq!(format["choices"], json!(["geojson", "csv", "gpkg"]));
        assert_eq!(
            (&format["default"], &format["multiple"]),
            (&json!("geojson,csv"), &json!(true))
        );
        let out = find(&doc, "analyse", "out");
        assert_eq!(
            (&out["type"], &out["output"], &out["default"]),
            (&json!("folder"), &json!(true), &json!("out"))
        );
        let strict = find(&doc, "analyse", "strict");
        assert_eq!(
            (&strict["type"], &strict["default"]),
            (&json!("bool"), &json!(false))
        );
        let levels = find(&doc, "analyse", "levels");
        assert_eq!(
            (&levels["flag"], &levels["multiple"]),
            (&json!("--level"), &json!(true))
        );
        let wijk = find(&doc, "report", "wijk");
        assert_eq!(
            (&wijk["multiple"], &wijk["delimiter"]),
            (&json!(true), &json!(","))
        );
        let file = find(&doc, "scenario", "file");
        assert_eq!(
            (&file["flag"], &file["position"]),
            (&Value::Null, &json!(1))
        );
        // A shared flag takes the command's own Dutch text where it means something else.
        assert!(find(&doc, "suggest", "units")["help"]["nl"]
            .as_str()
            .unwrap()
            .contains("een plek moet krijgen"));
        assert!(find(&doc, "monitor", "allow_rood")["help"]["nl"]
            .as_str()
            .unwrap()
            .contains("naar vermogen"));
    }

    #[test]
    fn outputs_are_the_names_the_commands_write() {
        let doc = describe().unwrap();
        let command = |name: &str| {
            doc["commands"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == name)
                .unwrap()
                .clone()
        };
        let analyse = command("analyse");
        let names: Vec<&Value> = analyse["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| &o["name"])
            .collect();
        assert_eq!(
            names,
            [
                &json!("areas"),
                &json!("sites"),
                &json!("facilities"),
                &json!("lisa"),
                &Value::Null,
                &json!("summary.json"),
                &json!("run.json")
            ]
        );
        assert_eq!(analyse["writes_layers"], true);
        assert_eq!(command("report")["writes_layers"], false);
        assert_eq!(command("report")["writes_folder"], true);
        assert_eq!(command("test-site")["writes_folder"], false);
        assert_eq!(command("test-site")["outputs"][1]["format"], "json");
    }

    #[test]
    fn the_text_lists_every_command_in_dutch() {
        let t = text(&describe().unwrap());
        assert!(
            t.contains("\ntest-site: Een voorgestelde locatie toetsen"),
            "{t}"
        );
        assert!(
            t.contains("  --beta [number] (standaard 0,5): β van de weging"),
            "{t}"
        );
        assert!(t.contains("  <BESTAND> [file]: Het scenariobestand"), "{t}");
    }
}
