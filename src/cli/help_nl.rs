//! The Dutch help of every command and flag: the text of `--help`, `wijkbalans man` and the
//! shell completions ([`crate::cli::dutch`] puts it into the command line) and of
//! `describe --json` (and through it the QGIS plugin's dialogs). The English help is clap's
//! (the doc comments in [`crate::cli::args`]); this table holds one Dutch text per flag, and a
//! test checks that every flag of every command has one and that no entry is left over.

/// Dutch description of the program itself (`wijkbalans --help`, the man page's NAAM).
pub const PROGRAM: &str = "Draagkracht, draaglast en de spreiding van wonen met zorg per wijk: \
    leest gebieden met CBS-kerncijfers, woningen en zorglocaties, berekent per gebied de \
    indicatoren van draagkracht en draaglast en schrijft GeoJSON/CSV-lagen en een samenvatting.";

/// Dutch help of clap's own `-h/--help` when `-h` and `--help` show the same text.
pub const HELP_FLAG: &str = "Toon de hulp";
/// Dutch help of clap's own `-h/--help` when `--help` shows more than `-h`: `(short, long)`.
pub const HELP_FLAG_SHORT_LONG: (&str, &str) = (
    "Toon de hulp (meer met '--help')",
    "Toon de hulp (een samenvatting met '-h')",
);
/// Dutch help of clap's own `-V/--version`.
pub const VERSION_FLAG: &str = "Toon de versie";
/// Dutch description of clap's own `help` command.
pub const HELP_COMMAND: &str = "Toon deze hulp of de hulp van de genoemde opdracht";

