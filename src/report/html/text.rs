//! Every fixed text of the report, in Dutch and English, and the translations of the values
//! the analysis writes in Dutch (signals, statuses, LISA labels, typology words).

use super::Lang;

/// The fixed texts of one language.
pub(super) struct Texts {
    /// `{rood}`, `{oranje}` and `{ruimte}` are replaced by the thresholds.
    pub explanation: &'static str,
    pub about: &'static str,
    pub overview: &'static str,
    pub map_title: &'static str,
    pub map_caption: &'static str,
    pub no_geometry: &'static str,
    pub scatter_title: &'static str,
    pub scatter_caption: &'static str,
    /// `{n}` is replaced by the number of areas left out.
    pub scatter_missing: &'static str,
    /// `{list}` is replaced by the areas drawn without a label ("WK019350 Wijk 50 Schelle").
    pub scatter_unlabelled: &'static str,
    /// `{n}` is replaced by the number of areas drawn without a label, when there are many.
    pub scatter_unlabelled_many: &'static str,
    pub axis_draagkracht: &'static str,
    pub axis_draaglast: &'static str,
    /// Top left, top right, bottom left, bottom right.
    pub quadrants: [&'static str; 4],
    pub all_areas: &'static str,
    pub spreading: &'static str,
    pub spreading_caption: &'static str,
    pub no_spreading: &'static str,
    pub indicators: &'static str,
    pub indicators_caption: &'static str,
    pub notes: &'static str,
    pub key_figures: &'static str,
    pub area_indicators: &'static str,
    pub bars_caption: &'static str,
    pub care: &'static str,
    pub sites: &'static str,
    pub neighbours: &'static str,
    pub scenario: &'static str,
    pub no_sites: &'static str,
    /// A wijk's sites when the study has no sites layer.
    pub sites_unknown: &'static str,
    pub no_neighbours: &'static str,
    pub no_indicators: &'static str,
    pub back_to_overview: &'static str,
    pub made_with: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub population: &'static str,
    pub draagkracht: &'static str,
    pub draaglast: &'static str,
    pub saldo: &'static str,
    pub signal: &'static str,
    pub typology: &'static str,
    pub drivers: &'static str,
    pub lisa: &'static str,
    /// Beside the LISA label: its pseudo p-value, `{p}`, and that no rule reads it.
    pub lisa_p: &'static str,
    pub care_units: &'static str,
    pub care_per_1000: &'static str,
    pub care_per_1000_short: &'static str,
    pub fair_share: &'static str,
    pub fair_share_help: &'static str,
    pub measure: &'static str,
    pub value: &'static str,
    pub meaning: &'static str,
    pub indicator: &'static str,
    pub block: &'static str,
    pub mean: &'static str,
    pub unit: &'static str,
    pub raw_value: &'static str,
    pub z: &'static str,
    pub site_name: &'static str,
    pub site_group: &'static str,
    pub site_units: &'static str,
    pub site_status: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub change: &'static str,
    pub legend: &'static str,
    /// Legend entries of the signal bands; `{a}`/`{b}` are thresholds.
    pub band_rood: &'static str,
    pub band_oranje: &'static str,
    pub band_neutraal: &'static str,
    pub band_ruimte: &'static str,
    pub band_onbekend: &'static str,
    /// `rood`, `oranje`, `neutraal`, `ruimte`, `onbekend`.
    pub signals: [&'static str; 5],
    /// Tertile words 1, 2, 3.
    pub tertiles: [&'static str; 3],
    /// `{k}` and `{l}` are tertile words.
    pub typology_pattern: &'static str,
    pub blocks: [&'static str; 3],
    /// `existing`, `planned`, `proposed`.
    pub statuses: [&'static str; 3],
    /// HH, LL, LH, HL, not significant.
    pub lisa_labels: [&'static str; 5],
}

pub(super) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

const NL: Texts = Texts {
    explanation:
        "<strong>Draagkracht</strong> is wat een wijk kan dragen, bijvoorbeeld het aandeel \
koopwoningen, de woningwaarde en de arbeidsparticipatie. <strong>Draaglast</strong> is wat er van \
een wijk gevraagd wordt, bijvoorbeeld lage inkomens, uitkeringen en zorgwoningen per 1.000 \
inwoners. Beide zijn gemiddelden van z-scores: 0 is het gemeentelijk gemiddelde, 1 is één \
standaardafwijking daarboven. Het <strong>saldo</strong> is draagkracht min draaglast. Het \
signaal deelt het saldo in banden: <em>rood</em> bij een saldo van {rood} of lager, \
<em>oranje</em> tot en met {oranje}, <em>ruimte</em> vanaf {ruimte} en daartussen \
<em>neutraal</em>; <em>onbekend</em> als een blok geen enkele indicator heeft. Het is een \
signaal, geen oordeel: de kaart is het begin van een gesprek over een wijk, niet de uitkomst. \
Elk getal is terug te voeren op een bronkolom, een jaar en een formule.",
    about: "Hoe lees je dit rapport?",
    overview: "Overzicht van de gemeente",
    map_title: "Saldo per wijk",
    map_caption: "Kleur: het signaal van het saldo (draagkracht − draaglast). Ga met de muis \
over een wijk voor de waarden; klik voor het profiel.",
    no_geometry: "Er is geen geometrie om te tekenen.",
    scatter_title: "Typologie: draagkracht tegen draaglast",
    scatter_caption: "Elke stip is een wijk. De lijnen door 0 zijn het gemeentelijk gemiddelde; \
de schuine stippellijnen zijn de signaalgrenzen van het saldo.",
    scatter_missing: "Wijken zonder draagkracht of draaglast, niet in de figuur: {n}.",
    scatter_unlabelled: "Zonder naam in de figuur, want er was geen plaats: {list}.",
    scatter_unlabelled_many: "{n} wijken staan zonder naam in de figuur, want er was geen plaats; \
de tabel Alle wijken noemt hun waarden.",
    axis_draagkracht: "draagkracht →",
    axis_draaglast: "draaglast →",
    quadrants: [
        "kracht laag, last hoog",
        "kracht hoog, last hoog",
        "kracht laag, last laag",
        "kracht hoog, last laag",
    ],
    all_areas: "Alle wijken",
    spreading: "Spreiding van zorgwoningen",
    spreading_caption: "Maten voor de gemeente als geheel, berekend op de zorgeenheden van \
bestaande locaties tegen het aantal inwoners.",
    no_spreading: "Geen spreidingsmaten berekend.",
    indicators: "Indicatoren",
    indicators_caption: "Gemiddelde: het gemeentelijk gemiddelde van de ruwe waarde, het \
nulpunt van de z-scores.",
    notes: "Kanttekeningen",
    key_figures: "Kerncijfers",
    area_indicators: "Indicatoren van de wijk",
    bars_caption: "Balkjes: z-score tegenover het gemeentelijk gemiddelde (0), van −3 tot 3. \
Blauw: draagkracht, paars: draaglast.",
    care: "Zorg in de wijk",
    sites: "Zorglocaties",
    neighbours: "Aangrenzende wijken",
    scenario: "Scenario: voor en na",
    no_sites: "Geen zorglocaties in deze wijk.",
    sites_unknown:
        "Onbekend: er is geen zorglocatielaag, dus welke zorglocaties hier liggen, is niet gegeven.",
    no_neighbours: "Geen aangrenzende wijken.",
    no_indicators: "Geen indicatoren voor deze wijk.",
    back_to_overview: "↑ naar het overzicht",
    made_with: "Gemaakt met",
    code: "Code",
    name: "Naam",
    population: "Inwoners",
    draagkracht: "Draagkracht",
    draaglast: "Draaglast",
    saldo: "Saldo",
    signal: "Signaal",
    typology: "Typologie",
    drivers: "Grootste bijdragen aan het saldo",
    lisa: "Ruimtelijk cluster van zorg (LISA)",
    lisa_p:
        "pseudo-p {p} uit permutaties: beschrijvend, geen regel van de locatietoets gebruikt dit",
    care_units: "Zorgeenheden",
    care_per_1000: "Zorgeenheden per 1.000 inwoners",
    care_per_1000_short: "Zorg per 1.000 inw.",
    fair_share: "Eerlijk-aandeelratio",
    fair_share_help: "1 = precies het eerlijke deel naar inwoners; 2 = twee keer zoveel",
    measure: "Maat",
    value: "Waarde",
    meaning: "Betekenis",
    indicator: "Indicator",
    block: "Blok",
    mean: "Gemiddelde",
    unit: "Eenheid",
    raw_value: "Waarde",
    z: "z",
    site_name: "Naam",
    site_group: "Doelgroep",
    site_units: "Eenheden",
    site_status: "Status",
    before: "Voor",
    after: "Na",
    change: "Verschil",
    legend: "Legenda",
    band_rood: "rood: saldo ≤ {a}",
    band_oranje: "oranje: {a} < saldo ≤ {b}",
    band_neutraal: "neutraal: {a} < saldo < {b}",
    band_ruimte: "ruimte: saldo ≥ {a}",
    band_onbekend: "onbekend: geen saldo",
    signals: ["rood", "oranje", "neutraal", "ruimte", "onbekend"],
    tertiles: ["laag", "midden", "hoog"],
    typology_pattern: "kracht {k} / last {l}",
    blocks: ["draagkracht", "draaglast", "context"],
    statuses: ["bestaand", "gepland", "voorgesteld"],
    lisa_labels: [
        "HH: veel zorg, buren ook",
        "LL: weinig zorg, buren ook",
        "LH: weinig zorg, buren veel",
        "HL: veel zorg, buren weinig",
        "niet significant",
    ],
};

const EN: Texts = Texts {
    explanation: "<strong>Draagkracht</strong> (capacity) is what an area can carry, for \
example the share of owner-occupied homes, home values and labour participation. \
<strong>Draaglast</strong> (burden) is what is asked of an area, for example low incomes, \
benefits and care housing per 1,000 inhabitants. Both are means of z-scores: 0 is the \
municipal mean, 1 is one standard deviation above it. The <strong>saldo</strong> (balance) is \
capacity minus burden. The signal puts the balance in bands: <em>red</em> at {rood} or below, \
<em>orange</em> up to and including {oranje}, <em>room</em> from {ruimte} up, and \
<em>neutral</em> in between; <em>unknown</em> when a block has no indicator at all. It is a \
signal, not a verdict: the map starts a conversation about an area, it does not end it. Every \
number can be traced to a source column, a year and a formula.",
    about: "How to read this report",
    overview: "Municipal overview",
    map_title: "Balance per area",
    map_caption: "Colour: the signal of the balance (capacity − burden). Hover over an area for \
its values; click for its profile.",
    no_geometry: "There is no geometry to draw.",
    scatter_title: "Typology: capacity against burden",
    scatter_caption: "Each dot is an area. The lines through 0 are the municipal mean; the \
dashed diagonals are the signal thresholds of the balance.",
    scatter_missing: "Areas without capacity or burden, not in the figure: {n}.",
    scatter_unlabelled: "Without a name in the figure, for lack of room: {list}.",
    scatter_unlabelled_many: "{n} areas have no name in the figure, for lack of room; the table \
All areas gives their values.",
    axis_draagkracht: "capacity →",
    axis_draaglast: "burden →",
    quadrants: [
        "capacity low, burden high",
        "capacity high, burden high",
        "capacity low, burden low",
        "capacity high, burden low",
    ],
    all_areas: "All areas",
    spreading: "Spreading of care housing",
    spreading_caption: "Measures for the municipality as a whole, computed on the care units \
of existing sites against inhabitants.",
    no_spreading: "No spreading measures computed.",
    indicators: "Indicators used",
    indicators_caption: "Mean: the municipal mean of the raw value, the zero of the z-scores.",
    notes: "Caveats",
    key_figures: "Key figures",
    area_indicators: "Indicators of the area",
    bars_caption: "Bars: z-score against the municipal mean (0), from −3 to 3. Blue: capacity, \
purple: burden.",
    care: "Care housing in the area",
    sites: "Care sites",
    neighbours: "Neighbouring areas",
    scenario: "Scenario: before and after",
    no_sites: "No care sites in this area.",
    sites_unknown: "Unknown: there is no sites layer, so which care sites lie here was not given.",
    no_neighbours: "No neighbouring areas.",
    no_indicators: "No indicators for this area.",
    back_to_overview: "↑ back to the overview",
    made_with: "Made with",
    code: "Code",
    name: "Name",
    population: "Inhabitants",
    draagkracht: "Capacity",
    draaglast: "Burden",
    saldo: "Balance",
    signal: "Signal",
    typology: "Typology",
    drivers: "Largest contributions to the balance",
    lisa: "Spatial cluster of care (LISA)",
    lisa_p: "pseudo p {p} from permutations: descriptive, no rule of the site test uses it",
    care_units: "Care units",
    care_per_1000: "Care units per 1,000 inhabitants",
    care_per_1000_short: "Care per 1,000 inh.",
    fair_share: "Fair-share ratio",
    fair_share_help: "1 = exactly the fair share by inhabitants; 2 = twice as many",
    measure: "Measure",
    value: "Value",
    meaning: "Meaning",
    indicator: "Indicator",
    block: "Block",
    mean: "Mean",
    unit: "Unit",
    raw_value: "Value",
    z: "z",
    site_name: "Name",
    site_group: "Target group",
    site_units: "Units",
    site_status: "Status",
    before: "Before",
    after: "After",
    change: "Change",
    legend: "Legend",
    band_rood: "red: balance ≤ {a}",
    band_oranje: "orange: {a} < balance ≤ {b}",
    band_neutraal: "neutral: {a} < balance < {b}",
    band_ruimte: "room: balance ≥ {a}",
    band_onbekend: "unknown: no balance",
    signals: ["red", "orange", "neutral", "room", "unknown"],
    tertiles: ["low", "middle", "high"],
    typology_pattern: "capacity {k} / burden {l}",
    blocks: ["capacity", "burden", "context"],
    statuses: ["existing", "planned", "proposed"],
    lisa_labels: [
        "HH: much care, neighbours too",
        "LL: little care, neighbours too",
        "LH: little care, neighbours much",
        "HL: much care, neighbours little",
        "not significant",
    ],
};

/// The signals the analysis writes, in the order of [`Texts::signals`].
pub(super) const SIGNALS: [&str; 5] = ["rood", "oranje", "neutraal", "ruimte", "onbekend"];

/// Index of a signal in [`SIGNALS`]; anything else is `onbekend`.
pub(super) fn signal_index(signal: &str) -> usize {
    SIGNALS.iter().position(|s| *s == signal).unwrap_or(4)
}

/// The signal as shown in `lang`.
pub(super) fn signal_name(signal: &str, lang: Lang) -> &'static str {
    texts(lang).signals[signal_index(signal)]
}

/// A block (`draagkracht`, `draaglast`, `context`) as shown in `lang`; other values unchanged.
pub(super) fn block_name(block: &str, lang: Lang) -> String {
    translate(
        block,
        &["draagkracht", "draaglast", "context"],
        &texts(lang).blocks,
    )
}

/// A site status (`existing`, `planned`, `proposed`) as shown in `lang`; other values unchanged.
pub(super) fn status_name(status: &str, lang: Lang) -> String {
    translate(
        status,
        &["existing", "planned", "proposed"],
        &texts(lang).statuses,
    )
}

/// A LISA label (`HH`, `LL`, `LH`, `HL`, `niet significant`) explained in `lang`.
pub(super) fn lisa_name(label: &str, lang: Lang) -> String {
    translate(
        label,
        &["HH", "LL", "LH", "HL", "niet significant"],
        &texts(lang).lisa_labels,
    )
}

/// `value` as shown in a language: the entry of `shown` at the position of `value` in
/// `written` (the values as the analysis writes them); a value not in `written` unchanged.
fn translate(value: &str, written: &[&str], shown: &[&'static str]) -> String {
    match written.iter().position(|w| *w == value) {
        Some(i) => shown[i].to_string(),
        None => value.to_string(),
    }
}

/// `K1-L3` to "kracht laag / last hoog" (or the English words); `None` for another form.
pub(super) fn typology_words(code: &str, lang: Lang) -> Option<String> {
    let b = code.as_bytes();
    if b.len() != 5 || b[0] != b'K' || b[2] != b'-' || b[3] != b'L' {
        return None;
    }
    let tertile = |c: u8| match c {
        b'1'..=b'3' => Some(texts(lang).tertiles[usize::from(c - b'1')]),
        _ => None,
    };
    let (k, l) = (tertile(b[1])?, tertile(b[4])?);
    Some(
        texts(lang)
            .typology_pattern
            .replace("{k}", k)
            .replace("{l}", l),
    )
}

/// Built-in names and one-line explanations of the study-level spreading metrics:
/// `(id, name nl, name en, explanation nl, explanation en)`.
pub(super) const METRICS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "fair_share_dissimilarity",
        "Te verplaatsen aandeel (eerlijk deel)",
        "Share to move (fair share)",
        "Deel van de zorgeenheden dat zou moeten verhuizen om elke wijk precies haar eerlijke \
deel naar inwoners te geven; 0 = precies eerlijk verdeeld.",
        "Share of care units that would have to move for every area to hold exactly its fair \
share by inhabitants; 0 = exactly fair.",
    ),
    (
        "dissimilarity",
        "Dissimilariteitsindex (D)",
        "Dissimilarity index (D)",
        "Hoe anders de zorgeenheden over de wijken verdeeld zijn dan de overige inwoners; \
0 = dezelfde verdeling, 1 = volledig gescheiden.",
        "How differently care units are spread over the areas than the other inhabitants; \
0 = the same spread, 1 = fully separated.",
    ),
    (
        "gini",
        "Gini-coëfficiënt",
        "Gini coefficient",
        "Ongelijkheid van zorgeenheden per inwoner tussen de wijken; 0 = overal even veel, \
1 = alles in één wijk.",
        "Inequality of care units per inhabitant across the areas; 0 = equal everywhere, \
1 = all in one area.",
    ),
    (
        "theil_h",
        "Theils H (entropie)",
        "Theil's H (entropy)",
        "Hoeveel minder gemengd de wijken zijn dan de gemeente als geheel; 0 = elke wijk even \
gemengd als de gemeente.",
        "How much less mixed the areas are than the municipality as a whole; 0 = every area as \
mixed as the municipality.",
    ),
    (
        "isolation",
        "Isolatie",
        "Isolation",
        "Gemiddeld aandeel bewoners van zorgwoningen in de wijk van een bewoner van een \
zorgwoning.",
        "Average share of care-housing residents in the area of a care-housing resident.",
    ),
    (
        "exposure",
        "Blootstelling",
        "Exposure",
        "Gemiddeld aandeel overige inwoners in de wijk van een bewoner van een zorgwoning; \
hoog = goed gemengd.",
        "Average share of other inhabitants in the area of a care-housing resident; high = well \
mixed.",
    ),
    (
        "atkinson",
        "Atkinson-index",
        "Atkinson index",
        "Ongelijkheid van de spreiding, anders gewogen dan Gini; 0 = gelijk verdeeld, \
1 = zo ongelijk als mogelijk.",
        "Unevenness of the spread, weighted differently from Gini; 0 = even, 1 = as uneven as \
possible.",
    ),
    (
        "spatial_dissimilarity",
        "Ruimtelijke dissimilariteit",
        "Spatial dissimilarity",
        "Als de dissimilariteitsindex, maar verschillen tussen aangrenzende wijken tellen \
minder zwaar (Morrill).",
        "Like the dissimilarity index, but differences between neighbouring areas count less \
(Morrill).",
    ),
    (
        "hhi",
        "Concentratie (HHI)",
        "Concentration (HHI)",
        "Som van de gekwadrateerde aandelen van de wijken in alle zorgeenheden; 1/aantal wijken \
= gelijk verdeeld, 1 = alles in één wijk.",
        "Sum of the squared shares of the areas in all care units; 1/number of areas = evenly \
spread, 1 = all in one area.",
    ),
    (
        "hhi_normalised",
        "Concentratie, genormaliseerd",
        "Concentration, normalised",
        "De HHI herschaald: 0 = gelijk over alle wijken, 1 = alles in één wijk.",
        "The HHI rescaled: 0 = even over all areas, 1 = all in one area.",
    ),
    (
        "effective_areas",
        "Effectief aantal wijken",
        "Effective number of areas",
        "Over hoeveel wijken de zorgeenheden in feite verdeeld zijn (1/HHI).",
        "Over how many areas the care units are in effect spread (1/HHI).",
    ),
    (
        "morans_i",
        "Moran's I, zorg per 1.000",
        "Moran's I, care per 1,000",
        "Liggen wijken met veel zorgeenheden per 1.000 inwoners naast elkaar? Boven 0 = \
clustering, rond 0 = geen patroon, onder 0 = afwisseling.",
        "Do areas with many care units per 1,000 inhabitants lie next to each other? Above 0 = \
clustering, around 0 = no pattern, below 0 = alternation.",
    ),
    (
        "morans_i_saldo",
        "Moran's I, saldo",
        "Moran's I, balance",
        "Liggen wijken met een vergelijkbaar saldo naast elkaar? Boven 0 = clustering, rond 0 \
= geen patroon.",
        "Do areas with a similar balance lie next to each other? Above 0 = clustering, around 0 \
= no pattern.",
    ),
    (
        "getis_ord_g",
        "Getis-Ord G",
        "Getis-Ord G",
        "Mate waarin hoge waarden van zorg per 1.000 inwoners bij elkaar liggen; hoger dan bij \
toeval = hoge waarden clusteren.",
        "Degree to which high values of care per 1,000 inhabitants lie together; higher than \
by chance = high values cluster.",
    ),
    (
        "clark_evans",
        "Clark-Evans R",
        "Clark-Evans R",
        "Afstand tussen zorglocaties vergeleken met toeval; onder 1 = geclusterd, 1 = \
willekeurig, boven 1 = regelmatig gespreid.",
        "Distance between care sites compared with chance; below 1 = clustered, 1 = random, \
above 1 = regularly spread.",
    ),
    (
        "multigroup_dissimilarity",
        "Dissimilariteit over doelgroepen",
        "Multigroup dissimilarity",
        "Hoe verschillend de doelgroepen en de overige inwoners over de wijken verdeeld zijn; \
0 = gelijk, 1 = volledig gescheiden.",
        "How differently the target groups and the other inhabitants are spread over the \
areas; 0 = the same, 1 = fully separated.",
    ),
    (
        "multigroup_h",
        "Entropie over doelgroepen (H)",
        "Multigroup entropy (H)",
        "Hoeveel minder gemengd (doelgroepen en overige inwoners) de wijken zijn dan de \
gemeente; 0 = even gemengd.",
        "How much less mixed (target groups and other inhabitants) the areas are than the \
municipality; 0 = equally mixed.",
    ),
];
