//! Where a layer's file was named: the flags of its path, its layer and its CRS, and whether the
//! configuration file names them too. The caller says it; every message about opening the file,
//! choosing its layer and its CRS names these, so `report --previous FILE` is told to check
//! `--previous` and choose with `--previous-layer`, not with the flags of `--areas`.

use crate::config::Role;

/// Where a layer's file was named (see the module docs).
///
/// Example: [`Source::of`]`(Role::Areas)` is `--areas`, `--areas-layer`, `--areas-crs` and the
/// configuration file's `[areas]`; `report --previous` reads an areas file through
/// `Source::flags(Role::Areas, "--previous", "--previous-layer", None)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// What the layer is used for.
    pub role: Role,
    /// The flag of the file (`--areas`, `--previous`, `--before`).
    pub file: &'static str,
    /// The flag of its layer (`--areas-layer`, `--previous-layer`).
    pub layer: &'static str,
    /// The flag of the CRS of a file that declares none (`--areas-crs`); `None` where the
    /// command has no such flag.
    pub crs: Option<&'static str>,
    /// Whether the configuration file can name the file, its layer and its CRS too.
    pub config: bool,
}

impl Source {
    /// The layer of `role` as the study's commands name it: `--<role>`, `--<role>-layer`,
    /// `--<role>-crs`, and the configuration file for every role it has a section for (all but
    /// the candidates of `suggest`).
    pub const fn of(role: Role) -> Self {
        let (file, layer, crs) = match role {
            Role::Areas => ("--areas", "--areas-layer", "--areas-crs"),
            Role::Dwellings => ("--dwellings", "--dwellings-layer", "--dwellings-crs"),
            Role::Sites => ("--sites", "--sites-layer", "--sites-crs"),
            Role::Facilities => ("--facilities", "--facilities-layer", "--facilities-crs"),
            Role::Candidates => ("--candidates", "--candidates-layer", "--candidates-crs"),
            Role::Network => ("--network", "--network-layer", "--network-crs"),
        };
        Self {
            role,
            file,
            layer,
            crs: Some(crs),
            config: !matches!(role, Role::Candidates),
        }
    }

    /// A layer of `role` named only by the flags `file`, `layer` and `crs` of one command (not
    /// by the configuration file): `report --previous`, `compare --before`, `synth --areas`.
    pub const fn flags(
        role: Role,
        file: &'static str,
        layer: &'static str,
        crs: Option<&'static str>,
    ) -> Self {
        Self {
            role,
            file,
            layer,
            crs,
            config: false,
        }
    }

    /// Where a CRS for a file that declares none was given, for a message: `--areas-crs of het
    /// configuratiebestand`, `--candidates-crs`, or `het configuratiebestand` (the only other
    /// place a layer without a CRS flag can get one: `report --previous` keeps the `[areas]
    /// crs` of the configuration).
    pub fn crs_places(&self) -> String {
        match (self.crs, self.config) {
            (Some(f), true) => format!("{f} of het configuratiebestand"),
            (Some(f), false) => f.to_string(),
            (None, _) => "het configuratiebestand".to_string(),
        }
    }

    /// How to give the CRS `crs` for a file that declares none, for a message: `geef
    /// --areas-crs EPSG:28992 op`; without a CRS flag, the file saved with its CRS.
    pub fn give_crs(&self, crs: &str) -> String {
        match self.crs {
            Some(f) => format!("geef {f} {crs} op"),
            None => format!("sla het bestand op met het coördinatenstelsel {crs} erin (bijvoorbeeld als GeoPackage uit QGIS)"),
        }
    }
}

impl From<Role> for Source {
    /// [`Source::of`].
    fn from(role: Role) -> Self {
        Self::of(role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_has_its_own_flags_and_a_command_may_name_others() {
        let areas = Source::of(Role::Areas);
        assert_eq!(
            (areas.file, areas.layer, areas.crs, areas.config),
            ("--areas", "--areas-layer", Some("--areas-crs"), true)
        );
        assert_eq!(areas.crs_places(), "--areas-crs of het configuratiebestand");
        assert!(!Source::of(Role::Candidates).config);
        assert_eq!(
            Source::of(Role::Candidates).crs_places(),
            "--candidates-crs"
        );
        let previous = Source::flags(Role::Areas, "--previous", "--previous-layer", None);
        assert_eq!(previous.crs_places(), "het configuratiebestand");
        assert_eq!(
            Source::of(Role::Sites).give_crs("EPSG:28992"),
            "geef --sites-crs EPSG:28992 op"
        );
        assert!(previous
            .give_crs("EPSG:28992")
            .starts_with("sla het bestand op"));
    }
}