/// Dutch help per flag: `(command, id, text)`. `command` is `"*"` for a text that fits the
/// flag in every command that has it; a command's own entry comes first when both exist. `id`
/// is clap's id of the flag (the field name: `areas_layer` for `--areas-layer`).
pub const FLAGS: &[(&str, &str, &str)] = &[
    ("*", "config", "Configuratiebestand (TOML). Opties op de opdrachtregel gaan voor."),
    ("*", "areas", "Gebieden: vlakken met CBS-kerncijfers (GeoPackage, GeoJSON, Shapefile, FlatGeobuf)."),
    ("synth", "areas", "Gebieden met per gebied het aantal woningen (en het aandeel koopwoningen)."),
    ("*", "areas_layer", "Laag in het gebiedenbestand (bijv. `wijken` in een CBS/PDOK-GeoPackage)."),
    ("*", "areas_crs", "Coördinatenstelsel van het gebiedenbestand als het bestand er geen noemt."),
    ("*", "dwellings", "Woningen: adrespunten of pandvlakken (het zwaartepunt telt)."),
    ("*", "dwellings_layer", "Laag in het woningenbestand."),
    ("*", "dwellings_crs", "Coördinatenstelsel van het woningenbestand als het bestand er geen noemt (bijv. een CSV met x/y)."),
    ("*", "sites", "Zorglocaties: punten met units, target_group, status, name, regular_units."),
    ("*", "sites_layer", "Laag in het zorglocatiebestand."),
    ("*", "sites_crs", "Coördinatenstelsel van het zorglocatiebestand als het bestand er geen noemt."),
    ("*", "facilities", "Voorzieningen: punten met een `type` (supermarkt, huisarts, …), geteld per gebied."),
    ("*", "facilities_layer", "Laag in het voorzieningenbestand."),
    ("*", "facilities_crs", "Coördinatenstelsel van het voorzieningenbestand als het bestand er geen noemt."),
    ("*", "network", "Loopnetwerk: lijnen (straten, paden), geknoopt op kruisingen; afstanden gaan dan over de weg in plaats van hemelsbreed."),
    ("*", "network_layer", "Laag in het netwerkbestand."),
    ("*", "network_crs", "Coördinatenstelsel van het netwerkbestand als het bestand er geen noemt."),
    ("*", "levels", "Extra gebiedsniveau uit een CSV-koppeling (kop bijv. `wijkcode,gebied`); mag vaker."),
    ("*", "crs", "Metrisch coördinatenstelsel waarin gerekend wordt."),
    ("*", "year", "Jaar van de gebiedscijfers (1900–2100); staat bij elke indicator, zodat elk getal herleidbaar is."),
    ("*", "repair_geometry", "Ongeldige vlakken herstellen met GEOS MakeValid (vermeld in de diagnose) in plaats van weigeren."),
    ("*", "seed", "Startwaarde voor alles wat willekeurig is."),
    ("*", "metrics", "Families van spreidingsmaten: all, of een kommalijst van fair_share, segregation, moran, lisa, getis_ord, nearest_neighbour."),
    ("*", "permutations", "Aantal permutaties van elke pseudo-p-waarde (0 = geen, hoogstens 99.999)."),
    ("*", "alpha", "Significantieniveau van de LISA-labels."),
    ("*", "weights", "Buurschap van de ruimtelijke gewichten: queen of rook."),
    ("*", "threads", "Aantal rekendraden (standaard: alle kernen). De uitkomst is bij elk aantal gelijk."),
    ("*", "out", "Uitvoermap."),
    ("*", "quiet", "Alleen fouten tonen."),
    ("*", "audience", "Publiek: intern toont alle aantallen; publiek verbergt aantallen zorgeenheden onder --min-count (en de daarvan afgeleide cijfers), zoals het CBS doet bij kleine aantallen."),
    ("*", "min_count", "Kleinste aantal dat getoond wordt bij --audience publiek."),
    ("*", "format", "Uitvoerformaten, een kommalijst van geojson, csv, gpkg. GeoJSON-lagen krijgen een QGIS-stijl (.qml) ernaast; de GeoPackage bevat alle lagen met hun stijl."),
    ("*", "overwrite", "Een bestaande wijkbalans.gpkg in de uitvoermap vervangen (die kan eigen lagen bevatten; hij wordt nooit stil vervangen)."),
    ("*", "csv", "CSV-dialect: standard (komma, decimale punt) of excel-nl (puntkomma, decimale komma, UTF-8 BOM: opent direct in Nederlandse Excel)."),
    ("*", "strict", "Afsluiten met code 1 als punten buiten elk gebied vallen of kapotte woningobjecten zijn weggelaten (standaard: een waarschuwing, code 0); een --level-indeling die gebieden overslaat of codes zonder gebied noemt weigeren (code 2, niets geschreven)."),
    ("*", "timings", "De seconden per stap (lezen, toewijzen, indicatoren, spreiding, schrijven) naar dit JSON-bestand schrijven, voor benchmarks."),
    ("*", "at", "Plek van de voorgestelde locatie, `X,Y` (RD-meters; lengte,breedte met --at-crs EPSG:4326)."),
    ("*", "at_crs", "Coördinatenstelsel van --at (standaard: het rekenstelsel, EPSG:28992)."),
    ("test-site", "units", "Aantal zorgplaatsen of -woningen voor de doelgroep."),
    ("test-site", "address", "Adres van de voorgestelde locatie, opgezocht in --bag: \"Straat 12a, Plaats\", \"1013 NJ 1 H\", \"1013NJ 1-H\", of een adresregel \"Straat 12a 1013 NJ Plaats\"."),
    ("test-site", "postcode", "Postcode van de voorgestelde locatie (met --huisnummer), opgezocht in --bag."),
    ("test-site", "huisnummer", "Huisnummer (met --postcode)."),
    ("test-site", "huisletter", "Huisletter (met --postcode)."),
    ("test-site", "toevoeging", "Huisnummertoevoeging (met --postcode)."),
    ("*", "bag", "BAG-bestand om adressen in op te zoeken (een adres bij test-site, zorglocaties en voorzieningen als adressen): de BAG-GeoPackage van PDOK of een uitsnede met dezelfde kolommen (de index wordt bewaard en gebruikt zolang de BLAKE3-vingerafdruk van het bestand dezelfde is)."),
    ("*", "dwellings_from_bag", "De woningen uit het BAG-bestand van --bag nemen: de verblijfsobjecten met gebruiksdoel woonfunctie, in plaats van een woningenbestand."),
    ("*", "unmatched", "Doorgaan zonder de rijen van een adressenbestand (zorglocaties, voorzieningen) die geen eenduidig BAG-punt hebben, en die rijen (rij, opgegeven adres, reden, suggesties) in deze CSV zetten. Zonder deze optie stopt de run met de lijst."),
    ("suggest", "units", "Aantal zorgplaatsen of -woningen dat een plek moet krijgen."),
    ("suggest", "spacing", "Voorgestelde locaties liggen minstens zoveel meter uit elkaar, zodat de beste K over het gebied verspreid liggen; 0 voor geen minimum. Standaard: `suggest.min_spacing_m` uit de configuratie (250)."),
    ("suggest", "max_per_area", "Hoogstens zoveel voorstellen in één gebied, zodat de beste K alternatieven in meerdere wijken tonen; 0 voor geen grens. Standaard: `suggest.max_per_area` uit de configuratie (3)."),
    ("*", "group", "Doelgroep (zie `wijkbalans config` voor de ingestelde doelgroepen)."),
    ("*", "regular_units", "Gewone woningen in hetzelfde project (zonder zorgvraag); alleen vermeld."),
    ("*", "name", "Naam van het voorstel in de uitvoer."),
    ("test-site", "json", "De uitkomst als JSON tonen in plaats van als tabel."),
    ("describe", "json", "De beschrijving als JSON tonen."),
    ("*", "file", "Het scenariobestand (TOML; zie docs/CONFIG.md, \"Scenario file\")."),
    ("*", "candidates", "Kandidaatlocaties: punten, of percelen/panden (het zwaartepunt telt), of adressen die in de BAG van --bag worden opgezocht (zoals bij zorglocaties)."),
    ("*", "candidates_layer", "Laag in het kandidatenbestand."),
    ("*", "candidates_crs", "Coördinatenstelsel van het kandidatenbestand als het bestand er geen noemt."),
    ("*", "grid", "Celgrootte van het raster in meters: de kandidaten zijn de middens van cellen met woningen. Standaard 250 zonder --candidates."),
    ("*", "top", "Hoeveel van de beste kandidaten in suggestions.geojson komen."),
    ("*", "places", "Aantal plaatsen dat verdeeld wordt."),
    ("*", "per_area_max", "Hoogstens zoveel nieuwe plaatsen per gebied."),
    ("*", "objective", "Wat in balans moet: fair_share (zo min mogelijk zorgeenheden die zouden moeten verhuizen) of min_max_rate (het hoogste aantal zorgeenheden per 1.000 inwoners zo laag mogelijk)."),
    ("allocate", "no_oranje", "Ook geen gebied in `oranje` brengen (de voorwaardenband van de signaalregel wordt een grens). De andere grenzen gelden altijd: elke blokkerende regel en de plafonds van `[rules]`."),
    ("*", "allow_rood", "Ook gebieden in `rood` een deel naar vermogen geven (standaard: geen)."),
    ("monitor", "opgave", "Het opgavebestand (TOML; zie `data/opgave_zwolle_illustratief.toml`)."),
    ("report", "opgave", "Een opgavebestand (als bij `monitor --opgave`): het overzicht krijgt het tempo per doelgroep en jaar, elke wijk haar deel naar inwoners en naar vermogen."),
    ("report", "previous", "Het gebiedenbestand van de vorige jaargang (bijv. CBS 2022 naast 2024), berekend met dezelfde configuratie en zorglocaties: de samenvatting zegt wat veranderde en het overzicht krijgt een trendkolom."),
    ("report", "previous_layer", "Laag in het --previous-bestand."),
    ("report", "previous_year", "Het jaar van de cijfers in het --previous-bestand (1900–2100), zoals het rapport het noemt (\"sinds 2022\"); zonder dit de bestandsnaam."),
    ("*", "beta", "β van de weging naar vermogen: gewicht = inwoners × max(0, 1 + β × saldo)."),
    ("*", "before", "De eerdere jaargang (gebiedenlaag)."),
    ("*", "before_layer", "Laag in het eerdere bestand."),
    ("*", "before_year", "Het jaar van de cijfers in het eerdere bestand (1900–2100), voor een bestand dat het niet zelf noemt: de redenen en grenswijzigingen noemen dan het jaar (\"niet in 2022\") in plaats van \"het eerdere bestand\"."),
    ("*", "after", "De latere jaargang (gebiedenlaag)."),
    ("*", "after_layer", "Laag in het latere bestand."),
    ("*", "after_year", "Het jaar van de cijfers in het latere bestand (1900–2100), voor een bestand dat het niet zelf noemt; het ligt na het jaar van het eerdere bestand."),
    ("*", "title", "Titel van het rapport."),
    ("*", "lang", "Taal van de vaste teksten: nl of en."),
    ("*", "wijk", "Alleen deze gebieden krijgen een eigen hoofdstuk (het overzicht houdt alle gebieden): een gebiedscode of een bovenliggende code (wijk, gemeente, eigen niveau). Mag vaker of als kommalijst."),
    ("*", "scenario", "Een scenariobestand: elk wijkhoofdstuk krijgt zijn voor/na onder het scenario."),
    ("*", "dwellings_out", "Waar de synthetische woningen heen gaan (GeoJSON, RD New)."),
    ("*", "sites_out", "Waar de illustratieve Zwolse zorglocaties heen gaan (GeoJSON, RD New); met --sites-count zoveel synthetische locaties over alle gebieden (.geojson, .csv, .fgb of .gpkg)."),
    ("*", "sites_count", "Aantal synthetische zorglocaties, naar rato van de bevolking (voor benchmarks)."),
    ("*", "facilities_out", "Waar synthetische voorzieningen heen gaan (om en om supermarkt, huisarts, apotheek, ontmoetingsruimte, ov_halte), naar rato van de bevolking."),
    ("*", "facilities_count", "Aantal synthetische voorzieningen."),
    ("*", "shell", "De shell."),
    ("serve", "port", "Poort waarop de kaart te zien is; 0 kiest een vrije poort (het adres wordt getoond)."),
    ("serve", "host", "Adres om op te luisteren in plaats van 127.0.0.1 (een IP-adres); alles behalve een loopback-adres maakt de studie bereikbaar vanaf het netwerk, met een waarschuwing."),
    ("serve", "open", "De pagina openen in de standaardbrowser."),
    ("serve", "bag", "BAG-bestand om adressen in op te zoeken (de pagina krijgt dan een adresvak): de BAG-GeoPackage van PDOK of een uitsnede met dezelfde kolommen; standaard [bag] path uit de configuratie."),
];

