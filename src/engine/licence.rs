//! Licences, and what each one exempts from which meter.
//!
//! The questions "does this licence exempt this run / this app open / this login" are answered
//! here, in one place, so that every meter asks the same way and the advisor can ask "what if
//! this user held licence X".
//!
//! The two things a licence is asked about, an app's [`ConnectorClass`] and a run's
//! [`RunMode`], are defined here: they are the columns of the documentation's licence tables,
//! and the scenario model (which uses them) builds on this module, not the other way round.

crate::keyed_enum! {
    /// Whether an app or flow uses premium connectors (AMB-4).
    pub enum ConnectorClass {
        /// Only standard connectors: Microsoft 365 users are not counted for it (AP-7).
        Standard = "standard", "Standard only",
        /// Premium or custom connectors, an on-premises gateway, or Dataverse.
        Premium = "premium", "Premium",
    }
}

crate::keyed_enum! {
    /// Where a flow run executes (PA-3 rates).
    pub enum RunMode {
        /// A cloud flow run.
        Cloud = "cloud", "Cloud flow",
        /// Desktop flow, attended.
        Attended = "attended", "Desktop flow, attended",
        /// Desktop flow, unattended on the customer's machine.
        Unattended = "unattended", "Desktop flow, unattended",
        /// Desktop flow on hosted machines or hosted machine groups (hosted RPA).
        Hosted = "hosted", "Desktop flow, hosted machine",
    }
}

impl RunMode {
    /// Whether the run is a desktop flow's (attended, unattended or hosted).
    pub fn is_desktop(self) -> bool {
        !matches!(self, RunMode::Cloud)
    }
}

crate::keyed_enum! {
    /// A user licence (or the lack of one).
    pub enum Licence {
        /// No licence: Power Automate free, guests (AP-4), $0 licences.
        None = "none", "No licence",
        /// Microsoft 365 / Office 365 with Power Apps and Power Automate for Microsoft 365.
        Microsoft365 = "microsoft365", "Microsoft 365",
        /// Power Apps per user (Power Apps Premium).
        PowerAppsPerUser = "power_apps_per_user", "Power Apps per user",
        /// Power Apps per-app pass: ignored in pay-as-you-go environments (AP-9, G-8).
        PowerAppsPerApp = "power_apps_per_app", "Power Apps per-app pass",
        /// Power Automate per user (legacy): premium cloud flows, no RPA.
        PowerAutomatePerUser = "power_automate_per_user", "Power Automate per user",
        /// Power Automate per user with attended RPA (legacy).
        PowerAutomatePerUserRpa = "power_automate_per_user_rpa",
            "Power Automate per user with attended RPA",
        /// Power Automate Premium (2023+): same entitlements as per user with attended RPA.
        PowerAutomatePremium = "power_automate_premium", "Power Automate Premium",
        /// Dynamics 365 Enterprise or Professional (a full user licence, AMB-3).
        Dynamics365 = "dynamics365", "Dynamics 365 Enterprise/Professional",
        /// Dynamics 365 Team Member.
        Dynamics365TeamMember = "dynamics365_team_member", "Dynamics 365 Team Member",
    }
}

