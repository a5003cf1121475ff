use std::collections::BTreeMap;

use crate::io::read::Attr;
use crate::model::concepts::Kind;
use crate::model::{Area, Tenure};

use super::*;

#[test]
fn numbers_suppression_and_decimal_commas() {
    assert_eq!(number(&Attr::Number(12.0)), Ok(Some(12.0)));
    assert_eq!(number(&Attr::Number(-99999999.0)), Ok(None));
    assert_eq!(number(&Attr::Text(" . ".into())), Ok(None));
    assert_eq!(number(&Attr::Text("".into())), Ok(None));
    assert_eq!(number(&Attr::Text("12,5".into())), Ok(Some(12.5)));
    assert_eq!(number(&Attr::Null), Ok(None));
    assert!(number(&Attr::Text("veel".into())).is_err());
}

#[test]
fn a_count_with_what_may_be_thousands_separators_is_refused_with_both_readings() {
    assert_eq!(count(&Attr::Text("12".into())), Ok(Some(12.0)));
    assert_eq!(count(&Attr::Text("0.500".into())), Ok(Some(0.5)));
    assert_eq!(count(&Attr::Text("1,5".into())), Ok(Some(1.5)));
    assert_eq!(count(&Attr::Number(1000.0)), Ok(Some(1000.0)));
    assert_eq!(
        count(&Attr::Text("1.000".into())),
        Err("'1.000' is dubbelzinnig: 1 als het scheidingsteken een decimaalteken is, of 1000 als het duizendtallen scheidt".into())
    );
    assert!(count(&Attr::Text("2,500".into()))
        .unwrap_err()
        .contains("of 2500 als"));
}

#[test]
fn ranges_per_kind() {
    assert!(check_range(101.0, Kind::Percent).is_err());
    assert!(check_range(-1.0, Kind::Count).is_err());
    assert!(check_range(-1.0, Kind::Number).is_ok());
    assert_eq!(
        check_range(-5.0, Kind::Amount),
        Err("een gemiddelde, dichtheid of aantal per inwoner kan niet negatief zijn (-5)".into())
    );
    assert!(check_range(0.0, Kind::Amount).is_ok());
}

#[test]
fn minus_infinity_is_not_a_cbs_marker() {
    // −∞ lies below the bound of CBS's −99,999,999 marker; it is an error, not a secret value.
    assert_eq!(
        number(&Attr::Number(f64::NEG_INFINITY)),
        Err("-inf is geen eindig getal".into())
    );
    assert_eq!(number(&Attr::Number(-99_999_999.0)), Ok(None));
    assert_eq!(
        number(&Attr::Text("-inf".into())),
        Err("'-inf' is geen getal".into())
    );
}

#[test]
fn tenure_words() {
    assert_eq!(parse_tenure(Some("Koop")), Tenure::Owner);
    assert_eq!(parse_tenure(Some("huur corporatie")), Tenure::Corporation);
    assert_eq!(parse_tenure(Some("huur")), Tenure::OtherRent);
    assert_eq!(parse_tenure(None), Tenure::Unknown);
    assert_eq!(parse_tenure(Some(" Sociale HUUR ")), Tenure::Corporation);
    assert_eq!(parse_tenure(Some("Corporatiewoning")), Tenure::Corporation);
    assert_eq!(parse_tenure(Some("particuliere HUUR")), Tenure::OtherRent);
    assert_eq!(parse_tenure(Some("Rented")), Tenure::OtherRent);
    assert_eq!(parse_tenure(Some("Eigen woning")), Tenure::Owner);
    assert_eq!(parse_tenure(Some("hu")), Tenure::Unknown);
    assert_eq!(parse_tenure(Some("  ")), Tenure::Unknown);
    // The values matched first as they are give what the general rule gives them.
    for word in ["koop", "huur", "corporatie"] {
        let padded = format!(" {word} ");
        assert_eq!(
            parse_tenure(Some(word)),
            parse_tenure(Some(&padded)),
            "{word}"
        );
        assert_ne!(parse_tenure(Some(word)), Tenure::Unknown, "{word}");
    }
}

/// An area with a square polygon [x0, x1] × [0, 1000].
fn area(code: &str, x0: f64, x1: f64) -> Area {
    let p = geo::Polygon::new(
        geo::LineString::from(vec![(x0, 0.0), (x1, 0.0), (x1, 1000.0), (x0, 1000.0)]),
        vec![],
    );
    Area {
        code: code.into(),
        name: code.into(),
        geometry: geo::MultiPolygon(vec![p]),
        values: BTreeMap::new(),
        parents: BTreeMap::new(),
        feature_index: 0,
    }
}

#[test]
fn overlaps_beyond_the_tolerance_are_found_and_slivers_are_not() {
    // Neighbours that share an edge do not overlap.
    let touching = [
        area("A", 0.0, 1000.0),
        area("B", 1000.0, 2000.0),
        area("C", 2000.0, 3000.0),
    ];
    assert_eq!(first_overlap(&touching), None);
    // 10 m into the neighbour: 1 % of it, as generalised CBS boundaries do.
    let sliver = [area("A", 0.0, 1010.0), area("B", 1000.0, 2000.0)];
    assert_eq!(first_overlap(&sliver), None);
    // Half of B lies in A, and all of D lies in C (a buurt in its wijk).
    let overlapping = [
        area("A", 0.0, 1500.0),
        area("B", 1000.0, 2000.0),
        area("C", 3000.0, 5000.0),
        area("D", 3500.0, 4000.0),
    ];
    let o = first_overlap(&overlapping).unwrap();
    assert_eq!((o.first, o.second), (0, 1));
    assert!((o.area_m2 - 500_000.0).abs() < 1e-6, "{o:?}");
    assert!((o.share - 0.5).abs() < 1e-12, "{o:?}");
    let o = first_overlap(&overlapping[2..]).unwrap();
    assert_eq!(o.share, 1.0);
    assert_eq!(percent(0.5), "50");
    assert_eq!(percent(0.0042), "0,4");
}