/// Dutch description of every command: `(command, text)`.
pub const COMMANDS: &[(&str, &str)] = &[
    ("analyse", "Draagkracht, draaglast, saldo en signaal per gebied berekenen en de lagen schrijven."),
    ("test-site", "Een voorgestelde locatie toetsen: voor/na per gebied en voor het geheel, en een oordeel met redenen (past / past onder voorwaarden / past niet)."),
    ("scenario", "Een scenariobestand toepassen (voorstellen en opheffingen, op volgorde) en voor/na-lagen, het oordeel over elk voorstel en een leesbare samenvatting schrijven."),
    ("suggest", "Locaties zoeken: elke kandidaatlocatie (een bestand of een raster) toetsen en rangschikken; schrijft de beste K en een geschiktheidslaag."),
    ("allocate", "N plaatsen van een doelgroep verdelen over de gebieden onder hun eerlijk aandeel, naar behoefte (afgerond met de grootste rest, vaste volgorde bij gelijke rest), nooit waar `test-site` zou weigeren; één zin per wijk."),
    ("monitor", "Opgavemonitor: doelen per doelgroep en jaar tegen gerealiseerde en geplande plaatsen, en het deel van elk gebied naar inwoners en naar vermogen."),
    ("compare", "Twee jaargangen van dezelfde gebieden vergelijken (bijv. CBS 2022 en 2024): de verandering van elke indicator, verschoven signalen en gebieden met een andere code of grens."),
    ("report", "Het balansrapport per wijk schrijven: één HTML-bestand (kaart, typologie, spreiding, een hoofdstuk per wijk), een Markdown-samenvatting en de tabel voor Nederlandse Excel."),
    ("synth", "De synthetische woningen en illustratieve zorglocaties maken (vaste startwaarde, gemarkeerd als synthetisch)."),
    ("config", "De standaardconfiguratie als TOML tonen (een begin voor --config)."),
    ("completions", "Een script voor het aanvullen in de shell tonen (bash, zsh, fish, elvish, powershell)."),
    ("man", "De handleiding tonen (roff; lees met `man -l -`)."),
    ("serve", "Een lokale webpagina met de kaart van de studie: wijken gekleurd naar signaal; klik om een voorgestelde locatie te toetsen (hetzelfde antwoord als `test-site --json`). Standaard alleen op deze computer bereikbaar."),
    ("describe", "Elke opdracht beschrijven: de parameters (soort, standaard, keuzes, hulptekst in het Engels en Nederlands) en de bestanden die ze schrijft."),
];