impl Licence {
    /// Whether opening an app with these connectors is counted by the per-app meter.
    /// Returns the rule that exempts the open, or `None` when it is counted.
    pub fn app_exemption(self, connectors: ConnectorClass) -> Option<&'static str> {
        match (self, connectors) {
            // AP-5: Power Apps per user covers every app.
            (Licence::PowerAppsPerUser, _) => Some("AP-5"),
            // AP-6/AMB-3: a D365 full user licence gives per-user Power Apps rights.
            (Licence::Dynamics365, _) => Some("AP-6"),
            // AP-7: Microsoft 365 covers standard-connector apps only.
            (Licence::Microsoft365, ConnectorClass::Standard) => Some("AP-7"),
            // AP-8/AP-9: everyone else is counted; a per-app pass is ignored in PAYG.
            _ => None,
        }
    }

    /// Whether a premium flow run in this mode, evaluated against this licence, is exempt
    /// from the flow-run meters (PA-7). Returns the rule, or `None` when it is charged.
    pub fn flow_run_exemption(self, mode: RunMode) -> Option<&'static str> {
        match (self, mode) {
            // PA-7: per user covers premium cloud runs, not RPA.
            (Licence::PowerAutomatePerUser, RunMode::Cloud) => Some("PA-7"),
            // PA-7: per user with attended RPA, and Premium (same entitlements), cover cloud
            // and attended runs.
            (
                Licence::PowerAutomatePerUserRpa | Licence::PowerAutomatePremium,
                RunMode::Cloud | RunMode::Attended,
            ) => Some("PA-7"),
            // Unattended and hosted runs are charged whatever the user licence (PA-7), and
            // Power Apps per-user is no exemption outside the app context (PA-11).
            _ => None,
        }
    }

    /// AMB-19: whether this counts as a "premium Power Automate licence" for the embed
    /// program (EM-3) outside any app context.
    pub fn is_premium_power_automate(self) -> bool {
        matches!(
            self,
            Licence::PowerAutomatePerUser
                | Licence::PowerAutomatePerUserRpa
                | Licence::PowerAutomatePremium
        )
    }

    /// PA-12: a Dynamics 365 licence that puts a flow "in context" of a D365 app.
    pub fn is_dynamics365(self) -> bool {
        matches!(self, Licence::Dynamics365 | Licence::Dynamics365TeamMember)
    }

    /// PP-3: exempt from the authenticated Power Pages meter.
    pub fn pages_exemption(self) -> Option<&'static str> {
        match self {
            Licence::PowerAppsPerUser | Licence::Dynamics365 => Some("PP-3"),
            _ => None,
        }
    }

    /// PR-4/PR-6: the daily Power Platform requests entitlement of one licence, or `None`
    /// when the licence carries none (it then does not count towards stacking).
    pub fn daily_requests(self) -> Option<u64> {
        match self {
            Licence::None => Some(6_000),
            Licence::Microsoft365 => Some(6_000),
            Licence::PowerAppsPerUser => Some(40_000),
            Licence::PowerAppsPerApp => Some(6_000),
            Licence::PowerAutomatePerUser => Some(40_000),
            Licence::PowerAutomatePerUserRpa => Some(40_000),
            Licence::PowerAutomatePremium => Some(40_000),
            Licence::Dynamics365 => Some(40_000),
            Licence::Dynamics365TeamMember => Some(6_000),
        }
    }

    /// PR-5: a paid licence (free and $0 licences don't stack).
    pub fn is_paid(self) -> bool {
        !matches!(self, Licence::None)
    }
}

crate::keyed_enum! {
    /// A licence that belongs to a flow rather than to a user.
    pub enum FlowLicence {
        /// No flow licence.
        None = "none", "No flow licence",
        /// Power Automate per flow (legacy, minimum 5 licences, INC-3).
        PerFlow = "per_flow", "Power Automate per flow",
        /// Power Automate Process (2023+).
        Process = "process", "Power Automate Process",
        /// Hosted Process.
        HostedProcess = "hosted_process", "Hosted Process",
    }
}

impl FlowLicence {
    /// serde default helper.
    pub fn none() -> FlowLicence {
        FlowLicence::None
    }

    /// serde skip helper.
    pub fn is_none(&self) -> bool {
        matches!(self, FlowLicence::None)
    }

    /// PA-7/AMB-6: whether this flow licence exempts a run in `mode`.
    /// `covers_unattended` is the AMB-6 toggle.
    pub fn flow_run_exemption(
        self,
        mode: RunMode,
        covers_unattended: bool,
    ) -> Option<&'static str> {
        match (self, mode) {
            (FlowLicence::None, _) => None,
            (_, RunMode::Cloud) => Some("PA-7"),
            (_, RunMode::Unattended | RunMode::Hosted) if covers_unattended => Some("AMB-6"),
            _ => None,
        }
    }

    /// PR-6: daily requests per licence (official limits).
    pub fn daily_requests(self) -> u64 {
        match self {
            FlowLicence::None => 0,
            FlowLicence::PerFlow | FlowLicence::Process | FlowLicence::HostedProcess => 250_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Code that filters `ALL` instead of sorting relies on this.
    #[test]
    fn all_is_in_ord_order() {
        assert!(Licence::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(FlowLicence::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn keys_round_trip() {
        for l in Licence::ALL {
            assert_eq!(Licence::from_key(l.key()), Some(l));
        }
        for l in FlowLicence::ALL {
            assert_eq!(FlowLicence::from_key(l.key()), Some(l));
        }
    }
}