/// The Dutch placeholder of every value name the help shows (`--areas <BESTAND>`): `(clap's
/// value name, Dutch)`. Names that read the same in Dutch (`N`, `CRS`, `IP`) are listed too,
/// so that a new English name cannot slip into the Dutch help unnoticed.
pub const VALUE_NAMES: &[(&str, &str)] = &[
    ("A", "A"),
    ("ADDRESS", "ADRES"),
    ("ALPHA", "ALPHA"),
    ("AUDIENCE", "PUBLIEK"),
    ("BETA", "BETA"),
    ("CODE", "CODE"),
    ("CRS", "CRS"),
    ("CSV", "CSV"),
    ("DIALECT", "DIALECT"),
    ("DIR", "MAP"),
    ("FILE", "BESTAND"),
    ("GROUP", "DOELGROEP"),
    ("IP", "IP"),
    ("K", "K"),
    ("KIND", "SOORT"),
    ("LANG", "TAAL"),
    ("LIST", "LIJST"),
    ("M", "M"),
    ("METRES", "METERS"),
    ("N", "N"),
    ("NAME", "NAAM"),
    ("OBJECTIVE", "DOEL"),
    ("PC", "PC"),
    ("SHELL", "SHELL"),
    ("T", "T"),
    ("TEXT", "TEKST"),
    ("X,Y", "X,Y"),
    ("YEAR", "JAAR"),
];

/// The Dutch placeholder of clap's value name `name` ([`VALUE_NAMES`]).
pub fn value_name(name: &str) -> Option<&'static str> {
    VALUE_NAMES.iter().find(|(en, _)| *en == name).map(|e| e.1)
}

/// The Dutch help of flag `id` of `command`: the command's own entry, else the shared one.
pub fn flag(command: &str, id: &str) -> Option<&'static str> {
    let find = |c: &str| {
        FLAGS
            .iter()
            .find(|(fc, fid, _)| *fc == c && *fid == id)
            .map(|e| e.2)
    };
    find(command).or_else(|| find("*"))
}

/// The Dutch description of `command`.
pub fn command(command: &str) -> Option<&'static str> {
    COMMANDS.iter().find(|(c, _)| *c == command).map(|e| e.1)
}

/// The second paragraph of a command's Dutch help (`-h` and `--help` show it below the options),
/// for the commands whose English help has one: `(command, text)`.
pub const COMMANDS_MORE: &[(&str, &str)] = &[(
    "analyse",
    "Zonder opties draait het op de meegeleverde gegevens van Zwolle (echte CBS-wijken 2022, \
     synthetische woningen, illustratieve zorglocaties) en schrijft het naar ./out/.",
)];

/// The second paragraph of `command`'s Dutch help, if it has one ([`COMMANDS_MORE`]).
pub fn command_more(command: &str) -> Option<&'static str> {
    COMMANDS_MORE
        .iter()
        .find(|(c, _)| *c == command)
        .map(|e| e.1)
}
